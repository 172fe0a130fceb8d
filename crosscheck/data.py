"""The data model: :class:`Report`, :class:`Sentence`, :class:`Claim`, :class:`Finding`, :class:`Topic`.

Every span keeps its report id and character offsets: ``report.text[start:end] == span.text``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.errors import Errors, InputError, ReportError

#: Largest report accepted, in characters. Longer texts raise instead of being truncated.
MAX_REPORT_CHARS = 2_000_000
#: Largest plain-text file :meth:`Report.from_file` reads: UTF-8 takes at most 4 bytes a character (and a BOM).
MAX_TEXT_FILE_BYTES = 4 * MAX_REPORT_CHARS + 3
#: Longest line :meth:`Report.from_jsonl` decodes: a report's text as JSON escapes (``\\uXXXX\\uXXXX`` is 12 bytes
#: a character at worst) plus 1 MiB for the other fields.
MAX_JSONL_LINE_BYTES = 12 * MAX_REPORT_CHARS + (1 << 20)
#: Largest ``.json`` file :meth:`Report.from_json_file` reads (it is decoded whole; use JSON Lines beyond).
MAX_JSON_FILE_BYTES = 256 << 20
#: Publication times outside this span are refused (E304): the result tables hold them as pandas Timestamps.
PUBLISHED_RANGE = (dt.datetime(1677, 9, 22, tzinfo=dt.timezone.utc), dt.datetime(2262, 4, 11, tzinfo=dt.timezone.utc))

HEDGES = ("asserted", "reported", "uncertain", "denied", "speculative")
RELATIONS = ("agree", "contradict", "disputed", "update", "related")
#: A finding's kind: what its conflict turns on; for an agreement found by a typed slot alone, that slot (``number``:
#: the same figure for the same count, ``blame``: the same side held responsible, ``quote``: the same words of one
#: speaker quoted); ``none`` for any other agreement or
#: a related pair; and ``copy`` for an agreement or a related pair between two claims of one origin
#: (:func:`crosscheck.origins.mark_copies`).
KINDS = ("negation", "number", "date", "place", "identity", "known_vs_unknown", "blame", "antonym", "quote", "status",
         "other", "none", "copy")
STANCES = ("supports", "contradicts", "silent", "hedged", "relays")
#: What a line of a report is: the story itself, its headline, or a line around it (who wrote it, when and where it
#: was filed, a photo caption or credit, site navigation). The segmenter marks each :class:`Sentence`.
SENTENCE_KINDS = ("body", "headline", "byline", "dateline", "caption", "boilerplate")
#: The sentence kinds that become claims; the others say nothing about the event.
CLAIM_KINDS = ("body", "headline")


def denial_differs(a: Claim, b: Claim) -> bool:
    """Whether exactly one of two claims is a denial (hedge ``denied``): "the presidency denied he had left" against
    "the rebels said he fled" is never one proposition, however alike the words (the judge calls no such pair an
    agreement by the model or the similarity, and the positions stage keeps them apart)."""
    return (a.hedge == "denied") != (b.hedge == "denied")


def parse_published(value: Any, *, report_id: str | None = None) -> dt.datetime | None:
    """Turn ``value`` into a timezone-aware datetime (or None).

    Accepts datetimes, pandas Timestamps and ISO 8601 strings. Naive datetimes and
    strings without an offset are rejected, because "8 December 14:00" means
    different instants in Moscow and Damascus; so are instants outside
    :data:`PUBLISHED_RANGE` (the span a pandas Timestamp holds, which the result tables use).

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
            raise ReportError(Errors.E003.format(text=text), report_id=report_id) from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        raise ReportError(Errors.E303.format(value=value), report_id=report_id)
    if not isinstance(value, dt.datetime):
        raise ReportError(Errors.E302.format(type=type(value).__name__), report_id=report_id)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ReportError(Errors.E004.format(value=value.isoformat()), report_id=report_id)
    low, high = PUBLISHED_RANGE
    try:
        inside = low <= value <= high
    except OverflowError:  # the offset takes the instant past datetime.min or datetime.max
        inside = False
    if not inside:
        raise ReportError(Errors.E304.format(value=value.isoformat(), low=low.isoformat(), high=high.isoformat()),
                          report_id=report_id)
    return value


def _check_string(value: Any, field: str, report_id: str | None, *, optional: bool = True) -> None:
    """``value`` is a str (or None when ``optional``) of valid Unicode: no lone surrogate (E308, E307)."""
    if value is None and optional:
        return
    if not isinstance(value, str):
        expected = "a string or None" if optional else "a string"
        raise ReportError(Errors.E308.format(field=field, expected=expected, type=type(value).__name__),
                          report_id=report_id)
    _check_unicode(value, field, report_id)


def _check_unicode(text: str, field: str, report_id: str | None) -> None:
    """Reject a lone surrogate (``"\\ud800"``, also from a JSON ``\\ud800`` escape): no encoder or tokenizer takes it."""
    if text.isascii():
        return
    try:
        text.encode("utf-8")  # in C, and only a surrogate makes UTF-8 fail: 5x faster than a regex search
    except UnicodeEncodeError as exc:
        raise ReportError(Errors.E307.format(field=field, code=ord(text[exc.start]), pos=exc.start),
                          report_id=report_id) from None


def _json_value(value: Any, path: str, report_id: str | None) -> Any:
    """``value`` as plain JSON data: mappings with str keys become dicts, tuples lists, datetimes and dates ISO
    strings, numpy scalars Python numbers; anything else JSON cannot hold raises (E310-E312)."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ReportError(Errors.E312.format(path=path, value=value), report_id=report_id)
        return value
    if isinstance(value, str):
        _check_unicode(value, f"metadata{path}", report_id)
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise ReportError(Errors.E311.format(path=path, type=type(k).__name__), report_id=report_id)
            _check_unicode(k, f"metadata{path} key", report_id)
            out[k] = _json_value(v, f"{path}[{k!r}]", report_id)
        return out
    if isinstance(value, (list, tuple)):
        return [_json_value(v, f"{path}[{i}]", report_id) for i, v in enumerate(value)]
    if hasattr(value, "dtype") and hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        return _json_value(value.item(), path, report_id)  # a numpy scalar (from a DataFrame)
    raise ReportError(Errors.E310.format(path=path, type=type(value).__name__), report_id=report_id)


def check_metadata(value: Any, report_id: str | None = None) -> dict[str, Any]:
    """A report's ``metadata`` as a JSON-ready dict (None is an empty dict), or a :class:`ReportError`.

    Datetimes and dates become ISO 8601 strings and tuples lists, so that ``to_json`` can write any report and
    ``Result.from_json`` gives it back equal; values JSON cannot hold (sets, objects, NaN) raise.

    >>> import datetime as dt
    >>> check_metadata({"seen": dt.date(2024, 12, 8), "tags": ("a", "b")})
    {'seen': '2024-12-08', 'tags': ['a', 'b']}
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ReportError(Errors.E309.format(type=type(value).__name__), report_id=report_id)
    return _json_value(value, "", report_id)


@dataclass(frozen=True)
class Report:
    """One news report.

    Every field is checked when the report is made: ``id`` and ``text`` non-empty strings, ``source``, ``url``
    strings or None, ``language`` a string, all of valid Unicode (a lone surrogate raises E307, naming the field
    and the position); ``text`` at most :data:`MAX_REPORT_CHARS` characters; ``published`` timezone-aware;
    ``metadata`` a mapping of JSON data (datetimes and dates in it are converted to ISO strings, see
    :func:`check_metadata`). A bad field raises :class:`~crosscheck.errors.ReportError`.

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
            raise ReportError(Errors.E001.format(value=self.id))
        _check_unicode(self.id, "id", None)
        if not isinstance(self.text, str):
            raise ReportError(Errors.E002.format(type=type(self.text).__name__), report_id=self.id)
        if not self.text.strip():
            raise ReportError(Errors.E005, report_id=self.id)
        if len(self.text) > MAX_REPORT_CHARS:
            raise ReportError(Errors.E006.format(n=len(self.text), limit=MAX_REPORT_CHARS), report_id=self.id)
        if "\x00" in self.text:
            raise ReportError(Errors.E007.format(what="text"), report_id=self.id)
        _check_unicode(self.text, "text", self.id)
        _check_string(self.source, "source", self.id)
        _check_string(self.url, "url", self.id)
        _check_string(self.language, "language", self.id, optional=False)
        object.__setattr__(self, "published", parse_published(self.published, report_id=self.id))
        if self.source is None:
            object.__setattr__(self, "source", self.id)
        object.__setattr__(self, "metadata", check_metadata(self.metadata, self.id))

    # ---- loaders -------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, id: str | None = None) -> Report:
        """Build a report from a mapping with ``text`` and optional ``id``, ``source``, ``published``, ``url``.

        Keys other than the fields go into ``metadata``.

        >>> Report.from_dict({"id": "a", "text": "Damascus fell."}).source
        'a'
        """
        if not isinstance(data, Mapping):
            raise ReportError(Errors.E008.format(type=type(data).__name__), report_id=id)
        known = {"id", "text", "source", "published", "url", "language", "metadata"}
        rid = data.get("id", id)
        if rid is None:
            raise ReportError(Errors.E001.format(value=None))
        if isinstance(rid, (Mapping, list, tuple, set, bytes)):
            raise ReportError(Errors.E001.format(value=rid))
        if "text" not in data:
            raise ReportError(Errors.E300, report_id=str(rid))
        meta = data.get("metadata")
        if meta is not None and not isinstance(meta, Mapping):
            raise ReportError(Errors.E309.format(type=type(meta).__name__), report_id=str(rid))
        meta = {**(meta or {}), **{k: v for k, v in data.items() if k not in known}}  # checked by the constructor
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
        """Read a UTF-8 text file as one report (id defaults to the file name without suffix).

        A file larger than :data:`MAX_TEXT_FILE_BYTES` is refused from its size, before it is read (E306).
        """
        p = Path(path)
        rid = id or p.stem
        data = _read_text(p, rid)
        return cls(id=rid, text=data, source=source, published=published, url=url)

    @classmethod
    def from_html(cls, html: str | bytes, *, id: str, source: str | None = None, published: Any = None,
                  url: str | None = None, metadata: Mapping[str, Any] | None = None) -> Report:
        """A report from a web page: trafilatura keeps the article and reads the page's metadata.

        The text is the article's title (its headline) followed by the main text; navigation, scripts, styles,
        comments, footers and other boilerplate never become text. ``bytes`` are decoded as the page declares
        (``<meta charset>``), a ``str`` is taken as it is. What the page says fills what is not given: ``source``
        from its site name, ``url`` from its canonical URL, ``published`` from its publication time when the page
        gives one with a UTC offset (a date alone is kept as ``metadata["date"]``: a report's time is an instant,
        see :func:`parse_published`). ``metadata`` gains ``title``, ``sitename``, ``author`` and ``date`` where the
        page has them (given ``metadata`` wins). A page with no article text is E444, an ``html`` that is neither
        ``str`` nor ``bytes`` E445 (both :class:`~crosscheck.errors.ReportError`).

        >>> page = ('<html><head><title>Ferry aground</title><script>var x = "Not a claim.";</script></head>'
        ...         '<body><article><p>A ferry ran aground near Port Elsa on Tuesday, the coast guard said.</p>'
        ...         '</article></body></html>')
        >>> print(Report.from_html(page, id="ferry").text)
        Ferry aground
        <BLANKLINE>
        A ferry ran aground near Port Elsa on Tuesday, the coast guard said.
        """
        if not isinstance(html, (str, bytes)):
            raise ReportError(Errors.E445.format(type=type(html).__name__), report_id=id)
        if isinstance(html, str):
            _check_unicode(html, "html", id)
        doc = _extract_html(html) if html.strip() else None
        # trafilatura puts each paragraph (and heading) on a line: a blank line between them makes each its own
        # block for the segmenter, as in a text file
        body = "\n\n".join(ln.strip() for ln in (doc.text or "").splitlines() if ln.strip()) if doc else ""
        if not body:
            raise ReportError(Errors.E444.format(path=id), report_id=id)
        title = (doc.title or "").strip()
        text = body if not title or body.startswith(title) else f"{title}\n\n{body}"
        page_time = _page_time(doc.date)
        meta = {k: getattr(doc, k) for k in ("title", "sitename", "author") if getattr(doc, k, None)}
        if doc.date:
            meta["date"] = doc.date[:10]
        return cls(id=id, text=text, source=source if source is not None else doc.sitename,
                   published=published if published is not None else page_time,
                   url=url if url is not None else doc.url, metadata={**meta, **(metadata or {})})

    @classmethod
    def from_json_file(cls, path: str | Path) -> list[Report]:
        """Read a ``.json`` file holding one report object or a list of them (ids default to ``{stem}-{n}``).

        The file is read whole, so it is refused above :data:`MAX_JSON_FILE_BYTES` (E306); larger sets go in JSON
        Lines (:meth:`from_jsonl`), which is read a line at a time.
        """
        p = Path(path)
        return json_reports(_read_text(p, str(p), limit=MAX_JSON_FILE_BYTES), p, p.stem)

    @classmethod
    def from_jsonl(cls, path: str | Path) -> list[Report]:
        """Read one report per line of a JSON Lines file.

        The file is read a line at a time; a line longer than :data:`MAX_JSONL_LINE_BYTES` is refused before it is
        decoded (E306), so a huge file costs no more memory than its longest report.
        """
        p = Path(path)
        with _open_bytes(p, str(p)) as fh:
            return jsonl_reports(fh, p, p.stem)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``published`` as ISO 8601)."""
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d


#: What :meth:`Report.from_html` asks htmldate for: the original publication time, with its UTC offset when the
#: page gives one ("2025-05-06T09:30:00+0200"; a page with only a date gives "2025-05-06T00:00:00", no offset).
_HTML_DATE = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True}


def _extract_html(html: str | bytes) -> Any:
    """trafilatura's document (main text and metadata) of a page, or None when it finds no article."""
    import trafilatura

    return trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                       date_extraction_params=dict(_HTML_DATE))


def _page_time(value: str | None) -> dt.datetime | None:
    """The page's publication time when it carries a UTC offset, else None (a date alone is not an instant)."""
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return stamp if stamp.utcoffset() is not None else None


def json_reports(text: str, p: Path, stem: str) -> list[Report]:
    """The reports of a JSON document (one report object or a list of them; ids default to ``{stem}-{n}``);
    ``p`` names it in messages (E010)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(Errors.E010.format(path=p, line=exc.lineno, msg=exc.msg)) from None
    items = data if isinstance(data, list) else [data]
    return [Report.from_dict(d, id=f"{stem}-{i + 1}") for i, d in enumerate(items)]


def jsonl_reports(fh: Any, p: Path, stem: str) -> list[Report]:
    """The reports of a binary stream of JSON Lines, read a line at a time (ids default to ``{stem}-{line}``; a
    line over :data:`MAX_JSONL_LINE_BYTES` is E306); ``p`` names the stream in messages."""
    rid = str(p)
    out, offset = [], 0
    for n, raw in enumerate(iter(lambda: fh.readline(MAX_JSONL_LINE_BYTES + 1), b""), start=1):
        if len(raw) > MAX_JSONL_LINE_BYTES:
            raise ReportError(Errors.E306.format(what=f"{p}:{n}", limit=MAX_JSONL_LINE_BYTES), report_id=rid)
        skip = 3 if n == 1 and raw.startswith(b"\xef\xbb\xbf") else 0
        line = _decode(raw[skip:], p, rid, offset + skip)
        offset += len(raw)
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(Errors.E010.format(path=p, line=n, msg=exc.msg)) from None
        out.append(Report.from_dict(rec, id=f"{stem}-{n}"))
    return out


def _is_missing(v: Any) -> bool:
    try:
        return v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "NaT"
    except (TypeError, ValueError):
        return False


def _open_bytes(p: Path, rid: str) -> Any:
    """``p`` opened for binary reading, or a :class:`ReportError` (missing E011, a directory E305)."""
    if p.is_dir():
        raise ReportError(Errors.E305.format(path=p), report_id=rid)
    try:
        return p.open("rb")
    except FileNotFoundError:
        raise ReportError(Errors.E011.format(path=p), report_id=rid) from None
    except OSError as exc:
        raise ReportError(Errors.E335.format(path=p, problem=exc.strerror or exc), report_id=rid) from None


def _decode(raw: bytes, p: Path, rid: str, offset: int = 0) -> str:
    if b"\x00" in raw:
        raise ReportError(Errors.E007.format(what=p), report_id=rid)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReportError(Errors.E012.format(path=p, pos=offset + exc.start), report_id=rid) from None


def _read_text(p: Path, rid: str, *, limit: int | None = None) -> str:
    """The UTF-8 text of ``p``; its size is checked against ``limit`` bytes (default :data:`MAX_TEXT_FILE_BYTES`)
    before anything is read, and at most ``limit + 1`` bytes are ever read (a file that grows meanwhile)."""
    limit = MAX_TEXT_FILE_BYTES if limit is None else limit
    with _open_bytes(p, rid) as fh:
        size = os.fstat(fh.fileno()).st_size
        raw = fh.read(limit + 1) if size <= limit else b""
        if size > limit or len(raw) > limit:
            raise ReportError(Errors.E306.format(what=p, limit=limit), report_id=rid)
    bom = raw.startswith(b"\xef\xbb\xbf")
    return _decode(raw[3:] if bom else raw, p, rid, 3 if bom else 0)


def as_reports(items: Iterable[Any]) -> list[Report]:
    """Coerce strings, dicts and Reports into a list of Reports, checking ids are unique."""
    if isinstance(items, (str, bytes, Report, Mapping)):
        raise InputError(Errors.E020)
    if not isinstance(items, Iterable):
        raise InputError(Errors.E313.format(type=type(items).__name__))
    reports: list[Report] = []
    for i, item in enumerate(items):
        if isinstance(item, Report):
            reports.append(item)
        elif isinstance(item, str):
            reports.append(Report(id=f"r{i + 1}", text=item))
        elif isinstance(item, Mapping):
            reports.append(Report.from_dict(item, id=f"r{i + 1}"))
        else:
            raise ReportError(Errors.E301.format(type=type(item).__name__), report_id=f"r{i + 1}")
    seen: set[str] = set()
    for r in reports:
        if r.id in seen:
            raise InputError(Errors.E021.format(id=r.id))
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
        """JSON-ready dict: strict JSON, so an open bound of a quantity ("at least 300": ``high == inf``) is
        written as None (``null``); :meth:`from_dict` reads it back as infinite."""
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        for q in d["quantities"]:
            q["low"] = None if q["low"] == -math.inf else q["low"]
            q["high"] = None if q["high"] == math.inf else q["high"]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Claim:
        """Inverse of :meth:`to_dict`."""
        d = dict(d)
        d["quantities"] = tuple(Quantity(**{**q, "low": -math.inf if q.get("low") is None else q["low"],
                                            "high": math.inf if q.get("high") is None else q["high"]})
                                for q in d.get("quantities", ()))
        d["times"] = tuple(TimeRef(**t) for t in d.get("times", ()))
        for k in ("places", "entities", "location_places", "lemmas", "negated_lemmas", "questions"):
            d[k] = tuple(d.get(k, ()))
        d["place_roles"] = tuple((str(p), str(r)) for p, r in d.get("place_roles", ()))
        d["published"] = parse_published(d.get("published"))
        return cls(**d)


@dataclass(frozen=True)
class Finding:
    """A judged relation between two claims of different reports.

    ``probability`` is how likely ``relation`` is right (calibrated on real news: :mod:`crosscheck.calibration`), or
    None when the judge sets none; the default views show a conflict or an agreement only at or above the result's
    ``min_probability``."""

    id: str
    relation: str
    kind: str
    score: float
    reason: str
    claim_a: str
    claim_b: str
    similarity: float = 0.0
    probability: float | None = None

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
