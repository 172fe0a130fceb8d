"""Attribution augmentation for NLI training: the reporting clause, the derived pairs, their place in the split."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck.training.attribution import ATTRIBUTION_SOURCE, SPEAKERS, attribute, attribution_pairs
from crosscheck.training.negation import NEGATION_SOURCE
from crosscheck.training.nli import TrainConfig, attribution_probe, load_pairs
from tests.test_training_negation import _nli_rows

COLUMNS = ["premise", "hypothesis", "label", "source", "genre", "license", "orig_split"]


@pytest.mark.parametrize(("sentence", "speaker", "front", "expected"), [
    ("A man is playing a guitar.", "witnesses said", False, "A man is playing a guitar, witnesses said."),
    ("Two dogs run", "police said", False, "Two dogs run, police said."),
    ("The minister has resigned.", "the ministry said", True, "According to the ministry, the minister has resigned."),
    ("Several shops were closed.", "local media reported", True, "According to local media, several shops were closed."),
    ("Assad is in Moscow.", "officials said", False, "Assad is in Moscow, officials said."),
])
def test_attribute_adds_one_reporting_clause(sentence, speaker, front, expected):
    assert attribute(sentence, speaker, front=front) == expected


@pytest.mark.parametrize(("sentence", "front"), [
    ("Is the man home?", False),                        # question
    ("Stop the car!", False),                           # exclamation
    ("The mayor said the bridge is closed.", False),    # already reported speech
    ("According to police, a man was hurt.", False),
    ("", False),
    ("Assad is in Moscow.", True),                      # a name cannot be lower-cased after "According to X,"
    ("The", True),                                      # nothing after the first word
])
def test_attribute_refuses(sentence, front):
    assert attribute(sentence, "officials said", front=front) is None


def test_front_form_needs_a_said_or_reported_clause():
    assert attribute("The talks ended.", "they told reporters", front=True) is None
    assert attribute("The talks ended.", "they told reporters") == "The talks ended, they told reporters."


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["A", "The", "man", "is", "was", "Damascus", "red", "of", "two", "Two", "dog,",
                                 "running.", "?", "May", "said", "left"]), min_size=1, max_size=10).map(" ".join),
       st.sampled_from(SPEAKERS), st.booleans())
def test_attribute_keeps_the_sentence_words(sentence, speaker, front):
    out = attribute(sentence, speaker, front=front)
    if out is None:
        return
    body = sentence.strip().removesuffix(".")
    if front:
        first, _, rest = body.partition(" ")
        assert out.startswith("According to ") and out.endswith(f", {first.lower()} {rest}.")
    else:
        assert out == f"{body}, {speaker}."
    assert attribute(out, speaker) is None  # never attributed twice


def _rows(n=20):
    """Three rows per premise (the negation tests' rows); the contradiction hypotheses are questions."""
    frame = pd.DataFrame(_nli_rows(n)[:3 * n], columns=COLUMNS)
    contra = frame.label == "contradiction"
    frame.loc[contra, "hypothesis"] = frame.loc[contra, "hypothesis"].str.replace(".", "?", regex=False)
    return frame


def _unattributed(text, originals):
    """The original sentence behind ``text`` (the slow, obvious way: try every speaker and form)."""
    if text in originals:
        return text
    found = [o for o in originals for sp in SPEAKERS for front in (False, True) if attribute(o, sp, front=front) == text]
    assert len(set(found)) == 1, text
    return found[0]


def test_attribution_pairs_keep_the_label_and_one_side():
    frame = _rows()
    out = attribution_pairs(frame, n=30, seed=0)
    assert list(out.columns) == COLUMNS and len(out) == 30
    assert (out.source == ATTRIBUTION_SOURCE).all() and (out.orig_split == "derived").all()
    by_pair = {(p, h): (lab, src) for p, h, lab, src in zip(frame.premise, frame.hypothesis, frame.label, frame.source)}
    premises, hypotheses = set(frame.premise), set(frame.hypothesis)
    sides = {"premise": 0, "hypothesis": 0}
    for row in out.itertuples():
        assert (row.premise in premises) != (row.hypothesis in hypotheses)  # exactly one side attributed
        sides["premise" if row.hypothesis in hypotheses else "hypothesis"] += 1
        label, source = by_pair[(_unattributed(row.premise, premises), _unattributed(row.hypothesis, hypotheses))]
        assert row.label == label and row.genre == source
        assert row.license == {"snli": "CC BY-SA 4.0", "cad": "Apache-2.0"}[source]
    assert sides == {"premise": 15, "hypothesis": 15}
    assert not any(h.endswith("?") for h in out.hypothesis if h not in hypotheses)  # questions are never attributed


def test_attribution_pairs_are_seeded_never_repeat_and_accept_zero():
    frame = _rows(5)
    assert attribution_pairs(frame, n=0, seed=0).empty
    assert list(attribution_pairs(frame.head(0), n=4, seed=0).columns) == COLUMNS
    pd.testing.assert_frame_equal(attribution_pairs(frame, n=8, seed=3), attribution_pairs(frame, n=8, seed=3))
    out = attribution_pairs(frame, n=1000, seed=0)
    # every row once: the 5 question hypotheses still get an attributed premise when their turn is on the premise
    assert len(out) <= 15 and not out.duplicated(["premise", "hypothesis"]).any()
    assert len(out) >= 10


def test_load_pairs_derives_attributions_from_training_rows_only(tmp_path):
    path = tmp_path / "pairs.csv"
    _rows(60).to_csv(path, index=False)
    plain_train, plain_hold = load_pairs(TrainConfig(data=str(path), out="x", holdout=0.3))
    train, hold = load_pairs(TrainConfig(data=str(path), out="x", holdout=0.3, negation_pairs=20,
                                         attribution_pairs=40))
    pd.testing.assert_frame_equal(plain_hold, hold)
    derived = train[train.source == ATTRIBUTION_SOURCE]
    assert len(derived) == 40
    assert len(train) == len(plain_train) + 20 + 40
    assert set(derived.genre) <= {"snli", "cad", NEGATION_SOURCE}  # drawn after the negation pairs were added
    held = {p.removesuffix(".") for p in hold.premise}
    assert not any(h in text for h in held for text in list(derived.premise) + list(derived.hypothesis))
    probe = attribution_probe(hold, seed=13)
    assert 0 < len(probe) <= len(hold)


def test_module_examples_run():
    """The docstring examples (crosscheck/training is left out of --doctest-modules)."""
    import doctest

    import crosscheck.training.attribution as module

    result = doctest.testmod(module)
    assert result.attempted >= 3 and result.failed == 0


def test_nli_eval_rejects_an_unknown_set_before_loading_a_model(tmp_path):
    from crosscheck.training.nli_eval import score_model

    with pytest.raises(ValueError, match=r"\['nope'\]; available: .*'sick_test'"):
        score_model(str(tmp_path / "no-model"), str(tmp_path), only=["snli_test", "nope"])
