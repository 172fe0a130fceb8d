"""Run crosscheck on a public benchmark and compute its metrics (``crosscheck eval``).

Every result dict has the keys ``dataset, split, n, seconds`` plus the set's metrics.
``limit`` draws a deterministic sample (``random_state=0``).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from crosscheck.errors import DatasetError, Errors
from crosscheck.eval import datasets
from crosscheck.eval.metrics import FNC_LABELS, classification, correlations, fnc_score

NLI_ORDER = ("entailment", "neutral", "contradiction")


def _sample(df: Any, limit: int | None) -> Any:
    if limit and limit < len(df):
        return df.sample(n=limit, random_state=0).reset_index(drop=True)
    return df


def _progress(iterable: Any, enabled: bool, total: int, desc: str) -> Any:
    if not enabled:
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, total=total, desc=desc, unit="batch")


def stance_predictions(df: Any, *, batch: int = 256, progress: bool = False, detector: Any = None) -> list[Any]:
    """Stance features for every (headline, body) row, batched, with a progress bar."""
    from crosscheck.data import Report
    from crosscheck.stances import StanceDetector

    det = detector or StanceDetector()
    feats = []
    chunks = range(0, len(df), batch)
    for start in _progress(chunks, progress, len(chunks), "stance"):
        part = df.iloc[start:start + batch]
        pairs = [(h, Report(f"body-{b}", t)) for h, b, t in zip(part.headline, part.body_id, part.body)]
        feats.extend(det.features_many(pairs))
    return feats


def eval_stance(df: Any, dataset: str, split: str, *, progress: bool = False, thresholds: dict | None = None) -> dict[str, Any]:
    """FNC-1 / ARC metrics of :func:`crosscheck.stance` on ``df``."""
    from crosscheck.stances import StanceDetector, decide

    det = StanceDetector()
    t0 = time.perf_counter()
    feats = stance_predictions(df, progress=progress, detector=det)
    if thresholds is not None:
        pred = [decide(f, thresholds)[0] for f in feats]
    else:
        pred = [label for label, _ in det.decide_many(feats)]
    gold = list(df.stance)
    raw, best = fnc_score(gold, pred)
    out = {"dataset": dataset, "split": split, "n": len(df), "seconds": round(time.perf_counter() - t0, 2),
           "fnc_score": round(raw, 2), "fnc_max": round(best, 2), "fnc_relative": round(100 * raw / best, 2) if best else 0.0}
    out.update(classification(gold, pred, FNC_LABELS))
    return out


def eval_nli(df: Any, dataset: str, split: str, *, progress: bool = False) -> dict[str, Any]:
    """Accuracy of the judge's NLI model on premise/hypothesis pairs."""
    from crosscheck.judge import NLI_LABELS
    from crosscheck.pipeline import default_checker

    model = default_checker().stages()["judge"].nli_model  # the pipeline's own model, loaded once
    t0 = time.perf_counter()
    pairs = list(zip(df.premise, df.hypothesis))
    probs = []
    step = 512
    for i in _progress(range(0, len(pairs), step), progress, (len(pairs) + step - 1) // step, dataset):
        probs.append(model.predict(pairs[i:i + step]))
    import numpy as np

    p = np.concatenate(probs) if probs else np.zeros((0, 3))
    pred = [NLI_LABELS[int(k)] for k in p.argmax(axis=1)]
    out = {"dataset": dataset, "split": split, "n": len(df), "seconds": round(time.perf_counter() - t0, 2)}
    cls = classification(list(df.label), pred, NLI_ORDER)
    out.update({k: cls[k] for k in ("accuracy", "per_class", "confusion", "macro_f1")})
    return out


def eval_similarity(df: Any, a: str, b: str, gold: str, dataset: str, split: str) -> dict[str, Any]:
    """Correlation of the embedder's cosine with a gold similarity score."""
    from crosscheck.pipeline import default_checker

    emb = default_checker().stages()["embedder"]  # shared with the pipeline: one load, one cache
    t0 = time.perf_counter()
    va, vb = emb(list(df[a])), emb(list(df[b]))
    cos = (va * vb).sum(axis=1)
    out = {"dataset": dataset, "split": split, "n": len(df), "seconds": round(time.perf_counter() - t0, 2)}
    out.update(correlations(cos.tolist(), list(df[gold])))
    return out


def run_eval(dataset: str, data: str | Path, *, split: str | None = None, limit: int | None = None,
             progress: bool = True) -> dict[str, Any]:
    """Evaluate on ``dataset`` (fnc1, arc, snli, mnli, sick, stsb, polnear, basil, ecb, news) read from ``data``."""
    root = Path(data)
    if not root.exists():
        raise DatasetError(Errors.E200.format(path=root))
    if dataset in ("fnc1", "arc"):
        split = split or "test"
        return eval_stance(_sample(datasets.load_fnc(root, split), limit), dataset, split, progress=progress)
    if dataset == "snli":
        split = split or "test"
        return eval_nli(_sample(datasets.load_snli(root, split), limit), dataset, split, progress=progress)
    if dataset == "mnli":
        split = split or "matched"
        return eval_nli(_sample(datasets.load_mnli(root, split), limit), dataset, split, progress=progress)
    if dataset == "sick":
        split = split or "test"
        df = _sample(datasets.load_sick(root, split), limit)
        out = eval_nli(df, dataset, split, progress=progress)
        sim = eval_similarity(df, "premise", "hypothesis", "relatedness", dataset, split)
        out.update(pearson=sim["pearson"], spearman=sim["spearman"], seconds=round(out["seconds"] + sim["seconds"], 2))
        return out
    if dataset == "stsb":
        split = split or "test"
        return eval_similarity(_sample(datasets.load_stsb(root, split), limit), "sentence1", "sentence2", "score",
                               dataset, split)
    if dataset == "polnear":
        from crosscheck.eval.polnear import eval_polnear

        return eval_polnear(root, split=split or "test", limit=limit)
    if dataset == "basil":
        from crosscheck.eval.basil import eval_basil

        return eval_basil(root, limit=limit)
    if dataset == "ecb":
        from crosscheck.eval.ecb import eval_ecb

        return eval_ecb(root)
    if dataset == "news":
        from crosscheck.eval.news import eval_news

        return eval_news(root, progress=progress)
    raise DatasetError(Errors.E203.format(dataset=dataset))


def format_metrics(m: dict[str, Any]) -> str:
    """Short human-readable summary of a metrics dict."""
    if m["dataset"] == "news":
        from crosscheck.eval.news import format_news

        return format_news(m)
    lines = [f"{m['dataset']} ({m['split']}, n={m['n']}, {m['seconds']}s)"]
    for group in ("source_span", "content", "clustering", "alignment"):
        for key, val in m.get(group, {}).items():
            lines.append(f"  {group}.{key}: {val}")
    for key in ("fnc_score", "fnc_max", "fnc_relative", "macro_f1", "accuracy", "pearson", "spearman", "threshold",
                "dev_f1", "test", "test_at_default"):
        if key in m:
            lines.append(f"  {key}: {m[key]}")
    if "per_class" in m:
        for lab, v in m["per_class"].items():
            lines.append(f"  {lab:13s} P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f} n={v['support']}")
    return "\n".join(lines)
