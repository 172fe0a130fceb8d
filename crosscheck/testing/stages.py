"""A conformance kit for pipeline stages, in the spirit of scikit-learn's ``check_estimator``.

>>> from crosscheck.judge import RuleJudge
>>> check_stage(RuleJudge(nli=None), "judge")          # no model is loaded
['callable', 'repr', 'params', 'output', 'empty input', 'determinism', 'order independence']

:func:`check_stage` builds a few small reports of its own (a made-up ferry grounding), runs the stage on them and
raises :class:`AssertionError` naming the first check that fails. The inputs of the later stages are made without
loading a model (a hashed bag-of-words embedder and the rules-only judge), so only stages that load a model
themselves (the bundled embedder, a judge with the NLI model) take long.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from crosscheck import validate
from crosscheck.align import Candidate
from crosscheck.data import Claim, Report
from crosscheck.errors import Errors, InputError

__all__ = ["HashEmbedder", "check_stage", "sample_reports"]

_KINDS = ("segmenter", "extractor", "embedder", "aligner", "judge", "origins", "aggregator", "positions")


def sample_reports() -> list[Report]:
    """Three short made-up reports about one event: agreeing, conflicting and unrelated claims, a headline, a
    byline, boilerplate, bullets and non-ASCII text."""
    return [
        Report("ferry-1", "Ferry runs aground off Port Elsa\n\nBy Mara Quill\n\n"
               "A passenger ferry ran aground near Port Elsa on Tuesday morning, the coast guard said. "
               "All 112 passengers were brought ashore. The cause is not yet known.\n\nShare this article",
               source="Coast Wire", published="2031-05-06T09:00:00+00:00"),
        Report("ferry-2", "Rescuers took 112 passengers off a stranded ferry near Port Elsa on Tuesday. "
               "All 112 passengers were taken ashore. Officials said nobody was hurt.\n"
               "- The captain said the engine failed before the ship hit a sandbank.\n"
               "- The harbour caf\u00e9 stayed open all day.",
               source="Elsa Daily", published="2031-05-06T15:00:00+00:00"),
        Report("ferry-3", "At least 40 passengers were injured when the ferry struck rocks near Port Elsa, a hospital "
               "spokesman said on Wednesday. The ferry operator denied that the engine had failed.",
               source="Harbour Post", published="2031-05-07T08:00:00+00:00"),
    ]


class HashEmbedder:
    """A small deterministic embedder for tests: hashed word counts, L2-normalised (no model, no download).

    Args:
        dim: vector size.
    """

    def __init__(self, *, dim: int = 64) -> None:
        self.dim = dim

    def __repr__(self) -> str:
        return f"HashEmbedder(dim={self.dim})"

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """An ``(len(texts), dim)`` float32 array of unit rows (a text without words gets a fixed unit vector)."""
        if not isinstance(self.dim, int) or self.dim < 1:
            raise InputError(Errors.E078.format(value=self.dim))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[i, int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % self.dim] += 1.0
            if not out[i].any():
                out[i, 0] = 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True) if len(texts) else out


class _Inputs:
    """The sample data of every stage, built once per :func:`check_stage` call without loading a model."""

    def __init__(self) -> None:
        from crosscheck.extract import RuleExtractor
        from crosscheck.judge import RuleJudge
        from crosscheck.segment import RuleSegmenter

        self.reports = sample_reports()
        segmenter, extractor = RuleSegmenter(), RuleExtractor(negation="sentence")
        self.sentences = {r.id: segmenter(r) for r in self.reports}
        self.claims: list[Claim] = [c for r in self.reports for c in extractor(r, self.sentences[r.id])]
        self.vectors = HashEmbedder()([c.proposition for c in self.claims])
        sims = self.vectors @ self.vectors.T
        self.candidates = [Candidate(i, j, round(float(sims[i, j]), 6))
                           for i in range(len(self.claims)) for j in range(i + 1, len(self.claims))
                           if self.claims[i].report_id != self.claims[j].report_id]
        self.findings = RuleJudge(nli=None)(self.claims, self.candidates)

    @property
    def topics(self) -> list[Any]:
        """Topics of the sample (the default aggregator), for the positions stage."""
        from crosscheck.aggregate import TopicAggregator

        return TopicAggregator()(self.reports, self.claims, self.findings)


def _fail(kind: str, check: str, detail: str) -> AssertionError:
    return AssertionError(f"check_stage({kind}) failed check {check!r}: {detail}")


def _valid(kind: str, check: str, fn: Callable[[], Any]) -> Any:
    """Run a validation; a coded :class:`InputError` becomes an AssertionError naming ``check``."""
    try:
        return fn()
    except InputError as exc:
        raise _fail(kind, check, str(exc)) from exc


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and bool(np.allclose(a, b, atol=1e-5)))
    return bool(a == b)


def _check_params(stage: Any, kind: str) -> None:
    if inspect.isroutine(stage):
        return  # a plain function has no parameters to read
    if hasattr(stage, "get_params"):
        params = stage.get_params()
        if not isinstance(params, dict):
            raise _fail(kind, "params", f"get_params() returned {type(params).__name__}, expected a dict")
        for name, value in params.items():
            if hasattr(stage, name) and not _same(getattr(stage, name), value):
                raise _fail(kind, "params", f"get_params()[{name!r}] differs from the attribute {name!r}")
        return
    try:
        sig = inspect.signature(type(stage))
    except (TypeError, ValueError):
        return
    for name, p in sig.parameters.items():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if not hasattr(stage, name):
            raise _fail(kind, "params", f"constructor parameter {name!r} of {type(stage).__name__} is not stored as "
                        f"an attribute of the same name (nor is there a get_params())")


def check_stage(stage: Any, kind: str) -> list[str]:
    """Check that ``stage`` honours the protocol of ``kind`` (one of the eight :data:`crosscheck.pipeline.STAGES`).

    Checks, in order: ``callable``; ``repr`` (``repr(stage)`` works); ``params`` (``get_params()`` agrees with the
    attributes, or every constructor parameter is stored under its name); ``output`` (types and invariants, as
    :mod:`crosscheck.validate` checks them in the pipeline: exact offsets, unique ids, embedding shape and unit
    rows, valid candidate pairs, known claims and relations); ``empty input`` (no sentences, texts, claims,
    candidates or findings, and a one-word report for a segmenter, since a report cannot be empty);
    ``determinism`` (the same input twice gives equal output); ``order independence``
    (embedder, aligner, judge and origins: permuting the input permutes the output and nothing else).

    Returns the names of the checks that passed; raises :class:`AssertionError` naming the first that fails, or
    :class:`~crosscheck.errors.InputError` ``[E077]`` for an unknown ``kind``.
    """
    if kind not in _KINDS:
        raise InputError(Errors.E077.format(kinds=_KINDS, kind=kind))
    done: list[str] = []
    if not callable(stage):
        raise _fail(kind, "callable", f"{type(stage).__name__} is not callable")
    done.append("callable")
    try:
        text = repr(stage)
    except Exception as exc:  # noqa: BLE001 - any failure of repr is the finding
        raise _fail(kind, "repr", f"repr() raised {type(exc).__name__}: {exc}") from exc
    if not isinstance(text, str) or not text:
        raise _fail(kind, "repr", "repr() gave an empty string")
    done.append("repr")
    _check_params(stage, kind)
    done.append("params")
    data = _Inputs()
    done.extend(_CHECKS[kind](stage, kind, data))
    return done


def _check_segmenter(stage: Any, kind: str, data: _Inputs) -> list[str]:
    outs = {r.id: _valid(kind, "output", lambda r=r: validate.sentences(r, stage(r))) for r in data.reports}
    one_word = Report("tiny", "Yes")
    _valid(kind, "empty input", lambda: validate.sentences(one_word, stage(one_word)))
    for r in data.reports:
        if stage(r) != outs[r.id]:
            raise _fail(kind, "determinism", f"two calls on report {r.id!r} gave different sentences")
    return ["output", "empty input", "determinism"]


def _check_extractor(stage: Any, kind: str, data: _Inputs) -> list[str]:
    seen: set[str] = set()
    outs = {r.id: _valid(kind, "output", lambda r=r: validate.claims(r, stage(r, data.sentences[r.id]), seen))
            for r in data.reports}
    if not any(outs.values()):
        raise _fail(kind, "output", "no claim from any of the sample reports")
    for r in data.reports:
        empty = stage(r, [])
        if empty != []:
            raise _fail(kind, "empty input", f"no sentences gave {len(empty)} claims for {r.id!r}, expected none")
    for r in data.reports:
        if stage(r, data.sentences[r.id]) != outs[r.id]:
            raise _fail(kind, "determinism", f"two calls on report {r.id!r} gave different claims")
    return ["output", "empty input", "determinism"]


def _check_embedder(stage: Any, kind: str, data: _Inputs) -> list[str]:
    texts = [c.proposition for c in data.claims]
    vecs = _valid(kind, "output", lambda: validate.embeddings(stage(texts), len(texts)))
    empty = _valid(kind, "empty input", lambda: validate.embeddings(stage([]), 0))
    if empty.shape[1] != vecs.shape[1]:
        raise _fail(kind, "empty input", f"an empty input gave dimension {empty.shape[1]}, others {vecs.shape[1]}")
    if not _same(stage(texts), vecs):
        raise _fail(kind, "determinism", "two calls on the same texts gave different vectors")
    if not _same(stage(texts[::-1]), vecs[::-1]):
        raise _fail(kind, "order independence", "reversing the texts did not just reverse the rows")
    return ["output", "empty input", "determinism", "order independence"]


def _pair_key(claims: Sequence[Claim], cands: Sequence[Candidate]) -> dict[frozenset[str], float]:
    return {frozenset((claims[c.a].id, claims[c.b].id)): round(float(c.similarity), 4) for c in cands}


def _check_aligner(stage: Any, kind: str, data: _Inputs) -> list[str]:
    claims, vecs = data.claims, data.vectors
    out = _valid(kind, "output", lambda: validate.candidates(claims, stage(claims, vecs)))
    empty = _valid(kind, "empty input", lambda: validate.candidates([], stage([], vecs[:0])))
    if empty:
        raise _fail(kind, "empty input", f"no claims gave {len(empty)} candidates")
    if stage(claims, vecs) != out:
        raise _fail(kind, "determinism", "two calls on the same claims gave different candidates")
    order = list(range(len(claims)))[::-1]
    shuffled = [claims[i] for i in order]
    again = _valid(kind, "order independence", lambda: validate.candidates(shuffled, stage(shuffled, vecs[order])))
    if _pair_key(shuffled, again) != _pair_key(claims, out):
        raise _fail(kind, "order independence", "reversing the claims changed which pairs are aligned")
    return ["output", "empty input", "determinism", "order independence"]


def _finding_key(findings: Sequence[Any]) -> list[tuple[Any, ...]]:
    return sorted((f.id, f.relation, f.kind, f.claim_a, f.claim_b, round(f.score, 6)) for f in findings)


def _check_judge(stage: Any, kind: str, data: _Inputs) -> list[str]:
    claims, cands = data.claims, data.candidates
    out = _valid(kind, "output", lambda: validate.findings(claims, stage(claims, cands)))
    empty = _valid(kind, "empty input", lambda: validate.findings(claims, stage(claims, [])))
    if empty:
        raise _fail(kind, "empty input", f"no candidates gave {len(empty)} findings")
    if _finding_key(stage(claims, cands)) != _finding_key(out):
        raise _fail(kind, "determinism", "two calls on the same candidates gave different findings")
    again = _valid(kind, "order independence", lambda: validate.findings(claims, stage(claims, cands[::-1])))
    if _finding_key(again) != _finding_key(out):
        raise _fail(kind, "order independence", "reversing the candidates changed the findings")
    return ["output", "empty input", "determinism", "order independence"]


def _check_aggregator(stage: Any, kind: str, data: _Inputs) -> list[str]:
    reps, claims, findings = data.reports, data.claims, data.findings
    out = _valid(kind, "output", lambda: validate.topics(reps, claims, stage(reps, claims, findings)))
    _valid(kind, "empty input", lambda: validate.topics(reps, claims, stage(reps, claims, [])))
    if stage(reps, claims, findings) != out:
        raise _fail(kind, "determinism", "two calls on the same findings gave different topics")
    return ["output", "empty input", "determinism"]


def _check_origins(stage: Any, kind: str, data: _Inputs) -> list[str]:
    reps, claims = data.reports, data.claims
    out = _valid(kind, "output", lambda: validate.origins(reps, claims, stage(reps, claims)))
    _valid(kind, "empty input", lambda: validate.origins(reps, [], stage(reps, [])))
    if stage(reps, claims) != out:
        raise _fail(kind, "determinism", "two calls on the same reports gave different origins")
    again = _valid(kind, "order independence", lambda: validate.origins(reps, claims, stage(reps[::-1], claims[::-1])))
    if (dict(again.reports), dict(again.wires), dict(again.claims)) != (dict(out.reports), dict(out.wires),
                                                                       dict(out.claims)):
        raise _fail(kind, "order independence", "reversing the reports changed their origins")
    return ["output", "empty input", "determinism", "order independence"]


def _check_positions(stage: Any, kind: str, data: _Inputs) -> list[str]:
    from crosscheck.origins import Origins

    reps, claims, findings, topics = data.reports, data.claims, data.findings, data.topics
    origins = Origins.own(reps, claims)
    out = _valid(kind, "output", lambda: validate.questions(reps, topics, stage(reps, claims, findings, topics,
                                                                                 origins)))
    empty = _valid(kind, "empty input", lambda: validate.questions(reps, [], stage(reps, claims, [], [], origins)))
    if empty.positions:
        raise _fail(kind, "empty input", f"no topics gave {len(empty.positions)} positions")
    if stage(reps, claims, findings, topics, origins) != out:
        raise _fail(kind, "determinism", "two calls on the same topics gave different positions")
    return ["output", "empty input", "determinism"]


_CHECKS: dict[str, Callable[[Any, str, _Inputs], list[str]]] = {
    "segmenter": _check_segmenter, "extractor": _check_extractor, "embedder": _check_embedder,
    "aligner": _check_aligner, "judge": _check_judge, "origins": _check_origins, "aggregator": _check_aggregator,
    "positions": _check_positions,
}
