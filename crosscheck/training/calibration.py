"""Fit the finding calibration (:mod:`crosscheck.calibration`) on the real-news development benchmark.

    python -m crosscheck.training.calibration [--data benchmarks/news] [--out crosscheck/models/calibration]

Every event of the benchmark goes through the default pipeline; each finding whose pair carries a label (a gold
pair of the event, else a row of ``audit_labels.csv``) becomes one example: its :data:`~crosscheck.calibration.
CAL_FEATURES` and whether the finding's relation equals the label. Three L2-regularised logistic models (conflicts,
agreements, related) are fitted on standardised features by Newton's method.

The threshold is chosen out of fold: each event is held out in turn, the models are fitted on the others and score
it; ``min_probability`` is the lowest threshold at which the held-out conflicts shown are right at least
``--target-precision`` of the time (and agreements too), or, when none reaches it, the threshold of the best
conflict precision (see :func:`choose_threshold`). The out-of-fold precision and recall per relation at that threshold are written into the file's
``training`` card, with the counts; the shipped models are then fitted on every event.

The benchmark texts are needed (``benchmarks/news/rebuild.py``); only weights, counts and figures are written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.calibration import (
    CAL_FEATURES,
    CONFLICT_RELATIONS,
    GROUP_FEATURES,
    GROUP_OF,
    finding_features,
    group_probabilities,
)
from crosscheck.errors import DatasetError, Errors

GROUPS = ("conflict", "agree", "related")
THRESHOLDS = tuple(round(0.5 + 0.025 * i, 3) for i in range(19))  # 0.50 .. 0.95: a finding shown is more likely right than wrong


def collect(data: str | Path, *, cache: str | Path | None = None) -> list[dict[str, Any]]:
    """The labelled findings of every benchmark event (see the module docstring), judged without calibration.

    ``cache``: a pickle of the stage outputs (claims, candidates, NLI probabilities) per event, written on the first
    run and read on later ones, so that refitting after a judge change skips the models."""
    from crosscheck.eval.news import best_claim, finding_key, read_labels
    from crosscheck.eval.newsdata import load_benchmark
    from crosscheck.judge import RuleJudge
    from crosscheck.pipeline import Checker

    data = Path(data)
    labels = read_labels(data / "audit_labels.csv")
    judge = RuleJudge(calibration=None)
    stages_out: list[dict[str, Any]]
    if cache is not None and Path(cache).is_file():
        with open(cache, "rb") as fh:
            stages_out = pickle.load(fh)
    else:
        chk = Checker()
        st = chk.stages()
        stages_out = []
        for ev in load_benchmark(data):
            claims = chk.extract(ev.reports)
            cands = st["aligner"](claims, st["embedder"]([c.proposition for c in claims]))
            _, probs = judge.prepare(claims, cands)
            gold = []
            for g in ev.pairs:
                ca, cb = best_claim(claims, g.a), best_claim(claims, g.b)
                if ca is not None and cb is not None:
                    gold.append((frozenset((ca.id, cb.id)), g.relation))
            stages_out.append({"event": ev.name, "claims": claims, "cands": cands, "probs": probs, "gold": gold})
        if cache is not None:
            with open(cache, "wb") as fh:
                pickle.dump(stages_out, fh)
    rows = []
    for ev in stages_out:
        claims, gold = ev["claims"], dict(ev["gold"])
        for cand, p in zip(ev["cands"], ev["probs"]):
            a, b = judge._order(claims[cand.a], claims[cand.b])
            f = judge.judge_pair(a, b, cand.similarity, p)
            label = gold.get(frozenset((a.id, b.id))) or labels.get(finding_key(ev["event"], a, b), {}).get("label")
            if label:
                rows.append({"event": ev["event"], "relation": f.relation, "kind": f.kind, "label": label,
                             "y": int(label == f.relation), "x": finding_features(a, b, cand.similarity, p, f)})
    if not rows:
        raise DatasetError(Errors.E086.format(data=data))
    return rows


def fit_logistic(x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, iterations: int = 50
                 ) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    """L2-regularised logistic regression on standardised ``x`` by Newton's method (the bias is not penalised).
    Returns ``(weights, bias, mean, scale)``: ``p = sigmoid(((x - mean) / scale) @ weights + bias)``."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1]), mean, scale


def fit_groups(rows: Sequence[dict[str, Any]], *, l2: float) -> dict[str, tuple[np.ndarray, float, np.ndarray, np.ndarray]]:
    """One logistic model per group of relations (a group without both outcomes gets its base rate)."""
    out = {}
    for g in GROUPS:
        sub = [r for r in rows if GROUP_OF[r["relation"]] == g]
        y = np.array([r["y"] for r in sub], dtype=np.float64)
        if len(sub) == 0 or y.min() == y.max():
            rate = float(np.clip(y.mean() if len(sub) else 0.5, 0.01, 0.99))
            n = len(CAL_FEATURES)
            out[g] = (np.zeros(n), float(np.log(rate / (1 - rate))), np.zeros(n), np.ones(n))
        else:
            cols = [CAL_FEATURES.index(f) for f in GROUP_FEATURES[g]]
            w, b, mean, scale = fit_logistic(np.stack([r["x"][cols] for r in sub]), y, l2=l2)
            full = [np.zeros(len(CAL_FEATURES)), np.zeros(len(CAL_FEATURES)), np.ones(len(CAL_FEATURES))]
            for part, values in zip(full, (w, mean, scale)):
                part[cols] = values
            out[g] = (full[0], b, full[1], full[2])
    return out


def predict(models: dict[str, Any], rows: Sequence[dict[str, Any]]) -> np.ndarray:
    """The probability of each row under ``models`` (as :meth:`crosscheck.calibration.Calibrator.probabilities`)."""
    return group_probabilities(models, [r["x"] for r in rows], [r["relation"] for r in rows])


def shown_figures(rows: Sequence[dict[str, Any]], probs: np.ndarray, threshold: float) -> dict[str, Any]:
    """Per shown relation (conflicts and agree): findings shown at ``threshold``, their precision, the labelled
    findings of that relation before the threshold, and the recall of right ones kept."""
    out: dict[str, Any] = {}
    for rel in (*CONFLICT_RELATIONS, "agree"):
        idx = [i for i, r in enumerate(rows) if r["relation"] == rel]
        kept = [i for i in idx if probs[i] >= threshold]
        right = sum(rows[i]["y"] for i in idx)
        right_kept = sum(rows[i]["y"] for i in kept)
        out[rel] = {"labelled": len(idx), "right": right, "shown": len(kept),
                    "precision": round(right_kept / len(kept), 3) if kept else None,
                    "kept_of_right": round(right_kept / right, 3) if right else None}
    conf = [i for i, r in enumerate(rows) if r["relation"] in CONFLICT_RELATIONS and probs[i] >= threshold]
    out["conflicts"] = {"shown": len(conf),
                        "precision": round(sum(rows[i]["y"] for i in conf) / len(conf), 3) if conf else None}
    return out


def choose_threshold(rows: Sequence[dict[str, Any]], probs: np.ndarray, target: float, *, min_shown: int = 10
                     ) -> float:
    """The lowest of :data:`THRESHOLDS` at which shown conflicts and shown agreements both reach ``target``
    precision out of fold, each showing at least ``min_shown`` findings; failing that, the lowest threshold of the
    best conflict precision among those showing ``min_shown`` conflicts (the highest threshold if none does)."""
    best, best_prec = THRESHOLDS[-1], -1.0
    for t in THRESHOLDS:
        fig = shown_figures(rows, probs, t)
        conf, agree = fig["conflicts"], fig["agree"]
        if conf["shown"] < min_shown:
            continue
        if conf["precision"] >= target and agree["shown"] >= min_shown and agree["precision"] >= target:
            return t
        if conf["precision"] > best_prec:
            best, best_prec = t, conf["precision"]
    return best


def out_of_fold(rows: Sequence[dict[str, Any]], *, l2: float) -> np.ndarray:
    """Each event's probabilities from models fitted on the other events."""
    probs = np.zeros(len(rows))
    for ev in sorted({r["event"] for r in rows}):
        train = [r for r in rows if r["event"] != ev]
        test = [i for i, r in enumerate(rows) if r["event"] == ev]
        probs[test] = predict(fit_groups(train, l2=l2), [rows[i] for i in test])
    return probs


def save_calibration(path: str | Path, models: dict[str, Any], min_probability: float, card: dict[str, Any]) -> Path:
    """Write a calibration file that :class:`crosscheck.calibration.Calibrator` reads."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    groups = {g: {"weights": [round(float(v), 6) for v in w], "bias": round(float(b), 6),
                  "mean": [round(float(v), 6) for v in m], "scale": [round(float(v), 6) for v in s]}
              for g, (w, b, m, s) in models.items()}
    doc = {"features": list(CAL_FEATURES), "groups": groups, "min_probability": min_probability, "training": card}
    path.write_text(json.dumps(doc, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="benchmarks/news")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "models" / "calibration"))
    ap.add_argument("--target-precision", type=float, default=0.85)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--cache", default=None, help="pickle of the stage outputs, reused when present")
    args = ap.parse_args(argv)
    rows = collect(args.data, cache=args.cache)
    oof = out_of_fold(rows, l2=args.l2)
    threshold = choose_threshold(rows, oof, args.target_precision)
    models = fit_groups(rows, l2=args.l2)
    card = {
        "fitted": dt.date.today().isoformat(), "data": "real-news development benchmark (benchmarks/news)",
        "events": sorted({r["event"] for r in rows}), "examples": len(rows),
        "examples_per_relation": dict(Counter(r["relation"] for r in rows)),
        "right_per_relation": dict(Counter(r["relation"] for r in rows if r["y"])),
        "l2": args.l2, "target_precision": args.target_precision,
        "out_of_fold_at_threshold": shown_figures(rows, oof, threshold),
        "in_sample_at_threshold": shown_figures(rows, predict(models, rows), threshold),
    }
    path = save_calibration(Path(args.out) / "calibration.json", models, threshold, card)
    print(json.dumps({"min_probability": threshold, **card}, indent=1))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
