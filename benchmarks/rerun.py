"""What the on-disk cache saves a CI re-run over a curated data set: no cache, cold, warm, and one new article.

    python benchmarks/rerun.py --news benchmarks/news --events kakhovka-dam-2023 key-bridge-2024

The curated data set is the real-news benchmark (its texts rebuilt first, see benchmarks/news/README.md): each
event is a group of reports, checked with ``crosscheck.check_many``. One report of the first event (the latest
published) is held out as "the new article". Every phase runs in a fresh Python process, as a CI job does, and its
wall time counts everything: interpreter start, imports, model loading (models load only when a text is not
found) and the checks. In one run, one after another:

1. ``no cache``: ``cache=False`` on the data set without the new article (today's cost of a re-run);
2. ``cold``: an empty cache directory, the same data set (the first run pays the writes);
3. ``warm``: the same again (nothing new: no model runs);
4. ``one new``: the data set with the new article added;
5. with ``--uncached-new``: ``one new, no cache``, the same without the cache (the exact peer of phase 4; without
   it phase 4 is compared with phase 1, which has one article less: a comparison that favours the uncached run).

Prints a markdown table with each phase's wall time, the texts embedded and pairs scored by the models, the hits
served from the cache, and the ratios to the uncached phases measured in the same run. Check time (extraction,
alignment, rules) is not cached: it bounds what a warm run can save.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PHASE = r"""
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
import crosscheck
from crosscheck import Checker, check_many
from crosscheck.cache import CachedEmbedder
from crosscheck.eval.newsdata import load_benchmark

events = {{e.name: e.reports for e in load_benchmark({news!r}, events={events!r})}}
held = {held!r}
if not {with_new!r}:
    events = {{k: [r for r in v if r.id != held] for k, v in events.items()}}
checker = Checker(cache={cache!r})
t1 = time.perf_counter()
results = check_many(events, checker=checker)
t2 = time.perf_counter()
st = checker.stages()
emb, nli = st["embedder"], st["judge"].nli_model
out = {{"seconds": round(t2 - t0, 2), "check_seconds": round(t2 - t1, 2), "reports": sum(len(v) for v in events.values()),
       "findings": sum(len(r.finding_list) for r in results.values())}}
if isinstance(emb, CachedEmbedder):
    out.update(embedded=emb.misses, embed_hits=emb.hits, scored=nli.misses, nli_hits=nli.hits)
out["digest"] = hash(tuple((e, f.id, f.relation, f.probability) for e, r in results.items() for f in r.finding_list))
print(json.dumps(out))
"""


def run_phase(news: str, events: list[str], held: str, *, with_new: bool, cache: str | bool) -> dict:
    code = PHASE.format(root=str(ROOT), news=news, events=events, held=held, with_new=with_new, cache=cache)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**__import__("os").environ, "PYTHONHASHSEED": "0"})
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    row["wall"] = round(wall, 2)
    return row


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--news", default=str(ROOT / "benchmarks" / "news"))
    p.add_argument("--events", nargs="+", default=None, help="event names (default: all)")
    p.add_argument("--uncached-new", action="store_true", help="also run phase 5 (the exact peer of 'one new')")
    p.add_argument("--json")
    args = p.parse_args()
    sys.path.insert(0, str(ROOT))
    from crosscheck.eval.newsdata import event_names, load_benchmark

    events = args.events or event_names(args.news)
    first = load_benchmark(args.news, events=events[:1])[0]
    held = max(first.reports, key=lambda r: (r.published is not None, r.published or 0, r.id)).id
    with tempfile.TemporaryDirectory(prefix="crosscheck-rerun-") as cache_dir:
        phases = [("no cache", False, False), ("cold", False, cache_dir), ("warm", False, cache_dir),
                  ("one new", True, cache_dir)] + ([("one new, no cache", True, False)] if args.uncached_new else [])
        rows = {}
        for name, with_new, cache in phases:
            rows[name] = run_phase(args.news, events, held, with_new=with_new, cache=cache)
            print(name, json.dumps(rows[name]), flush=True)
    same = rows["no cache"]["digest"] == rows["cold"]["digest"] == rows["warm"]["digest"]
    same_new = rows["one new"]["digest"] == rows.get("one new, no cache", rows["one new"])["digest"]
    n = rows["no cache"]["reports"]
    print(f"\n{len(events)} events, {n} reports (+1 new: {held}); findings identical with and without the cache: "
          f"{same and same_new}\n")
    print("| phase | wall s | check s | texts embedded | pairs scored | cache hits (texts / pairs) | wall vs uncached |")
    print("|---|---|---|---|---|---|---|")
    for name, row in rows.items():
        peer = rows["one new, no cache"] if "new" in name and "one new, no cache" in rows else rows["no cache"]
        hits = f"{row['embed_hits']} / {row['nli_hits']}" if "embed_hits" in row else "-"
        print(f"| {name} | {row['wall']} | {row['check_seconds']} | {row.get('embedded', '-')} | "
              f"{row.get('scored', '-')} | {hits} | {row['wall'] / peer['wall']:.2f} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"events": events, "held_out": held, "rows": rows,
                                               "identical": same and same_new}, indent=2))


if __name__ == "__main__":
    main()
