"""The eight stage interfaces of the :class:`~crosscheck.pipeline.Checker`, as :class:`typing.Protocol` classes.

A stage is any callable object with the call signature below; nothing needs to subclass anything. The
:class:`~crosscheck.pipeline.Checker` checks every stage's output against the guarantees listed here (coded
:class:`~crosscheck.errors.InputError`, E052 and E070-E076) and :func:`crosscheck.testing.check_stage` runs a
fuller conformance check on one stage object. The protocols are ``runtime_checkable``, so
``isinstance(obj, Segmenter)`` tells whether ``obj`` is callable at all (Python cannot check a signature at
run time; :func:`~crosscheck.testing.check_stage` does the real check).

>>> from crosscheck.segment import RuleSegmenter
>>> isinstance(RuleSegmenter(), Segmenter)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from crosscheck.align import Candidate
from crosscheck.data import Claim, Finding, Report, Sentence, Topic
from crosscheck.origins import Origins
from crosscheck.positions import Questions

__all__ = ["STAGE_PROTOCOLS", "Aggregator", "Aligner", "Embedder", "Extractor", "Judge", "NLIModel", "OriginGrouper",
           "Positioner", "Segmenter"]


@runtime_checkable
class Segmenter(Protocol):
    """Stage 1: a report into sentences.

    Guarantees: a list of :class:`~crosscheck.data.Sentence`, in text order and not overlapping, each with
    ``report_id == report.id``, ``0 <= start < end <= len(report.text)``, ``report.text[start:end] == text``
    and ``kind`` in :data:`~crosscheck.data.SENTENCE_KINDS`. The same report gives the same sentences.
    """

    def __call__(self, report: Report) -> list[Sentence]: ...


@runtime_checkable
class Extractor(Protocol):
    """Stage 2: a report and its sentences into claims.

    Guarantees: a list of :class:`~crosscheck.data.Claim` of this report (``report_id == report.id``) with ids
    unique across the whole check (the default is ``"{report_id}:{sentence index}"``), exact offsets
    (``report.text[start:end] == text``), ``kind`` in :data:`~crosscheck.data.CLAIM_KINDS` (only body and
    headline sentences make claims), and a ``proposition`` string (what is embedded and judged).
    """

    def __call__(self, report: Report, sentences: list[Sentence]) -> list[Claim]: ...


@runtime_checkable
class Embedder(Protocol):
    """Stage 3: texts (claim propositions) into vectors.

    Guarantees: a float array of shape ``(len(texts), d)`` with finite, L2-normalised rows (so that a dot
    product is a cosine similarity), row ``i`` for ``texts[i]``; ``d`` does not depend on the input, and an
    empty input gives shape ``(0, d)``.
    """

    def __call__(self, texts: Sequence[str]) -> np.ndarray: ...


@runtime_checkable
class Aligner(Protocol):
    """Stage 4: claims and their embeddings into candidate pairs.

    Guarantees: a list of :class:`~crosscheck.align.Candidate` with ``0 <= a < b < len(claims)``, the two claims
    from different reports, no pair twice, and a finite ``similarity`` in [-1, 1]. It does not depend on the
    order of the reports' claims beyond the indices it returns.
    """

    def __call__(self, claims: Sequence[Claim], embeddings: np.ndarray) -> list[Candidate]: ...


@runtime_checkable
class Judge(Protocol):
    """Stage 5: candidate pairs into findings.

    Guarantees: a list of :class:`~crosscheck.data.Finding` whose ``claim_a`` and ``claim_b`` are ids of two
    claims of the pair (of different reports), with ``relation`` in :data:`~crosscheck.data.RELATIONS`; the
    finding for a pair does not depend on the order of the candidates.
    """

    def __call__(self, claims: Sequence[Claim], candidates: Sequence[Candidate]) -> list[Finding]: ...


@runtime_checkable
class Aggregator(Protocol):
    """Stage 6: reports, claims and findings into topics.

    Guarantees: a list of :class:`~crosscheck.data.Topic` with unique ids whose ``claim_ids`` are ids of the
    given claims and whose ``stances`` map report ids to values of :data:`~crosscheck.data.STANCES`.
    """

    def __call__(self, reports: Sequence[Report], claims: Sequence[Claim], findings: Sequence[Finding]) -> list[Topic]:
        ...


@runtime_checkable
class OriginGrouper(Protocol):
    """Stage 6, after the judge: reports and claims into :class:`~crosscheck.origins.Origins`.

    Guarantees: ``reports`` and ``wires`` have exactly the report ids, ``claims`` exactly the claim ids, every
    origin id a non-empty string, every wire a non-empty string or None, and every passage inside its report.
    The same input gives the same origins, whatever the order of the reports.
    """

    def __call__(self, reports: Sequence[Report], claims: Sequence[Claim]) -> Origins: ...


@runtime_checkable
class Positioner(Protocol):
    """Stage 8, after the aggregator: every topic's positions, consensus and stances
    (:class:`~crosscheck.positions.Questions`).

    Guarantees: positions with unique ids, each of a given topic, holding claims of that topic and every claim of
    a topic in exactly one of its positions, a status from :data:`~crosscheck.positions.POSITION_STATUSES`; one
    consensus per topic from :data:`~crosscheck.positions.CONSENSUS` whose majority is one of its positions; one
    stance per report and topic from :data:`~crosscheck.data.STANCES`.
    """

    def __call__(self, reports: Sequence[Report], claims: Sequence[Claim], findings: Sequence[Finding],
                 topics: Sequence[Topic], origins: Origins) -> Questions: ...


class NLIModel(Protocol):
    """What the judge needs from an NLI model: class probabilities in ``crosscheck.judge.NLI_LABELS`` order
    (contradiction, entailment, neutral), one row of shape ``(3,)`` per (premise, hypothesis) pair."""

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray: ...


#: The protocol of each :data:`crosscheck.pipeline.STAGES` name.
STAGE_PROTOCOLS: dict[str, type] = {
    "segmenter": Segmenter, "extractor": Extractor, "embedder": Embedder, "aligner": Aligner, "judge": Judge,
    "origins": OriginGrouper, "aggregator": Aggregator, "positions": Positioner,
}
