"""Helpers of the stance-head training script (no data set needed)."""

import numpy as np
import pandas as pd
import pytest

import crosscheck
from crosscheck.eval.metrics import FNC_LABELS
from crosscheck.training.stance import body_in_holdout, compute_features, fit_bias, objective, score


def test_holdout_split_is_by_body_and_deterministic():
    picks = [body_in_holdout("fnc-1", b, 0.15) for b in range(2000)]
    assert picks == [body_in_holdout("fnc-1", b, 0.15) for b in range(2000)]
    assert 0.1 < sum(picks) / len(picks) < 0.2


def test_fit_bias_never_does_worse_than_no_offsets():
    rng = np.random.default_rng(0)
    gold = list(rng.choice(FNC_LABELS, size=400, p=[0.1, 0.05, 0.2, 0.65]))
    logits = rng.normal(size=(400, 4))
    for i, g in enumerate(gold):
        logits[i, FNC_LABELS.index(g)] += 1.0
    logits[:, 3] += 1.5  # a model biased towards 'unrelated'
    bias, best = fit_bias(logits, gold, np.arange(-2, 2.01, 0.5))
    plain = score(gold, [FNC_LABELS[i] for i in logits.argmax(1)])
    assert objective(best) >= objective(plain)
    assert best == score(gold, [FNC_LABELS[i] for i in (logits + bias).argmax(1)])


def test_feature_cache_resumes_only_the_same_rows(tmp_path, checker):
    rows = pd.DataFrame({"headline": ["Rebels took Damascus.", "Bread prices rose."], "dataset": ["own", "own"],
                         "body_id": [1, 2], "body": ["Rebels captured Damascus on Sunday. Crowds gathered.",
                                                     "The council met on Tuesday. It approved a budget."]})
    first = compute_features(rows, tmp_path)
    assert first.shape == (2, len(crosscheck.stances.FEATURE_NAMES))
    np.testing.assert_array_equal(compute_features(rows, tmp_path), first)  # read back from the cache
    with pytest.raises(crosscheck.DatasetError, match="E204"):
        compute_features(rows.iloc[:1], tmp_path)


def test_feature_cache_refuses_other_nli_weights_or_profile(tmp_path, checker, monkeypatch):
    import crosscheck.training.stance as training

    rows = pd.DataFrame({"headline": ["Rebels took Damascus."], "dataset": ["own"], "body_id": [1],
                         "body": ["Rebels captured Damascus on Sunday. Crowds gathered."]})
    real = training.pipeline_fingerprint()
    assert len(real["nli_weights_sha1"]) == 40 and "judge" in real["profile"]
    compute_features(rows, tmp_path)
    monkeypatch.setattr(training, "pipeline_fingerprint", lambda: {**real, "nli_weights_sha1": "0" * 40})
    with pytest.raises(crosscheck.DatasetError, match="E204"):
        compute_features(rows, tmp_path)
