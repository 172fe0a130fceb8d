"""The shipped NLI cross-encoder loads offline and judges clear cases."""

import numpy as np
import pytest

from crosscheck.judge import NLI_LABELS, CrossEncoderNLI, bundled_nli_path


@pytest.fixture(scope="module")
def nli():
    return CrossEncoderNLI()


def test_weights_are_compact_and_documented():
    path = bundled_nli_path()
    size = (path / "model.safetensors").stat().st_size
    assert size < 50 * 1024 * 1024
    assert (path / "config.json").exists()


def test_clear_pairs(nli):
    probs = nli.predict([
        ("A man is playing a guitar on stage.", "A man is playing an instrument."),
        ("A man is playing a guitar on stage.", "Nobody is playing any instrument."),
    ])
    assert probs.shape == (2, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-4)
    assert NLI_LABELS[int(probs[0].argmax())] == "entailment"
    assert NLI_LABELS[int(probs[1].argmax())] == "contradiction"


def test_label_order_setting_reorders(nli):
    pairs = [("A dog runs.", "An animal runs.")]
    base = nli.predict(pairs)
    swapped = CrossEncoderNLI(labels=("entailment", "contradiction", "neutral")).predict(pairs)
    np.testing.assert_allclose(swapped[:, [1, 0, 2]], base, rtol=1e-5)


def test_length_sorted_batches_keep_input_order(nli):
    """The fast path (batches sorted by length) against the slow reference (one pair at a time)."""
    pairs = [("A man is playing a guitar on a crowded stage in front of many people.", "A man plays."),
             ("A dog runs.", "An animal runs."),
             ("Two children are sitting at a table and eating lunch together.", "Nobody is eating."),
             ("It rains.", "The weather is dry and sunny all day long in the city.")]
    batched = CrossEncoderNLI(batch_size=2).predict(pairs)
    one_by_one = np.concatenate([nli.predict([p]) for p in pairs])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-4)
