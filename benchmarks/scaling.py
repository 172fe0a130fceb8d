"""Speed and scaling of ``check()`` against judging every cross-report sentence pair.

    python benchmarks/scaling.py --data ../shared/data/fnc-1 --sizes 10 30 100 300 --naive-budget 600

Reports are FNC-1 training bodies, grouped so that reports share events (bodies that share
a headline are taken together). For each N: wall time, claims/s, judged pairs and peak
memory (tracemalloc, Python objects) of ``check()``; and, in the same run, the naive
approach (same judge on every cross-report claim pair) while its estimated time stays under
``--naive-budget`` seconds (estimated from a timed sample of pairs when larger). Prints a
markdown table, the naive/ours ratio per N and the fitted growth exponent of each.
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from pathlib import Path

import numpy as np


def grouped_bodies(root: Path, n: int) -> list[tuple[str, str]]:
    from crosscheck.eval.datasets import load_fnc

    df = load_fnc(root, "train")
    related = df[df.stance != "unrelated"]
    order = []
    seen = set()
    for _, group in related.groupby("headline", sort=True):
        for bid, body in zip(group.body_id, group.body):
            if bid not in seen:
                seen.add(bid)
                order.append((str(bid), body))
        if len(order) >= n:
            break
    return order[:n]


def main() -> None:
    from crosscheck import Checker, Report
    from crosscheck.align import naive_pairs

    p = argparse.ArgumentParser()
    p.add_argument("--data", default="../shared/data/fnc-1")
    p.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 100, 300])
    p.add_argument("--naive-budget", type=float, default=600.0)
    p.add_argument("--json")
    args = p.parse_args()
    checker = Checker()
    st = checker.stages()
    rows = []
    bodies = grouped_bodies(Path(args.data), max(args.sizes))
    checker.check([Report(f"w{i}", t) for i, (_, t) in enumerate(bodies[:3])])  # load models
    for n in args.sizes:
        reports = [Report(f"b{bid}", text) for bid, text in bodies[:n]]
        tracemalloc.start()
        t0 = time.perf_counter()
        res = checker.check(reports)
        ours = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        claims = res.claim_list
        all_pairs = naive_pairs(claims)
        # naive: same judge (rules + NLI both ways) on every cross-report pair; embeddings are cached
        sample = all_pairs[: min(len(all_pairs), 400)]
        from crosscheck.align import Candidate

        t1 = time.perf_counter()
        st["judge"](claims, [Candidate(a, b, 0.5) for a, b in sample])
        per_pair = (time.perf_counter() - t1) / max(1, len(sample))
        naive_est = per_pair * len(all_pairs)
        measured = len(sample) == len(all_pairs)
        rows.append({"n_reports": n, "n_claims": len(claims), "seconds": round(ours, 2),
                     "claims_per_s": round(len(claims) / ours, 1), "judged_pairs": len(res.finding_list),
                     "peak_mb": round(peak, 1), "naive_pairs": len(all_pairs),
                     "naive_seconds": round(naive_est, 1), "naive_measured": measured,
                     "ratio": round(naive_est / ours, 1)})
        print(json.dumps(rows[-1]), flush=True)
        if naive_est > args.naive_budget:
            print(f"# naive approach at N={n} is estimated at {naive_est:.0f}s (> budget): estimated, not run in full")
    ns = np.log([r["n_reports"] for r in rows])
    k_ours = float(np.polyfit(ns, np.log([r["seconds"] for r in rows]), 1)[0]) if len(rows) > 1 else float("nan")
    k_naive = float(np.polyfit(ns, np.log([r["naive_seconds"] for r in rows]), 1)[0]) if len(rows) > 1 else float("nan")
    print("\n| N | claims | check() s | claims/s | judged pairs | peak MB | naive pairs | naive s | naive/ours |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        tag = "" if r["naive_measured"] else " (est.)"
        print(f"| {r['n_reports']} | {r['n_claims']} | {r['seconds']} | {r['claims_per_s']} | {r['judged_pairs']} | "
              f"{r['peak_mb']} | {r['naive_pairs']} | {r['naive_seconds']}{tag} | {r['ratio']}x |")
    print(f"\ngrowth exponent: check() {k_ours:.2f}, naive {k_naive:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "exponent_ours": k_ours, "exponent_naive": k_naive}, indent=2))


if __name__ == "__main__":
    main()
