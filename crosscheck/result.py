"""The :class:`Result` of a check: tidy DataFrames, JSON that round-trips, text and HTML views.

Column reference: ``docs/columns.md``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from crosscheck.data import CLAIM_KINDS, HEDGES, RELATIONS, STANCES, Claim, Finding, Report, Topic, parse_published
from crosscheck.errors import CrosscheckError, Errors, InputError
from crosscheck.origins import OriginFinder, Origins, Passage
from crosscheck.positions import (
    CONSENSUS,
    POSITION_COLUMNS,
    POSITION_STATUSES,
    Consensus,
    Position,
    PositionBuilder,
    Question,
    Questions,
)

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 3
#: Schemas :meth:`Result.from_json` reads: 1 (before findings had a ``probability`` and results a
#: ``min_probability``; both read as None), 2 (before origins and positions: they are found again from the
#: reports, claims, findings and topics with the default stages) and the current one.
READABLE_SCHEMAS = (1, 2, 3)
_RELATION_ORDER = {"contradict": 0, "disputed": 1, "update": 2, "agree": 3, "related": 4}

CLAIM_COLUMNS = ["claim_id", "report_id", "source", "published", "start", "end", "text", "kind", "speaker", "hedge",
                 "negated", "predicate", "topic_id", "proposition", "attributed", "entities", "places", "quantities",
                 "times", "speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "relay", "questions", "origin_id"]
FINDING_COLUMNS = ["finding_id", "relation", "kind", "score", "reason",
                   "claim_a", "report_a", "source_a", "start_a", "end_a", "text_a", "speaker_a", "published_a",
                   "claim_b", "report_b", "source_b", "start_b", "end_b", "text_b", "speaker_b", "published_b",
                   "similarity", "probability", "shown", "origin_a", "origin_b"]
SOURCE_COLUMNS = ["report_id", "source", "published", "url", "n_claims", "origin_id", "wire"]
TOPIC_COLUMNS = ["topic_id", "label", "n_claims", "n_sources", "n_independent_sources", "consensus"]
#: The columns of :meth:`Result.timeline`.
TIMELINE_COLUMNS = ["topic_id", "published", "position_id", "label", "status", "event", "claim_id", "report_id",
                    "source", "speaker", "origin_id", "hedge", "text"]
#: The columns of :meth:`Result.conflicts`.
CONFLICT_COLUMNS = ["finding_id", "relation", "kind", "probability", "topic_id", "origin_a", "origin_b", "text_a",
                    "text_b", "outlets_a", "outlets_b", "n_findings", "finding_ids"]
#: The stance columns of :attr:`Result.topics` are ``STANCE_PREFIX + report id``: no fixed column has a ":".
STANCE_PREFIX = "stance:"


class Result:
    """Claims, findings and topics of a check over several reports.

    ``min_probability`` is the display threshold: the default views (``print``, :meth:`summary`, :meth:`to_html`,
    :meth:`contradictions`, :meth:`agreements`, :meth:`updates`, the command line's table, HTML and JUnit output
    and ``--fail-on``) show a conflict or an agreement only when its calibrated ``probability`` is at least this,
    and never show ``related`` findings unless asked (``include_related=True``). None shows every finding.
    :attr:`findings` always holds every judged pair, with its ``probability`` and whether it is ``shown``.

    >>> import crosscheck                                                # doctest: +SKIP
    >>> res = crosscheck.compare("Assad resigned.", "Assad never resigned.")  # doctest: +SKIP
    >>> res.findings[["relation", "kind"]].values.tolist()             # doctest: +SKIP
    [['contradict', 'negation']]
    """

    def __init__(self, reports: Sequence[Report], claims: Sequence[Claim], findings: Sequence[Finding],
                 topics: Sequence[Topic], *, min_probability: float | None = None, origins: Origins | None = None,
                 questions: Questions | None = None) -> None:
        self.min_probability = check_min_probability(min_probability)
        self.reports = list(reports)
        self.claim_list = list(claims)
        self.finding_list = sorted(findings, key=lambda f: (_RELATION_ORDER.get(f.relation, 9), -f.score, f.id))
        self.topic_list = list(topics)
        #: Where each report and claim comes from (:mod:`crosscheck.origins`); found with the default
        #: :class:`~crosscheck.origins.OriginFinder` when not given.
        self.origins = origins if origins is not None else OriginFinder()(self.reports, self.claim_list)
        #: Every topic's positions and consensus (:mod:`crosscheck.positions`); built with the default
        #: :class:`~crosscheck.positions.PositionBuilder` when not given.
        self.questions = questions if questions is not None else PositionBuilder()(
            self.reports, self.claim_list, self.finding_list, self.topic_list, self.origins)

    # ---- lookups -------------------------------------------------------------------------
    def claim(self, claim_id: str) -> Claim:
        """The claim with this id."""
        for c in self.claim_list:
            if c.id == claim_id:
                return c
        raise KeyError(claim_id)

    def report(self, report_id: str) -> Report:
        """The report with this id."""
        for r in self.reports:
            if r.id == report_id:
                return r
        raise KeyError(report_id)

    def is_shown(self, finding: Finding, *, include_related: bool = False,
                 min_probability: float | None | str = "result") -> bool:
        """Whether the default views show ``finding``: a ``related`` one or a copy (``kind="copy"``: an agreement
        between two claims of one origin) only with ``include_related`` (then always),
        any other when its probability is at least ``min_probability`` (``"result"``: this result's
        :attr:`min_probability`; a finding without a probability is always shown)."""
        threshold = self.min_probability if min_probability == "result" else check_min_probability(min_probability)
        return shows(finding.relation, finding.probability, threshold, include_related=include_related,
                     kind=finding.kind)

    def shown_findings(self, *, include_related: bool = False, min_probability: float | None | str = "result"
                       ) -> list[Finding]:
        """The findings the default views show, in :attr:`finding_list` order (see :meth:`is_shown`)."""
        return [f for f in self.finding_list
                if self.is_shown(f, include_related=include_related, min_probability=min_probability)]

    def hidden_counts(self) -> dict[str, int]:
        """How many findings of each relation (related aside) the threshold hides."""
        return hidden_counts([(f.relation, f.probability, f.kind) for f in self.finding_list],
                             self.min_probability)

    def _topic_of(self) -> dict[str, str]:
        return {cid: t.id for t in self.topic_list for cid in t.claim_ids}

    # ---- DataFrames ----------------------------------------------------------------------
    @property
    def claims(self) -> pd.DataFrame:
        """One row per claim (see docs/columns.md)."""

        topic_of = self._topic_of()
        rows = [{
            "claim_id": c.id, "report_id": c.report_id, "source": c.source, "published": _ts(c.published),
            "start": c.start, "end": c.end, "text": c.text, "kind": c.kind, "speaker": c.speaker, "hedge": c.hedge,
            "negated": c.negated, "predicate": c.predicate, "topic_id": topic_of.get(c.id),
            "proposition": c.proposition,
            "attributed": c.attributed, "entities": list(c.entities), "places": list(c.places),
            "quantities": [q.text for q in c.quantities], "times": [t.date for t in c.times],
            "speaker_start": c.speaker_start, "speaker_end": c.speaker_end, "cue": c.cue, "cue_start": c.cue_start,
            "cue_end": c.cue_end, "relay": c.relay, "questions": list(c.questions),
            "origin_id": self.origins.claim_origin(c),
        } for c in self.claim_list]
        return _frame(rows, CLAIM_COLUMNS)

    @property
    def findings(self) -> pd.DataFrame:
        """One row per judged pair of claims, with both claims' provenance."""
        by_id = {c.id: c for c in self.claim_list}
        rows = []
        for f in self.finding_list:
            a, b = by_id[f.claim_a], by_id[f.claim_b]
            row: dict[str, Any] = {"finding_id": f.id, "relation": f.relation, "kind": f.kind, "score": f.score,
                                   "reason": f.reason}
            for tag, c in (("a", a), ("b", b)):
                row.update({f"claim_{tag}": c.id, f"report_{tag}": c.report_id, f"source_{tag}": c.source,
                            f"start_{tag}": c.start, f"end_{tag}": c.end, f"text_{tag}": c.text,
                            f"speaker_{tag}": c.speaker, f"published_{tag}": _ts(c.published)})
            row["similarity"] = f.similarity
            row["probability"] = f.probability
            row["shown"] = self.is_shown(f)
            row["origin_a"], row["origin_b"] = self.origins.claim_origin(a), self.origins.claim_origin(b)
            rows.append(row)
        return _frame(rows, FINDING_COLUMNS)

    @property
    def sources(self) -> pd.DataFrame:
        """One row per report."""
        counts: dict[str, int] = {}
        for c in self.claim_list:
            counts[c.report_id] = counts.get(c.report_id, 0) + 1
        rows = [{"report_id": r.id, "source": r.source, "published": _ts(r.published), "url": r.url,
                 "n_claims": counts.get(r.id, 0), "origin_id": self.origins.reports.get(r.id, f"report:{r.id}"),
                 "wire": self.origins.wires.get(r.id)} for r in self.reports]
        return _frame(rows, SOURCE_COLUMNS)

    @property
    def topics(self) -> pd.DataFrame:
        """One row per topic, plus one stance column ``stance:{report id}`` per report.

        The prefix keeps a report id such as ``label`` or ``n_sources`` from shadowing a fixed column; the long
        form without it is :attr:`stances`.
        """
        by_id = {c.id: c for c in self.claim_list}
        rows = []
        for t in self.topic_list:
            cons = self.questions.consensus.get(t.id)
            row: dict[str, Any] = {"topic_id": t.id, "label": t.label, "n_claims": len(t.claim_ids),
                                   "n_sources": len({by_id[c].report_id for c in t.claim_ids}),
                                   "n_independent_sources": cons.n_independent_sources if cons else 0,
                                   "consensus": cons.status if cons else None}
            row.update({STANCE_PREFIX + r.id: t.stances.get(r.id, "silent") for r in self.reports})
            rows.append(row)
        return _frame(rows, TOPIC_COLUMNS + [STANCE_PREFIX + r.id for r in self.reports])

    @property
    def stances(self) -> pd.DataFrame:
        """Long format of the stance matrix: ``topic_id, report_id, source, stance``."""
        src = {r.id: r.source for r in self.reports}
        rows = [{"topic_id": t.id, "report_id": rid, "source": src[rid], "stance": t.stances.get(rid, "silent")}
                for t in self.topic_list for rid in src]
        return _frame(rows, ["topic_id", "report_id", "source", "stance"])

    # ---- questions: positions, consensus, timeline ------------------------------------------------------------
    @property
    def positions(self) -> pd.DataFrame:
        """One row per position of a topic (see docs/columns.md): ``topic_id, position_id, label, speakers, outlets,
        n_independent_sources, first_seen, last_seen, status, hedge, claim_ids, origin_ids``."""
        rows = []
        for p in self.questions.positions:
            row = p.to_dict()
            row["first_seen"], row["last_seen"] = _ts(p.first_seen), _ts(p.last_seen)
            rows.append(row)
        return _frame(rows, POSITION_COLUMNS)

    def _topic(self, topic_id: str) -> Topic:
        for t in self.topic_list:
            if t.id == topic_id:
                return t
        raise InputError(Errors.E402.format(topic=topic_id, known=[t.id for t in self.topic_list][:20]))

    def question(self, topic_id: str) -> Question:
        """A summary of one topic as a question: its consensus, independent sources and positions (E402 for an
        unknown topic); ``print`` it for a readable text."""
        t = self._topic(topic_id)
        cons = self.questions.consensus[t.id]
        return Question(t.id, t.label, cons.status, cons.n_independent_sources, cons.majority,
                        tuple(p for p in self.questions.positions if p.topic_id == t.id))

    def timeline(self, topic_id: str) -> pd.DataFrame:
        """One topic's claims in publication order (see :data:`TIMELINE_COLUMNS`), each with its position and an
        ``event``: ``new position`` (a position's first claim), ``update`` (the first claim of a position that
        supersedes an earlier one), ``new source`` (a further independent origin for a position already seen) or
        ``repeat`` (an origin already counted for that position: a copy or another relay)."""
        t = self._topic(topic_id)
        by_id = {c.id: c for c in self.claim_list}
        source = {r.id: r.source for r in self.reports}
        where = {cid: p for p in self.questions.positions if p.topic_id == t.id for cid in p.claim_ids}
        order = sorted(t.claim_ids, key=lambda cid: (by_id[cid].published is None,
                                                     by_id[cid].published or 0, t.claim_ids.index(cid)))
        seen: dict[str, set[str]] = {}
        rows = []
        for cid in order:
            c, p = by_id[cid], where[cid]
            origin = self.origins.claim_origin(c)
            if p.id not in seen:
                event = "update" if p.status == "current" else "new position"
                seen[p.id] = set()
            else:
                event = "repeat" if origin in seen[p.id] else "new source"
            seen[p.id].add(origin)
            rows.append({"topic_id": t.id, "published": _ts(c.published), "position_id": p.id, "label": p.label,
                         "status": p.status, "event": event, "claim_id": c.id, "report_id": c.report_id,
                         "source": source.get(c.report_id), "speaker": c.speaker, "origin_id": origin,
                         "hedge": c.hedge, "text": c.text})
        return _frame(rows, TIMELINE_COLUMNS)

    def conflict_groups(self, findings: Sequence[Finding] | None = None) -> list[list[Finding]]:
        """Conflicting findings (``contradict``, ``disputed``, ``update``; default: the shown ones) grouped by
        relation and the unordered pair of their claims' origins: a conflict with one origin carried by several
        outlets is one group. Each group lists its strongest finding first; groups in :attr:`finding_list`
        order."""
        items = self.shown_findings() if findings is None else list(findings)
        by_id = {c.id: c for c in self.claim_list}
        groups: dict[tuple[str, ...], list[Finding]] = {}
        for f in items:
            if f.relation not in ("contradict", "disputed", "update"):
                continue
            oa, ob = self.origins.claim_origin(by_id[f.claim_a]), self.origins.claim_origin(by_id[f.claim_b])
            groups.setdefault((f.relation, *sorted((oa, ob))), []).append(f)
        return list(groups.values())

    def conflicts(self, *, include_hidden: bool = False) -> pd.DataFrame:
        """One row per conflict between two origins (see :meth:`conflict_groups`), with the outlets that carried
        each side (see :data:`CONFLICT_COLUMNS`); ``include_hidden`` adds those below :attr:`min_probability`."""
        items = [f for f in self.finding_list if include_hidden or self.is_shown(f)]
        by_id = {c.id: c for c in self.claim_list}
        source = {r.id: r.source or r.id for r in self.reports}
        topic_of = self._topic_of()
        rows = []
        for group in self.conflict_groups(items):
            f = group[0]
            a, b = by_id[f.claim_a], by_id[f.claim_b]
            oa, ob = self.origins.claim_origin(a), self.origins.claim_origin(b)
            sides: dict[str, list[str]] = {oa: [], ob: []}
            for g in group:
                for cid in (g.claim_a, g.claim_b):
                    c = by_id[cid]
                    side = sides.setdefault(self.origins.claim_origin(c), [])
                    if source[c.report_id] not in side:
                        side.append(source[c.report_id])
            rows.append({"finding_id": f.id, "relation": f.relation, "kind": f.kind, "probability": f.probability,
                         "topic_id": topic_of.get(a.id), "origin_a": oa, "origin_b": ob, "text_a": a.text,
                         "text_b": b.text, "outlets_a": sides[oa], "outlets_b": sides[ob], "n_findings": len(group),
                         "finding_ids": [g.id for g in group]})
        return _frame(rows, CONFLICT_COLUMNS)

    def contradictions(self, *, include_disputed: bool = True, include_hidden: bool = False) -> pd.DataFrame:
        """Shown findings whose relation is ``contradict`` (and ``disputed`` unless excluded); ``include_hidden``
        adds those below :attr:`min_probability`."""
        return self._of(["contradict", "disputed"] if include_disputed else ["contradict"], include_hidden)

    def agreements(self, *, include_hidden: bool = False, include_copies: bool = False) -> pd.DataFrame:
        """Shown findings whose relation is ``agree`` (``include_hidden``: those below the threshold too), between
        independent sources (``include_copies``: also those between two claims of one origin, ``kind="copy"``)."""
        df = self.findings
        copy = df.kind == "copy"
        import pandas as pd

        visible = pd.Series([self.is_shown(replace(f, kind="none")) for f in self.finding_list], index=df.index,
                            dtype=bool)
        keep = (df.relation == "agree") & (df.shown | include_hidden | (copy & visible))
        if not include_copies:
            keep &= ~copy
        return df[keep].reset_index(drop=True)

    def updates(self, *, include_hidden: bool = False) -> pd.DataFrame:
        """Shown findings whose relation is ``update`` (``include_hidden``: those below the threshold too)."""
        return self._of(["update"], include_hidden)

    def _of(self, relations: list[str], include_hidden: bool) -> pd.DataFrame:
        df = self.findings
        keep = df.relation.isin(relations) & (df.shown | include_hidden)
        return df[keep].reset_index(drop=True)

    # ---- serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (what :meth:`to_json` writes)."""
        return {
            "schema": SCHEMA_VERSION,
            "min_probability": self.min_probability,
            "reports": [r.to_dict() for r in self.reports],
            "claims": [c.to_dict() for c in self.claim_list],
            "findings": [f.to_dict() for f in self.finding_list],
            "topics": [self._topic_dict(t) for t in self.topic_list],
            "origins": self.origins.to_dict(),
            "positions": [p.to_dict() for p in self.questions.positions],
        }

    def _topic_dict(self, t: Topic) -> dict[str, Any]:
        """A topic's dict with its consensus: ``consensus`` (a status), ``n_independent_sources`` and
        ``majority_position`` (a position id or None)."""
        cons = self.questions.consensus.get(t.id)
        return {**t.to_dict(), "consensus": cons.status if cons else None,
                "n_independent_sources": cons.n_independent_sources if cons else 0,
                "majority_position": cons.majority if cons else None}

    def to_json(self, *, indent: int | None = None) -> str:
        """Serialise everything as strict JSON (no NaN or Infinity: an open bound of a quantity is ``null``);
        ``Result.from_json(r.to_json())`` gives an equal result."""
        try:
            return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)
        except ValueError as exc:  # a NaN or infinity left in a stage's output
            raise InputError(Errors.E336.format(problem=exc)) from None

    @classmethod
    def from_json(cls, text: str) -> Result:
        """Rebuild a result written by :meth:`to_json`, checking it on the way in.

        The structure must be what :meth:`to_json` writes: exactly the known keys, values of the right types
        (E320); report ids, claim ids, finding ids and topic ids unique (E021, E323); claims, findings and topics
        pointing at claims and reports that exist (E322); each claim's text, speaker and cue found at their
        offsets in its report (E321); relations, claim kinds and stances from the known sets (E320), as the
        pipeline checks them (:mod:`crosscheck.validate`).
        """
        if not isinstance(text, (str, bytes, bytearray)):
            raise InputError(Errors.E320.format(where="input", problem=f"expected JSON text, got {type(text).__name__}"))
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(Errors.E040.format(msg=getattr(exc, "msg", exc))) from None
        except ValueError as exc:
            raise InputError(Errors.E320.format(where="input", problem=exc)) from None
        if not isinstance(data, dict) or data.get("schema") not in READABLE_SCHEMAS:
            raise InputError(Errors.E041.format(schema=SCHEMA_VERSION))
        if data["schema"] == 1:  # findings without probability, no display threshold
            data = {**data, "min_probability": None,
                    "findings": [{**f, "probability": None} if isinstance(f, dict) else f for f in data.get("findings", ())]}
        old = data["schema"] < 3  # no origins, positions or consensus: found again with the default stages
        _check_keys(data, _TOP_KEYS if old else _TOP_KEYS_3, "result")
        for key in ("reports", "claims", "findings", "topics"):
            _expect(data[key], list, key)
        reports = [_load_report(r, f"reports[{i}]") for i, r in enumerate(data["reports"])]
        by_report: dict[str, Report] = {}
        for r in reports:
            if r.id in by_report:
                raise InputError(Errors.E021.format(id=r.id))
            by_report[r.id] = r
        claims = [_load_claim(c, f"claims[{i}]", by_report) for i, c in enumerate(data["claims"])]
        _unique([c.id for c in claims], "claim")
        claim_report = {c.id: c.report_id for c in claims}
        findings = [_load_finding(f, f"findings[{i}]", claim_report) for i, f in enumerate(data["findings"])]
        _unique([f.id for f in findings], "finding")
        keys = _TOPIC_KEYS if old else _TOPIC_KEYS_3
        topics = [_load_topic(t, f"topics[{i}]", claim_report, by_report, keys) for i, t in enumerate(data["topics"])]
        _unique([t.id for t in topics], "topic")
        try:
            threshold = check_min_probability(data["min_probability"])
        except CrosscheckError as exc:
            raise InputError(Errors.E320.format(where="result.min_probability", problem=exc)) from None
        if old:
            return cls(reports, claims, findings, topics, min_probability=threshold)
        origins = _load_origins(data["origins"], by_report, claim_report)
        from crosscheck import validate

        origins = validate.origins(reports, claims, origins, stage="result.origins")
        questions = _load_questions(data["positions"], data["topics"], topics, claim_report)
        questions = validate.questions(reports, topics, questions, stage="result.positions")
        return cls(reports, claims, findings, topics, min_probability=threshold, origins=origins,
                   questions=questions)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Result) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    # ---- views -------------------------------------------------------------------------
    def summary(self, *, include_related: bool = False, width: int = 60) -> str:
        """A readable plain-text table of the findings."""
        src = {r.id: r.source or r.id for r in self.reports}
        by_id = {c.id: c for c in self.claim_list}
        lines = [f"crosscheck: {len(self.reports)} reports, {len(self.claim_list)} claims, "
                 f"{len(self.finding_list)} findings, {len(self.topic_list)} topics"]
        counts: dict[str, int] = {}
        for f in self.finding_list:
            counts[f.relation] = counts.get(f.relation, 0) + 1
        lines.append("  " + ", ".join(f"{k}: {counts.get(k, 0)}" for k in _RELATION_ORDER))
        lines.append("  " + self._threshold_note(include_related))
        groups = {g[0].id: g for g in self.conflict_groups()}
        later = {f.id for g in groups.values() for f in g[1:]}
        for f in self.shown_findings(include_related=include_related):
            if f.id in later:  # a conflict with an origin already shown: listed under its first finding
                continue
            a, b = by_id[f.claim_a], by_id[f.claim_b]
            lines.append("")
            prob = f"  probability={f.probability:.2f}" if f.probability is not None else ""
            lines.append(f"[{f.relation.upper()}] {f.kind}  score={f.score:.2f}{prob}")
            lines.append(f"  A {src[a.report_id]} ({a.report_id} {a.start}:{a.end}): {_clip(a.text, width)}")
            lines.append(f"  B {src[b.report_id]} ({b.report_id} {b.start}:{b.end}): {_clip(b.text, width)}")
            lines.append(f"  why: {f.reason}")
            if len(groups.get(f.id, ())) > 1:
                lines.append(f"  carried by ({len(groups[f.id])} findings, one conflict): "
                             + self._outlets(groups[f.id], src, by_id))
        return "\n".join(lines)

    def _outlets(self, group: list[Finding], src: dict[str, str], by_id: dict[str, Claim]) -> str:
        """"A: outlet, outlet; B: outlet" for the two sides of a conflict group."""
        sides: dict[str, list[str]] = {}
        for f in group:
            for cid in (f.claim_a, f.claim_b):
                c = by_id[cid]
                side = sides.setdefault(self.origins.claim_origin(c), [])
                if src[c.report_id] not in side:
                    side.append(src[c.report_id])
        return "; ".join(f"{origin}: {', '.join(outlets)}" for origin, outlets in sides.items())

    def _threshold_note(self, include_related: bool) -> str:
        """One line saying what the views hide and how to show it."""
        return threshold_note(self.min_probability, self.hidden_counts(), include_related=include_related)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return (f"<Result: {len(self.reports)} reports, {len(self.claim_list)} claims, "
                f"{len(self.finding_list)} findings, {len(self.topic_list)} topics>")

    def to_html(self, path: str | os.PathLike[str] | None = None, *, include_related: bool = False,
                min_probability: float | None | str = "result", style: str | Sequence[str] = "all",
                reports: Sequence[str] | None = None, page: bool | None = None, title: str | None = None) -> str:
        """Self-contained HTML of the result (:func:`crosscheck.display.render` over :meth:`to_dict`): the reports'
        texts with every claim highlighted and aligned claims linked, coloured by relation, the question x source
        matrix, a timeline per question and the findings the default views show. No script, no network.

        ``path`` given: also write it there as a full page (``<meta charset="utf-8">``, UTF-8); ``page`` (default:
        whether ``path`` is given) returns a full page instead of a fragment. The other keywords are
        :func:`crosscheck.display.render`'s.
        """
        from crosscheck import display

        full = path is not None if page is None else page
        text = display.render(self.to_dict(), style=style, reports=reports, include_related=include_related,
                              min_probability=min_probability, page=full, title=title)
        if path is not None:
            display.write(text, path)
        return text

    def _repr_html_(self) -> str:
        return self.to_html()


def shows(relation: str, probability: float | None, threshold: float | None, *, include_related: bool = False,
          kind: str = "none") -> bool:
    """Whether the default views show a finding: a ``related`` one or a copy (``kind="copy"``: two claims of one
    origin) only with ``include_related`` (then always), any other when ``threshold`` is None, its ``probability``
    is None or at least ``threshold``."""
    if relation == "related" or kind == "copy":
        return include_related
    return threshold is None or probability is None or probability >= threshold


def hidden_counts(findings: Sequence[tuple[str, float | None, str]], threshold: float | None) -> dict[str, int]:
    """How many of ``(relation, probability, kind)`` findings of each relation ``threshold`` hides (related findings
    and copies aside: they are hidden whatever their probability)."""
    out: dict[str, int] = {}
    for relation, probability, kind in findings:
        if relation != "related" and kind != "copy" and not shows(relation, probability, threshold):
            out[relation] = out.get(relation, 0) + 1
    return out


def threshold_note(threshold: float | None, hidden: dict[str, int], *, include_related: bool) -> str:
    """One line saying what the views hide (``hidden``: :func:`hidden_counts`) and how to show it."""
    parts = []
    if threshold is not None:
        what = ", ".join(f"{n} {rel}" for rel, n in sorted(hidden.items(), key=lambda kv: _RELATION_ORDER[kv[0]]))
        parts.append(f"shown: findings with probability >= {threshold:.2f}" + (f" ({what} below it hidden)" if what else ""))
    if not include_related:
        parts.append("related findings and copies of one origin hidden")
    if not parts:
        return "showing every finding"
    return ("; ".join(parts) + " (min_probability=0 / --min-probability 0 and include_related=True / "
            "--related show them)")


def _ts(value: Any) -> Any:
    import pandas as pd

    return pd.Timestamp(value) if value is not None else pd.NaT


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


# ---- loading checks ------------------------------------------------------------------------------------------------
_TOP_KEYS = {"schema": int, "min_probability": (int, float, type(None)), "reports": list, "claims": list,
             "findings": list, "topics": list}
_NUMBER = (int, float)
_OPT_STR = (str, type(None))
_REPORT_KEYS = {"id": str, "text": str, "source": _OPT_STR, "published": _OPT_STR, "url": _OPT_STR,
                "language": str, "metadata": dict}
_QUANTITY_KEYS = {"text": str, "value": _NUMBER, "low": (int, float, type(None)), "high": (int, float, type(None)),
                  "unit": _OPT_STR, "approximate": bool, "role": _OPT_STR}
_TIME_KEYS = {"text": str, "date": _OPT_STR, "until": _OPT_STR, "anchor": str, "main": bool}
_CLAIM_TUPLES = ("places", "entities", "location_places", "lemmas", "negated_lemmas", "questions")
_CLAIM_KEYS: dict[str, Any] = {
    "id": str, "report_id": str, "start": int, "end": int, "text": str, "proposition": str, "speaker": str,
    "attributed": bool, "hedge": str, "negated": bool, "quantities": list, "times": list, "unknown_place": bool,
    "source": _OPT_STR, "published": _OPT_STR, "predicate": str, "kind": str, "speaker_start": int,
    "speaker_end": int, "cue": str, "cue_start": int, "cue_end": int, "relay": str, "place_roles": list,
    **{k: list for k in _CLAIM_TUPLES}}
_FINDING_KEYS = {"id": str, "relation": str, "kind": str, "score": _NUMBER, "reason": str, "claim_a": str,
                 "claim_b": str, "similarity": _NUMBER, "probability": (int, float, type(None))}
_TOPIC_KEYS = {"id": str, "label": str, "claim_ids": list, "stances": dict}
_TOPIC_KEYS_3 = {**_TOPIC_KEYS, "consensus": str, "n_independent_sources": int, "majority_position": _OPT_STR}
_TOP_KEYS_3 = {**_TOP_KEYS, "origins": dict, "positions": list}
_ORIGINS_KEYS = {"reports": list, "claims": dict, "passages": list}
_ORIGIN_REPORT_KEYS = {"report_id": str, "origin_id": str, "wire": _OPT_STR}
_PASSAGE_KEYS = {"report_id": str, "start": int, "end": int, "origin_id": str}
_POSITION_KEYS = {"topic_id": str, "position_id": str, "label": str, "speakers": list, "outlets": list,
                  "n_independent_sources": int, "first_seen": _OPT_STR, "last_seen": _OPT_STR, "status": str,
                  "hedge": str, "claim_ids": list, "origin_ids": list}
assert list(_POSITION_KEYS) == POSITION_COLUMNS, "update _POSITION_KEYS with POSITION_COLUMNS"
assert set(_CLAIM_KEYS) == {f.name for f in fields(Claim)}, "update _CLAIM_KEYS with Claim"


def check_min_probability(value: Any) -> float | None:
    """``value`` as a display threshold: None, or a number in [0, 1] (E088)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise InputError(Errors.E088.format(value=value))
    return float(value)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _type_name(spec: Any) -> str:
    types = spec if isinstance(spec, tuple) else (spec,)
    return " or ".join("null" if t is type(None) else t.__name__ for t in types)


def _expect(value: Any, spec: Any, where: str) -> Any:
    """``value`` if it has the type ``spec`` (a bool is no int here), else E320."""
    types = spec if isinstance(spec, tuple) else (spec,)
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if ok and isinstance(value, float) and not math.isfinite(value):
        ok = False
    if not ok:
        raise InputError(Errors.E320.format(where=where, problem=f"expected {_type_name(spec)}, got "
                                            f"{type(value).__name__} {_short(value)}"))
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "\u2026"


def _check_keys(d: Any, spec: dict[str, Any], where: str) -> dict[str, Any]:
    """``d`` is a mapping with exactly the keys of ``spec``, each of its type (E320)."""
    _expect(d, dict, where)
    missing, extra = sorted(set(spec) - set(d)), sorted(set(d) - set(spec))
    if missing or extra:
        problem = "; ".join(p for p in (f"missing key(s) {missing}" if missing else "",
                                        f"unknown key(s) {extra}" if extra else "") if p)
        raise InputError(Errors.E320.format(where=where, problem=problem))
    for key, typ in spec.items():
        _expect(d[key], typ, f"{where}.{key}")
    return d


def _one_of(value: str, allowed: tuple[str, ...], where: str) -> None:
    if value not in allowed:
        raise InputError(Errors.E320.format(where=where, problem=f"{value!r} is not one of {allowed}"))


def _unique(ids: list[str], what: str) -> None:
    """No id twice (E323)."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise InputError(Errors.E323.format(what=what, id=i))
        seen.add(i)


def _load_report(d: Any, where: str) -> Report:
    _check_keys(d, _REPORT_KEYS, where)
    try:
        return Report(**d)
    except CrosscheckError as exc:
        raise InputError(Errors.E320.format(where=where, problem=exc)) from None


def _load_claim(d: Any, where: str, reports: dict[str, Report]) -> Claim:
    _check_keys(d, _CLAIM_KEYS, where)
    for i, q in enumerate(d["quantities"]):
        _check_keys(q, _QUANTITY_KEYS, f"{where}.quantities[{i}]")
    for i, t in enumerate(d["times"]):
        _check_keys(t, _TIME_KEYS, f"{where}.times[{i}]")
    for key in _CLAIM_TUPLES:
        for i, v in enumerate(d[key]):
            _expect(v, str, f"{where}.{key}[{i}]")
    for i, pr in enumerate(d["place_roles"]):
        _expect(pr, list, f"{where}.place_roles[{i}]")
        if len(pr) != 2:
            raise InputError(Errors.E320.format(where=f"{where}.place_roles[{i}]", problem="expected [place, role]"))
        for v in pr:
            _expect(v, str, f"{where}.place_roles[{i}]")
    _one_of(d["kind"], CLAIM_KINDS, f"{where}.kind")
    report = reports.get(d["report_id"])
    if report is None:
        raise InputError(Errors.E322.format(where=where, what="report", id=d["report_id"]))
    for field, start, end, optional in (("text", "start", "end", False), ("speaker", "speaker_start", "speaker_end",
                                                                           True), ("cue", "cue_start", "cue_end", True)):
        s, e = d[start], d[end]
        if optional and s == -1 and e == -1:
            continue
        if not (0 <= s <= e <= len(report.text)) or report.text[s:e] != d[field]:
            raise InputError(Errors.E321.format(id=d["id"], report=report.id, start=s, end=e, field=field))
    try:
        return Claim.from_dict(d)
    except CrosscheckError as exc:
        raise InputError(Errors.E320.format(where=where, problem=exc)) from None


def _load_finding(d: Any, where: str, claim_report: dict[str, str]) -> Finding:
    _check_keys(d, _FINDING_KEYS, where)
    _one_of(d["relation"], RELATIONS, f"{where}.relation")
    for key in ("claim_a", "claim_b"):
        if d[key] not in claim_report:
            raise InputError(Errors.E322.format(where=f"{where}.{key}", what="claim", id=d[key]))
    if claim_report[d["claim_a"]] == claim_report[d["claim_b"]]:
        raise InputError(Errors.E320.format(where=where, problem="both claims are from report "
                                            f"{claim_report[d['claim_a']]!r}"))
    p = d["probability"]
    if p is not None and not 0.0 <= p <= 1.0:
        raise InputError(Errors.E320.format(where=f"{where}.probability", problem=f"{p!r} is not in [0, 1]"))
    return Finding(**d)


def _load_topic(d: Any, where: str, claim_report: dict[str, str], reports: dict[str, Report],
                keys: dict[str, Any]) -> Topic:
    _check_keys(d, keys, where)
    for i, cid in enumerate(d["claim_ids"]):
        _expect(cid, str, f"{where}.claim_ids[{i}]")
        if cid not in claim_report:
            raise InputError(Errors.E322.format(where=f"{where}.claim_ids[{i}]", what="claim", id=cid))
    for rid, stance in d["stances"].items():
        if rid not in reports:
            raise InputError(Errors.E322.format(where=f"{where}.stances", what="report", id=rid))
        _expect(stance, str, f"{where}.stances[{rid!r}]")
        _one_of(stance, STANCES, f"{where}.stances[{rid!r}]")
    return Topic(id=d["id"], label=d["label"], claim_ids=tuple(d["claim_ids"]), stances=d["stances"])


def _load_origins(d: Any, reports: dict[str, Report], claim_report: dict[str, str]) -> Origins:
    """The ``origins`` block of a schema-3 result (E320, E322)."""
    _check_keys(d, _ORIGINS_KEYS, "origins")
    report_origin: dict[str, str] = {}
    wires: dict[str, str | None] = {}
    for i, r in enumerate(d["reports"]):
        where = f"origins.reports[{i}]"
        _check_keys(r, _ORIGIN_REPORT_KEYS, where)
        if r["report_id"] not in reports:
            raise InputError(Errors.E322.format(where=where, what="report", id=r["report_id"]))
        report_origin[r["report_id"]] = r["origin_id"]
        wires[r["report_id"]] = r["wire"]
    claims: dict[str, str] = {}
    for cid, oid in d["claims"].items():
        if cid not in claim_report:
            raise InputError(Errors.E322.format(where="origins.claims", what="claim", id=cid))
        claims[cid] = _expect(oid, str, f"origins.claims[{cid!r}]")
    passages = []
    for i, p in enumerate(d["passages"]):
        _check_keys(p, _PASSAGE_KEYS, f"origins.passages[{i}]")
        passages.append(Passage(p["report_id"], p["start"], p["end"], p["origin_id"]))
    return Origins(report_origin, wires, claims, tuple(passages))


def _load_questions(items: list[Any], topic_dicts: list[dict[str, Any]], topics: list[Topic],
                    claim_report: dict[str, str]) -> Questions:
    """The positions and the topics' consensus of a schema-3 result (E320, E322)."""
    positions = []
    for i, d in enumerate(items):
        where = f"positions[{i}]"
        _check_keys(d, _POSITION_KEYS, where)
        for key in ("speakers", "outlets", "claim_ids", "origin_ids"):
            for j, v in enumerate(d[key]):
                _expect(v, str, f"{where}.{key}[{j}]")
        for cid in d["claim_ids"]:
            if cid not in claim_report:
                raise InputError(Errors.E322.format(where=f"{where}.claim_ids", what="claim", id=cid))
        _one_of(d["status"], POSITION_STATUSES, f"{where}.status")
        _one_of(d["hedge"], HEDGES, f"{where}.hedge")
        if d["n_independent_sources"] != len(d["origin_ids"]):
            raise InputError(Errors.E320.format(where=f"{where}.n_independent_sources",
                                                problem=f"{d['n_independent_sources']} for {len(d['origin_ids'])} "
                                                "origins"))
        try:
            first, last = parse_published(d["first_seen"]), parse_published(d["last_seen"])
        except CrosscheckError as exc:
            raise InputError(Errors.E320.format(where=where, problem=exc)) from None
        positions.append(Position(d["position_id"], d["topic_id"], d["label"], tuple(d["claim_ids"]),
                                  tuple(d["speakers"]), tuple(d["outlets"]), tuple(d["origin_ids"]), first, last,
                                  d["hedge"], d["status"]))
    consensus = {}
    for i, t in enumerate(topic_dicts):
        _one_of(t["consensus"], CONSENSUS, f"topics[{i}].consensus")
        consensus[t["id"]] = Consensus(t["id"], t["consensus"], t["n_independent_sources"], t["majority_position"])
    return Questions(tuple(positions), consensus, {t.id: dict(t.stances) for t in topics})
