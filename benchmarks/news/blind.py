"""Blind review of what the pipeline finds on the benchmark: draw findings, score two reviewers, keep their labels.

    python benchmarks/news/blind.py sample --out /tmp/blind/s1 --relation agree --kinds number,blame --per-kind 20
    python benchmarks/news/blind.py score --out /tmp/blind/s1 r1.csv r2.csv
    python benchmarks/news/blind.py merge --out /tmp/blind/s1 r1.csv r2.csv --note "blind review 7 (session 13)"

``sample`` runs the default pipeline on the four events (or reads ``--runs``, a pickle it wrote before with
``--save-runs``), takes the findings of ``--relation`` whose kind is one of ``--kinds`` that carry no label yet, and
mixes them with decoys (``--decoys`` other findings of that relation and as many ``related`` ones of similarity 0.45
or more), shuffled with ``--seed``. It writes ``OUT_items.md`` (the two sentences, outlets and dates: it holds report
text, so keep it out of the repository; reviewers see only this) and ``OUT_meta.json`` (keys, offsets, what the
pipeline said; no text). A reviewer answers with a CSV ``item,label,note`` (labels from
``crosscheck.eval.news.AUDIT_LABELS``, the note in their own words).

``score`` prints, per (relation, kind) drawn, how many each reviewer found right and how many both labelled alike.
``merge`` copies the labels both reviewers gave alike into ``audit_labels.csv`` (offsets and hashes, no text),
with the cause that fits the disagreement with the pipeline; findings labelled before are left as they are.
"""

from __future__ import annotations

import argparse
import csv
import json
import pickle
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parents[1]))

from crosscheck.eval.news import (  # noqa: E402
    LABEL_COLUMNS,
    _check_label,
    _finding_rows,
    read_labels,
    run_events,
    write_table,
)
from crosscheck.eval.newsdata import load_benchmark  # noqa: E402

LABELS = ROOT / "audit_labels.csv"
META_FIELDS = ("key", "event", "report_a", "start_a", "end_a", "sha256_a", "report_b", "start_b", "end_b",
               "sha256_b", "predicted", "kind", "score")


def _runs(args: argparse.Namespace) -> list:
    if args.runs:
        with open(args.runs, "rb") as fh:
            runs = pickle.load(fh)
        return runs["runs"] if isinstance(runs, dict) else runs
    runs = run_events(load_benchmark(ROOT), progress=True)
    if args.save_runs:
        with open(args.save_runs, "wb") as fh:
            pickle.dump(runs, fh)
    return runs


def cmd_sample(args: argparse.Namespace) -> None:
    labels = read_labels(LABELS)
    rows = [r for r in _finding_rows(_runs(args)) if r["key"] not in labels]
    rng = random.Random(args.seed)
    kinds = args.kinds.split(",")
    picked = []
    for kind in kinds:
        pool = sorted((r for r in rows if r["predicted"] == args.relation and r["kind"] == kind), key=lambda r: r["key"])
        picked += rng.sample(pool, min(args.per_kind, len(pool)))
    others = sorted((r for r in rows if r["predicted"] == args.relation and r["kind"] not in kinds),
                    key=lambda r: r["key"])
    related = sorted((r for r in rows if r["predicted"] == "related" and r["score"] >= 0.45), key=lambda r: r["key"])
    picked += rng.sample(others, min(args.decoys, len(others))) + rng.sample(related, min(args.decoys, len(related)))
    rng.shuffle(picked)
    items, meta = [], []
    for i, r in enumerate(picked, 1):
        items.append(f"## item {i}\n- A ({r['source_a']}, {r['published_a'][:10]}): {r['text_a']}\n"
                     f"- B ({r['source_b']}, {r['published_b'][:10]}): {r['text_b']}\n")
        meta.append({"item": i, **{k: r[k] for k in META_FIELDS}})
    Path(f"{args.out}_items.md").write_text("\n".join(items), encoding="utf-8")
    Path(f"{args.out}_meta.json").write_text(json.dumps(meta, indent=0) + "\n", encoding="utf-8")
    print(f"{len(picked)} items ({Counter((m['predicted'], m['kind']) for m in meta)}); "
          f"give reviewers only {args.out}_items.md")


def _reviews(args: argparse.Namespace) -> tuple[dict[int, dict], list[dict[int, dict]]]:
    meta = {m["item"]: m for m in json.loads(Path(f"{args.out}_meta.json").read_text(encoding="utf-8"))}
    reviews = []
    for path in args.reviews:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = {int(r["item"]): r for r in csv.DictReader(fh)}
        missing = sorted(set(meta) - set(rows))
        if missing:
            sys.exit(f"{path}: no label for items {missing[:10]}")
        for r in rows.values():
            _check_label({"label": r["label"], "key": f"item {r['item']}"}, path)
        reviews.append(rows)
    return meta, reviews


def cmd_score(args: argparse.Namespace) -> None:
    meta, reviews = _reviews(args)
    groups = sorted({(m["predicted"], m["kind"]) for m in meta.values()})
    for g in groups:
        items = [i for i, m in meta.items() if (m["predicted"], m["kind"]) == g]
        each = [sum(rv[i]["label"] == g[0] for i in items) for rv in reviews]
        alike = [i for i in items if len({rv[i]["label"] for rv in reviews}) == 1]
        right = sum(reviews[0][i]["label"] == g[0] for i in alike)
        print(f"{g[0]}/{g[1]}: right {' and '.join(map(str, each))} of {len(items)}; "
              f"labelled alike {len(alike)}, right {right}")
    alike = sum(len({rv[i]["label"] for rv in reviews}) == 1 for i in meta)
    print(f"the reviewers gave the same label to {alike} of {len(meta)}")


def _cause(label: str, predicted: str) -> str:
    if label == predicted:
        return ""
    return {"agree": "agreement_missed", "related": "different_questions", "unrelated": "not_a_claim"}.get(label, "other")


def cmd_merge(args: argparse.Namespace) -> None:
    meta, reviews = _reviews(args)
    current = read_labels(LABELS)
    added = 0
    for i, m in meta.items():
        given = {rv[i]["label"] for rv in reviews}
        if len(given) != 1 or m["key"] in current:
            continue
        label = given.pop()
        row = {k: m.get(k, "") for k in LABEL_COLUMNS}
        row.update(label=label, cause=_cause(label, m["predicted"]),
                   note=f"{args.note}: {reviews[0][i].get('note', '').strip()}")
        current[m["key"]] = row
        added += 1
    write_table(sorted(current.values(), key=lambda r: (r["event"], r["key"])), LABELS, LABEL_COLUMNS)
    print(f"added {added} labels ({len(current)} in {LABELS.name})")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--out", required=True, help="path prefix outside the repository, e.g. /tmp/blind/s1")
    s.add_argument("--relation", required=True)
    s.add_argument("--kinds", required=True, help="comma-separated kinds of that relation to draw")
    s.add_argument("--per-kind", type=int, default=20)
    s.add_argument("--decoys", type=int, default=10)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--runs", help="a pickle of run_events' output to reuse")
    s.add_argument("--save-runs", help="where to pickle run_events' output")
    for name in ("score", "merge"):
        q = sub.add_parser(name)
        q.add_argument("--out", required=True)
        q.add_argument("reviews", nargs=2, help="the two reviewers' CSV files")
        if name == "merge":
            q.add_argument("--note", required=True, help='e.g. "blind review 7 (session 13)"')
    a = p.parse_args()
    {"sample": cmd_sample, "score": cmd_score, "merge": cmd_merge}[a.cmd](a)


if __name__ == "__main__":
    main()
