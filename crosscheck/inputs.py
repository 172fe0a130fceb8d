"""Reading reports from what a command line names: files by their suffix, folders, standard input, plus metadata
for text inputs (``--source``, ``--published``, a ``--manifest`` CSV).

==================  ===========================================================================================
``.txt``, ``.md``   the file's text is one report (so is a file of any other suffix named directly)
``.html``, ``.htm`` the page's article is one report (:meth:`~crosscheck.data.Report.from_html`: title, text, site
                    name, publication time; scripts, styles and boilerplate dropped)
``.json``           one report object or a list of them
``.jsonl``          one report object a line
``.csv``            one report a row, columns mapped by name (:data:`CSV_COLUMNS`; see :func:`read_csv`)
a folder            every file of the suffixes above beneath it, recursively, in sorted order; hidden files and
                    folders are skipped, files of other suffixes too (:attr:`Inputs.skipped` lists them)
``-``               standard input, read as ``stdin_format`` says (:func:`read_stdin`)
==================  ===========================================================================================

Report ids: a text or HTML file is the report of its name without the suffix (``a.txt`` is ``a``); in a folder, of
its path relative to the folder (``x/r.txt`` is ``x/r``), so two files of the same name in different folders do not
clash. When two inputs would still get one id, both take the path as written (``d1/r``, ``d2/r``). Records of
JSON, JSON Lines and CSV files keep their ``id`` (default: the file's id, a dash and the record's number).

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> for sub in ("wire", "daily"):
...     (folder / sub).mkdir()
...     _ = (folder / sub / "flood.txt").write_text(f"The {sub} says 300 people died.", encoding="utf-8")
>>> [r.id for r in read_inputs([str(folder)]).reports]
['daily/flood', 'wire/flood']
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from crosscheck.data import (
    MAX_JSON_FILE_BYTES,
    MAX_TEXT_FILE_BYTES,
    Report,
    _decode,
    _open_bytes,
    _read_text,
    json_reports,
    jsonl_reports,
)
from crosscheck.errors import Errors, InputError, ReportError

#: Suffixes read as plain text, as HTML pages, and as files of records.
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
RECORD_SUFFIXES = (".json", ".jsonl", ".csv")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + RECORD_SUFFIXES
#: The formats of :func:`read_stdin` (``auto`` sniffs, see there).
STDIN_FORMATS = ("auto", "txt", "md", "html", "json", "jsonl", "csv")
#: Report fields of a CSV file (and of a manifest), each with the column names that hold it, matched without regard
#: to case or surrounding spaces. Every other column goes into the report's ``metadata`` under its header.
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body"),
    "source": ("source", "outlet"),
    "published": ("published", "date"),
    "url": ("url",),
    "title": ("title",),
    "id": ("id",),
}
#: The columns of a ``--manifest`` (:func:`read_manifest`): a ``path`` and the metadata fields of :data:`CSV_COLUMNS`.
MANIFEST_COLUMNS: dict[str, tuple[str, ...]] = {"path": ("path",),
                                                **{k: v for k, v in CSV_COLUMNS.items() if k != "text"}}
#: Largest CSV field :func:`read_csv` accepts: a report's text of the most characters a report takes, 4 bytes each.
_CSV_FIELD_LIMIT = MAX_TEXT_FILE_BYTES


@dataclass(frozen=True)
class Origin:
    """Where a report came from: ``path`` as written (``-`` for standard input), ``line`` where its record starts
    (JSON Lines, CSV; None otherwise), and ``text_file``: True when the report's text is the file's text, so that a
    character offset gives a line of the file (plain-text inputs)."""

    path: str
    line: int | None = None
    text_file: bool = False

    def line_of(self, text: str, offset: int) -> int | None:
        """The file's line of character ``offset`` of a report ``text`` from here (None when it has none)."""
        if self.text_file:
            return text.count("\n", 0, offset) + 1
        return self.line


@dataclass
class Inputs:
    """What :func:`read_inputs` read: the ``reports`` in order, each one's :class:`Origin` (``origins`` by report
    id), and the files of folders it ``skipped`` for their suffix."""

    reports: list[Report]
    origins: dict[str, Origin] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


@dataclass
class _Item:
    """One input to read: a file (or standard input) in a format, with the ids it may take, shortest first."""

    name: str                 # the path as written, or "-"
    path: Path | None         # None for standard input
    fmt: str
    names: tuple[str, ...]
    level: int = 0

    @property
    def key(self) -> str:
        return self.names[min(self.level, len(self.names) - 1)]

    @property
    def is_text(self) -> bool:
        return self.fmt in ("txt", "md", "html", "auto")


def format_of(path: Path) -> str:
    """The format a file's suffix says (case aside); ``txt`` for any suffix not in :data:`SUFFIXES`.

    >>> format_of(Path("a/Page.HTM")), format_of(Path("notes")), format_of(Path("rows.csv"))
    ('html', 'txt', 'csv')
    """
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    return suffix[1:] if suffix in SUFFIXES else "txt"


def _written(path: str) -> str:
    """A path as written, in forward slashes, without a leading ``./``."""
    text = Path(path).as_posix()
    return text[2:] if text.startswith("./") else text


def _expand(names: Sequence[str], stdin_format: str, skipped: list[str]) -> list[_Item]:
    """The inputs the arguments name: folders walked (E446 when one holds no report file), ``-`` at most once (E447)."""
    items: list[_Item] = []
    for name in names:
        if name == "-":
            if any(item.path is None for item in items):
                raise InputError(Errors.E447)
            items.append(_Item("-", None, stdin_format, ("stdin",)))
            continue
        p = Path(name)
        if not p.is_dir():
            stem = _written(str(p.with_suffix(""))) if p.suffix else _written(name)
            items.append(_Item(name, p, format_of(p), (p.stem or p.name, stem, _written(name))))
            continue
        found = []
        for path in sorted(_walk(p, skipped), key=lambda f: f.relative_to(p).parts):
            rel = path.relative_to(p)
            short = rel.with_suffix("").as_posix()
            found.append(_Item(str(path), path, format_of(path),
                               (short, f"{_written(name)}/{short}", f"{_written(name)}/{rel.as_posix()}")))
        if not found:
            raise InputError(Errors.E446.format(path=p, suffixes=", ".join(SUFFIXES)))
        items.extend(found)
    _settle_ids(items)
    return items


def _walk(folder: Path, skipped: list[str]) -> Iterator[Path]:
    """Files of :data:`SUFFIXES` beneath ``folder`` in sorted order (hidden ones aside; others go to ``skipped``).
    Symbolic links to folders are not followed (no loops)."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            if path.suffix.lower() in SUFFIXES:
                yield path
            else:
                skipped.append(str(path))


def _settle_ids(items: list[_Item]) -> None:
    """Give each input the shortest of its ids that no other input takes (the same file twice keeps a clash,
    which the reports' id check reports as E021)."""
    while True:
        counts: dict[str, int] = {}
        for item in items:
            counts[item.key] = counts.get(item.key, 0) + 1
        clashing = [i for i in items if counts[i.key] > 1 and i.level < len(i.names) - 1]
        if not clashing:
            return
        for item in clashing:
            item.level += 1


def read_inputs(names: Sequence[str], *, source: Sequence[str] = (), published: Sequence[str] = (),
                manifest: str | Path | None = None, stdin: BinaryIO | None = None,
                stdin_format: str = "auto") -> Inputs:
    """Read every input ``names`` lists (paths, folders, ``-``) into reports, with metadata for the text inputs.

    ``source`` and ``published`` hold the command line's values: one value applies to every text input (text and
    HTML files, standard input read as text or HTML), as many values as there are text inputs apply one each, in
    order (else E448; any value with no text input is E449). ``manifest`` is a CSV file of metadata by path
    (:func:`read_manifest`). What the command line says wins over the manifest, which wins over what an HTML page
    says of itself. Files of records (JSON, JSON Lines, CSV) carry their own metadata.
    """
    skipped: list[str] = []
    items = _expand(names, stdin_format, skipped)
    texts = [item for item in items if item.is_text]
    per_text = {id(item): {} for item in texts}
    if manifest is not None:
        rows = read_manifest(manifest)
        for item in texts:
            if item.path is not None:
                per_text[id(item)].update(rows.get(_resolved(item.path), {}))
    for option, values in (("--source", source), ("--published", published)):
        for item, value in zip(texts, spread(option, list(values), len(texts))):
            if value is not None:
                per_text[id(item)][option[2:]] = value
    out = Inputs([], skipped=skipped)
    for item in items:
        meta = per_text.get(id(item), {})
        for report, origin in _read_item(item, stdin, meta):
            out.reports.append(report)
            out.origins.setdefault(report.id, origin)
    return out


def spread(option: str, values: list[str], n_texts: int) -> list[str | None]:
    """The value of a command-line ``option`` for each of ``n_texts`` text inputs: none, one for all, or one each.

    >>> spread("--source", ["Wire"], 2), spread("--source", ["A", "B"], 2), spread("--source", [], 2)
    (['Wire', 'Wire'], ['A', 'B'], [None, None])
    """
    if not values:
        return [None] * n_texts
    if n_texts == 0:
        raise InputError(Errors.E449.format(option=option, suffixes=", ".join(TEXT_SUFFIXES + HTML_SUFFIXES)))
    if len(values) == 1:
        return values * n_texts
    if len(values) != n_texts:
        raise InputError(Errors.E448.format(option=option, n=len(values), m=n_texts))
    return list(values)


def _resolved(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def _fields(meta: Mapping[str, Any]) -> dict[str, Any]:
    """Report keyword arguments from metadata values (``title`` and unknown columns into ``metadata``)."""
    kwargs: dict[str, Any] = {k: meta[k] for k in ("source", "published", "url") if meta.get(k) is not None}
    extra = {k: v for k, v in meta.items() if k not in ("source", "published", "url", "id") and v is not None}
    if extra:
        kwargs["metadata"] = extra
    return kwargs


def _read_item(item: _Item, stdin: BinaryIO | None, meta: Mapping[str, Any]) -> list[tuple[Report, Origin]]:
    rid = str(meta.get("id") or item.key)
    if item.path is None:
        return [(r, Origin("-")) for r in read_stdin(stdin, item.fmt, meta=meta)]
    p = item.path
    origin = Origin(item.name, text_file=item.fmt in ("txt", "md"))
    if item.fmt in ("txt", "md"):
        kwargs = _fields(meta)
        return [(Report(id=rid, text=_read_text(p, rid), **kwargs), origin)]
    if item.fmt == "html":
        return [(Report.from_html(_read_bytes(p, rid), id=rid, **_fields(meta)), origin)]
    if item.fmt == "json":
        return [(r, origin) for r in json_reports(_read_text(p, str(p), limit=MAX_JSON_FILE_BYTES), p, item.key)]
    if item.fmt == "jsonl":
        with _open_bytes(p, str(p)) as fh:
            reports = jsonl_reports(fh, p, item.key)
        return [(r, Origin(item.name, line=_line_of_default(r.id, item.key))) for r in reports]
    rows = read_csv(p, id_prefix=item.key)
    return [(r, Origin(item.name, line=line)) for r, line in rows]


def _line_of_default(report_id: str, key: str) -> int | None:
    """The line of a JSON Lines record whose id is the default ``{key}-{line}``, else None."""
    m = re.fullmatch(re.escape(key) + r"-(\d+)", report_id)
    return int(m.group(1)) if m else None


def _read_bytes(p: Path, rid: str, limit: int = MAX_TEXT_FILE_BYTES) -> bytes:
    """The bytes of ``p``, refused from its size above ``limit`` (E306), missing E011, a folder E305."""
    with _open_bytes(p, rid) as fh:
        size = os.fstat(fh.fileno()).st_size
        raw = fh.read(limit + 1) if size <= limit else b""
    if size > limit or len(raw) > limit:
        raise ReportError(Errors.E306.format(what=p, limit=limit), report_id=rid)
    return raw


# ---- CSV ------------------------------------------------------------------------------------------------------------
@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """The csv module's field size limit raised to ``limit`` for the block (it is process-wide), then restored."""
    saved = csv.field_size_limit()
    csv.field_size_limit(max(saved, limit))
    try:
        yield
    finally:
        csv.field_size_limit(saved)


def _header_map(path: Any, header: list[str], required: str,
                fields: Mapping[str, tuple[str, ...]] = CSV_COLUMNS) -> dict[str, int]:
    """Column index of each field of ``fields`` in ``header``, E442 when ``required`` is missing, E443 for a field
    two columns give or a header twice."""
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.strip().casefold()
        if key in seen:
            raise InputError(Errors.E443.format(path=path, line=1, problem=f"the column {name.strip()!r} appears twice"))
        seen[key] = i
    out: dict[str, int] = {}
    for fld, names in fields.items():
        present = [n for n in names if n in seen]
        if len(present) > 1:
            raise InputError(Errors.E443.format(path=path, line=1, problem=f"both {present[0]!r} and {present[1]!r} "
                                                f"give the {fld}; keep one of them"))
        if present:
            out[fld] = seen[present[0]]
    if required not in out:
        names = fields[required]
        raise InputError(Errors.E442.format(path=path, field=required, names=", ".join(repr(n) for n in names),
                                            columns=[h.strip() for h in header]))
    return out


def csv_rows(text: str, path: Any, required: str,
             fields: Mapping[str, tuple[str, ...]] = CSV_COLUMNS) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, row)`` for each data row of a CSV ``text``: ``row`` maps each field of ``fields`` to its cell
    (empty cells left out, but for ``text``, whose emptiness the report refuses) and every other column, by its
    header, into ``row["metadata"]``. Blank lines are skipped; no ``required`` column is E442, a row with another
    number of cells than the header E443."""
    with _csv_field_limit(_CSV_FIELD_LIMIT):
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(Errors.E442.format(path=path, field=required,
                                                    names=", ".join(map(repr, fields[required])), columns=[]))
            index = _header_map(path, header, required, fields)
            known = set(index.values())
            start = reader.line_num + 1
            for cells in reader:
                line, start = start, reader.line_num + 1
                if not cells:
                    continue
                if len(cells) != len(header):
                    raise InputError(Errors.E443.format(path=path, line=line, problem=f"{len(cells)} cells, the "
                                                        f"header has {len(header)}"))
                row: dict[str, Any] = {f: cells[i] for f, i in index.items() if cells[i].strip() or f == "text"}
                meta = {header[i].strip(): cells[i] for i in range(len(header)) if i not in known}
                if meta:
                    row["metadata"] = meta
                yield line, row
        except csv.Error as exc:
            raise InputError(Errors.E443.format(path=path, line=reader.line_num, problem=exc)) from None


def read_csv(path: str | Path, *, id_prefix: str | None = None) -> list[tuple[Report, int]]:
    """The reports of a CSV file, one a row, each with the line its row starts on.

    Columns are matched by name, case and surrounding spaces aside (:data:`CSV_COLUMNS`): the text from ``text`` or
    ``body`` (required: E442 names it and the columns there are), ``source`` or ``outlet``, ``published`` or
    ``date`` (ISO 8601 with a UTC offset, as every publication time), ``url``, ``title`` and ``id`` (default
    ``{id_prefix}-{row number}``, the prefix defaulting to the file's name without suffix). Every other column goes
    into ``metadata`` under its header, ``title`` too. Empty cells are missing values (an empty text is E005);
    blank lines are skipped; a malformed file is E443 with its line, a header that gives a field twice too.
    """
    p = Path(path)
    text = _read_text(p, str(p), limit=MAX_JSON_FILE_BYTES)
    return _csv_reports(text, p, id_prefix or p.stem)


def _csv_reports(text: str, p: Any, prefix: str) -> list[tuple[Report, int]]:
    out = []
    for n, (line, row) in enumerate(csv_rows(text, p, "text"), start=1):
        meta = dict(row.pop("metadata", {}))
        if "title" in row:
            meta["title"] = row.pop("title")
        rid = row.pop("id", None) or f"{prefix}-{n}"
        out.append((Report.from_dict({**row, "id": rid, "metadata": meta}), line))
    return out


def read_manifest(path: str | Path) -> dict[str, dict[str, Any]]:
    """Metadata for text inputs by file: a CSV with a ``path`` column and any of ``source``/``outlet``,
    ``published``/``date``, ``url``, ``title``, ``id`` (the report's id) and other columns (into ``metadata``).

    Paths are relative to the manifest's folder. Returns the rows by the resolved path. A path that does not exist,
    names a file of records (JSON, JSON Lines, CSV carry their own metadata) or comes twice is E450; no ``path``
    column E442.
    """
    p = Path(path)
    text = _read_text(p, str(p), limit=MAX_JSON_FILE_BYTES)
    rows: dict[str, dict[str, Any]] = {}
    for line, row in csv_rows(text, p, "path", MANIFEST_COLUMNS):
        name = row.pop("path", "").strip()
        if not name:
            raise InputError(Errors.E450.format(path=p, line=line, problem="the path is empty"))
        target = p.parent / name
        if not target.is_file():
            raise InputError(Errors.E450.format(path=p, line=line, problem=f"no such file {target}"))
        if format_of(target) not in ("txt", "md", "html"):
            raise InputError(Errors.E450.format(path=p, line=line, problem=f"{name} is a file of records, which "
                                                "carries its own metadata"))
        key = _resolved(target)
        if key in rows:
            raise InputError(Errors.E450.format(path=p, line=line, problem=f"{name} is listed twice"))
        meta = dict(row.pop("metadata", {}))
        rows[key] = {**row, **meta}
    return rows


# ---- standard input -------------------------------------------------------------------------------------------------
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|article|main|div|p|meta|title|section|h1)\b", re.I)


def sniff(text: str) -> str:
    """The format ``auto`` reads a text as: ``json`` when it starts with ``[`` or is one JSON object, ``jsonl`` when
    it starts with ``{`` otherwise, ``html`` when it starts with a tag of a page, else ``txt``.

    >>> sniff('{"id": "a", "text": "x"}'), sniff('{"text": "x"}\\n{"text": "y"}'), sniff("<p>Hi</p>"), sniff("Hi")
    ('json', 'jsonl', 'html', 'txt')
    """
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        import json

        try:
            json.loads(head)
        except ValueError:
            return "jsonl"
        return "json"
    return "html" if _HTML_START.match(head) else "txt"


def read_stdin(stream: BinaryIO | None, fmt: str = "auto", *, meta: Mapping[str, Any] | None = None) -> list[Report]:
    """The reports of standard input (``stream``, default ``sys.stdin.buffer``) in format ``fmt`` (one of
    :data:`STDIN_FORMATS`; ``auto`` decides with :func:`sniff`). A text or HTML input is the report ``stdin`` with
    ``meta``'s fields; records get ids ``stdin-{n}``. Input larger than the format's file limit is E306."""
    import sys

    if fmt not in STDIN_FORMATS:
        raise InputError(Errors.E454.format(path="-", fmt=fmt, formats=", ".join(STDIN_FORMATS)))
    stream = stream if stream is not None else sys.stdin.buffer
    name = Path("<stdin>")
    raw = stream.read(MAX_JSON_FILE_BYTES + 1)
    if len(raw) > MAX_JSON_FILE_BYTES:
        raise ReportError(Errors.E306.format(what="standard input", limit=MAX_JSON_FILE_BYTES), report_id="stdin")
    if fmt == "html":
        return [Report.from_html(_text_sized(raw), id=str((meta or {}).get("id") or "stdin"), **_fields(meta or {}))]
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = _decode(raw[3:] if bom else raw, name, "stdin", 3 if bom else 0)
    fmt = sniff(text) if fmt == "auto" else fmt
    if fmt == "html":
        return [Report.from_html(_text_sized(raw), id=str((meta or {}).get("id") or "stdin"), **_fields(meta or {}))]
    if fmt in ("txt", "md"):
        _text_sized(raw)
        return [Report(id=str((meta or {}).get("id") or "stdin"), text=text, **_fields(meta or {}))]
    if meta and any(v is not None for v in meta.values()):
        raise InputError(Errors.E451.format(fmt=fmt, problem="records carry their own metadata; --source, "
                                            "--published and --manifest apply to text inputs"))
    if fmt == "json":
        return json_reports(text, name, "stdin")
    if fmt == "jsonl":
        return jsonl_reports(io.BytesIO(raw), name, "stdin")
    return [r for r, _ in _csv_reports(text, name, "stdin")]


def _text_sized(raw: bytes) -> bytes:
    """``raw``, refused above a text file's limit (E306)."""
    if len(raw) > MAX_TEXT_FILE_BYTES:
        raise ReportError(Errors.E306.format(what="standard input", limit=MAX_TEXT_FILE_BYTES), report_id="stdin")
    return raw


def text_reports(texts: Sequence[str], ids: Sequence[str], *, source: Sequence[str] = (),
                 published: Sequence[str] = ()) -> list[Report]:
    """Reports of texts given on the command line (``compare --text``), ``--source``/``--published`` spread over
    them as over text files (:func:`spread`)."""
    sources = spread("--source", list(source), len(texts))
    times = spread("--published", list(published), len(texts))
    return [Report(rid, text, source=s, published=t) for rid, text, s, t in zip(ids, texts, sources, times)]


__all__: list[str] = ["CSV_COLUMNS", "MANIFEST_COLUMNS", "Inputs", "Origin", "SUFFIXES", "format_of", "read_csv",
                      "read_inputs", "read_manifest", "read_stdin", "sniff", "spread", "text_reports"]
