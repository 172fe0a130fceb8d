"""Checks of each stage's output against its protocol (:mod:`crosscheck.protocols`), with coded errors.

The :class:`~crosscheck.pipeline.Checker` runs these after every stage, so that a stage of your own that breaks an
invariant fails at once with a message naming the stage, instead of producing wrong offsets or findings later.
Each check is linear in the size of the output (the embedding check is vectorised).

Codes: E070 wrong output type, E071 sentence, E052/E072 claim, E073 embeddings, E074 candidate, E075 finding
(E334 a non-finite score or similarity), E076 topic, E401 origins and positions.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from crosscheck.align import Candidate
from crosscheck.data import CLAIM_KINDS, RELATIONS, SENTENCE_KINDS, STANCES, Claim, Finding, Report, Sentence, Topic
from crosscheck.errors import Errors, InputError

if TYPE_CHECKING:
    from crosscheck.origins import Origins
    from crosscheck.positions import Questions

#: How far an embedding row's L2 norm may be from 1.
NORM_TOLERANCE = 1e-3


def _list_of(stage: str, value: Any, cls: type) -> list[Any]:
    """``value`` as a list of ``cls`` instances, or E070."""
    if not isinstance(value, (list, tuple)):
        raise InputError(Errors.E070.format(stage=stage, got=type(value).__name__, expected=f"a list of {cls.__name__}"))
    for i, item in enumerate(value):
        if not isinstance(item, cls):
            raise InputError(Errors.E070.format(stage=stage, got=f"a {type(item).__name__} at position {i}",
                                                expected=cls.__name__))
    return list(value)


def sentences(report: Report, value: Any, *, stage: str = "segmenter") -> list[Sentence]:
    """Check a segmenter's output for ``report``: exact, ordered, non-overlapping spans with a known kind."""
    out = _list_of(stage, value, Sentence)
    text, prev_end = report.text, 0
    for s in out:
        problem = ""
        if s.report_id != report.id:
            problem = f"it has report_id {s.report_id!r}"
        elif not (isinstance(s.start, int) and isinstance(s.end, int) and 0 <= s.start < s.end <= len(text)):
            problem = f"offsets outside the text (length {len(text)}) or empty"
        elif text[s.start:s.end] != s.text:
            problem = "report.text[start:end] != text"
        elif s.start < prev_end:
            problem = f"it overlaps or precedes the previous sentence (ending at {prev_end})"
        elif s.kind not in SENTENCE_KINDS:
            problem = f"kind {s.kind!r} is not one of {SENTENCE_KINDS}"
        if problem:
            raise InputError(Errors.E071.format(stage=stage, start=s.start, end=s.end, report=report.id,
                                                problem=problem))
        prev_end = s.end
    return out


def claims(report: Report, value: Any, seen: set[str], *, stage: str = "extractor") -> list[Claim]:
    """Check an extractor's output for ``report``; ``seen`` holds the claim ids so far (updated in place)."""
    out = _list_of(stage, value, Claim)
    for c in out:
        problem = ""
        if c.report_id != report.id:
            problem = f"it has report_id {c.report_id!r}"
        elif not (isinstance(c.start, int) and isinstance(c.end, int)) or report.text[c.start:c.end] != c.text:
            raise InputError(Errors.E052.format(stage=stage, id=c.id))
        elif c.id in seen:
            problem = "its id comes twice; claim ids must be unique"
        elif c.kind not in CLAIM_KINDS:
            problem = f"kind {c.kind!r}; claims are {CLAIM_KINDS}"
        elif not isinstance(c.proposition, str):
            problem = "its proposition is not a string"
        if problem:
            raise InputError(Errors.E072.format(stage=stage, id=c.id, report=report.id, problem=problem))
        seen.add(c.id)
    return out


def embeddings(value: Any, n: int, *, stage: str = "embedder") -> np.ndarray:
    """Check an embedder's output for ``n`` texts: a finite float ``(n, d)`` array with unit rows."""
    if not isinstance(value, np.ndarray):
        raise InputError(Errors.E070.format(stage=stage, got=type(value).__name__, expected="a numpy array"))
    if value.ndim != 2 or value.shape[0] != n:
        raise InputError(Errors.E073.format(stage=stage, problem=f"an array of shape {value.shape} for {n} texts; "
                                                                f"expected ({n}, d)"))
    if not np.issubdtype(value.dtype, np.floating):
        raise InputError(Errors.E073.format(stage=stage, problem=f"dtype {value.dtype}; expected a float array"))
    if n and value.shape[1] == 0:
        raise InputError(Errors.E073.format(stage=stage, problem="vectors of dimension 0"))
    if not np.isfinite(value).all():
        row = int(np.argwhere(~np.isfinite(value))[0, 0])
        raise InputError(Errors.E073.format(stage=stage, problem=f"NaN or infinite values (row {row})"))
    if n:
        norms = np.linalg.norm(value.astype(np.float64), axis=1)
        bad = np.flatnonzero(np.abs(norms - 1.0) > NORM_TOLERANCE)
        if bad.size:
            raise InputError(Errors.E073.format(stage=stage, problem=f"a row that is not L2-normalised (row "
                                                f"{int(bad[0])}, norm {norms[bad[0]]:.4f}); rows must have norm 1 "
                                                "so that dot products are cosines"))
    return value


def candidates(claim_list: Sequence[Claim], value: Any, *, stage: str = "aligner") -> list[Candidate]:
    """Check an aligner's output: valid indices ``a < b`` of claims of different reports, each pair once."""
    out = _list_of(stage, value, Candidate)
    n, seen = len(claim_list), set()
    for c in out:
        problem = ""
        if not (isinstance(c.a, (int, np.integer)) and isinstance(c.b, (int, np.integer)) and 0 <= c.a < c.b < n):
            problem = f"indices must satisfy 0 <= a < b < {n}"
        elif claim_list[c.a].report_id == claim_list[c.b].report_id:
            problem = f"both claims are from report {claim_list[c.a].report_id!r}"
        elif (c.a, c.b) in seen:
            problem = "it comes twice"
        elif not isinstance(c.similarity, numbers.Real) or not np.isfinite(c.similarity):
            problem = f"similarity {c.similarity!r}"
        if problem:
            raise InputError(Errors.E074.format(stage=stage, a=c.a, b=c.b, problem=problem))
        seen.add((c.a, c.b))
    return out


def findings(claim_list: Sequence[Claim], value: Any, *, stage: str = "judge") -> list[Finding]:
    """Check a judge's output: findings between existing claims of different reports, with a known relation."""
    out = _list_of(stage, value, Finding)
    report_of = {c.id: c.report_id for c in claim_list}
    for f in out:
        problem = ""
        unknown = [cid for cid in (f.claim_a, f.claim_b) if cid not in report_of]
        if unknown:
            problem = f"about unknown claim {unknown[0]!r}"
        elif report_of[f.claim_a] == report_of[f.claim_b]:
            problem = f"between two claims of report {report_of[f.claim_a]!r}"
        elif f.relation not in RELATIONS:
            problem = f"relation {f.relation!r}, not one of {RELATIONS}"
        if problem:
            raise InputError(Errors.E075.format(stage=stage, id=f.id, problem=problem))
        for name in ("score", "similarity"):
            v = getattr(f, name)
            if not isinstance(v, numbers.Real) or not math.isfinite(v):
                raise InputError(Errors.E334.format(stage=stage, id=f.id, field=name, value=v))
        p = f.probability
        if p is not None and (isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 <= p <= 1.0):
            raise InputError(Errors.E089.format(stage=stage, id=f.id, value=p))
    return out


def topics(reports: Iterable[Report], claim_list: Sequence[Claim], value: Any, *,
           stage: str = "aggregator") -> list[Topic]:
    """Check an aggregator's output: unique topic ids, existing claims, known reports and stances."""
    out = _list_of(stage, value, Topic)
    claim_ids = {c.id for c in claim_list}
    report_ids = {r.id for r in reports}
    seen: set[str] = set()
    for t in out:
        if t.id in seen:
            raise InputError(Errors.E076.format(stage=stage, id=t.id, problem="it comes twice"))
        seen.add(t.id)
        unknown = [cid for cid in t.claim_ids if cid not in claim_ids]
        if unknown:
            raise InputError(Errors.E076.format(stage=stage, id=t.id, problem=f"unknown claim {unknown[0]!r}"))
        for rid, stance in t.stances.items():
            if rid not in report_ids or stance not in STANCES:
                raise InputError(Errors.E076.format(stage=stage, id=t.id, problem=f"stance {stance!r} for report "
                                                    f"{rid!r}; stances are {STANCES} for the checked reports"))
    return out


def origins(reports: Sequence[Report], claim_list: Sequence[Claim], value: Any, *,
            stage: str = "origins") -> Origins:
    """Check an origin stage's output (E401): every report and claim given a non-empty origin id, wires strings or
    None, passages inside their reports."""
    from crosscheck.origins import Origins

    if not isinstance(value, Origins):
        raise InputError(Errors.E070.format(stage=stage, got=type(value).__name__, expected="an Origins"))
    report_ids = {r.id for r in reports}
    texts = {r.id: r.text for r in reports}
    for what, got, want in (("reports", set(value.reports), report_ids), ("wires", set(value.wires), report_ids),
                            ("claims", set(value.claims), {c.id for c in claim_list})):
        if got != want:
            missing, extra = sorted(want - got)[:3], sorted(got - want)[:3]
            raise InputError(Errors.E401.format(stage=stage, problem=f"{what} for other ids than those checked "
                                                f"(missing {missing}, unknown {extra})"))
    for mapping in (value.reports, value.claims):
        for key, oid in mapping.items():
            if not isinstance(oid, str) or not oid:
                raise InputError(Errors.E401.format(stage=stage, problem=f"origin {oid!r} for {key!r}; an origin "
                                                    "id is a non-empty string"))
    for rid, wire in value.wires.items():
        if wire is not None and (not isinstance(wire, str) or not wire):
            raise InputError(Errors.E401.format(stage=stage, problem=f"wire {wire!r} for report {rid!r}"))
    for p in value.passages:
        if p.report_id not in texts or not 0 <= p.start < p.end <= len(texts[p.report_id]) or not p.origin_id:
            raise InputError(Errors.E401.format(stage=stage, problem=f"a passage {p!r} outside its report"))
    return value


def questions(reports: Sequence[Report], topic_list: Sequence[Topic], value: Any, *,
              stage: str = "positions") -> Questions:
    """Check a positions stage's output (E401): each topic's claims in exactly one of its positions, known
    statuses, one consensus and one stance per report for every topic."""
    from crosscheck.positions import CONSENSUS, POSITION_STATUSES, Questions

    if not isinstance(value, Questions):
        raise InputError(Errors.E070.format(stage=stage, got=type(value).__name__, expected="a Questions"))
    topics_by_id = {t.id: t for t in topic_list}
    report_ids = {r.id for r in reports}
    placed: dict[str, list[str]] = {t: [] for t in topics_by_id}
    ids: set[str] = set()
    for p in value.positions:
        problem = None
        if p.id in ids:
            problem = "comes twice"
        elif p.topic_id not in topics_by_id:
            problem = f"is of an unknown topic {p.topic_id!r}"
        elif p.status not in POSITION_STATUSES:
            problem = f"has status {p.status!r}, not one of {POSITION_STATUSES}"
        elif not p.claim_ids:
            problem = "holds no claim"
        if problem:
            raise InputError(Errors.E401.format(stage=stage, problem=f"position {p.id!r} that {problem}"))
        ids.add(p.id)
        placed[p.topic_id].extend(p.claim_ids)
    for tid, t in topics_by_id.items():
        if sorted(placed[tid]) != sorted(t.claim_ids):
            raise InputError(Errors.E401.format(stage=stage, problem=f"positions of topic {tid!r} that do not hold "
                                                "each of its claims exactly once"))
        c = value.consensus.get(tid)
        if c is None or c.status not in CONSENSUS or (c.majority is not None and c.majority not in ids):
            raise InputError(Errors.E401.format(stage=stage, problem=f"consensus {c!r} for topic {tid!r}; statuses "
                                                f"are {CONSENSUS}"))
        st = value.stances.get(tid)
        if st is None or set(st) != report_ids or any(s not in STANCES for s in st.values()):
            raise InputError(Errors.E401.format(stage=stage, problem=f"stances of topic {tid!r} that are not one "
                                                f"of {STANCES} for each checked report"))
    return value
