import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck.align import NameMatcher, TopKAligner, matching_names, naive_pairs, names_match, shared_entities
from crosscheck.data import Claim, Report
from crosscheck.extract import RuleExtractor
from crosscheck.judge import RuleJudge, _shared_people
from crosscheck.segment import RuleSegmenter


def make_claims(n_reports, per_report):
    out = []
    for r in range(n_reports):
        for i in range(per_report):
            out.append(Claim(id=f"r{r}:{i}", report_id=f"r{r}", start=0, end=1, text="x", proposition="x",
                             speaker="s", attributed=False, hedge="asserted", negated=False))
    return out


def reference_topk(claims, emb, k, threshold):
    """Slow, obviously-correct reference: every pair, sorted per row."""
    keep = set()
    for i in range(len(claims)):
        sims = [(float(emb[i] @ emb[j]), j) for j in range(len(claims)) if claims[j].report_id != claims[i].report_id]
        sims.sort(key=lambda t: -t[0])
        for s, j in sims[:k]:
            if s >= threshold:
                keep.add((min(i, j), max(i, j)))
    return keep


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(1, 6), st.integers(1, 5), st.integers(1, 7), st.integers(0, 10_000))
def test_chunked_topk_matches_reference(n_reports, per_report, k, chunk, seed):
    claims = make_claims(n_reports, per_report)
    rng = np.random.default_rng(seed)
    emb = rng.normal(size=(len(claims), 8)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    aligner = TopKAligner(k=k, min_similarity=0.2, entity_similarity=0.2, chunk_size=chunk)
    got = {(c.a, c.b) for c in aligner(claims, emb)}
    ref = reference_topk(claims, emb, min(k, len(claims) - 1), 0.2)
    # ties in similarity may order differently; with random floats there are none
    assert got == ref
    assert all(claims[a].report_id != claims[b].report_id for a, b in got)
    assert got <= set(naive_pairs(claims))


def test_name_variants():
    assert names_match("Bashar al-Assad", "Assad")
    assert names_match("President Bashar Assad", "Bashar al-Assad")
    assert names_match("Asad", "Assad") is False or names_match("Bashar Asad", "Bashar Assad")
    assert not names_match("Vladimir Putin", "Assad")


def one(text, rid, published, source):
    r = Report(rid, text, source=source, published=published)
    return RuleExtractor()(r, RuleSegmenter()(r))[0]


J = RuleJudge(nli=None)


def test_number_conflict_respects_bounds():
    a = one("At least 300 people were killed in the attack.", "a", "2024-12-08T10:00:00+00:00", "A")
    b = one("Fewer than 50 people were killed in the attack.", "b", "2024-12-08T10:00:00+00:00", "B")
    f = J.judge_pair(a, b, 0.9)
    assert (f.relation, f.kind) == ("contradict", "number")
    assert "'at least 300 people'" in f.reason.lower()
    c = one("About 320 people were killed in the attack.", "c", "2024-12-08T10:00:00+00:00", "C")
    assert J.judge_pair(a, c, 0.9).relation != "contradict"


def test_rising_toll_is_an_update():
    a = one("At least 100 people were killed in the attack.", "a", "2024-12-08T08:00:00+00:00", "A")
    b = one("At least 300 people were killed in the attack.", "b", "2024-12-08T20:00:00+00:00", "B")
    # intervals overlap ([100, inf) and [300, inf)): not a conflict at all
    assert J.judge_pair(a, b, 0.9).relation in ("agree", "related")
    c = one("Exactly 100 people were killed in the attack.", "c", "2024-12-08T08:00:00+00:00", "C")
    d = one("Exactly 300 people were killed in the attack.", "d", "2024-12-08T20:00:00+00:00", "D")
    assert J.judge_pair(c, d, 0.9).relation == "update"


def test_date_conflict():
    a = one("Rebels entered Damascus on 8 December.", "a", "2024-12-09T10:00:00+00:00", "A")
    b = one("Rebels entered Damascus on 6 December.", "b", "2024-12-09T10:00:00+00:00", "B")
    assert J.judge_pair(a, b, 0.9).kind == "date"


def test_attribution_gives_disputed_and_order_gives_update():
    mfa = one("Russia's Foreign Ministry said Assad had resigned as president.", "m", "2024-12-08T11:00:00+00:00", "W")
    assad = one("Assad said he never resigned as president.", "s", "2024-12-16T18:00:00+00:00", "H")
    f = J.judge_pair(mfa, assad, 0.7)
    assert (f.relation, f.kind) == ("disputed", "negation")
    own_a = one("Assad resigned as president.", "x", "2024-12-08T11:00:00+00:00", "W")
    own_b = one("Assad did not resign as president.", "y", "2024-12-08T11:00:00+00:00", "H")
    assert J.judge_pair(own_a, own_b, 0.8).relation == "contradict"
    unknown = one("The ministry did not say where Assad was.", "u", "2024-12-08T11:00:00+00:00", "W")
    moscow = one("Assad is in Moscow, a Kremlin source said.", "k", "2024-12-08T17:30:00+00:00", "C")
    f = J.judge_pair(unknown, moscow, 0.4)
    assert (f.relation, f.kind) == ("update", "known_vs_unknown")
    # the same two the other way round in time: not an update
    moscow_early = one("Assad is in Moscow, a Kremlin source said.", "k2", "2024-12-08T05:00:00+00:00", "C")
    assert J.judge_pair(unknown, moscow_early, 0.4).relation == "disputed"


def test_place_containment_is_not_a_conflict():
    a = one("Assad arrived in Moscow.", "a", "2024-12-08T10:00:00+00:00", "A")
    b = one("Assad is in Russia.", "b", "2024-12-08T10:00:00+00:00", "B")
    assert J.judge_pair(a, b, 0.8).relation != "contradict"
    c = one("Assad is in Damascus.", "c", "2024-12-08T10:00:00+00:00", "C")
    assert J.judge_pair(a, c, 0.8).kind == "place"


SENTS = ["Assad resigned as president.", "Assad did not resign.", "At least 300 people died.", "Fewer than 50 people died.",
         "Assad is in Moscow.", "Assad is in Damascus.", "The ministry did not say where Assad was.",
         "Officials said Assad fled on Sunday.", "Assad fled on Saturday."]
TIMES = ["2024-12-07T10:00:00+00:00", "2024-12-08T10:00:00+00:00", "2024-12-08T20:00:00+00:00", None]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(SENTS), st.sampled_from(SENTS), st.sampled_from(TIMES), st.sampled_from(TIMES),
       st.floats(0.0, 1.0), st.lists(st.floats(0.0, 1.0), min_size=6, max_size=6))
def test_judge_is_symmetric(s1, s2, t1, t2, sim, p):
    a, b = one(s1, "a", t1, "A"), one(s2, "b", t2, "B")
    nli = np.array([p[:3], p[3:]], dtype=np.float32)
    nli_swapped = nli[::-1]
    f1 = J.judge_pair(a, b, sim, nli if J._order(a, b)[0] is a else nli_swapped)
    f2 = J.judge_pair(b, a, sim, nli if J._order(a, b)[0] is a else nli_swapped)
    assert f1 == f2


class FixedNLI:
    """A user plug-in: always says entailment, in its own label order."""

    def predict(self, pairs):
        return np.tile(np.array([[0.0, 1.0, 0.0]], dtype=np.float32), (len(pairs), 1))


def test_nli_plugs_in_as_a_signal_without_changing_rules():
    judge = RuleJudge(nli=FixedNLI())
    a = one("Rebels captured Damascus.", "a", None, "A")
    b = one("Damascus fell to the rebels.", "b", None, "B")
    claims = [a, b]
    from crosscheck.align import Candidate

    (f,) = judge(claims, [Candidate(0, 1, 0.6)])
    assert f.relation == "agree" and "entailment" in f.reason
    x = one("At least 300 people died.", "x", None, "A")
    y = one("Fewer than 50 people died.", "y", None, "B")
    (g,) = judge([x, y], [Candidate(0, 1, 0.9)])
    assert g.kind == "number"  # a rule that fires decides the kind even if the model disagrees


class CountingNLI(FixedNLI):
    def __init__(self):
        self.seen = []

    def predict(self, pairs):
        self.seen.extend(pairs)
        return super().predict(pairs)


def test_model_skips_pairs_below_nli_min_similarity():
    from crosscheck.align import Candidate

    model = CountingNLI()
    judge = RuleJudge(nli=model, nli_min_similarity=0.6)
    a = one("Rebels captured Damascus.", "a", None, "A")
    b = one("Damascus fell to the rebels.", "b", None, "B")
    low, high = judge([a, b], [Candidate(0, 1, 0.5)]), judge([a, b], [Candidate(0, 1, 0.7)])
    assert len(model.seen) == 2  # only the similar pair, both directions
    assert low[0].relation == "related" and high[0].relation == "agree"


def test_a_question_neither_agrees_nor_conflicts():
    from crosscheck.align import Candidate
    from crosscheck.judge import is_question

    q = one("Is Assad in Moscow?", "q", None, "A")
    quoted = one('"Is Assad in Moscow?" a reporter asked.', "r", None, "A")
    s = one("Assad is in Damascus.", "s", None, "B")
    assert is_question(q) and is_question(quoted) and not is_question(s)
    assert J.judge_pair(q, s, 0.9).relation == "related"
    assert "question" in J.judge_pair(s, q, 0.9).reason
    assert RuleJudge(nli=None, judge_questions=True).judge_pair(q, s, 0.9).kind == "place"  # judged as a statement
    model = CountingNLI()
    (f,) = RuleJudge(nli=model)([q, s], [Candidate(0, 1, 0.9)])
    assert f.relation == "related" and model.seen == []  # the model is not run on a question


def test_agree_can_tolerate_contradiction_in_the_non_entailing_direction():
    a = one("Rebels captured Damascus on Sunday, a commander said.", "a", None, "A")
    b = one("Rebels captured Damascus.", "b", None, "B")
    reverse = np.array([[0.05, 0.90, 0.05], [0.40, 0.03, 0.57]])  # a -> b entails, b -> a leans contradiction
    assert J.judge_pair(a, b, 0.7, reverse).relation == "related"  # the default: below 0.25 both ways
    lenient = RuleJudge(nli=None, agree_max_reverse_contradiction=0.5)
    assert lenient.judge_pair(a, b, 0.7, reverse).relation == "agree"
    assert lenient.judge_pair(a, b, 0.7, reverse[::-1]).relation == "agree"  # either order
    entailing_contradicts = np.array([[0.30, 0.65, 0.05], [0.05, 0.20, 0.75]])
    assert lenient.judge_pair(a, b, 0.7, entailing_contradicts).relation == "related"
    assert RuleJudge(nli=None, agree_max_reverse_contradiction=0.3).judge_pair(a, b, 0.7, reverse).relation == "related"
    tie = np.array([[0.40, 0.55, 0.05], [0.10, 0.55, 0.35]])  # equal entailment: the order does not matter
    tied = RuleJudge(nli=None, agree_max_reverse_contradiction=0.5, entailment_threshold=0.5)
    assert tied.judge_pair(a, b, 0.7, tie).relation == tied.judge_pair(a, b, 0.7, tie[::-1]).relation == "agree"


def test_negation_needs_similar_claims():
    """A negated and an affirmed claim sharing one word are not a conflict when they are dissimilar."""
    a = one("Assad did not resign as president.", "a", "2024-12-08T11:00:00+00:00", "A")
    b = one("The president of the bank resigned over the scandal.", "b", "2024-12-08T11:00:00+00:00", "B")
    assert J.typed_conflict(a, b, 0.8).kind == "negation"
    assert J.typed_conflict(a, b, 0.3) is None
    assert RuleJudge(nli=None, negation_similarity=0.2).typed_conflict(a, b, 0.3).kind == "negation"


def test_bundled_nli_model_is_shared_by_judges_and_their_copies():
    """Copies of a judge (the stance detector makes one) must not load the weights again."""
    import copy

    judge = RuleJudge()
    assert copy.copy(judge).nli_model is judge.nli_model is RuleJudge().nli_model
    assert RuleJudge(nli=None).nli_model is None


# ---- name matching without comparing every pair of names: the old pairwise loops are the reference ----------------

def _pairwise_shared_entities(a, b):
    """``shared_entities`` as it was: every name of ``a`` against every name of ``b``."""
    out = []
    for ea in (*a.entities, *a.places):
        if any(names_match(ea, eb) for eb in (*b.entities, *b.places)):
            out.append(ea)
    return tuple(dict.fromkeys(out))


def _pairwise_shared_people(a, b):
    return any(names_match(x, y) for x in a.entities for y in b.entities)


_TOKENS = ["Bashar", "al-Assad", "Assad", "Asad", "Assads", "President", "the", "of", "Putin", "Vladimir", "Lavrov",
           "Sergei", "Kremlin", "Ministry", "Foreign", "Moscow", "Moskva", "Damascus", "Damaskus", "Al", "El", "Bin",
           "Sergey", "Lavrova", "Hmeimim", "Base", "Syria", "Syrian", "Mr", "X", "Abcdefgh", "Abcdefgi", "Abcd"]
_NAMES = st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=11).map(" ".join)


def _claim(rid, entities, places=()):
    return Claim(f"{rid}:0", rid, 0, 1, "x", "x", "s", False, "asserted", False, entities=tuple(entities),
                 places=tuple(places))


@settings(max_examples=400, deadline=None)
@given(st.lists(_NAMES, max_size=12), st.lists(_NAMES, max_size=3), st.lists(_NAMES, max_size=12),
       st.lists(_NAMES, max_size=3))
def test_batched_name_matching_gives_the_pairwise_answer(ea, pa, eb, pb):
    a, b = _claim("a", ea, pa), _claim("b", eb, pb)
    assert shared_entities(a, b) == _pairwise_shared_entities(a, b)
    assert shared_entities(b, a) == _pairwise_shared_entities(b, a)
    assert _shared_people(a, b) == _pairwise_shared_people(a, b)
    assert matching_names(ea, eb, threshold=70.0) == [any(names_match(x, y, threshold=70.0) for y in eb) for x in ea]
    matcher = NameMatcher([a, b])  # the table of close tokens built over both claims' names
    assert matcher.shared(0, 1) == shared_entities(a, b) and matcher.shared(1, 0) == shared_entities(b, a)


def test_many_names_are_matched_without_every_pair():
    # two claims naming 3,000 people each: 800 took 33 s pairwise; the batched test takes well under a second
    import random
    import string
    import time

    rng = random.Random(0)

    def name():
        return " ".join(rng.choice(string.ascii_uppercase) + "".join(rng.choices(string.ascii_lowercase, k=7))
                        for _ in range(2))

    a = _claim("a", [name() for _ in range(3000)] + ["Bashar al-Assad"])
    b = _claim("b", [name() for _ in range(3000)] + ["President Assad"])
    t0 = time.perf_counter()
    assert shared_entities(a, b)[-1:] == ("Bashar al-Assad",) and _shared_people(a, b)
    assert time.perf_counter() - t0 < 10
