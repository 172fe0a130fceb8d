"""HTML views of a check, rendered from plain dicts (:meth:`crosscheck.Result.to_dict`), like spaCy's displaCy.

:func:`render` draws, as one self-contained fragment (inline CSS, no script, no network, every text escaped), for
two reports the texts side by side first, then the findings, the matrix and the timeline; for more reports the
matrix and the timeline first:

- ``texts``: each report's text with every claim highlighted in place (``report.text[start:end] == claim.text``),
  coloured by the strongest relation a shown finding gives it, its speaker and attribution cue marked, the findings
  on hover (``title``) and as numbered links;
- ``findings``: the shown findings, each row linking its two claims' spans;
- ``matrix``: questions (topics) x sources, each cell the source's stance (and its position, when the result has
  ``positions``), with the topic's consensus and source counts;
- ``timeline``: per question, its claims in publication order, each shown finding placed at its later claim.

The default views' threshold holds: a conflict or an agreement is shown only at or above ``min_probability``, and a
``related`` finding only with ``include_related``, as in :meth:`crosscheck.Result.shown_findings`.

>>> from crosscheck.display import render
>>> data = {"min_probability": None, "topics": [], "findings": [],
...         "reports": [{"id": "a", "text": "Ten <b>died</b>.", "source": "A", "published": None, "url": None}],
...         "claims": [{"id": "a:0", "report_id": "a", "start": 0, "end": 16, "text": "Ten <b>died</b>."}]}
>>> html = render(data, style="texts")
>>> 'data-claim="a:0"' in html and "Ten &lt;b&gt;died&lt;/b&gt;." in html
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from crosscheck.display.css import style_sheet
from crosscheck.display.highlight import Span, layout
from crosscheck.display.highlight import render as render_spans
from crosscheck.errors import Errors, InputError
from crosscheck.result import _RELATION_ORDER, check_min_probability, hidden_counts, shows, threshold_note

__all__ = ["STYLES", "page_of", "render", "write"]

#: The parts :func:`render` can draw, in the order it draws them (for two reports: :data:`PAIR_ORDER`).
STYLES = ("matrix", "timeline", "texts", "findings")
#: The order for two reports: the side-by-side texts first.
PAIR_ORDER = ("texts", "findings", "matrix", "timeline")
_STRENGTH = {rel: i for i, rel in enumerate(_RELATION_ORDER)}


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def render(data: Mapping[str, Any] | Any, *, style: str | Sequence[str] = "all", reports: Sequence[str] | None = None,
           include_related: bool = False, min_probability: float | None | str = "result", page: bool = False,
           title: str | None = None, id_prefix: str | None = None) -> str:
    """HTML of a result dict (or of a :class:`~crosscheck.Result`, through its ``to_dict()``).

    ``style``: ``"all"`` or one or more of :data:`STYLES` (E423). ``reports``: the ids of the reports to show
    (default all, in publication order; two stand side by side; E424 for an unknown id); findings and matrix columns
    are limited to them. ``min_probability``: ``"result"`` (the dict's own threshold), None (every finding) or a
    number in [0, 1]. ``page``: a full HTML page with ``<meta charset="utf-8">`` instead of a ``<div>``.
    ``id_prefix``: the prefix of the element ids (default: a hash of the input, so that two views in one notebook
    do not share ids). Malformed input raises :class:`~crosscheck.InputError` (E420-E422).
    """
    view = _View(_as_dict(data), style=style, reports=reports, include_related=include_related,
                 min_probability=min_probability, id_prefix=id_prefix)
    body = view.html()
    return page_of(body, title or view.title()) if page else body


def page_of(body: str, title: str) -> str:
    """A full HTML page around a rendered fragment."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n")



def write(text: str, path: str | os.PathLike[str]) -> Path:
    """Write rendered HTML to ``path`` as UTF-8 (E425 when the system refuses)."""
    p = Path(path)
    try:
        p.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(Errors.E425.format(path=p, problem=exc.strerror or exc)) from None
    return p


# ---- reading the dict --------------------------------------------------------------------------------------------
def _as_dict(data: Any) -> Mapping[str, Any]:
    if not isinstance(data, Mapping) and callable(getattr(data, "to_dict", None)):
        data = data.to_dict()
    if not isinstance(data, Mapping):
        raise InputError(Errors.E420.format(type=type(data).__name__))
    return data


def _items(data: Mapping[str, Any], key: str, fields: tuple[str, ...], *, optional: bool = False) -> list[Mapping]:
    """``data[key]``: a list of mappings, each with ``fields`` (E421)."""
    value = data.get(key, [] if optional else None)
    if value is None and optional:
        return []
    if not isinstance(value, list):
        raise InputError(Errors.E421.format(key=key, problem=f"expected a list, got {type(value).__name__}"))
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise InputError(Errors.E421.format(key=key, problem=f"item {i} is a {type(item).__name__}"))
        missing = [f for f in fields if f not in item]
        if missing:
            raise InputError(Errors.E421.format(key=key, problem=f"item {i} has no {', '.join(missing)}"))
    return value


def _when(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def _show_time(value: Any) -> str:
    when = _when(value)
    if when is None:
        return "" if value is None else str(value)
    text = when.strftime("%Y-%m-%d %H:%M")
    return text + (when.strftime(" %z")[:-2] + ":" + when.strftime("%z")[-2:] if when.utcoffset() is not None else "")


def _time_key(value: Any) -> tuple[int, float]:
    when = _when(value)
    if when is None:
        return (1, 0.0)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return (0, when.timestamp())


def _fmt(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, (int, float)) and not isinstance(value, bool) else "\u2013"


class _View:
    """One rendering: the dict read and checked once, then drawn part by part."""

    def __init__(self, data: Mapping[str, Any], *, style: str | Sequence[str], reports: Sequence[str] | None,
                 include_related: bool, min_probability: float | None | str, id_prefix: str | None) -> None:
        self.styles = _styles(style)
        self.reports = {r["id"]: r for r in _items(data, "reports", ("id", "text"))}
        self.claims = {c["id"]: c for c in _items(data, "claims", ("id", "report_id", "start", "end", "text"))}
        all_findings = _items(data, "findings", ("id", "relation", "claim_a", "claim_b"))
        self.topics = _items(data, "topics", ("id",), optional=True)
        self.positions = _items(data, "positions", ("topic_id",), optional=True)
        self._check_claims(all_findings)
        threshold = data.get("min_probability") if min_probability == "result" else min_probability
        self.threshold = check_min_probability(threshold)
        self.include_related = include_related
        self.hidden = hidden_counts([(f["relation"], f.get("probability"), f.get("kind", "none")) for f in all_findings],
                                    self.threshold)
        self.counts = {rel: sum(f["relation"] == rel for f in all_findings) for rel in _RELATION_ORDER}
        self.n_findings = len(all_findings)
        self.shown_ids = _shown_reports(self.reports, reports)
        shown = set(self.shown_ids)
        self.findings = [f for f in all_findings
                         if shows(f["relation"], f.get("probability"), self.threshold, include_related=include_related,
                                  kind=f.get("kind", "none"))
                         and self.claims[f["claim_a"]]["report_id"] in shown
                         and self.claims[f["claim_b"]]["report_id"] in shown]
        digest = hashlib.sha1(json.dumps([self.shown_ids, sorted(self.claims), [f["id"] for f in self.findings]],
                                         default=str).encode()).hexdigest()[:8]
        self.prefix = id_prefix or f"cc{digest}"
        self.claim_dom = {cid: f"{self.prefix}-c{i}" for i, cid in enumerate(self.claims)}
        self.finding_no = {f["id"]: i for i, f in enumerate(self.findings, 1)}
        self.of_claim: dict[str, list[Mapping]] = {}
        for f in self.findings:
            for cid in (f["claim_a"], f["claim_b"]):
                self.of_claim.setdefault(cid, []).append(f)

    def _check_claims(self, findings: list[Mapping]) -> None:
        for c in self.claims.values():
            report = self.reports.get(c["report_id"])
            if report is None:
                raise InputError(Errors.E421.format(key="claims", problem=f"claim {c['id']!r} names report "
                                                    f"{c['report_id']!r}, which is not in 'reports'"))
            s, e = c["start"], c["end"]
            if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(report["text"])) \
                    or report["text"][s:e] != c["text"]:
                raise InputError(Errors.E422.format(id=c["id"], start=s, end=e, report=c["report_id"]))
        for f in findings:
            for key in ("claim_a", "claim_b"):
                if f[key] not in self.claims:
                    raise InputError(Errors.E421.format(key="findings", problem=f"finding {f['id']!r} names claim "
                                                        f"{f[key]!r}, which is not in 'claims'"))

    # ---- helpers ----------------------------------------------------------------------------------------------
    def source(self, report_id: str) -> str:
        r = self.reports[report_id]
        return r.get("source") or r["id"]

    def claim_time(self, claim: Mapping) -> Any:
        return claim.get("published") or self.reports[claim["report_id"]].get("published")

    def link(self, claim_id: str, label: str) -> str:
        """A link to a claim's highlighted span (plain text when the texts are not drawn)."""
        if "texts" not in self.styles:
            return f'<span class="cc-link" data-claim="{_e(claim_id)}">{_e(label)}</span>'
        return (f'<a class="cc-link" href="#{self.claim_dom[claim_id]}" data-claim="{_e(claim_id)}">'
                f'{_e(label)}</a>')

    def finding_line(self, f: Mapping, other: str | None = None) -> str:
        """A finding in words (for a hover title)."""
        head = f"[{self.finding_no[f['id']]}] {f['relation']}"
        if f.get("kind") and f.get("kind") != "none":
            head += f" ({f['kind']})"
        head += f", probability {_fmt(f.get('probability'))}, score {_fmt(f.get('score'))}"
        if other is not None:
            head += f", with {self.source(self.claims[other]['report_id'])}"
        return head + (f": {f['reason']}" if f.get("reason") else "")

    def title(self) -> str:
        names = [self.source(r) for r in self.shown_ids]
        return "crosscheck: " + (" vs ".join(names) if len(names) == 2 else f"{len(names)} reports")

    # ---- parts ------------------------------------------------------------------------------------------------
    def html(self) -> str:
        parts = [f'<div class="crosscheck" id="{self.prefix}"><style>{style_sheet()}</style>', self.header()]
        draw = {"matrix": self.matrix, "timeline": self.timeline, "texts": self.texts, "findings": self.findings_table}
        order = PAIR_ORDER if len(self.shown_ids) == 2 else STYLES
        parts.extend(draw[name]() for name in order if name in self.styles)
        parts.append("</div>")
        return "".join(parts)

    def header(self) -> str:
        counts = ", ".join(f"{k}: {n}" for k, n in self.counts.items())
        legend = "".join(f'<span class="cc-rel-{rel}">{rel}</span>' for rel in (*_RELATION_ORDER, "none"))
        note = threshold_note(self.threshold, self.hidden, include_related=self.include_related)
        if len(self.shown_ids) < len(self.reports):
            note += f"; showing {len(self.shown_ids)} of the {len(self.reports)} reports and the findings between them"
        return (f'<h2>{_e(self.title())}</h2><p class="cc-note">{len(self.reports)} reports, {len(self.claims)} '
                f"claims, {self.n_findings} findings ({_e(counts)}), {len(self.topics)} topics</p>"
                f'<p class="cc-note">{_e(note)}</p><p class="cc-legend">{legend}</p>')

    def texts(self) -> str:
        cls = "cc-texts cc-pair" if len(self.shown_ids) == 2 else "cc-texts"
        return (f'<h3>Reports</h3><div class="{cls}">' + "".join(self.report_card(r) for r in self.shown_ids)
                + "</div>")

    def report_card(self, report_id: str) -> str:
        r = self.reports[report_id]
        meta = [_e(_show_time(r.get("published")))] if r.get("published") else []
        url = r.get("url")
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            meta.append(f'<a href="{_e(url)}">{_e(url)}</a>')
        elif url:
            meta.append(_e(url))
        meta.append(f"id {_e(report_id)}")
        spans = [s for c in self.claims.values() if c["report_id"] == report_id for s in self.claim_spans(c, r)]
        tree, crossing = layout(spans)
        body = render_spans(r["text"], 0, len(r["text"]), tree)
        apart = ""
        claims_apart = [s for s in crossing if s.rank == 0]
        if claims_apart:
            apart = ('<p class="cc-crossing">Claims that overlap another claim, shown apart:</p><ul class="cc-crossing">'
                     + "".join(f"<li>{s.start}:{s.end} {s.open}{_e(r['text'][s.start:s.end])}{s.close}{s.after}</li>"
                               for s in claims_apart) + "</ul>")
        return (f'<article class="cc-report" data-report="{_e(report_id)}"><header><span class="cc-source">'
                f'{_e(self.source(report_id))}</span><br><span class="cc-meta">{" · ".join(meta)}</span></header>'
                f'<div class="cc-text">{body}</div>{apart}</article>')

    def claim_spans(self, c: Mapping, report: Mapping) -> list[Span]:
        """The claim's own span and, where they lie in the text, its speaker's and its cue's."""
        found = self.of_claim.get(c["id"], [])
        rel = min((f["relation"] for f in found), key=lambda r: _STRENGTH.get(r, 9), default="none")
        lines = [f"claim {c['id']} ({c['start']}:{c['end']})"]
        if c.get("speaker"):
            lines.append(f"speaker: {c['speaker']}" + (" (attributed)" if c.get("attributed") else ""))
        if c.get("hedge") and c.get("hedge") != "none":
            lines.append(f"hedge: {c['hedge']}")
        lines.extend(self.finding_line(f, f["claim_b"] if f["claim_a"] == c["id"] else f["claim_a"]) for f in found)
        refs = "".join(f'<a class="cc-ref cc-rel-{_e(f["relation"])}" href="#{self.prefix}-f{self.finding_no[f["id"]]}"'
                       f' title="{_e(self.finding_line(f))}">{self.finding_no[f["id"]]}</a>' for f in found)
        out = [Span(c["start"], c["end"],
                    f'<mark class="cc-claim cc-rel-{_e(rel)}" id="{self.claim_dom[c["id"]]}" data-claim="{_e(c["id"])}"'
                    f' data-relation="{_e(rel)}" title="{_e(chr(10).join(lines))}">', "</mark>", 0,
                    f'<sup class="cc-refs">{refs}</sup>' if refs else "")]
        text = report["text"]
        for key, cls, what, rank in (("speaker", "cc-speaker", "speaker", 1), ("cue", "cc-cue", "attribution cue", 2)):
            s, e = c.get(f"{key}_start", -1), c.get(f"{key}_end", -1)
            if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text) and text[s:e] == c.get(key):
                out.append(Span(s, e, f'<span class="{cls}" title="{what} of claim {_e(c["id"])}">', "</span>", rank))
        return out

    def findings_table(self) -> str:
        if not self.findings:
            return '<h3>Findings</h3><p class="cc-note">No finding is shown.</p>'
        rows = []
        for f in self.findings:
            cells = []
            for key in ("claim_a", "claim_b"):
                c = self.claims[f[key]]
                cells.append(f"<td>{self.link(c['id'], self.source(c['report_id']))}"
                             f"<br><small>{_e(c['text'])}</small></td>")
            n = self.finding_no[f["id"]]
            rows.append(f'<tr id="{self.prefix}-f{n}" class="cc-finding cc-rel-{_e(f["relation"])}" '
                        f'data-finding="{_e(f["id"])}" data-relation="{_e(f["relation"])}"><td>{n}</td>'
                        f'<td><b>{_e(f["relation"])}</b><br>{_e(f.get("kind", ""))}</td>{"".join(cells)}'
                        f'<td>{_e(f.get("reason", ""))}</td><td>{_fmt(f.get("score"))}</td>'
                        f'<td>{_fmt(f.get("probability"))}</td></tr>')
        head = ("<tr><th>#</th><th>relation</th><th>A</th><th>B</th><th>reason</th><th>score</th>"
                "<th>probability</th></tr>")
        return f'<h3>Findings</h3><table class="cc-findings">{head}{"".join(rows)}</table>'

    # ---- questions ---------------------------------------------------------------------------------------------
    def topic_claims(self, topic: Mapping) -> list[Mapping]:
        ids = topic.get("claim_ids") or []
        shown = set(self.shown_ids)
        return [self.claims[c] for c in ids if c in self.claims and self.claims[c]["report_id"] in shown]

    def positions_of(self, topic_id: Any) -> list[Mapping]:
        return [p for p in self.positions if p["topic_id"] == topic_id]

    def position_reports(self, p: Mapping) -> set[str]:
        """The reports holding a position: those of its evidence claims, else those whose source it names."""
        evidence = _evidence(p)
        held = {self.claims[c]["report_id"] for c in evidence if c in self.claims}
        if not held:
            outlets = set(p.get("outlets") or ())
            held = {rid for rid in self.reports if self.source(rid) in outlets}
        return held

    def matrix(self) -> str:
        topics = [t for t in self.topics if self.topic_claims(t)]
        if not topics:
            return '<h3>Questions</h3><p class="cc-note">No topic.</p>'
        consensus = any("consensus" in t for t in topics)
        head = "<tr><th>question</th>" + "".join(
            f'<th data-report="{_e(r)}">{_e(self.source(r))}<br><span class="cc-meta">'
            f'{_e(_show_time(self.reports[r].get("published")))}</span></th>' for r in self.shown_ids)
        head += ("<th>consensus</th>" if consensus else "") + "<th>sources</th></tr>"
        rows = []
        for t in topics:
            positions = self.positions_of(t["id"])
            held = {rid: [p for p in positions if rid in self.position_reports(p)] for rid in self.shown_ids}
            cells = []
            for rid in self.shown_ids:
                stance = (t.get("stances") or {}).get(rid, "silent")
                said = [c["text"] for c in self.topic_claims(t) if c["report_id"] == rid]
                labels = "".join(f'<span class="cc-position">{_e(p.get("label", p.get("position_id", "")))}</span>'
                                 for p in held[rid])
                cells.append(f'<td data-report="{_e(rid)}" data-stance="{_e(stance)}" title="{_e(chr(10).join(said))}">'
                             f'<span class="cc-stance cc-stance-{_e(stance)}">{_e(stance)}</span>{labels}</td>')
            n_reports = len({c["report_id"] for c in self.topic_claims(t)})
            independent = t.get("n_independent_sources")
            if independent is None and positions:
                independent = sum(int(p.get("n_independent_sources") or 0) for p in positions)
            count = f"{n_reports}" + (f" ({_e(independent)} independent)" if independent is not None else "")
            rows.append(f'<tr data-topic="{_e(t["id"])}"><td>{_e(t.get("label", t["id"]))}</td>{"".join(cells)}'
                        + (f"<td>{_consensus(t.get('consensus'))}</td>" if consensus else "") + f"<td>{count}</td></tr>")
        out = f'<h3>Questions</h3><table class="cc-matrix">{head}{"".join(rows)}</table>'
        return out + "".join(self.position_table(t) for t in topics if self.positions_of(t["id"]))

    def position_table(self, topic: Mapping) -> str:
        rows = []
        for p in self.positions_of(topic["id"]):
            evidence = " ".join(self.link(c, self.source(self.claims[c]["report_id"]))
                                for c in _evidence(p) if c in self.claims
                                and self.claims[c]["report_id"] in set(self.shown_ids))
            rows.append(f'<tr class="cc-position-row" data-position="{_e(p.get("position_id", ""))}">'
                        f'<td>{_e(p.get("label", ""))}</td><td>{_e(p.get("status", ""))}</td>'
                        f'<td>{_e(", ".join(map(str, p.get("speakers") or ())))}</td>'
                        f'<td>{_e(", ".join(map(str, p.get("outlets") or ())))}</td>'
                        f'<td>{_e(p.get("n_independent_sources", ""))}</td>'
                        f'<td>{_e(_show_time(p.get("first_seen")))}</td><td>{_e(_show_time(p.get("last_seen")))}</td>'
                        f"<td>{evidence}</td></tr>")
        head = ("<tr><th>position</th><th>status</th><th>speakers</th><th>outlets</th><th>independent sources</th>"
                "<th>first seen</th><th>last seen</th><th>evidence</th></tr>")
        return (f'<h4>Positions: {_e(topic.get("label", topic["id"]))}</h4>'
                f'<table class="cc-positions" data-topic="{_e(topic["id"])}">{head}{"".join(rows)}</table>')

    def timeline(self) -> str:
        order = {rid: i for i, rid in enumerate(self.shown_ids)}
        sections = []
        for t in self.topics:
            claims = sorted(self.topic_claims(t), key=lambda c: (_time_key(self.claim_time(c)), order[c["report_id"]],
                                                                  c["start"]))
            if not claims:
                continue
            rank = {c["id"]: i for i, c in enumerate(claims)}
            position = {c: p.get("label", "") for p in self.positions_of(t["id"]) for c in _evidence(p)}
            at: dict[str, list[Mapping]] = {}
            for f in self.findings:
                a, b = f["claim_a"], f["claim_b"]
                if a in rank and b in rank:
                    at.setdefault(a if rank[a] > rank[b] else b, []).append(f)
            items = []
            for c in claims:
                when = self.claim_time(c)
                badge = f' <span class="cc-badge">{_e(position[c["id"]])}</span>' if c["id"] in position else ""
                named = c.get("speaker") and c.get("attributed") and c["speaker"] not in c["text"]
                speaker = f'{_e(c["speaker"])}: ' if named else ""
                items.append(f'<li data-claim="{_e(c["id"])}"><time datetime="{_e(when or "")}">'
                             f'{_e(_show_time(when)) or "undated"}</time> '
                             f'{self.link(c["id"], self.source(c["report_id"]))} {speaker}\u201c{_e(c["text"])}\u201d'
                             f"{badge}</li>")
                for f in at.get(c["id"], []):
                    other = f["claim_a"] if f["claim_b"] == c["id"] else f["claim_b"]
                    items.append(f'<li class="cc-event-finding" data-finding="{_e(f["id"])}">\u21b3 '
                                 f'<span class="cc-badge cc-rel-{_e(f["relation"])}">{_e(f["relation"])}</span> '
                                 f'with {self.link(other, self.source(self.claims[other]["report_id"]))}: '
                                 f'{_e(f.get("reason", ""))}</li>')
            sections.append(f'<section class="cc-timeline" data-topic="{_e(t["id"])}"><h4>'
                            f'{_e(t.get("label", t["id"]))}</h4><ol class="cc-events">{"".join(items)}</ol></section>')
        return "<h3>Timeline</h3>" + ("".join(sections) or '<p class="cc-note">No topic.</p>')


def _styles(style: str | Sequence[str]) -> tuple[str, ...]:
    names = (style,) if isinstance(style, str) else tuple(style)
    if names == ("all",):
        return STYLES
    unknown = [n for n in names if n not in STYLES]
    if unknown or not names:
        raise InputError(Errors.E423.format(unknown=unknown, allowed=("all", *STYLES)))
    return names


def _shown_reports(reports: Mapping[str, Mapping], wanted: Sequence[str] | None) -> list[str]:
    """The report ids to draw: ``wanted`` as given, else all in publication order (undated last)."""
    if wanted is not None:
        wanted = [wanted] if isinstance(wanted, str) else list(wanted)
        unknown = [r for r in wanted if r not in reports]
        if unknown:
            raise InputError(Errors.E424.format(unknown=unknown, available=list(reports)))
        return list(dict.fromkeys(wanted))
    index = {rid: i for i, rid in enumerate(reports)}
    return sorted(reports, key=lambda rid: (_time_key(reports[rid].get("published")), index[rid]))


def _evidence(position: Mapping) -> list[str]:
    """A position's evidence claim ids (``evidence``, ``claim_ids`` or ``evidence_claim_ids``)."""
    for key in ("evidence", "evidence_claim_ids", "claim_ids"):
        value = position.get(key)
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value]
    return []


def _consensus(value: Any) -> str:
    """A topic's consensus: a status string, or a dict with a ``status`` (its other fields on hover)."""
    if value is None:
        return "\u2013"
    if isinstance(value, Mapping):
        status = value.get("status", value.get("label", ""))
        rest = "\n".join(f"{k}: {v}" for k, v in value.items() if k not in ("status",))
        return f'<span class="cc-consensus" title="{_e(rest)}">{_e(status)}</span>'
    return f'<span class="cc-consensus">{_e(value)}</span>'
