"""Fit and measure alignment on the real-news development benchmark (extraction and embedding only, no judge).

For the old top-k aligner and a grid of :class:`crosscheck.align.HybridAligner` settings it prints the share of gold
pairs aligned, the judged pairs per claim, and the pairs per claim that reach the NLI model (the default judge's
:meth:`~crosscheck.judge.RuleJudge.nli_selection`), per event and pooled; then the pairs per claim at growing numbers of reports
(first N reports of each event, by publication time) for the chosen setting. ``--write`` stores the best setting
whose pairs per claim stay within ``--budget`` in the bundled default profile.

    python benchmarks/news_alignment.py [--data benchmarks/news] [--budget 32] [--write]

Needs the rebuilt texts (benchmarks/news/README.md).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

from crosscheck.align import HybridAligner, TopKAligner
from crosscheck.embed import MiniLMEmbedder
from crosscheck.eval.news import best_claim
from crosscheck.eval.newsdata import load_benchmark
from crosscheck.extract import RuleExtractor
from crosscheck.judge import RuleJudge
from crosscheck.pipeline import extract_claims
from crosscheck.segment import RuleSegmenter

PROFILE = Path(__file__).resolve().parents[1] / "crosscheck" / "profiles" / "default.json"
GRID = {"min_similarity": (0.5, 0.55), "key_similarity": (0.25, 0.3), "max_key_share": (0.05, 0.08),
        "question_k": (0, 16, 32, 48, 64), "question_similarity": (0.1, 0.2)}


def prepare(data: str) -> list[tuple[str, list, np.ndarray, list[tuple[int, int]], list]]:
    """Claims, embeddings and gold pairs (as claim index pairs) of each event."""
    embedder = MiniLMEmbedder()
    out = []
    for ev in load_benchmark(data):
        claims = extract_claims(ev.reports, RuleSegmenter(), RuleExtractor())
        vectors = embedder([c.proposition for c in claims])
        index = {c.id: i for i, c in enumerate(claims)}
        gold = []
        for g in ev.pairs:
            ca, cb = best_claim(claims, g.a), best_claim(claims, g.b)
            if ca is not None and cb is not None:
                i, j = index[ca.id], index[cb.id]
                gold.append((min(i, j), max(i, j)))
        out.append((ev.name, claims, vectors, gold, ev.reports))
    return out


def measure(events: list, aligner: object, judge: RuleJudge) -> dict[str, dict[str, float]]:
    """aligned, pairs per claim and NLI pairs per claim, per event and pooled."""
    rows: dict[str, dict[str, float]] = {}
    tot, n_claims = np.zeros(4), 0
    for name, claims, vectors, gold, _ in events:
        cands = aligner(claims, vectors)  # type: ignore[operator]
        found = {(c.a, c.b) for c in cands}
        hit = sum(g in found for g in gold)
        nli = len(judge.nli_selection(cands))
        rows[name] = {"aligned": hit / max(1, len(gold)), "pairs_per_claim": len(cands) / len(claims),
                      "nli_pairs_per_claim": nli / len(claims)}
        tot += (hit, len(gold), len(cands), nli)
        n_claims += len(claims)
    rows["pooled"] = {"aligned": tot[0] / tot[1], "pairs_per_claim": tot[2] / n_claims,
                      "nli_pairs_per_claim": tot[3] / n_claims}
    return {k: {m: round(float(v), 3) for m, v in r.items()} for k, r in rows.items()}


def growth(events: list, aligner: object, judge: RuleJudge,
           sizes: tuple[int, ...] = (5, 10, 20, 28)) -> dict[int, tuple[float, float]]:
    """Judged and NLI pairs per claim when only the first N reports of each event (by publication time) are
    checked."""
    out = {}
    for n in sizes:
        pairs = nli = claims_n = 0
        for _, claims, vectors, _, reports in events:
            keep = {r.id for r in sorted(reports, key=lambda r: (r.published is None, r.published or 0))[:n]}
            idx = [i for i, c in enumerate(claims) if c.report_id in keep]
            cands = aligner([claims[i] for i in idx], vectors[idx])  # type: ignore[operator]
            pairs += len(cands)
            nli += len(judge.nli_selection(cands))
            claims_n += len(idx)
        out[n] = (round(pairs / max(1, claims_n), 2), round(nli / max(1, claims_n), 2))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python benchmarks/news_alignment.py")
    p.add_argument("--data", default="benchmarks/news")
    p.add_argument("--budget", type=float, default=32.0, help="most judged pairs per claim for the chosen setting")
    p.add_argument("--write", action="store_true", help="store the chosen setting in the default profile")
    args = p.parse_args(argv)
    events = prepare(args.data)
    judge = RuleJudge(nli=None)
    base = measure(events, TopKAligner(k=8, min_similarity=0.61, entity_similarity=0.3), RuleJudge(nli=None, nli_top_k=None))
    print("top-k (k=8, 0.61 / 0.3 with a shared name):", json.dumps(base["pooled"]))
    results = []
    for values in itertools.product(*GRID.values()):
        params = dict(zip(GRID, values))
        m = measure(events, HybridAligner(**params), judge)
        results.append((params, m))
        print("hybrid", json.dumps(params), json.dumps(m["pooled"]))
    fits = [r for r in results if r[1]["pooled"]["pairs_per_claim"] <= args.budget]
    if not fits:
        print(f"no setting within {args.budget} pairs per claim", file=sys.stderr)
        return 1
    params, m = max(fits, key=lambda r: (r[1]["pooled"]["aligned"], -r[1]["pooled"]["pairs_per_claim"]))
    print("chosen:", json.dumps(params))
    for name, row in m.items():
        print(f"  {name:22s} {json.dumps(row)}")
    print("(judged, NLI) pairs per claim by reports per event:",
          json.dumps(growth(events, HybridAligner(**params), judge)))
    if args.write:
        profile = json.loads(PROFILE.read_text())
        profile["aligner"].update(params)
        PROFILE.write_text(json.dumps(profile, indent=2) + "\n")
        print(f"wrote {PROFILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
