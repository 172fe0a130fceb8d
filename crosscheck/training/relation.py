"""Train the relation model (:mod:`crosscheck.relation`) on the news claim pairs written in our own words.

    python -m crosscheck.training.relation [--pairs crosscheck/training/news_pairs] [--out runs/relation]

Each authored pair (``news_pairs/*.jsonl.gz``, see its ``check.py`` and docs/relation-model.md) becomes two one-sentence
reports that go through the real pipeline: the default segmenter and extractor, the MiniLM embedder, the bundled
NLI model (run where the default judge would run it: similarity at or above ``nli_min_similarity``) and the rule
judge. Their features (:data:`crosscheck.relation.FEATURES`) and the authored relation train a one-hidden-layer
network (torch, fixed seeds, class-balanced loss); the softmax temperature is then fitted on the validation split
(events the training never saw). Accuracy per relation and per pattern on that split is printed and stored in the
model's ``meta``; the model is ``DIR/relation.npz`` (load it with :class:`crosscheck.relation.RelationModel`).
Features are cached in ``DIR/features.npz`` keyed by the pairs' hash, so a re-run that changes only the network is
quick.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.align import Candidate
from crosscheck.data import Claim, Report
from crosscheck.relation import FEATURES, RELATION_ORDER, rule_findings_and_features

PAIRS = Path(__file__).resolve().parent / "news_pairs"


def load_pairs(folder: str | Path = PAIRS) -> list[dict[str, Any]]:
    """Every authored pair of ``folder/*.jsonl.gz``, in file and line order."""
    rows = []
    for path in sorted(Path(folder).glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh if line.strip()]
    return rows


def _claim(report: Report, segmenter: Any, extractor: Any) -> Claim | None:
    """The longest claim of a one-sentence report (a headline and its story sentence are written as one)."""
    claims = extractor(report, segmenter(report))
    body = [c for c in claims if c.text.strip()]
    return max(body, key=lambda c: len(c.text)) if body else None


def featurize(rows: list[dict[str, Any]]) -> tuple[np.ndarray, list[int]]:
    """Features of each row (pipeline run as described in the module docstring) and the indices of the rows kept
    (a row is dropped only when a side yields no claim)."""
    from crosscheck.judge import RuleJudge
    from crosscheck.pipeline import Checker

    stages = Checker().stages()
    emb, judge = stages["embedder"], RuleJudge()
    pairs, keep = [], []
    for i, r in enumerate(rows):
        side = []
        for tag in ("a", "b"):
            part = r[tag]
            rep = Report(f"{r['id']}-{tag}", part["text"], source=part["source"],
                         published=dt.datetime.fromisoformat(part["published"]))
            side.append(_claim(rep, stages["segmenter"], stages["extractor"]))
        if side[0] is not None and side[1] is not None:
            pairs.append((side[0], side[1]))
            keep.append(i)
    # the pairs as one run of claims, each candidate a pair: the judge's own ordering and NLI selection apply
    claims = [c for pair in pairs for c in pair]
    vectors = emb([c.proposition for c in claims])
    cands = [Candidate(2 * k, 2 * k + 1, float(vectors[2 * k] @ vectors[2 * k + 1])) for k in range(len(pairs))]
    ordered, probs = judge.prepare(claims, cands)
    _, feats = rule_findings_and_features(ordered, [c.similarity for c in cands], probs, judge)
    return feats, keep


def train_network(x: np.ndarray, y: np.ndarray, *, hidden: int = 32, epochs: int = 400, weight_decay: float = 1e-3,
                  seed: int = 0) -> dict[str, np.ndarray]:
    """A one-hidden-layer network, full-batch Adam on class-balanced cross-entropy; returns its weights."""
    import torch

    torch.manual_seed(seed)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    xt = torch.tensor((x - mean) / scale, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.long)
    counts = np.bincount(y, minlength=len(RELATION_ORDER)).astype(np.float32)
    weight = torch.tensor(counts.sum() / (len(counts) * np.maximum(counts, 1)), dtype=torch.float32)
    net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(),
                              torch.nn.Linear(hidden, len(RELATION_ORDER)))
    opt = torch.optim.Adam(net.parameters(), lr=1e-2, weight_decay=weight_decay)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weight)
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(net(xt), yt)
        loss.backward()
        opt.step()
    l1, l2 = net[0], net[2]
    return {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32),
            "w1": l1.weight.detach().numpy().T.copy(), "b1": l1.bias.detach().numpy().copy(),
            "w2": l2.weight.detach().numpy().T.copy(), "b2": l2.bias.detach().numpy().copy()}


def save_model(path: str | Path, weights: dict[str, np.ndarray], temperature: float, meta: dict[str, Any]) -> Path:
    """Write a model file :class:`crosscheck.relation.RelationModel` loads."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **{k: v.astype(np.float32) for k, v in weights.items()},
                        temperature=np.float32(temperature), meta=json.dumps({"features": list(FEATURES), **meta}))
    return path


def logits(w: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    h = np.maximum(0.0, ((x - w["mean"]) / w["scale"]) @ w["w1"] + w["b1"])
    return h @ w["w2"] + w["b2"]


def fit_temperature(z: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature with the least negative log-likelihood on ``(z, y)`` (a grid; calibration)."""
    best, best_t = np.inf, 1.0
    for t in np.exp(np.linspace(np.log(0.25), np.log(8.0), 60)):
        s = z / t
        s = s - s.max(axis=1, keepdims=True)
        nll = float(-(s[np.arange(len(y)), y] - np.log(np.exp(s).sum(axis=1))).mean())
        if nll < best:
            best, best_t = nll, float(t)
    return best_t


def report(y: np.ndarray, pred: np.ndarray, groups: list[str]) -> dict[str, Any]:
    """Accuracy overall, per gold relation and per group (pattern)."""
    out: dict[str, Any] = {"accuracy": round(float((y == pred).mean()), 4), "n": int(len(y))}
    out["per_relation"] = {r: round(float((pred[y == i] == i).mean()), 3) if (y == i).any() else None
                           for i, r in enumerate(RELATION_ORDER)}
    by: dict[str, list[bool]] = defaultdict(list)
    for g, ok in zip(groups, y == pred):
        by[g].append(bool(ok))
    out["per_pattern"] = {g: [round(sum(v) / len(v), 3), len(v)] for g, v in sorted(by.items())}
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m crosscheck.training.relation")
    p.add_argument("--pairs", default=str(PAIRS))
    p.add_argument("--out", default="runs/relation")
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--epochs", type=int, default=400)
    p.add_argument("--weight-decay", type=float, default=1e-3)
    args = p.parse_args(argv)
    random.seed(0)
    np.random.seed(0)
    rows = load_pairs(args.pairs)
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode() + "|".join(FEATURES).encode()).hexdigest()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cache = out / "features.npz"
    if cache.exists() and str(np.load(cache)["digest"]) == digest:
        z = np.load(cache)
        x, keep = z["x"], list(z["keep"])
    else:
        x, keep = featurize(rows)
        np.savez_compressed(cache, x=x, keep=np.asarray(keep), digest=digest)
    kept = [rows[i] for i in keep]
    y = np.asarray([RELATION_ORDER.index(r["relation"]) for r in kept])
    val = np.asarray([r["split"] == "validation" for r in kept])
    print(f"{len(rows)} pairs, {len(kept)} with a claim on both sides; train {int((~val).sum())}, "
          f"validation {int(val.sum())}; relations {dict(Counter(r['relation'] for r in kept))}")
    w = train_network(x[~val], y[~val], hidden=args.hidden, epochs=args.epochs, weight_decay=args.weight_decay)
    zval = logits(w, x[val])
    temperature = fit_temperature(zval, y[val])
    groups = [r["pattern"] for r in kept]
    val_groups = [g for g, v in zip(groups, val) if v]
    val_report = report(y[val], zval.argmax(axis=1), val_groups)
    train_report = report(y[~val], logits(w, x[~val]).argmax(axis=1), [g for g, v in zip(groups, val) if not v])
    rules = np.asarray([RELATION_ORDER[int(np.argmax(f[FEATURES.index("rule_agree"):FEATURES.index("rule_agree") + 5]))]
                        for f in x[val]])
    rule_acc = float((rules == np.asarray([RELATION_ORDER[i] for i in y[val]])).mean())
    print("train:", json.dumps({k: v for k, v in train_report.items() if k != "per_pattern"}))
    print("validation:", json.dumps(val_report))
    print(f"validation accuracy of the rules alone: {rule_acc:.4f}; temperature {temperature:.3f}")
    meta = {"features": list(FEATURES), "relations": list(RELATION_ORDER), "hidden": args.hidden,
            "epochs": args.epochs, "weight_decay": args.weight_decay, "pairs_sha256": digest,
            "n_train": int((~val).sum()), "n_validation": int(val.sum()), "validation": val_report,
            "validation_rules_accuracy": round(rule_acc, 4), "temperature": temperature}
    target = save_model(out / "relation.npz", w, temperature, meta)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
