"""Stance API and evaluation runners (small deterministic samples; skip without data)."""

import json
import subprocess
import sys

import pytest

import crosscheck
from crosscheck.eval.metrics import classification, fnc_score
from crosscheck.stance import StanceFeatures, decide, stance, stance_many

from .conftest import data_dir

BODY = crosscheck.Report(
    "body", "Rebels captured Damascus early on Sunday. Assad and his family have arrived in Moscow, a Kremlin "
    "source said. Russia granted them asylum.", published="2024-12-08T20:00:00+00:00")


def test_fnc_score_and_metrics():
    gold = ["agree", "disagree", "unrelated", "discuss"]
    pred = ["agree", "discuss", "unrelated", "unrelated"]
    raw, mx = fnc_score(gold, pred)
    assert (raw, mx) == (1.0 + 0.25 + 0.25, 3.25)
    m = classification(gold, pred, ("agree", "disagree", "discuss", "unrelated"))
    assert m["confusion"]["disagree"]["discuss"] == 1
    assert 0 < m["macro_f1"] < 1


def test_decide_rules():
    f = StanceFeatures(0.2, 0.0, 0.0, 0.0, False, ())
    assert decide(f, {"unrelated_similarity": 0.35})[0] == "unrelated"
    f = StanceFeatures(0.8, 0.9, 0.9, 0.0, False, ())
    assert decide(f, {})[0] == "agree"
    f = StanceFeatures(0.8, 0.0, 0.9, 0.0, False, ())
    assert decide(f, {})[0] == "discuss"  # entailed only by a relayed claim
    f = StanceFeatures(0.8, 0.0, 0.0, 0.0, True, ())
    assert decide(f, {})[0] == "disagree"


def test_stance_end_to_end_with_real_models(checker):
    from crosscheck.pipeline import load_profile

    loose = load_profile("default") | {"stance": {"unrelated_similarity": 0.4, "agree_threshold": 0.5,
                                                   "disagree_threshold": 0.75}}
    s = stance("Rebels took control of Damascus.", BODY, profile=loose)
    assert s.label == "agree"
    default = stance("Rebels took control of Damascus.", BODY)  # calibrated profile: stricter 'agree'
    assert default.label in ("agree", "discuss") and default.scores["agree"] > default.scores["disagree"]
    assert s.evidence and BODY.text[s.evidence[0].claim.start:s.evidence[0].claim.end] == s.evidence[0].claim.text
    assert set(s.scores) == {"agree", "disagree", "discuss", "unrelated"}
    many = stance_many([("Rebels took control of Damascus.", BODY), ("The bakery sells fresh bread every day.", BODY),
                        ("Assad is still in Damascus.", BODY)], profile=loose)
    assert [m.label for m in many][:2] == ["agree", "unrelated"]
    assert many[2].label in ("disagree", "discuss")


def test_fnc1_and_stsb_small_sample(tmp_path):
    fnc = data_dir("fnc-1")
    out = tmp_path / "fnc.json"
    r = subprocess.run([sys.executable, "-m", "crosscheck.cli", "eval", "fnc1", "--data", str(fnc), "--split", "test",
                        "--limit", "40", "--json", str(out), "--no-progress"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    m = json.loads(out.read_text())
    for key in ("dataset", "split", "n", "seconds", "fnc_score", "fnc_max", "fnc_relative", "macro_f1", "per_class",
                "confusion"):
        assert key in m
    assert m["n"] == 40 and 0 <= m["fnc_relative"] <= 100
    from crosscheck.eval.runner import run_eval

    sts = run_eval("stsb", data_dir("sts-b"), limit=150, progress=False)
    assert sts["spearman"] > 0.6


def test_missing_data_is_a_clear_error(tmp_path):
    from crosscheck.eval.runner import run_eval

    with pytest.raises(crosscheck.DatasetError):
        run_eval("fnc1", tmp_path / "nowhere")
    with pytest.raises(crosscheck.DatasetError):
        run_eval("snli", tmp_path)


@pytest.mark.slow
def test_snli_accuracy_sample():
    from crosscheck.eval.runner import run_eval

    m = run_eval("snli", data_dir("snli"), limit=1000, progress=False)
    assert m["accuracy"] > 0.78
