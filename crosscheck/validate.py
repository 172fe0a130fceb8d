"""Checks of each stage's output against its protocol (:mod:`crosscheck.protocols`), with coded errors.

The :class:`~crosscheck.pipeline.Checker` runs these after every stage, so that a stage of your own that breaks an
invariant fails at once with a message naming the stage, instead of producing wrong offsets or findings later.
Each check is linear in the size of the output (the embedding check is vectorised).

Codes: E070 wrong output type, E071 sentence, E052/E072 claim, E073 embeddings, E074 candidate, E075 finding,
E076 topic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from crosscheck.align import Candidate
from crosscheck.data import CLAIM_KINDS, RELATIONS, SENTENCE_KINDS, STANCES, Claim, Finding, Report, Sentence, Topic
from crosscheck.errors import InputError

#: How far an embedding row's L2 norm may be from 1.
NORM_TOLERANCE = 1e-3


def _list_of(stage: str, value: Any, cls: type) -> list[Any]:
    """``value`` as a list of ``cls`` instances, or E070."""
    if not isinstance(value, (list, tuple)):
        raise InputError(f"[E070] {stage} returned {type(value).__name__}, expected a list of {cls.__name__}")
    for i, item in enumerate(value):
        if not isinstance(item, cls):
            raise InputError(f"[E070] {stage} returned a {type(item).__name__} at position {i}, "
                             f"expected {cls.__name__}")
    return list(value)


def sentences(report: Report, value: Any, *, stage: str = "segmenter") -> list[Sentence]:
    """Check a segmenter's output for ``report``: exact, ordered, non-overlapping spans with a known kind."""
    out = _list_of(stage, value, Sentence)
    text, prev_end = report.text, 0
    for s in out:
        where = f"[E071] {stage} returned sentence {s.start}:{s.end} of report {report.id!r}"
        if s.report_id != report.id:
            raise InputError(f"{where} with report_id {s.report_id!r}")
        if not (isinstance(s.start, int) and isinstance(s.end, int) and 0 <= s.start < s.end <= len(text)):
            raise InputError(f"{where}: offsets outside the text (length {len(text)}) or empty")
        if text[s.start:s.end] != s.text:
            raise InputError(f"{where}: report.text[start:end] != text")
        if s.start < prev_end:
            raise InputError(f"{where}: it overlaps or precedes the previous sentence (ending at {prev_end})")
        if s.kind not in SENTENCE_KINDS:
            raise InputError(f"{where}: kind {s.kind!r} is not one of {SENTENCE_KINDS}")
        prev_end = s.end
    return out


def claims(report: Report, value: Any, seen: set[str], *, stage: str = "extractor") -> list[Claim]:
    """Check an extractor's output for ``report``; ``seen`` holds the claim ids so far (updated in place)."""
    out = _list_of(stage, value, Claim)
    for c in out:
        if c.report_id != report.id:
            raise InputError(f"[E072] {stage} returned claim {c.id!r} with report_id {c.report_id!r} for report "
                             f"{report.id!r}")
        if not (isinstance(c.start, int) and isinstance(c.end, int)) or report.text[c.start:c.end] != c.text:
            raise InputError(f"[E052] extractor returned a claim whose offsets do not match its text: {c.id}")
        if c.id in seen:
            raise InputError(f"[E072] {stage} returned claim id {c.id!r} twice; claim ids must be unique")
        if c.kind not in CLAIM_KINDS:
            raise InputError(f"[E072] {stage} returned claim {c.id!r} of kind {c.kind!r}; claims are {CLAIM_KINDS}")
        if not isinstance(c.proposition, str):
            raise InputError(f"[E072] {stage} returned claim {c.id!r} whose proposition is not a string")
        seen.add(c.id)
    return out


def embeddings(value: Any, n: int, *, stage: str = "embedder") -> np.ndarray:
    """Check an embedder's output for ``n`` texts: a finite float ``(n, d)`` array with unit rows."""
    if not isinstance(value, np.ndarray):
        raise InputError(f"[E070] {stage} returned {type(value).__name__}, expected a numpy array")
    if value.ndim != 2 or value.shape[0] != n:
        raise InputError(f"[E073] {stage} returned an array of shape {value.shape} for {n} texts; expected ({n}, d)")
    if not np.issubdtype(value.dtype, np.floating):
        raise InputError(f"[E073] {stage} returned dtype {value.dtype}; expected a float array")
    if n and value.shape[1] == 0:
        raise InputError(f"[E073] {stage} returned vectors of dimension 0")
    if not np.isfinite(value).all():
        raise InputError(f"[E073] {stage} returned NaN or infinite values (row {int(np.argwhere(~np.isfinite(value))[0, 0])})")
    if n:
        norms = np.linalg.norm(value.astype(np.float64), axis=1)
        bad = np.flatnonzero(np.abs(norms - 1.0) > NORM_TOLERANCE)
        if bad.size:
            raise InputError(f"[E073] {stage} returned a row that is not L2-normalised (row {int(bad[0])}, norm "
                             f"{norms[bad[0]]:.4f}); rows must have norm 1 so that dot products are cosines")
    return value


def candidates(claim_list: Sequence[Claim], value: Any, *, stage: str = "aligner") -> list[Candidate]:
    """Check an aligner's output: valid indices ``a < b`` of claims of different reports, each pair once."""
    out = _list_of(stage, value, Candidate)
    n, seen = len(claim_list), set()
    for c in out:
        where = f"[E074] {stage} returned candidate ({c.a}, {c.b})"
        if not (isinstance(c.a, (int, np.integer)) and isinstance(c.b, (int, np.integer)) and 0 <= c.a < c.b < n):
            raise InputError(f"{where}: indices must satisfy 0 <= a < b < {n}")
        if claim_list[c.a].report_id == claim_list[c.b].report_id:
            raise InputError(f"{where}: both claims are from report {claim_list[c.a].report_id!r}")
        if (c.a, c.b) in seen:
            raise InputError(f"{where} twice")
        if not np.isfinite(c.similarity):
            raise InputError(f"{where} with similarity {c.similarity!r}")
        seen.add((c.a, c.b))
    return out


def findings(claim_list: Sequence[Claim], value: Any, *, stage: str = "judge") -> list[Finding]:
    """Check a judge's output: findings between existing claims of different reports, with a known relation."""
    out = _list_of(stage, value, Finding)
    report_of = {c.id: c.report_id for c in claim_list}
    for f in out:
        where = f"[E075] {stage} returned finding {f.id!r}"
        for cid in (f.claim_a, f.claim_b):
            if cid not in report_of:
                raise InputError(f"{where} about unknown claim {cid!r}")
        if report_of[f.claim_a] == report_of[f.claim_b]:
            raise InputError(f"{where} between two claims of report {report_of[f.claim_a]!r}")
        if f.relation not in RELATIONS:
            raise InputError(f"{where} with relation {f.relation!r}, not one of {RELATIONS}")
    return out


def topics(reports: Iterable[Report], claim_list: Sequence[Claim], value: Any, *,
           stage: str = "aggregator") -> list[Topic]:
    """Check an aggregator's output: unique topic ids, existing claims, known reports and stances."""
    out = _list_of(stage, value, Topic)
    claim_ids = {c.id for c in claim_list}
    report_ids = {r.id for r in reports}
    seen: set[str] = set()
    for t in out:
        where = f"[E076] {stage} returned topic {t.id!r}"
        if t.id in seen:
            raise InputError(f"{where} twice")
        seen.add(t.id)
        unknown = [cid for cid in t.claim_ids if cid not in claim_ids]
        if unknown:
            raise InputError(f"{where} with unknown claim {unknown[0]!r}")
        for rid, stance in t.stances.items():
            if rid not in report_ids or stance not in STANCES:
                raise InputError(f"{where} with stance {stance!r} for report {rid!r}; stances are {STANCES} for "
                                 "the checked reports")
    return out
