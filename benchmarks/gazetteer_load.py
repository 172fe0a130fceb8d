"""Time to build the default gazetteer's name table in a fresh process, for source trees against each other.

    python benchmarks/gazetteer_load.py --trees before=/tmp/before after=. --runs 5

Each run is a fresh interpreter with ``PYTHONPATH`` set to the tree (checked: ``crosscheck.places`` imports from
it), the trees alternating run by run. It times ``import crosscheck.places`` and then the first
``Gazetteer().known("Moscow")``, which builds (or loads) the GeoNames table and merges the hand table into it;
the figures are medians of the runs, in seconds, with the process's peak RSS (MB).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CODE = ("import json, resource, time\nt = time.perf_counter()\nimport crosscheck.places as places\nt1 = time.perf_counter()\n"
        "assert places.Gazetteer().known('Moscow')\nt2 = time.perf_counter()\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'file': places.__file__, 'import_s': t1 - t, 'gazetteer_s': t2 - t1, 'peak_rss_mb': rss}))")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--trees", nargs="+", metavar="NAME=DIR", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--json")
    args = p.parse_args()
    trees = {n: Path(d).resolve() for n, d in (t.split("=", 1) for t in args.trees)}
    runs: dict[str, list[dict]] = {n: [] for n in trees}
    for _ in range(args.runs):
        for name, tree in trees.items():
            out = subprocess.run([sys.executable, "-c", CODE], cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
                                 check=True, capture_output=True, text=True).stdout
            row = json.loads(out.strip().splitlines()[-1])
            if Path(row["file"]).resolve() != (tree / "crosscheck" / "places.py").resolve():
                raise SystemExit(f"{name}: crosscheck.places imports from {row['file']}, not from {tree}")
            runs[name].append(row)
    keys = ("import_s", "gazetteer_s", "peak_rss_mb")
    result = {name: {key: round(statistics.median(r[key] for r in rows), 3) for key in keys}
              | {"gazetteer_runs_s": [round(r["gazetteer_s"], 3) for r in rows]} for name, rows in runs.items()}
    result = {"runs": args.runs, "trees": {n: str(t) for n, t in trees.items()}, **result}
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
