"""Authoring tool for the real-news development benchmark (see benchmarks/news/README.md).

    python benchmarks/news/author.py save EVENT ID --outlet O --query Q --result FILE [--published ISO --basis B]
    python benchmarks/news/author.py restore EVENT ID --result FILE
    python benchmarks/news/author.py show EVENT ID
    python benchmarks/news/author.py pair EVENT --a ID --a-text SPAN --b ID --b-text SPAN --relation R \\
        --question Q --speaker-a S --speaker-b S --why RATIONALE
    python benchmarks/news/author.py speaker EVENT --report ID --claim-text SPAN --speaker-text SPAN --label L
    python benchmarks/news/author.py rm EVENT ITEM_ID
    python benchmarks/news/author.py status [EVENT]

``save`` takes FILE holding one result object of a ``pages`` search answer exactly as returned
(``{"rank": .., "url": .., "excerpt": ..}``), stores it in the git-ignored texts folder and writes the
manifest line (hashes and lengths). Spans are given by their exact text (``--a-nth`` picks a later
occurrence); only offsets and hashes are stored.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parents[1]))

from crosscheck.data import RELATIONS  # noqa: E402
from crosscheck.eval.newsdata import load_saved_text, read_jsonl, report_text, span_hash  # noqa: E402

TEXTS = ROOT / "texts"
EVENTS = ROOT / "events"


def _rows(path: Path) -> list[dict]:
    return list(read_jsonl(path)) if path.exists() else []


def _write_rows(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _text(event: str, rid: str) -> str:
    for row in _rows(EVENTS / event / "manifest.jsonl"):
        if row["id"] == rid:
            return load_saved_text(TEXTS, event, row)
    sys.exit(f"unknown report {rid!r} in event {event!r}")


def _span(event: str, rid: str, text: str, nth: int) -> dict:
    body = _text(event, rid)
    start = -1
    for _ in range(nth + 1):
        start = body.find(text, start + 1)
        if start < 0:
            sys.exit(f"span not found in {rid} (occurrence {nth}): {text!r}")
    if not text.strip() or text != text.strip():
        sys.exit(f"span must be non-empty without surrounding white space: {text!r}")
    return {"report": rid, "start": start, "end": start + len(text), "sha256": span_hash(text)}


def _next_id(event: str, prefix: str, rows: list[dict]) -> str:
    used = {r["id"] for r in rows}
    n = len(rows) + 1
    while f"{event}-{prefix}{n:03d}" in used:
        n += 1
    return f"{event}-{prefix}{n:03d}"


def cmd_save(a: argparse.Namespace) -> None:
    result = json.loads(Path(a.result).read_text(encoding="utf-8"))
    excerpt, url = result["excerpt"], result["url"]
    text, marker = report_text(excerpt)
    if a.published:
        published, basis = a.published, a.basis or "given"
    elif marker:
        published, basis = f"{marker}T12:00:00+00:00", "excerpt-date"
    else:
        sys.exit("no 'date' marker in the excerpt: give --published ISO and --basis (url-date or text)")
    dt.datetime.fromisoformat(published)
    out = TEXTS / a.event / f"{a.id}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"query": a.query, "url": url, "excerpt": excerpt}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    row = {"id": a.id, "outlet": a.outlet, "url": url, "published": published, "published_basis": basis,
           "wire": a.wire, "language": a.language, "query": a.query, "corpus": "pages",
           "excerpt_sha256": span_hash(excerpt), "excerpt_length": len(excerpt),
           "text_sha256": span_hash(text), "text_length": len(text)}
    path = EVENTS / a.event / "manifest.jsonl"
    rows = [r for r in _rows(path) if r["id"] != a.id] + [row]
    _write_rows(path, rows)
    print(f"saved {a.id}: {len(text)} chars, published {published} ({basis})")


def cmd_restore(a: argparse.Namespace) -> None:
    data = json.loads(Path(a.result).read_text(encoding="utf-8"))
    results = data.get("results", [data]) if isinstance(data, dict) else list(data)
    rows = {r["id"]: r for r in _rows(EVENTS / a.event / "manifest.jsonl")}
    if a.id not in rows:
        sys.exit(f"unknown report {a.id!r} in event {a.event!r}")
    row = rows[a.id]
    same_url = [r for r in results if r.get("url") == row["url"]]
    if not same_url:
        sys.exit(f"wrong page: the manifest wants {row['url']}")
    # one answer may list the same url more than once, with different excerpts: the hash picks the right one
    exact = [r for r in same_url if span_hash(r["excerpt"]) == row["excerpt_sha256"]
             and len(r["excerpt"]) == row["excerpt_length"]]
    if not exact:
        sys.exit(f"the excerpt differs from the one the benchmark was built on (lengths {[len(r['excerpt']) for r in same_url]}, "
                 f"want {row['excerpt_length']}); not restored")
    result = exact[0]
    out = TEXTS / a.event / f"{a.id}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"query": row["query"], "url": row["url"], "excerpt": result["excerpt"]},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    load_saved_text(TEXTS, a.event, row)
    print(f"restored {a.id}: verified")


def cmd_show(a: argparse.Namespace) -> None:
    body = _text(a.event, a.id)
    try:
        print(body)
    except BrokenPipeError:  # `show ... | head`
        sys.stderr.close()


def cmd_pair(a: argparse.Namespace) -> None:
    if a.relation not in RELATIONS:
        sys.exit(f"relation must be one of {RELATIONS}")
    if a.a == a.b:
        sys.exit("the two spans must come from different reports")
    path = EVENTS / a.event / "gold.jsonl"
    rows = _rows(path)
    sa, sb = _span(a.event, a.a, a.a_text, a.a_nth), _span(a.event, a.b, a.b_text, a.b_nth)
    for r in rows:
        if {(r["a"]["report"], r["a"]["start"]), (r["b"]["report"], r["b"]["start"])} == \
                {(sa["report"], sa["start"]), (sb["report"], sb["start"])}:
            sys.exit(f"this pair is already labelled as {r['id']}")
    row = {"id": _next_id(a.event, "p", rows), "a": sa, "b": sb, "relation": a.relation, "question": a.question,
           "speaker_a": a.speaker_a, "speaker_b": a.speaker_b, "rationale": a.why}
    _write_rows(path, rows + [row])
    print(f"added {row['id']}: {a.relation}")


def cmd_speaker(a: argparse.Namespace) -> None:
    path = EVENTS / a.event / "speakers.jsonl"
    rows = _rows(path)
    claim = _span(a.event, a.report, a.claim_text, a.claim_nth)
    spk = _span(a.event, a.report, a.speaker_text, a.speaker_nth) if a.speaker_text else None
    row = {"id": _next_id(a.event, "s", rows), "report": a.report, "claim": claim, "speaker": spk,
           "speaker_label": a.label}
    _write_rows(path, rows + [row])
    print(f"added {row['id']}")


def cmd_rm(a: argparse.Namespace) -> None:
    for name in ("gold.jsonl", "speakers.jsonl"):
        path = EVENTS / a.event / name
        rows = _rows(path)
        kept = [r for r in rows if r["id"] != a.item]
        if len(kept) != len(rows):
            _write_rows(path, kept)
            print(f"removed {a.item} from {name}")
            return
    sys.exit(f"no item {a.item!r}")


def cmd_status(a: argparse.Namespace) -> None:
    names = [a.event] if a.event else sorted(p.name for p in EVENTS.iterdir() if p.is_dir())
    for name in names:
        man = _rows(EVENTS / name / "manifest.jsonl")
        gold = _rows(EVENTS / name / "gold.jsonl")
        spk = _rows(EVENTS / name / "speakers.jsonl")
        outlets = Counter(r["outlet"] for r in man)
        days = sorted({r["published"][:10] for r in man})
        rel = Counter(r["relation"] for r in gold)
        related = rel.get("related", 0) / len(gold) if gold else 0.0
        print(f"{name}: {len(man)} reports, {len(outlets)} outlets, days {days[0] if days else '-'}.."
              f"{days[-1] if days else '-'} ({len(days)}), {len(gold)} pairs {dict(rel)} "
              f"(related {related:.0%}), {len(spk)} speaker items "
              f"({sum(1 for r in spk if r['speaker'])} attributed)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    def command(name: str, fn: object, *positionals: str) -> argparse.ArgumentParser:
        s = sub.add_parser(name)
        for arg in positionals:
            s.add_argument(arg)
        s.set_defaults(fn=fn)
        return s

    s = command("save", cmd_save, "event", "id")
    s.add_argument("--outlet", required=True)
    s.add_argument("--query", required=True)
    s.add_argument("--result", required=True, help="file holding one search result object, as returned")
    s.add_argument("--published")
    s.add_argument("--basis", choices=("url-date", "text", "given"))
    s.add_argument("--wire", default=None, help="wire credit when the text is a wire copy (Reuters, AP, AFP)")
    s.add_argument("--language", default="en")
    s = command("restore", cmd_restore, "event", "id")
    s.add_argument("--result", required=True,
                   help="file holding the search result object for the manifest's url (or a list of results, or the "
                        "whole answer with its 'results')")
    command("show", cmd_show, "event", "id")
    s = command("pair", cmd_pair, "event")
    for side in ("a", "b"):
        s.add_argument(f"--{side}", required=True)
        s.add_argument(f"--{side}-text", required=True)
        s.add_argument(f"--{side}-nth", type=int, default=0)
        s.add_argument(f"--speaker-{side}", required=True)
    s.add_argument("--relation", required=True)
    s.add_argument("--question", required=True)
    s.add_argument("--why", required=True)
    s = command("speaker", cmd_speaker, "event")
    s.add_argument("--report", required=True)
    s.add_argument("--claim-text", required=True)
    s.add_argument("--claim-nth", type=int, default=0)
    s.add_argument("--speaker-text", default="")
    s.add_argument("--speaker-nth", type=int, default=0)
    s.add_argument("--label", required=True)
    command("rm", cmd_rm, "event", "item")
    s = command("status", cmd_status)
    s.add_argument("event", nargs="?")
    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
