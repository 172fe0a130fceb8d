"""Stance API and evaluation runners (small deterministic samples; skip without data)."""

import json
import subprocess
import sys

import numpy as np
import pytest

import crosscheck
from crosscheck.eval.metrics import classification, fnc_score
from crosscheck.stances import StanceFeatures, decide, stance, stance_many

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
    f = StanceFeatures(0.2, 0.0, 0.0, False, ())
    assert decide(f, {"unrelated_similarity": 0.35})[0] == "unrelated"
    f = StanceFeatures(0.8, 0.9, 0.0, False, ())
    assert decide(f, {})[0] == "agree"
    f = StanceFeatures(0.8, 0.0, 0.0, False, ())
    assert decide(f, {})[0] == "discuss"  # related, nothing asserted entails it
    f = StanceFeatures(0.8, 0.0, 0.0, True, ())
    assert decide(f, {})[0] == "disagree"


def test_stance_threshold_rule_end_to_end(checker):
    from crosscheck.pipeline import load_profile

    loose = load_profile("default") | {"stance": {"unrelated_similarity": 0.4, "agree_threshold": 0.5,
                                                   "disagree_threshold": 0.75}}
    s = stance("Rebels took control of Damascus.", BODY, profile=loose, head=None)
    assert s.label == "agree"
    assert s.evidence and BODY.text[s.evidence[0].claim.start:s.evidence[0].claim.end] == s.evidence[0].claim.text
    assert set(s.scores) == {"agree", "disagree", "discuss", "unrelated"}
    many = stance_many([("Rebels took control of Damascus.", BODY), ("The bakery sells fresh bread every day.", BODY),
                        ("Assad is still in Damascus.", BODY)], profile=loose, head=None)
    assert [m.label for m in many][:2] == ["agree", "unrelated"]
    assert many[2].label in ("disagree", "discuss")


def test_stance_trained_head_end_to_end(checker):
    related, unrelated = crosscheck.stance_many([("Rebels took control of Damascus.", BODY),
                                                 ("The bakery sells fresh bread every day.", BODY)])
    assert unrelated.label == "unrelated" and not unrelated.evidence
    assert related.label in ("agree", "discuss")
    assert related.scores["agree"] + related.scores["discuss"] > related.scores["unrelated"]
    assert abs(sum(related.scores.values()) - 1) < 1e-3
    for e in related.evidence:
        assert BODY.text[e.claim.start:e.claim.end] == e.claim.text and e.claim.report_id == BODY.id
    assert crosscheck.stance("Rebels took control of Damascus.", BODY.text).label == related.label  # str body
    json.dumps(related.to_dict())


def test_stance_head_checks_its_features(tmp_path):
    from crosscheck.stances import FEATURE_NAMES, StanceHead, bundled_head_path

    head = StanceHead()
    x = np.zeros((3, len(FEATURE_NAMES)))
    p = head.predict_proba(x)
    assert p.shape == (3, 4) and np.allclose(p.sum(axis=1), 1)
    with pytest.raises(crosscheck.InputError):
        head.predict_proba(np.zeros((1, 5)))
    bad = json.loads(bundled_head_path().read_text())
    bad["features"] = bad["features"][:-1]
    (tmp_path / "head.json").write_text(json.dumps(bad))
    with pytest.raises(crosscheck.ModelNotFoundError):
        StanceHead(path=tmp_path / "head.json").predict_proba(x)
    with pytest.raises(crosscheck.InputError):
        stance("x", 42)
    feats = [StanceFeatures(0.0, 0.0, 0.0, False, (), vector=(0.0,) * len(FEATURE_NAMES))]
    assert crosscheck.StanceDetector().decide_many(feats)[0][0] in ("agree", "disagree", "discuss", "unrelated")
    with pytest.raises(crosscheck.InputError, match="E064"):
        crosscheck.StanceDetector(nli_k=1).decide_many(feats)  # features the head was not trained on
    with pytest.raises(crosscheck.InputError, match="E064"):
        crosscheck.StanceDetector(negation_similarity=0.5).decide_many(feats)


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


def test_stance_on_the_example_respects_attribution(assad_reports):
    by_id = {r.id: r for r in assad_reports}
    stances = crosscheck.stance_many([("Assad is in Moscow.", r) for r in assad_reports])
    got = {r.id: s for r, s in zip(assad_reports, stances)}
    assert all(s.label != "unrelated" for s in stances)
    # the Kremlin report only relays an anonymous source: it discusses the claim, it does not assert it
    assert got["kremlin-dec08"].label == "discuss"
    assert got["presidency-dec07"].scores["disagree"] > got["kremlin-dec08"].scores["disagree"]
    for rid, s in got.items():
        for e in s.evidence:
            assert by_id[rid].text[e.claim.start:e.claim.end] == e.claim.text


def test_stance_features_do_not_follow_the_pipeline_negation_setting(checker):
    """The pipeline may cut the negation rule at a similarity; the stance features keep the rule they were trained on."""
    from crosscheck.judge import RuleJudge

    report = crosscheck.Report("r", "The bank's president did not resign on Monday. Markets were calm.")
    claim = "The president of the bank resigned over the loan scandal."
    embedder = checker.stages()["embedder"]
    loose = crosscheck.Checker(embedder=embedder, judge=RuleJudge(nli=None, negation_similarity=-1.0))
    strict = crosscheck.Checker(embedder=embedder, judge=RuleJudge(nli=None, negation_similarity=0.99))
    feats = [crosscheck.StanceDetector(checker=c, head=None).features_many([(claim, report)])[0] for c in (loose, strict)]
    assert feats[0].vector == feats[1].vector
    assert feats[1].evidence[0].kind == "negation"
    assert strict.stages()["judge"].negation_similarity == 0.99  # the pipeline's judge is not modified
    # the input does exercise the setting: a detector that asks for the cut gets other features
    cut = crosscheck.StanceDetector(checker=loose, head=None, negation_similarity=0.99).features_many([(claim, report)])
    assert cut[0].evidence[0].kind == "none" and cut[0].vector != feats[0].vector
