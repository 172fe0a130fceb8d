"""Negation augmentation for NLI training: the negator, the derived pairs, and their place in the split."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck.training.negation import NEGATION_SOURCE, negate, negation_pairs
from crosscheck.training.nli import TrainConfig, load_pairs, negation_probe

COLUMNS = ["premise", "hypothesis", "label", "source", "genre", "license", "orig_split"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("A man is playing a guitar.", "A man is not playing a guitar."),
    ("Two dogs are running", "Two dogs are not running"),
    ("The minister has resigned.", "The minister has not resigned."),
    ("The talks had been postponed.", "The talks had not been postponed."),
    ("The summit will take place in Doha.", "The summit will not take place in Doha."),
    ("Assad was in Moscow on Sunday.", "Assad was not in Moscow on Sunday."),
])
def test_negate_inserts_not_after_the_first_auxiliary(sentence, expected):
    assert negate(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "The president did not resign.",       # already negated
    "Nobody is at home.",
    "He isn't there.",
    "Is the man playing a guitar?",        # question
    "Can you see it",                      # auxiliary first: inversion
    "A man holds a can of soda.",          # 'can' as a noun
    "She met him in May.",                 # no auxiliary at all
    "The family has children.",            # 'has' as a main verb
    "The car has red paint.",
    "Rebels captured Damascus.",
])
def test_negate_refuses_unsafe_sentences(sentence):
    assert negate(sentence) is None


@settings(max_examples=200)
@given(st.lists(st.sampled_from(["A", "man", "is", "was", "can", "has", "been", "walked", "red", "of", "the",
                                 "not", "Is", "dog,", "running.", "?", "May", "will", "played"]),
                min_size=0, max_size=12).map(" ".join))
def test_negate_only_inserts_one_not(sentence):
    out = negate(sentence)
    if out is None:
        return
    assert out.count(" not") == sentence.count(" not") + 1
    i = out.index(" not ")
    assert out[:i] + out[i + len(" not"):] == sentence  # nothing else changed
    assert negate(out) is None  # a negated sentence is never negated again


def _frame(rows):
    return pd.DataFrame(rows, columns=COLUMNS)


def _nli_rows(n=30):
    rows = []
    for i in range(n):
        premise = f"A man number {i} is playing a red guitar on a stage."
        rows.append((premise, f"A man number {i} is playing music.", "entailment", "snli", "", "CC BY-SA 4.0", "train"))
        rows.append((premise, f"A man number {i} is famous.", "neutral", "cad", "", "Apache-2.0", "train"))
        rows.append((premise, f"A man number {i} is sleeping.", "contradiction", "snli", "", "CC BY-SA 4.0", "train"))
    rows.append(("A woman is walking.", "A person is walking and she is tired.", "neutral", "snli", "", "CC BY-SA 4.0",
                 "train"))
    rows.append(("A woman is walking.", "A person is sitting and she is tired.", "contradiction", "snli", "",
                 "CC BY-SA 4.0", "train"))
    return rows


def test_negation_pairs_labels_follow_from_the_original_label():
    frame = _frame(_nli_rows())
    out = negation_pairs(frame, n=40, seed=0)
    assert list(out.columns) == COLUMNS
    assert len(out) == 40 and not out.duplicated().any()
    assert (out.source == NEGATION_SOURCE).all() and (out.orig_split == "derived").all()
    by_pair = {(p, h): lab for p, h, lab in zip(frame.premise, frame.hypothesis, frame.label)}
    for row in out.itertuples():
        if row.premise in set(frame.premise):  # (P, not H)
            original = by_pair[(row.premise, row.hypothesis.replace(" is not ", " is "))]
            assert row.label == {"entailment": "contradiction", "neutral": "neutral", "contradiction": "entailment"}[original]
        else:  # (not H, P): swapped contradiction from an entailment row
            assert by_pair[(row.hypothesis, row.premise.replace(" is not ", " is "))] == "entailment"
            assert row.label == "contradiction"
        assert row.license == {"snli": "CC BY-SA 4.0", "cad": "Apache-2.0"}[row.genre]
    assert out.label.value_counts().to_dict() == {"contradiction": 20, "entailment": 10, "neutral": 10}
    # two-clause hypotheses are not used for neutrals and entailments: the premise could entail the kept clause
    assert not out.hypothesis.str.contains(" and ").any()


def test_single_clause_option_keeps_negated_clauses_out_of_long_contradictions():
    rows = _nli_rows(10) + [(f"A woman number {i} is walking a dog in the park.",
                             f"A woman number {i} is walking and a dog is outside.", "entailment", "snli", "",
                             "CC BY-SA 4.0", "train") for i in range(10)]
    frame = _frame(rows)
    both = negation_pairs(frame, n=80, seed=0)
    single = negation_pairs(frame, n=80, seed=0, single_clause=True)
    long_side = both.premise.str.contains(" and ") | both.hypothesis.str.contains(" and ")
    assert (both[long_side].label == "contradiction").all() and long_side.any()
    assert not (single.premise.str.contains(" and ") | single.hypothesis.str.contains(" and ")).any()
    assert single.label.value_counts()["contradiction"] == 20  # the 10 single-clause entailment rows, both ways


def test_negation_pairs_never_repeat_and_accept_zero():
    frame = _frame(_nli_rows(5))
    assert negation_pairs(frame, n=0, seed=0).empty
    assert list(negation_pairs(frame.head(0), n=9, seed=0).columns) == COLUMNS
    out = negation_pairs(frame, n=1000, seed=0)
    assert len(out) == 5 + 5 + 5 + 5 and not out.duplicated().any()  # all there is, no repeats


def test_load_pairs_derives_negations_from_training_rows_only(tmp_path):
    path = tmp_path / "pairs.csv"
    _frame(_nli_rows(60)).to_csv(path, index=False)
    plain_train, plain_hold = load_pairs(TrainConfig(data=str(path), out="x", holdout=0.3))
    train, hold = load_pairs(TrainConfig(data=str(path), out="x", holdout=0.3, negation_pairs=30,
                                         swap_contradictions=True))
    pd.testing.assert_frame_equal(plain_hold, hold)
    derived = train[train.source == NEGATION_SOURCE]
    assert len(derived) == 30
    held = set(hold.premise)
    assert not held & (set(derived.premise) | set(derived.hypothesis))
    assert len(train) == len(plain_train) + (plain_train.label == "contradiction").sum() + 30
    probe = negation_probe(hold, seed=13)
    assert len(probe) > 0
    assert all(p in held or h in held for p, h in zip(probe.premise, probe.hypothesis))


def test_module_examples_run():
    """The docstring examples (crosscheck/training is left out of --doctest-modules)."""
    import doctest

    import crosscheck.training.negation as module

    result = doctest.testmod(module)
    assert result.attempted >= 3 and result.failed == 0


@pytest.mark.parametrize(("name", "size"), [("negation_news.csv", 32), ("attribution_news.csv", 24)])
def test_news_challenge_sets_run_on_the_bundled_model(tmp_path, name, size):
    """The benchmark script end to end with the shipped NLI weights on each hand-written set
    (a shape check, no score threshold)."""
    import importlib.util
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("negation_challenge", root / "benchmarks" / "negation_challenge.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    data = root / "benchmarks" / "data" / name
    frame = pd.read_csv(data)
    assert set(frame.label) == {"contradiction", "entailment", "neutral"} and len(frame) == size
    assert not frame.duplicated(["premise", "hypothesis"]).any()
    out = tmp_path / "scores.json"
    model = str(root / "crosscheck" / "models" / "nli-minilm-l6")
    assert bench.main([model, "--data", str(data), "--json", str(out)]) == 0
    scores = json.loads(out.read_text())[model]
    assert scores["n"] == size and 0 <= scores["correct"] <= size
    assert sum(int(v.split("/")[1]) for v in scores["by_kind"].values()) == size
