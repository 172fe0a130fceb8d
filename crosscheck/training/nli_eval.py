"""Score an NLI cross-encoder directory on SNLI test, MultiNLI dev and SICK test.

    python -m crosscheck.training.nli_eval MODEL_DIR --data-root ../shared/data --json scores.json

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
from crosscheck.training.nli import TrainConfig, attribution_probe, evaluate, load_pairs, negation_probe


def score_model(model_dir: str, data_root: str, *, limit: int | None = None, max_length: int = 128,
                train_data: str | None = None, only: list[str] | None = None) -> dict[str, Any]:
    """Evaluate ``model_dir`` on every NLI set found under ``data_root``.

    With ``train_data`` (the training CSV) it also scores the holdout slice that selects
    models and the probes derived from it (``holdout``, ``holdout_negation``, ``holdout_attribution``).
    ``only`` restricts the run to the named sets (an unknown name is an :class:`~crosscheck.errors.InputError`, E329).
    """
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

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
    device = "cuda" if torch.cuda.is_available() else "cpu"
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, dtype=torch.float32).to(device)
    out: dict[str, Any] = {}
    for name, loader in sets.items():
        df = loader()
        if limit:
            df = df.sample(n=min(limit, len(df)), random_state=0)
        t0 = time.time()
        out[name] = evaluate(model, tok, df, max_length=max_length)
        out[name]["seconds"] = round(time.time() - t0, 2)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(prog="python -m crosscheck.training.nli_eval")
    p.add_argument("model_dir")
    p.add_argument("--data-root", default="../shared/data")
    p.add_argument("--limit", type=int)
    p.add_argument("--json")
    p.add_argument("--train-data", help="training CSV: also score its holdout slice and the negation and attribution probes")
    p.add_argument("--only", help="comma-separated set names to score, e.g. holdout,holdout_attribution")
    args = p.parse_args(argv)
    only = args.only.split(",") if args.only else None
    scores = score_model(args.model_dir, args.data_root, limit=args.limit, train_data=args.train_data, only=only)
    for name, s in scores.items():
        f1 = " ".join(f"{k[:4]}={v['f1']:.3f}" for k, v in s["per_class"].items())
        print(f"{name:22s} n={s['n']:5d} acc={s['accuracy']:.4f} {f1}")
    if args.json:
        Path(args.json).write_text(json.dumps(scores, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
