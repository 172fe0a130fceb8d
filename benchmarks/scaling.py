"""Speed and scaling of ``check()`` against judging every cross-report sentence pair.

    python benchmarks/scaling.py --data ../shared/data/fnc-1 --sizes 10 30 100 300 --naive-budget 600

Reports are FNC-1 training bodies, grouped so that reports share events (bodies that share
a headline are taken together). Each N runs in a fresh process (so its peak RSS is its own),
after a warm-up on the bundled example. For each N: wall time, claims/s, judged pairs and
peak RSS of ``check()``; and, in the same process, the naive approach: the same judge
(rules, then the NLI model both ways) on every cross-report claim pair. The naive approach is
run in full while its time, estimated from a random sample of pairs, stays under
``--naive-budget`` seconds, and is extrapolated from the sample beyond that (marked "est.").
Prints a markdown table, the naive/ours ratio per N and the fitted growth exponent of each, and the judged pairs
per claim (every candidate the judge decides) and the NLI-scored pairs per claim (those the cross-encoder runs on),
with their growth exponents over the number of claims (log-log fit). The on-disk cache is off (``cache=False``), so
every model pass is run and timed.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's crosscheck, not another installed one
EXAMPLE = ROOT / "examples" / "assad.jsonl"


def grouped_bodies(root: Path, n: int, *, skip: int = 0) -> list[tuple[str, str]]:
    """``n`` FNC-1 train bodies, taken headline group by headline group (so reports share events),
    after the first ``skip`` bodies in that order."""
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
        if len(order) >= skip + n:
            break
    return order[skip:skip + n]


class CountingNLI:
    """The judge's NLI model, counting the rows it is asked to score."""

    def __init__(self, model: object) -> None:
        self.model = model
        self.rows = 0

    def predict(self, pairs):  # noqa: ANN001, ANN201 - the NLIModel protocol
        self.rows += len(pairs)
        return self.model.predict(pairs)


def fit_exponent(xs: list[float], ys: list[float]) -> float:
    """Slope of log(y) over log(x) (the growth exponent); NaN with fewer than two points."""
    if len(xs) < 2:
        return float("nan")
    return float(np.polyfit(np.log(xs), np.log(np.maximum(ys, 1e-9)), 1)[0])


def measure(data: Path, n: int, naive_budget: float, sample_size: int) -> dict:
    """One row: ``check()`` on ``n`` reports, then the naive all-pairs judge (run or estimated)."""
    from crosscheck import Checker, Report
    from crosscheck.align import Candidate, naive_pairs

    checker = Checker(cache=False)  # every model pass is run and timed (a warm on-disk cache would skip them)
    checker.check(Report.from_jsonl(EXAMPLE))  # load the models outside the timed part
    judge_stage = checker.stages()["judge"]
    counter = CountingNLI(judge_stage.nli_model)
    judge_stage.nli = counter  # counts the (premise, hypothesis) rows the cross-encoder scores
    reports = [Report(f"b{bid}", text) for bid, text in grouped_bodies(data, n)]
    t0 = time.perf_counter()
    res = checker.check(reports)
    ours = time.perf_counter() - t0
    model_pairs = counter.rows // 2  # both directions of each pair
    rss_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    claims = res.claim_list
    all_pairs = naive_pairs(claims)
    sims = checker.stages()["embedder"]([c.proposition for c in claims])

    # the naive baseline: the same judge and loaded model, run with the model on every pair whatever its similarity
    naive_judge = copy.copy(checker.stages()["judge"])
    naive_judge.nli_min_similarity = -1.0

    def judge(pairs: list[tuple[int, int]]) -> float:
        cands = [Candidate(a, b, float(sims[a] @ sims[b])) for a, b in pairs]
        t = time.perf_counter()
        naive_judge(claims, cands)
        return time.perf_counter() - t

    sample = random.Random(0).sample(all_pairs, min(len(all_pairs), sample_size))
    naive = judge(sample) / max(1, len(sample)) * len(all_pairs)
    measured = len(sample) == len(all_pairs)
    if not measured and naive <= naive_budget:
        naive, measured = judge(all_pairs), True
    return {"n_reports": n, "n_claims": len(claims), "seconds": round(ours, 2),
            "claims_per_s": round(len(claims) / ours, 1), "judged_pairs": len(res.finding_list),
            "pairs_per_claim": round(len(res.finding_list) / max(1, len(claims)), 2), "nli_pairs": model_pairs,
            "nli_pairs_per_claim": round(model_pairs / max(1, len(claims)), 2),
            "peak_rss_mb": round(rss_ours, 1), "naive_pairs": len(all_pairs),
            "naive_seconds": round(naive, 1), "naive_measured": measured, "ratio": round(naive / ours, 1)}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="../shared/data/fnc-1")
    p.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 100, 300])
    p.add_argument("--naive-budget", type=float, default=600.0)
    p.add_argument("--sample", type=int, default=400, help="pairs timed to estimate the naive cost")
    p.add_argument("--one", type=int, help=argparse.SUPPRESS)
    p.add_argument("--json")
    args = p.parse_args()
    if args.one:
        print(json.dumps(measure(Path(args.data), args.one, args.naive_budget, args.sample)))
        return
    rows = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--data", args.data, "--one", str(n),
               "--naive-budget", str(args.naive_budget), "--sample", str(args.sample)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    ns = np.log([r["n_reports"] for r in rows])
    k_ours = float(np.polyfit(ns, np.log([r["seconds"] for r in rows]), 1)[0]) if len(rows) > 1 else float("nan")
    k_naive = float(np.polyfit(ns, np.log([r["naive_seconds"] for r in rows]), 1)[0]) if len(rows) > 1 else float("nan")
    claims = [r["n_claims"] for r in rows]
    k_pairs = fit_exponent(claims, [r["judged_pairs"] for r in rows])
    k_nli = fit_exponent(claims, [r["nli_pairs"] for r in rows])
    print("\n| N | claims | check() s | claims/s | judged pairs | per claim | NLI pairs | per claim | peak RSS MB | "
          "naive pairs | naive s | naive/ours |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        tag = "" if r["naive_measured"] else " (est.)"
        print(f"| {r['n_reports']} | {r['n_claims']} | {r['seconds']} | {r['claims_per_s']} | {r['judged_pairs']} | "
              f"{r['pairs_per_claim']} | {r['nli_pairs']} | {r['nli_pairs_per_claim']} | {r['peak_rss_mb']} | "
              f"{r['naive_pairs']} | {r['naive_seconds']}{tag} | {r['ratio']}x |")
    print(f"\ngrowth exponent (log-log fit over N): check() {k_ours:.2f}, naive {k_naive:.2f}")
    print(f"growth exponent over claims: judged pairs {k_pairs:.2f}, NLI-scored pairs {k_nli:.2f} (goal < 1.1)")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "exponent_ours": k_ours, "exponent_naive": k_naive,
                                               "exponent_judged_pairs": k_pairs, "exponent_nli_pairs": k_nli},
                                              indent=2))


if __name__ == "__main__":
    main()
