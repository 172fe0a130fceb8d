"""The data model: :class:`Report`, :class:`Sentence`, :class:`Claim`, :class:`Finding`, :class:`Topic`.

Every span keeps its report id and character offsets: ``report.text[start:end] == span.text``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.errors import InputError, ReportError

#: Largest report accepted, in characters. Longer texts raise instead of being truncated.
MAX_REPORT_CHARS = 2_000_000

HEDGES = ("asserted", "reported", "uncertain", "denied", "speculative")
RELATIONS = ("agree", "contradict", "disputed", "update", "related")
KINDS = ("negation", "number", "date", "place", "identity", "known_vs_unknown", "antonym", "other", "none")
STANCES = ("supports", "contradicts", "silent", "hedged", "relays")
#: What a line of a report is: the story itself, its headline, or a line around it (who wrote it, when and where it
#: was filed, a photo caption or credit, site navigation). The segmenter marks each :class:`Sentence`.
SENTENCE_KINDS = ("body", "headline", "byline", "dateline", "caption", "boilerplate")
#: The sentence kinds that become claims; the others say nothing about the event.
CLAIM_KINDS = ("body", "headline")


def parse_published(value: Any, *, report_id: str | None = None) -> dt.datetime | None:
    """Turn ``value`` into a timezone-aware datetime (or None).

    Accepts datetimes, pandas Timestamps and ISO 8601 strings. Naive datetimes and
    strings without an offset are rejected, because "8 December 14:00" means
    different instants in Moscow and Damascus.

    >>> parse_published("2024-12-08T14:00:00+03:00").isoformat()
    '2024-12-08T14:00:00+03:00'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "to_pydatetime"):
        if str(value) == "NaT":
            return None
        value = value.to_pydatetime()
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ReportError(f"[E003] unparseable publication time {text!r}; use ISO 8601 with an offset, "
                              "e.g. '2024-12-08T14:00:00+03:00'", report_id=report_id) from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        raise ReportError(f"[E004] publication time {value!r} is a date without a time and timezone",
                          report_id=report_id)
    if not isinstance(value, dt.datetime):
        raise ReportError(f"[E003] publication time must be a datetime or ISO string, got {type(value).__name__}",
                          report_id=report_id)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ReportError(f"[E004] publication time {value.isoformat()} is naive; give a timezone "
                          "(e.g. datetime(..., tzinfo=timezone.utc) or '+00:00')", report_id=report_id)
    return value


@dataclass(frozen=True)
class Report:
    """One news report.

    >>> r = Report("tass-1", "Assad resigned.", source="TASS", published="2024-12-08T14:00:00+03:00")
    >>> r.published.utcoffset().total_seconds()
    10800.0
    """

    id: str
    text: str
    source: str | None = None
    published: dt.datetime | None = None
    url: str | None = None
    language: str = "en"
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise ReportError(f"[E001] report id must be a non-empty string, got {self.id!r}")
        if not isinstance(self.text, str):
            raise ReportError(f"[E002] text must be str, got {type(self.text).__name__}", report_id=self.id)
        if not self.text.strip():
            raise ReportError("[E005] text is empty or whitespace only", report_id=self.id)
        if len(self.text) > MAX_REPORT_CHARS:
            raise ReportError(f"[E006] text has {len(self.text):,} characters, more than the limit of "
                              f"{MAX_REPORT_CHARS:,}; split it into several reports", report_id=self.id)
        if "\x00" in self.text:
            raise ReportError("[E007] text contains NUL characters; is this a binary file?", report_id=self.id)
        object.__setattr__(self, "published", parse_published(self.published, report_id=self.id))
        if self.source is None:
            object.__setattr__(self, "source", self.id)
        object.__setattr__(self, "metadata", dict(self.metadata or {}))

    # ---- loaders -------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, id: str | None = None) -> Report:
        """Build a report from a mapping with ``text`` and optional ``id``, ``source``, ``published``, ``url``.

        >>> Report.from_dict({"id": "a", "text": "Damascus fell."}).source
        'a'
        """
        if not isinstance(data, Mapping):
            raise ReportError(f"[E008] expected a mapping, got {type(data).__name__}", report_id=id)
        known = {"id", "text", "source", "published", "url", "language", "metadata"}
        rid = data.get("id", id)
        if rid is None:
            raise ReportError("[E001] report has no 'id'")
        if "text" not in data:
            raise ReportError("[E002] report has no 'text' field", report_id=str(rid))
        meta = dict(data.get("metadata") or {})
        meta.update({k: v for k, v in data.items() if k not in known})
        return cls(id=str(rid), text=data["text"], source=data.get("source"), published=data.get("published"),
                   url=data.get("url"), language=data.get("language") or "en", metadata=meta)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> list[Report]:
        """Build reports from an iterable of dicts (see :meth:`from_dict`)."""
        return [cls.from_dict(r, id=str(i)) for i, r in enumerate(records)]

    @classmethod
    def from_dataframe(cls, df: Any) -> list[Report]:
        """Build reports from a DataFrame with a ``text`` column (``id`` defaults to the row index)."""
        records = []
        for idx, row in df.iterrows():
            rec = {k: v for k, v in row.to_dict().items() if not _is_missing(v)}
            rec.setdefault("id", str(idx))
            records.append(rec)
        return cls.from_records(records)

    @classmethod
    def from_file(cls, path: str | Path, *, id: str | None = None, source: str | None = None,
                  published: Any = None, url: str | None = None) -> Report:
        """Read a UTF-8 text file as one report (id defaults to the file name without suffix)."""
        p = Path(path)
        rid = id or p.stem
        data = _read_text(p, rid)
        return cls(id=rid, text=data, source=source, published=published, url=url)

    @classmethod
    def from_jsonl(cls, path: str | Path) -> list[Report]:
        """Read one report per line of a JSON Lines file."""
        p = Path(path)
        out = []
        # lines end at \n, \r\n or \r only: U+2028, U+2029 and U+0085 may stand raw inside a JSON string
        for n, line in enumerate(re.split(r"\r\n|[\r\n]", _read_text(p, str(p))), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"[E010] {p}:{n}: invalid JSON ({exc.msg})") from None
            out.append(cls.from_dict(rec, id=f"{p.stem}-{n}"))
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``published`` as ISO 8601)."""
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d


def _is_missing(v: Any) -> bool:
    try:
        return v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "NaT"
    except (TypeError, ValueError):
        return False


def _read_text(p: Path, rid: str) -> str:
    if not p.exists():
        raise ReportError(f"[E011] file not found: {p}", report_id=rid)
    raw = p.read_bytes()
    if b"\x00" in raw[:8192]:
        raise ReportError(f"[E007] {p} looks like a binary file (NUL bytes)", report_id=rid)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportError(f"[E012] {p} is not valid UTF-8 (byte {exc.start}); re-encode it as UTF-8",
                          report_id=rid) from None


def as_reports(items: Iterable[Any]) -> list[Report]:
    """Coerce strings, dicts and Reports into a list of Reports, checking ids are unique."""
    if isinstance(items, (str, bytes, Report, Mapping)):
        raise InputError("[E020] expected a collection of reports, got a single item")
    reports: list[Report] = []
    for i, item in enumerate(items):
        if isinstance(item, Report):
            reports.append(item)
        elif isinstance(item, str):
            reports.append(Report(id=f"r{i + 1}", text=item))
        elif isinstance(item, Mapping):
            reports.append(Report.from_dict(item, id=f"r{i + 1}"))
        else:
            raise ReportError(f"[E002] cannot make a report from {type(item).__name__}", report_id=f"r{i + 1}")
    seen: set[str] = set()
    for r in reports:
        if r.id in seen:
            raise InputError(f"[E021] duplicate report id {r.id!r}; report ids must be unique")
        seen.add(r.id)
    return reports


@dataclass(frozen=True)
class Sentence:
    """A sentence of a report with exact offsets and its ``kind`` (one of :data:`SENTENCE_KINDS`)."""

    report_id: str
    start: int
    end: int
    text: str
    kind: str = "body"


@dataclass(frozen=True)
class Quantity:
    """A number in a claim, as an interval: ``low <= value <= high`` (``math.inf`` for open bounds).

    ``unit`` is the counted noun ("people"); ``role`` the event the number counts ("death", "injury",
    "missing", "evacuation", ...: :data:`crosscheck.lexicon.EVENT_ROLES`), from the parse, or None.
    """

    text: str
    value: float
    low: float
    high: float
    unit: str | None = None
    approximate: bool = False
    role: str | None = None


@dataclass(frozen=True)
class TimeRef:
    """A time expression resolved against the report's publication time (UTC dates, ISO).

    ``date`` is the first day (ISO ``YYYY-MM-DD``, None when it could not be resolved) and ``until`` the last day of
    a span ("last week", "in June 2023", "in 2019"; None for a single day). ``anchor`` is the lemma of the word the
    date modifies ("collapse" in "the dam collapsed on Tuesday"), and ``main`` is False when that word is not the
    claim's own event ("the dam, built in 1956", "a photo taken in 2019"): such dates are never compared.
    """

    text: str
    date: str | None
    until: str | None = None
    anchor: str = ""
    main: bool = True


@dataclass(frozen=True)
class Claim:
    """A span of a report that asserts one checkable proposition.

    ``kind`` is the kind of the sentence it comes from: ``"body"`` or ``"headline"`` (:data:`CLAIM_KINDS`).
    The attribution frame stays on the claim with offsets into the report: ``report.text[speaker_start:speaker_end]
    == speaker`` when ``speaker_start >= 0`` (-1 when the speaker is the outlet, or a name resolved from elsewhere:
    a pronoun, "the ministry", a quote carried over from an earlier sentence); ``cue`` is the reporting verb or
    phrase ("said", "has denied", "according to") at ``report.text[cue_start:cue_end]`` (-1 when the cue is in an
    earlier sentence or there is none); ``relay`` is the outer source of a nested attribution ("Reuters" in
    "Reuters reported that officials said ...").
    ``location_places`` are the places where the claim's subject is or ends up (``at`` and the last stop of a
    route); ``place_roles`` pairs every place named in the claim's content with its role: ``at``, ``origin``,
    ``via``, ``destination``, ``near``, ``actor`` (a speaker or possessor: "Jordan said", "Russia's army") or
    ``mention`` (see :mod:`crosscheck.extract.places`).
    ``questions`` are the recurring questions of news coverage the claim answers ("responsibility", "casualties",
    "cause", ...: :func:`crosscheck.extract.questions.question_types`), which the aligner pairs claims by.
    """

    id: str
    report_id: str
    start: int
    end: int
    text: str
    proposition: str
    speaker: str
    attributed: bool
    hedge: str
    negated: bool
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeRef, ...] = ()
    places: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    location_places: tuple[str, ...] = ()
    unknown_place: bool = False
    source: str | None = None
    published: dt.datetime | None = None
    predicate: str = ""
    lemmas: tuple[str, ...] = ()
    negated_lemmas: tuple[str, ...] = ()
    kind: str = "body"
    speaker_start: int = -1
    speaker_end: int = -1
    cue: str = ""
    cue_start: int = -1
    cue_end: int = -1
    relay: str = ""
    place_roles: tuple[tuple[str, str], ...] = ()
    questions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Claim:
        """Inverse of :meth:`to_dict`."""
        d = dict(d)
        d["quantities"] = tuple(Quantity(**q) for q in d.get("quantities", ()))
        d["times"] = tuple(TimeRef(**t) for t in d.get("times", ()))
        for k in ("places", "entities", "location_places", "lemmas", "negated_lemmas", "questions"):
            d[k] = tuple(d.get(k, ()))
        d["place_roles"] = tuple((str(p), str(r)) for p, r in d.get("place_roles", ()))
        d["published"] = parse_published(d.get("published"))
        return cls(**d)


@dataclass(frozen=True)
class Finding:
    """A judged relation between two claims of different reports."""

    id: str
    relation: str
    kind: str
    score: float
    reason: str
    claim_a: str
    claim_b: str
    similarity: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Topic:
    """A cluster of aligned claims about one question, with each report's stance."""

    id: str
    label: str
    claim_ids: tuple[str, ...]
    stances: Mapping[str, str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"id": self.id, "label": self.label, "claim_ids": list(self.claim_ids), "stances": dict(self.stances)}
