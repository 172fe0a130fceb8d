"""NLI training entry point: licence filter, data selection, and a tiny real training run."""

import json
import math
import random

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck.training.nli import TrainConfig, batch_order, cap_sources, load_pairs, main, redistributable

LICENCES = {"snli": "CC BY-SA 4.0", "cad": "Apache-2.0", "taxi": "MNLI text (OANC) under C-UDA 1.0",
            "nc": "CC BY-NC 4.0", "none": "no licence stated"}


def _write(tmp_path, rows):
    frame = pd.DataFrame(rows, columns=["premise", "hypothesis", "label", "source", "genre", "license", "orig_split"])
    path = tmp_path / "pairs.csv"
    frame.to_csv(path, index=False)
    return str(path)


def _rows(n_per_source=40):
    rows = []
    labels = ("contradiction", "entailment", "neutral")
    for source, licence in LICENCES.items():
        for i in range(n_per_source):
            rows.append((f"{source} premise number {i // 2}.", f"The {source} hypothesis {i} is true.", labels[i % 3],
                         source, "", licence, "train"))
    return rows


def test_licence_filter_keeps_share_alike_and_oanc_drops_nc_and_unlicensed():
    assert redistributable(LICENCES["snli"]) and redistributable(LICENCES["cad"]) and redistributable(LICENCES["taxi"])
    assert not redistributable(LICENCES["nc"]) and not redistributable(LICENCES["none"])


def test_load_pairs_filters_licences_and_splits_by_premise(tmp_path):
    cfg = TrainConfig(data=_write(tmp_path, _rows()), out=str(tmp_path / "run"), holdout=0.3)
    train, hold = load_pairs(cfg)
    assert set(train.source) | set(hold.source) == {"snli", "cad", "taxi"}
    assert len(train) + len(hold) == 3 * 40
    assert not set(train.premise) & set(hold.premise)
    assert len(hold) > 0


def test_source_caps_apply_to_training_rows_only(tmp_path):
    data = _write(tmp_path, _rows())
    plain_train, plain_hold = load_pairs(TrainConfig(data=data, out="x", holdout=0.3))
    capped_train, capped_hold = load_pairs(TrainConfig(data=data, out="x", holdout=0.3, source_caps={"snli": 5}))
    pd.testing.assert_frame_equal(plain_hold, capped_hold)
    assert (capped_train.source == "snli").sum() == 5
    assert (capped_train.source == "cad").sum() == (plain_train.source == "cad").sum()
    with pytest.raises(ValueError, match="not in the data"):
        cap_sources(plain_train, {"nope": 3}, seed=0)


def test_swapped_contradictions_are_added_to_training_only(tmp_path):
    data = _write(tmp_path, _rows())
    plain_train, plain_hold = load_pairs(TrainConfig(data=data, out="x", holdout=0.3))
    swap_train, swap_hold = load_pairs(TrainConfig(data=data, out="x", holdout=0.3, swap_contradictions=True))
    pd.testing.assert_frame_equal(plain_hold, swap_hold)
    contra = plain_train[plain_train.label == "contradiction"]
    assert len(swap_train) == len(plain_train) + len(contra)
    flipped = set(zip(swap_train.premise, swap_train.hypothesis))
    assert all((h, p) in flipped for p, h in zip(contra.premise, contra.hypothesis))


def test_bad_source_cap_argument_is_rejected(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--data", "x.csv", "--out", str(tmp_path), "--source-cap", "snli"])
    assert "SOURCE=N" in capsys.readouterr().err


def test_tiny_training_run_exports_a_loadable_model_and_resumes(tmp_path):
    """Two steps on the real base model, then a rerun that resumes from the checkpoint and stops."""
    from crosscheck.judge import CrossEncoderNLI

    data = _write(tmp_path, _rows(8))
    out = tmp_path / "run"
    args = ["--data", data, "--out", str(out), "--epochs", "1", "--batch-size", "8", "--holdout", "0.3",
            "--checkpoint-every", "1", "--source-cap", "snli=4", "--negation-pairs", "4",
            "--attribution-pairs", "3", "--negation-single-clause"]
    assert main(args) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert len(summary["history"]) == 1
    assert 0.0 <= summary["history"][0]["negation_probe_accuracy"] <= 1.0
    assert 0.0 <= summary["history"][0]["attribution_probe_accuracy"] <= 1.0
    card = json.loads((out / "best" / "training.json").read_text())
    assert card["config"]["source_caps"] == {"snli": 4} and card["config"]["negation_single_clause"] is True
    assert card["train_sources"]["negation_aug"] == 4 and card["negation_probe"]["n"] > 0
    assert card["train_sources"]["attribution_aug"] == 3 and card["attribution_probe"]["n"] > 0
    assert card["labels"] == ["contradiction", "entailment", "neutral"]
    probs = CrossEncoderNLI(model_path=out / "best").predict([("A dog runs.", "An animal runs.")])
    assert probs.shape == (1, 3)
    log_before = (out / "train.log").read_text()
    assert main(args) == 0  # resumes at the last step: nothing left to train
    assert "resumed from step" in (out / "train.log").read_text()[len(log_before):]


@settings(max_examples=60, deadline=None)
@given(lengths=st.lists(st.integers(1, 128), min_size=0, max_size=300), batch_size=st.integers(1, 16),
       pool=st.integers(0, 5), seed=st.integers(0, 50), epoch=st.integers(0, 3))
def test_batch_order_covers_every_row_once(lengths, batch_size, pool, seed, epoch):
    batches = batch_order(lengths, batch_size, seed, epoch, pool=pool)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert len(batches) == math.ceil(len(lengths) / batch_size)  # the step count the schedule assumes
    assert all(0 < len(b) <= batch_size for b in batches)
    assert batches == batch_order(lengths, batch_size, seed, epoch, pool=pool)  # resumable: same order again


def test_length_pools_cut_padding():
    rng = random.Random(0)
    lengths = [rng.choice((20, 30, 120)) for _ in range(4000)]

    def padded(batches):
        return sum(max(lengths[i] for i in b) * len(b) for b in batches)

    assert padded(batch_order(lengths, 32, 1, 0, pool=64)) < 0.6 * padded(batch_order(lengths, 32, 1, 0, pool=0))


def test_news_pairs_become_nli_rows_of_the_training_split_only(tmp_path):
    from crosscheck.training.news_nli import UPDATE_SKIPPED, nli_rows
    from crosscheck.training.news_nli import main as news_main
    from crosscheck.training.relation import load_pairs as load_news

    pairs = load_news()
    rows = nli_rows(pairs)
    train = [p for p in pairs if p["split"] == "train"]
    texts = {t for p in train for t in (p["a"]["text"], p["b"]["text"])}
    held_out = {t for p in pairs if p["split"] != "train" for t in (p["a"]["text"], p["b"]["text"])} - texts
    assert rows and all(r["premise"] in texts and r["hypothesis"] in texts for r in rows)
    assert not any(r["premise"] in held_out for r in rows)
    # agreements and related pairs hold both ways; conflicts once (the trainer may swap them)
    agree = sum(p["relation"] == "agree" for p in train)
    assert sum(r["label"] == "entailment" for r in rows) == 2 * agree
    conflicts = sum(p["relation"] in ("contradict", "disputed") or
                    (p["relation"] == "update" and p["pattern"] not in UPDATE_SKIPPED) for p in train)
    assert sum(r["label"] == "contradiction" for r in rows) == conflicts
    out = tmp_path / "news.csv"
    assert news_main(["--out", str(out), "--repeat", "2"]) == 0
    frame = pd.read_csv(out, keep_default_na=False)
    assert len(frame) == 2 * len(rows) and redistributable(frame.license.iloc[0])
