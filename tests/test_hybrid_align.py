"""The recall-first aligner: a thresholded similarity join plus pairs sharing a rare key."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck.align import HybridAligner, claim_keys, naive_pairs
from crosscheck.data import Claim, Quantity
from crosscheck.errors import InputError


def claim(rid, i, text, **kw):
    return Claim(id=f"{rid}:{i}", report_id=rid, start=0, end=len(text), text=text, proposition=text, speaker=rid,
                 attributed=False, hedge="asserted", negated=False, **kw)


def unit(rows):
    emb = np.asarray(rows, dtype=np.float32)
    return emb / np.linalg.norm(emb, axis=1, keepdims=True)


def reference_join(claims, emb, threshold, keep):
    """Every cross-report pair, each row's ``keep`` most similar above the threshold (obviously correct, slow)."""
    out = set()
    for i in range(len(claims)):
        sims = sorted(((float(emb[i] @ emb[j]), j) for j in range(len(claims))
                       if claims[j].report_id != claims[i].report_id), key=lambda t: -t[0])
        for s, j in sims[:keep]:
            if s >= threshold:
                out.add((min(i, j), max(i, j)))
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(1, 6), st.integers(1, 7), st.integers(1, 9), st.integers(0, 10_000))
def test_similarity_join_matches_reference(n_reports, per_report, chunk, keep, seed):
    # one word per claim, all different: no key is shared, so only the similarity join counts
    claims = [claim(f"r{r}", i, f"word{r}x{i}") for r in range(n_reports) for i in range(per_report)]
    emb = unit(np.random.default_rng(seed).normal(size=(len(claims), 8)))
    got = HybridAligner(min_similarity=0.2, max_neighbours=keep, chunk_size=chunk)(claims, emb)
    pairs = [(c.a, c.b) for c in got]
    assert pairs == sorted(set(pairs))
    assert set(pairs) == reference_join(claims, emb, 0.2, min(keep, len(claims) - 1))
    assert set(pairs) <= set(naive_pairs(claims))


def test_a_shared_rare_word_aligns_a_low_similarity_pair():
    texts = {"a": ["Rescuers evacuated the riverside villages overnight.", "The weather was cold."],
             "b": ["Nine hundred residents had to be evacuated, the mayor said.", "Schools stayed open."],
             "c": ["The storm hit at dawn.", "Power lines fell."]}
    claims = [claim(r, i, t) for r, ts in texts.items() for i, t in enumerate(ts)]
    emb = unit(np.eye(len(claims)) + 0.3)  # every pair at cosine 0.53: below the join, above a low key floor
    sims = emb @ emb.T
    got = {(claims[c.a].id, claims[c.b].id) for c in HybridAligner(min_similarity=0.9, key_similarity=0.1,
                                                                     max_key_share=0.5)(claims, emb)}
    assert ("a:0", "b:0") in got  # "evacuated" is held by two claims of six
    assert ("a:1", "b:1") not in got  # nothing shared
    assert sims[0, 2] < 0.9
    # the key floor still applies
    assert not HybridAligner(min_similarity=0.9, key_similarity=0.6, max_key_share=0.5)(claims, emb)


def test_a_common_word_is_not_a_key():
    # "bridge" is held by every claim: no longer rare, so it aligns nothing by itself
    claims = [claim(f"r{r}", 0, f"The bridge story number{r}.") for r in range(10)]
    emb = unit(np.eye(10) + 0.3)
    assert not HybridAligner(min_similarity=0.9, key_similarity=0.0, max_key_share=0.2)(claims, emb)
    assert len(HybridAligner(min_similarity=0.9, key_similarity=0.0, max_key_share=1.0)(claims, emb)) == 45


def test_keys_hold_stems_names_and_what_numbers_count():
    c = claim("a", 0, "Officials evacuated 900 people from Oleshky.", entities=("Oleshky",),
              quantities=(Quantity("900 people", 900.0, 900.0, 900.0, "people", False, "evacuated"),))
    keys = claim_keys(c)
    assert {"w:evacua", "w:offici", "n:oleshky", "q:evacuated"} <= keys
    assert not any(k in keys for k in ("w:from", "w:the"))
    assert claim_keys(claim("a", 1, "An evacuation order came."))  & keys == {"w:evacua"}


@pytest.mark.parametrize("kw", [{"min_similarity": 2.0}, {"key_similarity": "x"}, {"max_key_share": -0.1},
                                {"max_key_claims": 0}, {"max_neighbours": True}, {"stem": 0}, {"chunk_size": 1.5}])
def test_bad_parameters_are_typed_errors(kw):
    claims = [claim("a", 0, "one two three"), claim("b", 0, "four five six")]
    with pytest.raises(InputError, match=r"\[E030\]"):
        HybridAligner(**kw)(claims, unit(np.eye(2)))


def test_fewer_than_two_claims_and_mismatched_embeddings():
    one = [claim("a", 0, "x y z")]
    assert HybridAligner()(one, unit(np.eye(1))) == []
    with pytest.raises(InputError, match=r"\[E031\]"):
        HybridAligner()(one * 2, unit(np.eye(3)))


def test_params_and_repr():
    al = HybridAligner(min_similarity=0.4)
    assert al.get_params()["min_similarity"] == 0.4
    assert repr(al).startswith("HybridAligner(min_similarity=0.4")
