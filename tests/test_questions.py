"""The recurring questions a claim answers, and the aligner pairing claims that answer one."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck.align import HybridAligner
from crosscheck.data import Claim, Report
from crosscheck.extract import RuleExtractor
from crosscheck.extract.questions import QUESTIONS, question_types
from crosscheck.lexicon import QUESTION_CUES
from crosscheck.segment import RuleSegmenter


def claim(rid, i, text, questions=None):
    return Claim(id=f"{rid}:{i}", report_id=rid, start=0, end=len(text), text=text, proposition=text, speaker=rid,
                 attributed=False, hedge="asserted", negated=False,
                 questions=question_types(text) if questions is None else questions)


def test_cues_match_word_beginnings_whole_words_and_phrases():
    assert question_types("The council accused the contractor of cutting corners.") == ("responsibility",)
    assert "responsibility" in question_types("The navy blew out both pipelines, the ministry said.")
    assert question_types("The accusation was dropped.") == ("responsibility",)
    assert question_types("Eleven miners are still missing and presumed dead.") == ("casualties",)
    assert question_types("The ferry's passengers were taken ashore; none was hurt.") == ("identity",)
    assert question_types("He said the rebels had nothing to do with it.") == ("responsibility",)
    # a whole-word cue does not match inside another word
    assert "casualties" not in question_types("The diesel engine stalled twice.")
    assert question_types("The band played in the park.") == ()


def test_several_questions_in_report_order():
    got = question_types("Officials blamed a faulty valve for the flood that killed nine villagers.")
    assert got == tuple(q for q in QUESTIONS if q in got)
    assert {"responsibility", "casualties", "flooding"} <= set(got)


def test_every_question_has_cues():
    assert QUESTIONS and all(QUESTION_CUES[q] for q in QUESTIONS)


def test_extractor_sets_questions_from_the_whole_sentence_including_its_frame():
    # the cue "denied" is in the attribution frame, outside the claim's content
    r = Report("r", "The ministry denied that its troops shelled the convoy.")
    (c,) = RuleExtractor()(r, RuleSegmenter()(r))
    assert c.questions == ("responsibility",)
    assert Claim.from_dict(c.to_dict()).questions == c.questions


def unit(rows):
    emb = np.asarray(rows, dtype=np.float32)
    return emb / np.linalg.norm(emb, axis=1, keepdims=True)


def test_an_accusation_and_a_denial_are_aligned_although_far_apart():
    claims = [claim("a", 0, "Harbour officials blamed the shipping line for the spill."),
              claim("a", 1, "The ferry resumed service on Monday."),
              claim("b", 0, "The shipping line rejected any responsibility, calling the charge absurd."),
              claim("b", 1, "Tickets were sold out.")]
    emb = unit(np.eye(4) + 0.05)  # every pair at cosine ~0.1: far below the join and the key floor
    strict = dict(min_similarity=0.9, key_similarity=0.9, entity_similarity=0.9, question_similarity=0.0)
    got = {(claims[c.a].id, claims[c.b].id) for c in HybridAligner(question_k=4, **strict)(claims, emb)}
    assert ("a:0", "b:0") in got
    assert ("a:1", "b:1") not in got
    off = {(claims[c.a].id, claims[c.b].id) for c in HybridAligner(question_k=0, **strict)(claims, emb)}
    assert ("a:0", "b:0") not in off


def reference_question_pairs(claims, emb, k, floor):
    """For each claim and each of its questions, its k most similar claims of other reports answering it."""
    out = set()
    for q in QUESTIONS:
        members = [i for i, c in enumerate(claims) if q in c.questions]
        for i in members:
            others = sorted(((float(emb[i] @ emb[j]), j) for j in members
                             if claims[j].report_id != claims[i].report_id), key=lambda t: -t[0])
            for s, j in others[:k]:
                if s >= floor:
                    out.add((min(i, j), max(i, j)))
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 4), st.integers(1, 6), st.integers(1, 6), st.integers(1, 7), st.integers(0, 10_000))
def test_question_pairs_match_reference(n_reports, per_report, k, chunk, seed):
    rng = np.random.default_rng(seed)
    names = QUESTIONS[:3]
    claims = [claim(f"r{r}", i, f"w{r}x{i}", questions=tuple(q for q in names if rng.random() < 0.5))
              for r in range(n_reports) for i in range(per_report)]
    emb = unit(rng.normal(size=(len(claims), 8)))
    # nothing else aligns: the join, the keys and the name rule are all out of reach
    got = HybridAligner(min_similarity=1.0, key_similarity=1.0, entity_similarity=1.0, max_key_share=0.0,
                        question_k=k, question_similarity=-0.2, chunk_size=chunk)(claims, emb)
    got_pairs = {(c.a, c.b) for c in got}
    # ties at exactly 1.0 cannot occur with random vectors, so only question pairs remain
    assert got_pairs == reference_question_pairs(claims, emb, k, -0.2)
