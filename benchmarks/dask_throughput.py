"""Reports per second of ``check_many`` on a local Dask cluster against the single process, in one run.

    python benchmarks/dask_throughput.py --data ../shared/data/fnc-1 --reports 2000 --workers 2

Events are FNC-1 training headlines, each with the bodies that discuss it (stance agree, disagree or discuss), taken
headline by headline in sorted order until ``--reports`` bodies are reached (a body that discusses several
headlines is a report of each). Both engines run the same :class:`~crosscheck.Checker` settings without the
on-disk cache (``cache=False``: neither may read what the other wrote), after a warm-up that loads the models (in
the single process, and on every worker), so the figures are steady-state throughput:

1. ``local``: ``check_many(events)`` in this process (torch uses the machine's cores inside each model pass);
2. ``dask``: ``check_many(events, engine="dask")`` on a ``distributed.LocalCluster`` of ``--workers`` processes with
   one thread each (Dask sets one BLAS/OpenMP thread per worker).

The results of the two are compared event by event: ``identical`` (every Result equal), and where they are not,
the findings judged by one engine only, the relations that differ and the largest difference of a similarity or
probability (the workers run the models with one BLAS thread, the single process with several, so float sums may
differ in their last bits). Prints one JSON line per engine and a
markdown table: reports, events, seconds, reports/s and the dask/local ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "examples" / "assad.jsonl"


def fnc_events(root: Path, n_reports: int, *, max_per_event: int | None = None) -> dict[str, list]:
    """FNC-1 train headlines with the bodies that discuss them, until ``n_reports`` bodies in all."""
    from crosscheck import Report
    from crosscheck.eval.datasets import load_fnc

    df = load_fnc(root, "train")
    related = df[df.stance != "unrelated"]
    events: dict[str, list] = {}
    total = 0
    for headline, group in related.groupby("headline", sort=True):
        bodies = list(dict.fromkeys(zip(group.body_id, group.body)))[:max_per_event]
        if len(bodies) < 2:
            continue
        events[str(headline)] = [Report(f"b{bid}", text) for bid, text in bodies]
        total += len(bodies)
        if total >= n_reports:
            break
    return events


def compare_findings(a, b) -> dict:  # noqa: ANN001 - two findings DataFrames of EventResults
    """How two runs' findings differ: pairs judged by one only, relations that differ, and the largest difference
    of a similarity or probability (the engines run the models with other BLAS thread counts, so float sums may
    differ in their last bits)."""
    key = ["event", "claim_a", "claim_b"]
    merged = a.merge(b, on=key, how="outer", suffixes=("_l", "_d"), indicator=True)
    both = merged[merged._merge == "both"]
    out = {"findings": len(a), "only_one_side": int((merged._merge != "both").sum()),
           "relation_differs": int((both.relation_l != both.relation_d).sum())}
    for col in ("similarity", "probability"):
        x, y = both[f"{col}_l"].astype(float), both[f"{col}_d"].astype(float)
        out[f"max_abs_diff_{col}"] = float((x - y).abs().max()) if len(both) else 0.0
    return out


def warm_events(n: int) -> dict[str, list]:
    from crosscheck import Report

    reports = Report.from_jsonl(EXAMPLE)
    return {f"warm-{i}": reports[:2] for i in range(n)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "fnc-1"))
    p.add_argument("--reports", type=int, default=2000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--max-per-event", type=int, default=None, help="cap the bodies of one headline")
    p.add_argument("--json")
    args = p.parse_args()

    import distributed

    from crosscheck import Checker, check_many

    events = fnc_events(Path(args.data), args.reports, max_per_event=args.max_per_event)
    n = sum(len(v) for v in events.values())
    rows = {}

    checker = Checker(cache=False)
    check_many(warm_events(1), checker=checker)
    t = time.perf_counter()
    local = check_many(events, checker=checker)
    rows["local"] = time.perf_counter() - t

    with distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        # the models load on every worker (a worker keeps the checker of these settings between calls)
        settings = Checker(cache=False)
        check_many(warm_events(4 * args.workers), engine="dask", client=client, checker=settings)
        t = time.perf_counter()
        on_dask = check_many(events, engine="dask", client=client, checker=settings)
        rows["dask"] = time.perf_counter() - t

    identical = dict(on_dask) == dict(local)
    diff = compare_findings(local.findings, on_dask.findings)
    out = {"reports": n, "events": len(events), "workers": args.workers, "identical": identical, **diff,
           **{f"{k}_seconds": round(v, 2) for k, v in rows.items()},
           **{f"{k}_reports_per_s": round(n / v, 3) for k, v in rows.items()},
           "ratio": round(rows["local"] / rows["dask"], 2)}
    print(json.dumps(out))
    print(f"\n{n} FNC-1 bodies in {len(events)} headline events; results identical: {identical}; {diff}\n")
    print("| engine | seconds | reports/s |")
    print("|---|---|---|")
    for k, v in rows.items():
        label = "local (one process)" if k == "local" else f"dask LocalCluster ({args.workers} workers x 1 thread)"
        print(f"| {label} | {v:.1f} | {n / v:.2f} |")
    print(f"\ndask / local throughput: {out['ratio']}x")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
