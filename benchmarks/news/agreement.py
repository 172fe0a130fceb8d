"""Blind second labelling of the benchmark's gold pairs and the agreement (Cohen's kappa) per event.

    python benchmarks/news/agreement.py sample --out DIR     # 20% of each event's pairs, without their labels
    python benchmarks/news/agreement.py kappa                # agreement from events/<event>/review.jsonl

``sample`` writes ``DIR/<event>.todo.jsonl`` (the two spans' text, outlets, dates and the question name; never the
first label, speakers or rationale). It holds report text: keep DIR out of the repository. The reviewer answers
with one ``{"id", "relation", "note"}`` line per pair; ``events/<event>/review.jsonl`` keeps ``id, first, review,
settled, how`` (labels only). The draw is ``random.Random("review-" + event)``, so it is the same on every machine.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parents[1]))

from crosscheck.eval.metrics import cohen_kappa  # noqa: E402
from crosscheck.eval.newsdata import load_benchmark  # noqa: E402


def review_sample(pairs: list, event: str, share: float = 0.2) -> list:
    """The pairs an independent reviewer re-labels: a seeded ``share`` of ``pairs``, in id order."""
    rng = random.Random(f"review-{event}")
    return sorted(rng.sample(pairs, math.ceil(share * len(pairs))), key=lambda p: p.id)


def cmd_sample(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for ev in load_benchmark(ROOT):
        by = {r.id: r for r in ev.reports}
        with (out / f"{ev.name}.todo.jsonl").open("w", encoding="utf-8") as fh:
            for p in review_sample(ev.pairs, ev.name):
                ra, rb = by[p.a.report], by[p.b.report]
                fh.write(json.dumps({
                    "id": p.id, "question": p.question,
                    "report_a": ra.id, "outlet_a": ra.source, "published_a": ra.published.isoformat(),
                    "span_a": ev.text_of(p.a),
                    "report_b": rb.id, "outlet_b": rb.source, "published_b": rb.published.isoformat(),
                    "span_b": ev.text_of(p.b)}, ensure_ascii=False) + "\n")
        print(f"{ev.name}: {len(review_sample(ev.pairs, ev.name))} pairs to review")


def cmd_kappa() -> None:
    rows_all: list[tuple[str, str]] = []
    for ev in load_benchmark(ROOT):
        if not ev.review:
            print(f"{ev.name}: no review")
            continue
        rows = [(r["first"], r["review"]) for r in ev.review.values()]
        rows_all += rows
        agree = sum(x == y for x, y in rows)
        print(f"{ev.name}: n={len(rows)} raw agreement {agree / len(rows):.3f} kappa "
              f"{cohen_kappa([x for x, _ in rows], [y for _, y in rows])}")
    if rows_all:
        print(f"pooled: n={len(rows_all)} kappa {cohen_kappa([x for x, _ in rows_all], [y for _, y in rows_all])}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--out", required=True)
    sub.add_parser("kappa")
    a = p.parse_args()
    cmd_sample(Path(a.out)) if a.cmd == "sample" else cmd_kappa()


if __name__ == "__main__":
    main()
