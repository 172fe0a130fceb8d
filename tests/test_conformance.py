"""The conformance kit (crosscheck.testing.check_stage) passes every built-in stage and catches broken ones."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import crosscheck
from crosscheck.aggregate import TopicAggregator
from crosscheck.align import Candidate, HybridAligner, TopKAligner
from crosscheck.data import Sentence, Topic
from crosscheck.errors import InputError
from crosscheck.extract import RuleExtractor
from crosscheck.judge import RuleJudge
from crosscheck.protocols import STAGE_PROTOCOLS
from crosscheck.segment import RuleSegmenter
from crosscheck.testing import HashEmbedder, check_stage

ALL = ["callable", "repr", "params", "output", "empty input", "determinism"]


@pytest.mark.parametrize(("stage", "kind", "extra"), [
    (RuleSegmenter(), "segmenter", []),
    (RuleSegmenter(mark_kinds=False, strip_datelines=False), "segmenter", []),
    (RuleExtractor(), "extractor", []),
    (RuleExtractor(negation="sentence"), "extractor", []),
    (HashEmbedder(), "embedder", ["order independence"]),
    (TopKAligner(), "aligner", ["order independence"]),
    (HybridAligner(), "aligner", ["order independence"]),
    (HybridAligner(min_similarity=0.95, key_similarity=-1.0, max_key_share=1.0), "aligner", ["order independence"]),
    (RuleJudge(nli=None), "judge", ["order independence"]),
    (TopicAggregator(), "aggregator", []),
])
def test_builtin_stages_conform(stage, kind, extra):
    assert check_stage(stage, kind) == ALL + extra
    assert isinstance(stage, STAGE_PROTOCOLS[kind])


def test_model_stages_conform(checker):
    """The real MiniLM embedder and the judge with the bundled NLI model (loaded once per session)."""
    st = checker.stages()
    assert check_stage(st["embedder"], "embedder")[-1] == "order independence"
    assert check_stage(st["judge"], "judge")[-1] == "order independence"


def test_unknown_kind_is_a_coded_error():
    with pytest.raises(InputError, match=r"\[E077\]"):
        check_stage(RuleSegmenter(), "tokenizer")


class ShiftedSegmenter(RuleSegmenter):
    """Returns each sentence one character too far to the right."""

    def __call__(self, report):
        return [dataclasses.replace(s, start=s.start + 1, end=s.end + 1) for s in super().__call__(report)]


class UnknownKindSegmenter(RuleSegmenter):
    def __call__(self, report):
        return [dataclasses.replace(s, kind="sidebar") for s in super().__call__(report)]


class SameReportAligner(TopKAligner):
    """Adds a pair of two claims of the first report."""

    def __call__(self, claims, embeddings):
        return [*super().__call__(claims, embeddings), Candidate(0, 1, 0.9)]


class OrderSensitiveAligner(TopKAligner):
    """Keeps only pairs whose first claim comes first in the list: depends on the claim order."""

    def __call__(self, claims, embeddings):
        return [c for c in super().__call__(claims, embeddings) if c.a == 0]


class ShortEmbedder(HashEmbedder):
    def __call__(self, texts):
        return super().__call__(texts)[:-1] if len(texts) else super().__call__(texts)


class UnnormalisedEmbedder(HashEmbedder):
    def __call__(self, texts):
        return 2.0 * super().__call__(texts)


class NoisyEmbedder(HashEmbedder):
    """A fresh random draw each call."""

    def __call__(self, texts):
        v = super().__call__(texts) + np.random.default_rng().normal(0, 0.1, (len(texts), self.dim))
        return v / np.linalg.norm(v, axis=1, keepdims=True) if len(texts) else v


class FirstOnlyJudge(RuleJudge):
    """Calls the first candidate it is given a contradiction: depends on the candidate order."""

    def __call__(self, claims, candidates):
        out = super().__call__(claims, candidates)
        return [dataclasses.replace(f, relation="contradict") if i == 0 else f for i, f in enumerate(out)]


class BadRelationJudge(RuleJudge):
    def __call__(self, claims, candidates):
        return [dataclasses.replace(f, relation="maybe") for f in super().__call__(claims, candidates)]


class GhostTopicAggregator(TopicAggregator):
    def __call__(self, reports, claims, findings):
        return [*super().__call__(reports, claims, findings), Topic("ghost", "x", ("nowhere:1",), {})]


class EagerExtractor(RuleExtractor):
    """Makes a claim of the whole text even when given no sentence."""

    def __call__(self, report, sentences):
        if not sentences:
            sentences = [Sentence(report.id, 0, len(report.text), report.text)]
        return super().__call__(report, sentences)


class Forgetful:
    """Does not store its constructor parameter."""

    def __init__(self, *, k: int = 3) -> None:
        self._k = k

    def __call__(self, claims, embeddings):
        return []


class BadRepr(TopicAggregator):
    def __repr__(self):
        raise RuntimeError("no repr")


@pytest.mark.parametrize(("stage", "kind", "message"), [
    (ShiftedSegmenter(), "segmenter", r"failed check 'output'.*\[E071\].*report\.text\[start:end\] != text"),
    (UnknownKindSegmenter(), "segmenter", r"'output'.*\[E071\].*kind 'sidebar'"),
    (SameReportAligner(), "aligner", r"'output'.*\[E074\].*both claims are from report 'ferry-1'"),
    (OrderSensitiveAligner(), "aligner", r"failed check 'order independence'"),
    (ShortEmbedder(), "embedder", r"'output'.*\[E073\].*shape"),
    (UnnormalisedEmbedder(), "embedder", r"'output'.*\[E073\].*not L2-normalised"),
    (NoisyEmbedder(), "embedder", r"failed check 'determinism'"),
    (FirstOnlyJudge(nli=None), "judge", r"failed check 'order independence'"),
    (BadRelationJudge(nli=None), "judge", r"'output'.*\[E075\].*relation 'maybe'"),
    (GhostTopicAggregator(), "aggregator", r"'output'.*\[E076\].*unknown claim 'nowhere:1'"),
    (EagerExtractor(negation="sentence"), "extractor", r"failed check 'empty input'"),
    (Forgetful(), "aligner", r"failed check 'params'.*parameter 'k'"),
    (BadRepr(), "aggregator", r"failed check 'repr'.*RuntimeError"),
    (42, "judge", r"failed check 'callable'"),
])
def test_broken_stages_fail_with_the_right_message(stage, kind, message):
    with pytest.raises(AssertionError, match=message):
        check_stage(stage, kind)


# ---- the same checks run inside the pipeline ----------------------------------------------------------------------
REPORTS = [crosscheck.Report("a", "The mill on the river closed on Friday. Forty workers lost their jobs."),
           crosscheck.Report("b", "The river mill shut its doors on Friday. Sixty workers were laid off.")]


def quick(**stages):
    return crosscheck.Checker(embedder=stages.pop("embedder", HashEmbedder()),
                              judge=stages.pop("judge", RuleJudge(nli=None)), **stages)


def test_pipeline_runs_with_conforming_stages():
    res = quick().check(REPORTS)
    assert len(res.claim_list) == 4 and all(c.kind == "body" for c in res.claim_list)


@pytest.mark.parametrize(("stages", "code"), [
    ({"segmenter": ShiftedSegmenter()}, "E071"),
    ({"segmenter": lambda r: "not a list"}, "E070"),
    ({"extractor": lambda r, s: [c for c in RuleExtractor(negation="sentence")(r, s)][:1] * 2}, "E072"),
    ({"embedder": ShortEmbedder()}, "E073"),
    ({"embedder": lambda texts: np.full((len(texts), 4), np.nan)}, "E073"),
    ({"aligner": SameReportAligner()}, "E074"),
    ({"aligner": lambda claims, v: [Candidate(1, 0, 0.9)]}, "E074"),
    ({"aligner": lambda claims, v: [Candidate(0, 2, 0.9), Candidate(0, 2, 0.9)]}, "E074"),
    ({"judge": BadRelationJudge(nli=None)}, "E075"),
    ({"aggregator": GhostTopicAggregator()}, "E076"),
])
def test_pipeline_rejects_broken_stage_output(stages, code):
    with pytest.raises(InputError, match=rf"\[{code}\]"):
        quick(**stages).check(REPORTS)


def test_claim_kind_reaches_the_dataframe_and_json():
    reps = [crosscheck.Report("a", "Mill closes after flood\n\nBy Ivo Tamm\n\nThe mill on the river closed on Friday."),
            crosscheck.Report("b", "The river mill shut its doors on Friday.\n\nAdvertisement")]
    res = quick().check(reps)
    assert res.claims[["claim_id", "kind"]].values.tolist() == [["a:0", "headline"], ["a:2", "body"], ["b:0", "body"]]
    assert crosscheck.Result.from_json(res.to_json()) == res
    assert [c.kind for c in crosscheck.Result.from_json(res.to_json()).claim_list] == ["headline", "body", "body"]
