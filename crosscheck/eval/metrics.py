"""Metrics: the official FNC-1 weighted score, macro-F1, per-class scores, confusion, correlations, Cohen's kappa.

>>> fnc_score(["agree", "unrelated"], ["agree", "unrelated"])
(1.25, 1.25)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float]:
    """(raw, max): 0.25 for related/unrelated right, +0.75 for the exact related class."""
    raw = best = 0.0
    for g, p in zip(gold, pred, strict=True):
        if g == "unrelated":
            best += 0.25
            raw += 0.25 if p == "unrelated" else 0.0
        else:
            best += 1.0
            if p != "unrelated":
                raw += 0.25 + (0.75 if p == g else 0.0)
    return raw, best


def per_class(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support per label."""
    out = {}
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        out[lab] = {"precision": round(prec, 4), "recall": round(rec, 4),
                    "f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0, "support": tp + fn}
    return out


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, dict[str, int]]:
    """``confusion[gold][pred]`` counts."""
    table = {g: {p: 0 for p in labels} for g in labels}
    for g, p in zip(gold, pred):
        if g in table and p in table[g]:
            table[g][p] += 1
    return table


def classification(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class scores and confusion."""
    pc = per_class(gold, pred, labels)
    n = len(gold)
    return {"accuracy": round(sum(g == p for g, p in zip(gold, pred)) / n, 4) if n else 0.0,
            "macro_f1": round(sum(v["f1"] for v in pc.values()) / len(labels), 4),
            "per_class": pc, "confusion": confusion(gold, pred, labels)}


def correlations(x: Sequence[float], y: Sequence[float]) -> dict[str, float]:
    """Pearson and Spearman correlation."""
    from scipy.stats import pearsonr, spearmanr

    return {"pearson": round(float(pearsonr(x, y)[0]), 4), "spearman": round(float(spearmanr(x, y)[0]), 4)}


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two label lists.

    >>> cohen_kappa(["x", "y", "x"], ["x", "y", "x"])
    1.0
    """
    n = len(a)
    if n == 0:
        return 0.0
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return round((observed - expected) / (1 - expected), 4) if expected < 1 else 1.0
