"""The real-news development benchmark: its on-disk format, loader and hash checks.

The texts are third-party and never committed. A benchmark folder (``benchmarks/news``) holds, per event,

- ``events/<event>/manifest.jsonl``: one line per report: ``id, outlet, url, published, published_basis,
  wire, language, query, corpus, excerpt_sha256, excerpt_length, text_sha256, text_length``;
- ``events/<event>/gold.jsonl``: cross-report pairs ``id, a, b, relation, question, speaker_a, speaker_b,
  rationale`` where ``a`` and ``b`` are spans ``{report, start, end, sha256}`` into the report texts;
- ``events/<event>/speakers.jsonl``: per-claim speaker gold ``id, report, claim, speaker, speaker_label``
  (``speaker`` a span, or ``null`` when the outlet itself asserts the claim);
- ``events/<event>/review.jsonl`` (optional): a blind second label per sampled pair.

The saved search answers live in the git-ignored ``texts/<event>/<report id>.json`` (``query, url, excerpt``,
exactly as the ``pages`` search returned them). A report's text is the excerpt without the leading
``date YYYY-MM-DD`` marker of the stored copy and without surrounding white space (:func:`report_text`);
gold offsets point into that text.

>>> report_text(" date 2023-06-06 Kyiv said the dam was blown up.\\n")
('Kyiv said the dam was blown up.', '2023-06-06')
>>> span_hash("abc")[:12]
'ba7816bf8f01'
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.data import RELATIONS, Report
from crosscheck.errors import DatasetError, Errors

_DATE_MARKER = re.compile(r"\A\s*date (\d{4}-\d{2}-\d{2})\b")


def span_hash(text: str) -> str:
    """sha256 (hex) of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report_text(excerpt: str) -> tuple[str, str | None]:
    """The report text of a stored page excerpt, and the date of its ``date YYYY-MM-DD`` marker (or None)."""
    m = _DATE_MARKER.match(excerpt)
    date = m.group(1) if m else None
    body = excerpt[m.end():] if m else excerpt
    return body.strip(), date


@dataclass(frozen=True)
class Span:
    """A character span of one report of the benchmark."""

    report: str
    start: int
    end: int
    sha256: str

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str) -> Span:
        try:
            return cls(str(d["report"]), int(d["start"]), int(d["end"]), str(d["sha256"]))
        except (KeyError, TypeError, ValueError):
            raise DatasetError(Errors.E211.format(where=where, span=d)) from None

    def to_dict(self) -> dict[str, Any]:
        return {"report": self.report, "start": self.start, "end": self.end, "sha256": self.sha256}


@dataclass(frozen=True)
class GoldPair:
    """A labelled cross-report claim pair."""

    id: str
    a: Span
    b: Span
    relation: str
    question: str
    speaker_a: str
    speaker_b: str
    rationale: str


@dataclass(frozen=True)
class GoldSpeaker:
    """Who asserts one claim: a span of the report, or None when the outlet itself does."""

    id: str
    claim: Span
    speaker: Span | None
    speaker_label: str


@dataclass
class NewsEvent:
    """One event of the benchmark, with its reports rebuilt and every hash checked."""

    name: str
    reports: list[Report]
    pairs: list[GoldPair]
    speakers: list[GoldSpeaker] = field(default_factory=list)
    review: dict[str, dict[str, Any]] = field(default_factory=dict)

    def text_of(self, span: Span) -> str:
        """The text of a gold span."""
        return self._by_id[span.report].text[span.start:span.end]

    @property
    def _by_id(self) -> dict[str, Report]:
        return {r.id: r for r in self.reports}


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSON Lines file (blank lines skipped); DatasetError on bad JSON."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(Errors.E212.format(path=path, line=n, msg=exc.msg)) from None


def load_saved_text(texts_dir: Path, event: str, row: dict[str, Any]) -> str:
    """The report text of manifest ``row`` from its saved search answer, with both hashes checked."""
    path = texts_dir / event / f"{row['id']}.json"
    if not path.exists():
        raise DatasetError(Errors.E213.format(path=path, query=row["query"], url=row["url"]))
    saved = json.loads(path.read_text(encoding="utf-8"))
    excerpt = saved["excerpt"]
    if span_hash(excerpt) != row["excerpt_sha256"] or len(excerpt) != row["excerpt_length"]:
        raise DatasetError(Errors.E214.format(path=path, what="saved excerpt"))
    text, _ = report_text(excerpt)
    if span_hash(text) != row["text_sha256"] or len(text) != row["text_length"]:
        raise DatasetError(Errors.E214.format(path=path, what="report text"))
    return text


def event_names(root: str | Path) -> list[str]:
    """The events of the benchmark folder ``root`` (folders under ``events/`` holding a manifest)."""
    base = Path(root) / "events"
    if not base.is_dir():
        raise DatasetError(Errors.E210.format(root=root))
    return sorted(p.name for p in base.iterdir() if (p / "manifest.jsonl").exists())


def _check_span(span: Span, texts: dict[str, str], where: str) -> None:
    if span.report not in texts:
        raise DatasetError(Errors.E326.format(where=where, report=span.report))
    text = texts[span.report]
    if not 0 <= span.start < span.end <= len(text) or span_hash(text[span.start:span.end]) != span.sha256:
        raise DatasetError(Errors.E215.format(where=where, start=span.start, end=span.end, report=span.report))


def load_event(root: str | Path, event: str, *, texts_dir: str | Path | None = None) -> NewsEvent:
    """Load one event: reports from the saved texts (hash-checked) and the gold with every span checked."""
    base = Path(root) / "events" / event
    tdir = Path(texts_dir) if texts_dir is not None else Path(root) / "texts"
    manifest = list(read_jsonl(base / "manifest.jsonl"))
    reports, texts = [], {}
    for row in manifest:
        text = load_saved_text(tdir, event, row)
        texts[row["id"]] = text
        meta = {k: row[k] for k in ("wire", "published_basis") if row.get(k)}
        reports.append(Report(row["id"], text, source=row["outlet"], published=row.get("published"),
                              url=row["url"], language=row.get("language") or "en", metadata=meta))
    pairs = []
    for d in read_jsonl(base / "gold.jsonl") if (base / "gold.jsonl").exists() else ():
        where = f"{event} pair {d.get('id')}"
        a, b = Span.from_dict(d["a"], where), Span.from_dict(d["b"], where)
        _check_span(a, texts, where)
        _check_span(b, texts, where)
        if d["relation"] not in RELATIONS:
            raise DatasetError(Errors.E216.format(where=where, relation=d["relation"], allowed=RELATIONS))
        if a.report == b.report:
            raise DatasetError(Errors.E327.format(where=where, report=a.report))
        pairs.append(GoldPair(d["id"], a, b, d["relation"], d.get("question", ""), d.get("speaker_a", ""),
                              d.get("speaker_b", ""), d.get("rationale", "")))
    speakers = []
    for d in read_jsonl(base / "speakers.jsonl") if (base / "speakers.jsonl").exists() else ():
        where = f"{event} speaker {d.get('id')}"
        claim = Span.from_dict(d["claim"], where)
        _check_span(claim, texts, where)
        spk = Span.from_dict(d["speaker"], where) if d.get("speaker") else None
        if spk is not None:
            _check_span(spk, texts, where)
        speakers.append(GoldSpeaker(d["id"], claim, spk, d.get("speaker_label", "")))
    review = {d["id"]: d for d in read_jsonl(base / "review.jsonl")} if (base / "review.jsonl").exists() else {}
    return NewsEvent(event, reports, pairs, speakers, review)


def load_benchmark(root: str | Path, *, events: list[str] | None = None,
                   texts_dir: str | Path | None = None) -> list[NewsEvent]:
    """Every event of the benchmark folder ``root`` (or those named in ``events``)."""
    names = events or event_names(root)
    return [load_event(root, name, texts_dir=texts_dir) for name in names]
