"""Score an NLI cross-encoder directory on SNLI test, MultiNLI dev and SICK test.

    python -m crosscheck.training.nli_eval MODEL_DIR --data-root ../shared/data --json scores.json
    python -m crosscheck.training.nli_eval crosscheck/models/onnx/nli --variant int8,fp32 --only snli_test

``MODEL_DIR`` is a transformers directory (scored on torch) or an ONNX export (a directory with ``onnx.json``,
scored on onnxruntime; ``--variant`` names the variants to score, each under its own key ``{set}:{variant}``).

Used for reporting only: checkpoints are selected on the training file's holdout.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from crosscheck.errors import Errors, InputError
from crosscheck.eval.datasets import load_mnli, load_sick, load_snli
from crosscheck.training.nli import (
    LABELS,
    TrainConfig,
    attribution_probe,
    classification_scores,
    evaluate,
    load_pairs,
    negation_probe,
)


def score_model(model_dir: str, data_root: str, *, limit: int | None = None, max_length: int = 128,
                train_data: str | None = None, only: list[str] | None = None,
                variants: list[str] | None = None) -> dict[str, Any]:
    """Evaluate ``model_dir`` on every NLI set found under ``data_root``.

    With ``train_data`` (the training CSV) it also scores the holdout slice that selects
    models and the probes derived from it (``holdout``, ``holdout_negation``, ``holdout_attribution``).
    ``only`` restricts the run to the named sets (an unknown name is an :class:`~crosscheck.errors.InputError`, E329).
    An ONNX export (``onnx.json`` in ``model_dir``) is scored on onnxruntime, once per name in ``variants``
    (default: the export's default variant), under the keys ``{set}:{variant}``.
    """
    root = Path(data_root)
    sets = {
        "snli_test": lambda: load_snli(root / "snli"),
        "mnli_dev_matched": lambda: load_mnli(root / "mnli-dev", "matched"),
        "mnli_dev_mismatched": lambda: load_mnli(root / "mnli-dev", "mismatched"),
        "sick_test": lambda: load_sick(root / "sick"),
    }
    if train_data:
        # The selection slice of the training file (same split as a training run with default
        # settings) and the negation and attribution pairs derived from it.
        cfg = TrainConfig(data=train_data, out="")
        _, hold = load_pairs(cfg)
        sets = {"holdout": lambda: hold, "holdout_negation": lambda: negation_probe(hold, seed=cfg.seed),
                "holdout_attribution": lambda: attribution_probe(hold, seed=cfg.seed), **sets}
    if only:
        unknown = sorted(set(only) - set(sets))
        if unknown:
            raise InputError(Errors.E329.format(unknown=unknown, available=sorted(sets)))
        sets = {name: loader for name, loader in sets.items() if name in only}
    scorers = _scorers(model_dir, max_length, variants)
    out: dict[str, Any] = {}
    for name, loader in sets.items():
        df = loader()
        if limit:
            df = df.sample(n=min(limit, len(df)), random_state=0)
        for suffix, score in scorers.items():
            t0 = time.time()
            key = f"{name}:{suffix}" if suffix else name
            out[key] = score(df)
            out[key]["seconds"] = round(time.time() - t0, 2)
    return out


def _scorers(model_dir: str, max_length: int, variants: list[str] | None) -> dict[str, Any]:
    """One scoring function per model to score (``frame -> scores``), keyed by variant (``""`` for torch)."""
    if (Path(model_dir) / "onnx.json").exists():
        from crosscheck.inference import OnnxNLI

        names = variants or [""]

        def onnx_scorer(variant: str) -> Any:
            nli = OnnxNLI(model_path=model_dir, variant=variant or None, max_length=max_length, batch_size=128)

            def score(df: Any) -> dict[str, Any]:
                probs = nli.predict(list(zip(df.premise, df.hypothesis)))  # columns in LABELS order
                return classification_scores([LABELS.index(label) for label in df.label], probs.argmax(1).tolist())

            return score

        return {v or nli_default(model_dir): onnx_scorer(v) for v in names}
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, dtype=torch.float32).to(device)
    return {"": lambda df: evaluate(model, tok, df, max_length=max_length)}


def nli_default(model_dir: str) -> str:
    """The default variant of an ONNX export."""
    from crosscheck.inference import OnnxModel

    return str(OnnxModel(model_dir).manifest["default"])


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(prog="python -m crosscheck.training.nli_eval")
    p.add_argument("model_dir")
    p.add_argument("--data-root", default="../shared/data")
    p.add_argument("--limit", type=int)
    p.add_argument("--json")
    p.add_argument("--train-data", help="training CSV: also score its holdout slice and the negation and attribution probes")
    p.add_argument("--only", help="comma-separated set names to score, e.g. holdout,holdout_attribution")
    p.add_argument("--variant", help="ONNX export only: comma-separated variants to score in one run, e.g. int8,fp32")
    args = p.parse_args(argv)
    only = args.only.split(",") if args.only else None
    variants = args.variant.split(",") if args.variant else None
    scores = score_model(args.model_dir, args.data_root, limit=args.limit, train_data=args.train_data, only=only,
                         variants=variants)
    for name, s in scores.items():
        f1 = " ".join(f"{k[:4]}={v['f1']:.3f}" for k, v in s["per_class"].items())
        print(f"{name:27s} n={s['n']:5d} acc={s['accuracy']:.4f} {f1}")
    if args.json:
        Path(args.json).write_text(json.dumps(scores, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
