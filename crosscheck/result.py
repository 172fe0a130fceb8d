"""The :class:`Result` of a check: tidy DataFrames, JSON that round-trips, text and HTML views.

Column reference: ``docs/columns.md``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from crosscheck.data import Claim, Finding, Report, Topic
from crosscheck.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 1
_RELATION_ORDER = {"contradict": 0, "disputed": 1, "update": 2, "agree": 3, "related": 4}

CLAIM_COLUMNS = ["claim_id", "report_id", "source", "published", "start", "end", "text", "kind", "speaker", "hedge",
                 "negated", "predicate", "topic_id", "proposition", "attributed", "entities", "places", "quantities",
                 "times", "speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "relay", "questions"]
FINDING_COLUMNS = ["finding_id", "relation", "kind", "score", "reason",
                   "claim_a", "report_a", "source_a", "start_a", "end_a", "text_a", "speaker_a", "published_a",
                   "claim_b", "report_b", "source_b", "start_b", "end_b", "text_b", "speaker_b", "published_b",
                   "similarity"]
SOURCE_COLUMNS = ["report_id", "source", "published", "url", "n_claims"]
TOPIC_COLUMNS = ["topic_id", "label", "n_claims", "n_sources"]


class Result:
    """Claims, findings and topics of a check over several reports.

    >>> import crosscheck                                                # doctest: +SKIP
    >>> res = crosscheck.compare("Assad resigned.", "Assad never resigned.")  # doctest: +SKIP
    >>> res.findings[["relation", "kind"]].values.tolist()             # doctest: +SKIP
    [['contradict', 'negation']]
    """

    def __init__(self, reports: Sequence[Report], claims: Sequence[Claim], findings: Sequence[Finding],
                 topics: Sequence[Topic]) -> None:
        self.reports = list(reports)
        self.claim_list = list(claims)
        self.finding_list = sorted(findings, key=lambda f: (_RELATION_ORDER.get(f.relation, 9), -f.score, f.id))
        self.topic_list = list(topics)

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
            rows.append(row)
        return _frame(rows, FINDING_COLUMNS)

    @property
    def sources(self) -> pd.DataFrame:
        """One row per report."""
        counts: dict[str, int] = {}
        for c in self.claim_list:
            counts[c.report_id] = counts.get(c.report_id, 0) + 1
        rows = [{"report_id": r.id, "source": r.source, "published": _ts(r.published), "url": r.url,
                 "n_claims": counts.get(r.id, 0)} for r in self.reports]
        return _frame(rows, SOURCE_COLUMNS)

    @property
    def topics(self) -> pd.DataFrame:
        """One row per topic, plus one stance column per report id."""
        by_id = {c.id: c for c in self.claim_list}
        rows = []
        for t in self.topic_list:
            row: dict[str, Any] = {"topic_id": t.id, "label": t.label, "n_claims": len(t.claim_ids),
                                   "n_sources": len({by_id[c].report_id for c in t.claim_ids})}
            row.update({r.id: t.stances.get(r.id, "silent") for r in self.reports})
            rows.append(row)
        return _frame(rows, TOPIC_COLUMNS + [r.id for r in self.reports])

    @property
    def stances(self) -> pd.DataFrame:
        """Long format of the stance matrix: ``topic_id, report_id, source, stance``."""
        src = {r.id: r.source for r in self.reports}
        rows = [{"topic_id": t.id, "report_id": rid, "source": src[rid], "stance": t.stances.get(rid, "silent")}
                for t in self.topic_list for rid in src]
        return _frame(rows, ["topic_id", "report_id", "source", "stance"])

    def contradictions(self, *, include_disputed: bool = True) -> pd.DataFrame:
        """Findings whose relation is ``contradict`` (and ``disputed`` unless excluded)."""
        rel = ["contradict", "disputed"] if include_disputed else ["contradict"]
        df = self.findings
        return df[df.relation.isin(rel)].reset_index(drop=True)

    def agreements(self) -> pd.DataFrame:
        """Findings whose relation is ``agree``."""
        df = self.findings
        return df[df.relation == "agree"].reset_index(drop=True)

    def updates(self) -> pd.DataFrame:
        """Findings whose relation is ``update``."""
        df = self.findings
        return df[df.relation == "update"].reset_index(drop=True)

    # ---- serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (what :meth:`to_json` writes)."""
        return {
            "schema": SCHEMA_VERSION,
            "reports": [r.to_dict() for r in self.reports],
            "claims": [c.to_dict() for c in self.claim_list],
            "findings": [f.to_dict() for f in self.finding_list],
            "topics": [t.to_dict() for t in self.topic_list],
        }

    def to_json(self, *, indent: int | None = None) -> str:
        """Serialise everything; ``Result.from_json(r.to_json())`` gives an equal result."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=True)

    @classmethod
    def from_json(cls, text: str) -> Result:
        """Rebuild a result written by :meth:`to_json`."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"[E040] not a crosscheck result: invalid JSON ({exc.msg})") from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
            raise InputError(f"[E041] not a crosscheck result of schema {SCHEMA_VERSION}")
        reports = [Report.from_dict(r) for r in data["reports"]]
        claims = [Claim.from_dict(c) for c in data["claims"]]
        findings = [Finding(**f) for f in data["findings"]]
        topics = [Topic(id=t["id"], label=t["label"], claim_ids=tuple(t["claim_ids"]), stances=t["stances"])
                  for t in data["topics"]]
        return cls(reports, claims, findings, topics)

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
        shown = [f for f in self.finding_list if include_related or f.relation != "related"]
        for f in shown:
            a, b = by_id[f.claim_a], by_id[f.claim_b]
            lines.append("")
            lines.append(f"[{f.relation.upper()}] {f.kind}  score={f.score:.2f}")
            lines.append(f"  A {src[a.report_id]} ({a.report_id} {a.start}:{a.end}): {_clip(a.text, width)}")
            lines.append(f"  B {src[b.report_id]} ({b.report_id} {b.start}:{b.end}): {_clip(b.text, width)}")
            lines.append(f"  why: {f.reason}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return (f"<Result: {len(self.reports)} reports, {len(self.claim_list)} claims, "
                f"{len(self.finding_list)} findings, {len(self.topic_list)} topics>")

    def to_html(self, *, include_related: bool = False) -> str:
        """A self-contained HTML table of the findings, colour-coded by relation."""
        colours = {"agree": "#d4f4dd", "contradict": "#f8d0d0", "disputed": "#fde2c4", "update": "#d6e6fb",
                   "related": "#eeeeee"}
        by_id = {c.id: c for c in self.claim_list}
        rows = []
        for f in self.finding_list:
            if f.relation == "related" and not include_related:
                continue
            a, b = by_id[f.claim_a], by_id[f.claim_b]
            rows.append(
                f"<tr style='background:{colours.get(f.relation, '#fff')}'><td><b>{html.escape(f.relation)}</b><br>"
                f"{html.escape(f.kind)}</td><td>{html.escape(a.source or '')}<br><small>{html.escape(a.text)}</small></td>"
                f"<td>{html.escape(b.source or '')}<br><small>{html.escape(b.text)}</small></td>"
                f"<td>{html.escape(f.reason)}</td><td>{f.score:.2f}</td></tr>")
        head = "<tr><th>relation</th><th>A</th><th>B</th><th>reason</th><th>score</th></tr>"
        return (f"<div class='crosscheck'><p>{html.escape(repr(self))}</p>"
                f"<table border='1' style='border-collapse:collapse'>{head}{''.join(rows)}</table></div>")

    def _repr_html_(self) -> str:
        return self.to_html()


def _ts(value: Any) -> Any:
    import pandas as pd

    return pd.Timestamp(value) if value is not None else pd.NaT


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"
