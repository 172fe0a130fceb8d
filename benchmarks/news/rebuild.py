"""Rebuild the real-news development benchmark from its recipe and verify it byte for byte.

    python benchmarks/news/rebuild.py            # check every saved text; list what is missing, with its recipe
    python benchmarks/news/rebuild.py --jsonl    # also write build/news/<event>/reports.jsonl (git-ignored)

The texts are not in the repository. For each missing one, run ONE search of the ``pages`` corpus with the
manifest's ``query``, take the result whose ``url`` is the manifest's, write that result object exactly as the
answer gives it to a file, and restore it (the hashes are checked; nothing else changes):

    python benchmarks/news/author.py restore EVENT ID --result FILE

Exit status: 0 when every text of every event verifies, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parents[1]))

from crosscheck.errors import DatasetError  # noqa: E402
from crosscheck.eval.newsdata import event_names, load_event, load_saved_text, read_jsonl  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=str(ROOT), help="benchmark folder (default: this folder)")
    p.add_argument("--jsonl", action="store_true", help="write build/news/<event>/reports.jsonl")
    a = p.parse_args()
    data = Path(a.data)
    ok, missing, bad = 0, [], []
    for event in event_names(data):
        for row in read_jsonl(data / "events" / event / "manifest.jsonl"):
            try:
                load_saved_text(data / "texts", event, row)
                ok += 1
            except DatasetError as exc:
                (missing if "[E213]" in str(exc) else bad).append((event, row, str(exc)))
    for event, row, _ in missing:
        print(f"missing {event}/{row['id']}: search pages for {row['query']!r}, pick {row['url']}")
    for _, _, msg in bad:
        print(f"MISMATCH {msg}")
    print(f"{ok} texts verified, {len(missing)} missing, {len(bad)} mismatched")
    if missing or bad:
        return 1
    if a.jsonl:
        out_root = ROOT.parents[1] / "build" / "news"
        for event in event_names(data):
            ev = load_event(data, event)  # checks every gold span against its hash too
            out = out_root / event / "reports.jsonl"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in ev.reports),
                           encoding="utf-8")
            print(f"wrote {out} ({len(ev.reports)} reports, {len(ev.pairs)} gold pairs checked)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
