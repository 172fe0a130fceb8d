"""Negation scoped to the main predicate (spaCy), its use by the extractor and the judge, and the frozen stance rule."""

from __future__ import annotations

import pytest

from crosscheck.data import Report
from crosscheck.errors import InputError
from crosscheck.extract import RuleExtractor
from crosscheck.judge import RuleJudge
from crosscheck.lexicon import SENTENCE_NEGATION
from crosscheck.parse import main_predicates
from crosscheck.segment import RuleSegmenter

CASES = [
    ("The remains of the lost hikers have still not been recovered.", "recover", True),
    ("He never resigned.", "resign", True),
    ("Nobody was hurt in the blast.", "hurt", True),
    ("No civilians were killed.", "kill", True),
    ("Police found no evidence of sabotage.", "find", True),
    ("There was no confirmation that he was on board.", "confirmation", True),
    ("The Kremlin denied any involvement.", "involvement", True),
    ("The dam was not completely destroyed.", "destroy", True),
    ("He never considered resigning.", "resign", True),
    ("He did not mean to resign.", "resign", True),
    # a negation outside the main predicate does not negate the claim
    ("Rescuers searched the river to no avail.", "search", False),
    ("The minister sees the leaks as deliberate and they could not be an accident.", "see", False),
    ("The ship lost power and the crew could not steer.", "lose", False),
    ("The governor said the water level had fallen.", "say", False),
]


@pytest.mark.parametrize("text,lemma,negated", CASES)
def test_main_predicate_and_its_negation(text, lemma, negated):
    (p,) = main_predicates([text])
    assert (p.lemma, p.negated) == (lemma, negated)


def test_main_predicates_batch_keeps_order_and_handles_empty():
    assert main_predicates([]) == []
    out = main_predicates([t for t, _, _ in CASES])
    assert [(p.lemma, p.negated) for p in out] == [(lemma, neg) for _, lemma, neg in CASES]


def _claims(text: str, **kw):
    r = Report("r", text, source="Wire", published="2031-04-02T10:00:00+00:00")
    return RuleExtractor(**kw)(r, RuleSegmenter()(r))


def test_extractor_modes():
    text = "Rescuers searched the river to no avail. He never resigned."
    parsed, sentence = _claims(text), _claims(text, negation="sentence")
    assert [c.negated for c in parsed] == [False, True]
    assert [c.predicate for c in parsed] == ["search", "resign"]
    assert [c.negated for c in sentence] == [True, True] and all(c.predicate == "" for c in sentence)
    assert [c.negated for c in sentence] == [bool(SENTENCE_NEGATION.search(c.text)) for c in sentence]


def test_attribution_frame_is_not_the_predicate():
    (c,) = _claims("The bodies have not been recovered, the governor said.")
    assert c.attributed and c.negated and c.predicate == "recover"
    (d,) = _claims("The presidency denied that Assad had left the country.")
    assert d.negated and d.hedge == "denied"


def test_unknown_negation_mode_is_a_typed_error():
    with pytest.raises(InputError, match="E034"):
        _claims("He never resigned.", negation="clause")


def _one(text: str, rid: str, **kw):
    r = Report(rid, text, source=rid.upper(), published="2031-04-02T10:00:00+00:00")
    return RuleExtractor(**kw)(r, RuleSegmenter()(r))[0]


def test_judge_negation_needs_the_negated_predicate_in_the_other_claim():
    judge = RuleJudge(nli=None)
    not_found = _one("The remains of the hikers have not been recovered.", "a")
    found = _one("Volunteers recovered the remains of two hikers.", "b")
    assert judge.typed_conflict(not_found, found, 0.8).kind == "negation"
    aside = _one("The mayor said she was not surprised by the derailment.", "c")
    crash = _one("The derailment killed nine passengers in the front car.", "d")
    assert judge.typed_conflict(aside, crash, 0.8) is None
    # the sentence rule marks the aside negated (any cue in the sentence), but one shared noun under a reporting verb
    # is no longer a negation conflict: the two propositions must be mostly the same words
    old_aside = _one("The mayor said she was not surprised by the derailment.", "c", negation="sentence")
    old_crash = _one("The derailment killed nine passengers in the front car.", "d", negation="sentence")
    assert old_aside.negated
    assert judge.typed_conflict(old_aside, old_crash, 0.8) is None
    same = _one("The mayor said the derailment killed nine passengers.", "e", negation="sentence")
    denial = _one("The mayor said the derailment did not kill nine passengers.", "f", negation="sentence")
    assert judge.typed_conflict(same, denial, 0.8).kind == "negation"


def test_stance_features_keep_the_rule_the_head_was_trained_with(checker):
    """The stance head was trained on sentence-mode negation: the pipeline's parse mode must not change them."""
    import crosscheck
    from crosscheck.stances import StanceDetector

    report = Report("body", "Rescuers searched the river to no avail. The bodies have not been recovered.")
    claim = "The bodies of the workers were recovered."
    legacy = crosscheck.Checker(extractor=RuleExtractor(negation="sentence"),
                                embedder=checker.stages()["embedder"], judge=checker.stages()["judge"])
    new = StanceDetector(checker=checker).features_many([(claim, report)])[0]
    old = StanceDetector(checker=legacy).features_many([(claim, report)])[0]
    assert new.vector == old.vector


COUNTS = [
    ("Five people died in the flood.", [("people", "death")]),
    ("35 people are missing after the flood.", [("people", "missing")]),
    ("The death toll rose to 19.", [(None, "death")]),
    ("At least 12 people were killed and 30 injured.", [("people", "death"), ("injured", "injury")]),
    ("Two of the climbers were rescued.", [("climber", "rescue")]),
    ("Dozens of people were wounded.", [("people", "injury")]),
    ("About 3,000 residents were evacuated from 20 villages.", [("resident", "evacuation"), ("village", "evacuation")]),
    ("The lake level fell by 3 meters.", [("meter", "change")]),
    ("Three mysterious leaks were found.", [("leak", None)]),
    # numbers inside names, ages, ordinals and ISO dates are not counts
    ("Cracks hit the Baltic Link 1 and 2 power cables.", []),
    ("Divers found the body of Ana Ruiz, 41, of Tampa.", []),
    ("The sixth and final body was found.", []),
    ("The report is dated 2023-06-11.", []),
]


@pytest.mark.parametrize("text,expected", COUNTS)
def test_what_numbers_count(text, expected):
    (c,) = _claims(text)
    assert [(q.unit, q.role) for q in c.quantities] == expected


def test_numbers_conflict_only_when_they_count_the_same_event():
    judge = RuleJudge(nli=None)
    dead = _one("Five people died in the flood, officials said.", "a")
    missing = _one("35 people are missing after the flood, officials said.", "b")
    assert judge.typed_conflict(dead, missing, 0.9) is None
    toll = _one("The flood's death toll climbed to 19, officials said.", "c")
    assert judge.typed_conflict(dead, toll, 0.9).kind == "number"
    legacy = [_one(t, r, negation="sentence") for t, r in (("Five people died in the flood.", "a"),
                                                              ("35 people are missing after the flood.", "b"))]
    assert judge.typed_conflict(*legacy, 0.9).kind == "number"   # the unit-only rule of the sentence mode


def test_a_dateline_alone_is_not_a_claim():
    texts = [c.text for c in _claims("STOCKHOLM, June 10. /TASS/. The dam burst on Tuesday.")]
    assert texts == ["The dam burst on Tuesday."]
    (c,) = _claims("LONDON, Oct 29 (Reuters) - Britain denied the claims.")
    assert c.text.startswith("LONDON")


def test_last_weekday_in_a_report_of_that_weekday_is_a_week_ago():
    r = Report("r", "The plane crashed last Wednesday. Talks resume on Wednesday.", published="2023-08-30T10:00:00+00:00")
    first, second = RuleExtractor()(r, RuleSegmenter()(r))
    assert [t.date for t in first.times] == ["2023-08-23"]
    assert [t.date for t in second.times] == ["2023-08-30"]


def test_a_denial_conflicts_with_the_claim_whose_verb_it_denies():
    """"denied that he had left" against "resigned and left": the lemma, not the inflected form, is compared."""
    judge = RuleJudge(nli=None)
    denial = _one("The presidency denied that Assad had left the country.", "a")
    claim = _one("Assad resigned as president and left Syria.", "b")
    assert denial.predicate == "leave" and "leave" in claim.lemmas
    assert judge.typed_conflict(denial, claim, 0.8).kind == "negation"


def test_no_negation_conflict_when_both_claims_negate_the_predicate():
    judge = RuleJudge(nli=None)
    neg = _one("The launch did not go to plan.", "a")
    pos = _one("The crew did more work than expected because the launch did not go to plan.", "b")
    assert neg.negated and not pos.negated and "go" in pos.negated_lemmas
    assert judge.typed_conflict(neg, pos, 0.9) is None
    affirmed = _one("The crew did more work than expected because the launch went to plan.", "c")
    assert "go" not in affirmed.negated_lemmas
    assert judge.typed_conflict(neg, affirmed, 0.9).kind == "negation"


def test_the_parser_takes_a_sentence_as_long_as_a_report():
    # spaCy's default limit (1,000,000 characters) made a valid report of one long sentence raise ValueError E088
    from crosscheck.data import MAX_REPORT_CHARS
    from crosscheck.parse import spacy_model

    assert spacy_model().max_length >= MAX_REPORT_CHARS


def test_the_parser_loads_only_the_components_read():
    # issue 16: ner and senter are excluded, not loaded; the parser still sets the sentences attribution reads
    from crosscheck.parse import spacy_model

    nlp = spacy_model()
    assert nlp.component_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
    doc = nlp("The dam held, the governor said. Rescuers arrived on Friday.")
    assert [s.text for s in doc.sents] == ["The dam held, the governor said.", "Rescuers arrived on Friday."]
    assert (doc[2].lemma_, doc[2].pos_, doc[2].dep_, doc[6].lemma_, doc[6].dep_) == ("hold", "VERB", "ccomp", "say", "ROOT")


def test_a_parse_made_by_the_extractor_is_reused_for_the_same_text():
    from crosscheck.parse import parse_texts, remember, spacy_model

    text = "The harbour wall held through the storm, the port said on Sunday."
    doc = spacy_model()(text)
    remember([text], [doc])
    assert parse_texts([text])[0] is doc  # no second parse
    crlf = "The wall held.\r\nThe port said so."
    remember([crlf], [spacy_model()(crlf)])  # a text the parser reads otherwise is not kept
    assert parse_texts([crlf])[0].text == "The wall held.\nThe port said so."
