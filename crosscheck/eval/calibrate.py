"""Fit the stance and alignment thresholds on training/dev splits only, and write a profile.

    python -m crosscheck.eval.calibrate --data ../shared/data --limit 1500 --out crosscheck/profiles/default.json

* stance thresholds: grid search maximising the FNC score (tie-break macro-F1) on a
  deterministic sample of FNC-1 **train** and ARC **train**;
* alignment ``min_similarity``: the cosine threshold that best separates STS-B **dev** pairs
  with gold score >= 3 ("roughly equivalent") from the rest (best F1).
Test splits are never read.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.eval import datasets
from crosscheck.eval.metrics import FNC_LABELS, classification, fnc_score
from crosscheck.eval.runner import _sample, stance_predictions
from crosscheck.pipeline import load_profile
from crosscheck.stances import decide


def fit_stance(feats: list[Any], gold: list[str]) -> tuple[dict[str, float], dict[str, Any]]:
    """Grid search of the three stance thresholds."""
    best: tuple[Any, ...] | None = None
    for u, a, d in itertools.product(np.arange(0.25, 0.61, 0.025), np.arange(0.2, 0.96, 0.05), np.arange(0.3, 0.99, 0.05)):
        th = {"unrelated_similarity": round(float(u), 3), "agree_threshold": round(float(a), 3),
              "disagree_threshold": round(float(d), 3)}
        pred = [decide(f, th)[0] for f in feats]
        raw, mx = fnc_score(gold, pred)
        f1 = classification(gold, pred, FNC_LABELS)["macro_f1"]
        key = (raw / mx + 0.5 * f1, th)
        if best is None or key[0] > best[0]:
            best = key
    assert best is not None
    th = best[1]
    pred = [decide(f, th)[0] for f in feats]
    raw, mx = fnc_score(gold, pred)
    return th, {"fnc_relative": round(100 * raw / mx, 2), **{k: v for k, v in classification(gold, pred, FNC_LABELS).items()
                                                             if k in ("macro_f1", "accuracy")}}


def fit_alignment(root: Path) -> tuple[float, dict[str, Any]]:
    """Similarity threshold with the best F1 for 'roughly equivalent' STS-B dev pairs."""
    from crosscheck.pipeline import default_checker

    df = datasets.load_stsb(root, "dev")
    emb = default_checker().stages()["embedder"]
    cos = (emb(list(df.sentence1)) * emb(list(df.sentence2))).sum(axis=1)
    gold = df.score.to_numpy() >= 3.0
    best = (0.0, 0.5)
    for t in np.arange(0.3, 0.9, 0.01):
        pred = cos >= t
        tp, fp, fn = (pred & gold).sum(), (pred & ~gold).sum(), (~pred & gold).sum()
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[0]:
            best = (float(f1), round(float(t), 2))
    return best[1], {"f1": round(best[0], 4), "n": len(df)}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(prog="python -m crosscheck.eval.calibrate")
    p.add_argument("--data", default="../shared/data", help="folder holding fnc-1/, arc/, sts-b/")
    p.add_argument("--limit", type=int, default=1500, help="pairs sampled from each training split")
    p.add_argument("--out", default=None, help="profile to write (default: print only)")
    args = p.parse_args(argv)
    root = Path(args.data)
    frames = []
    for name in ("fnc-1", "arc"):
        if (root / name).exists():
            frames.append(_sample(datasets.load_fnc(root / name, "train"), args.limit))
    import pandas as pd

    train = pd.concat(frames, ignore_index=True)
    feats = stance_predictions(train, progress=True)
    gold = list(train.stance)
    before = load_profile("default")
    old_th = before.get("stance", {})
    old_pred = [decide(f, old_th)[0] for f in feats]
    raw, mx = fnc_score(gold, old_pred)
    stance_th, fitted = fit_stance(feats, gold)
    align_t, align_fit = fit_alignment(root / "sts-b")
    profile = copy.deepcopy(before)
    profile["version"] = dt.date.today().strftime("%Y.%m.%d")
    profile["description"] = (f"Stance thresholds fitted on {len(train)} FNC-1+ARC train pairs (python -m "
                              "crosscheck.eval.calibrate); aligner fitted on the real-news development benchmark "
                              "(python benchmarks/news_alignment.py).")
    profile["stance"] = stance_th
    # the aligner is fitted on real news (benchmarks/news_alignment.py); the STS-B threshold stays a regression figure
    align_fit = {**align_fit, "threshold": align_t}
    profile["calibration"] = {
        "train_pairs": len(train), "limit_per_split": args.limit,
        "stance_before": {"fnc_relative": round(100 * raw / mx, 2),
                          "macro_f1": classification(gold, old_pred, FNC_LABELS)["macro_f1"]},
        "stance_after": fitted, "alignment_stsb_dev": align_fit,
    }
    text = json.dumps(profile, indent=2) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
