"""The relation model and the judge built on it."""

import datetime as dt
import json

import numpy as np
import pytest

from crosscheck.align import Candidate
from crosscheck.data import Claim, Report
from crosscheck.errors import CrosscheckError, InputError
from crosscheck.judge import RuleJudge
from crosscheck.pipeline import Checker
from crosscheck.relation import FEATURES, RELATION_ORDER, ModelJudge, RelationModel, pair_features
from crosscheck.testing import check_stage
from crosscheck.training.relation import fit_temperature, logits, save_model, train_network

T0 = dt.datetime(2031, 5, 3, 8, tzinfo=dt.timezone.utc)


def claim(rid, text, hours=0.0, **kw):
    return Claim(id=f"{rid}:0", report_id=rid, start=0, end=len(text), text=text, proposition=text,
                 speaker=kw.pop("speaker", rid), attributed=kw.pop("attributed", False), hedge="asserted",
                 negated=False, source=rid, published=T0 + dt.timedelta(hours=hours), **kw)


class Fixed:
    """A stand-in model giving the same probabilities to every pair."""

    def __init__(self, probs):
        self.probs = np.asarray(probs, dtype=float)

    def predict_proba(self, features):
        assert features.shape[1] == len(FEATURES)
        return np.tile(self.probs, (len(features), 1))


def test_features_have_the_documented_length_and_see_the_gap():
    rules = RuleJudge(nli=None)
    a, b = claim("a", "The ferry sank off the cape."), claim("b", "The ferry sank off the cape.", hours=30)
    x = pair_features(a, b, 0.9, None, rules, "agree")
    assert x.shape == (len(FEATURES),)
    named = dict(zip(FEATURES, x))
    assert named["gap_known"] == 1.0 and named["gap_over_update"] == 1.0
    assert named["rule_agree"] == 1.0 and named["has_nli"] == 0.0
    assert named["gap_log_hours"] == pytest.approx(np.log1p(30), rel=1e-5)


def test_a_conflict_below_the_threshold_is_not_shown():
    claims = Checker().extract([Report("a", "Twelve people died in the ferry fire.", published=T0),
                                Report("b", "Forty people died in the ferry fire.", published=T0)])
    cands = [Candidate(0, 1, 0.9)]
    sure = ModelJudge(rules=RuleJudge(nli=None), model=Fixed([0.05, 0.8, 0.05, 0.05, 0.05]), conflict_threshold=0.7)
    (f,) = sure(claims, cands)
    assert f.relation == "contradict" and f.score == pytest.approx(0.8) and f.kind == "number"
    unsure = ModelJudge(rules=RuleJudge(nli=None), model=Fixed([0.05, 0.6, 0.05, 0.05, 0.25]),
                        conflict_threshold=0.7)
    (g,) = unsure(claims, cands)
    assert g.relation == "related" and g.kind == "none"
    assert "not sure enough" in g.reason


def test_agree_needs_its_own_threshold():
    claims = [claim("a", "The bridge reopened on Friday."), claim("b", "Traffic crossed the bridge again on Friday.")]
    judge = ModelJudge(rules=RuleJudge(nli=None), model=Fixed([0.5, 0.1, 0.1, 0.1, 0.2]), conflict_threshold=0.9,
                       agree_threshold=0.6)
    assert judge(claims, [Candidate(0, 1, 0.7)])[0].relation == "related"
    judge.agree_threshold = 0.4
    assert judge(claims, [Candidate(0, 1, 0.7)])[0].relation == "agree"


def test_thresholds_are_validated():
    with pytest.raises(InputError, match="E083"):
        ModelJudge(model=Fixed([0.2] * 5), rules=RuleJudge(nli=None), conflict_threshold=1.5)([], [])


def test_a_model_file_for_other_features_is_refused(tmp_path):
    path = tmp_path / "old.npz"
    z = {k: np.zeros((2, 2), dtype=np.float32) for k in ("mean", "scale", "w1", "b1", "w2", "b2")}
    np.savez(path, **z, temperature=np.float32(1.0), meta=json.dumps({"features": ["similarity"]}))
    with pytest.raises(CrosscheckError, match="E082"):
        RelationModel(path).predict_proba(np.zeros((1, len(FEATURES))))
    with pytest.raises(CrosscheckError, match="E081"):
        RelationModel(tmp_path / "missing.npz").predict_proba(np.zeros((1, len(FEATURES))))


def test_a_trained_model_round_trips_and_learns_a_separable_rule(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(FEATURES))).astype(np.float32)
    y = (x[:, 0] > 0).astype(int) * 3  # agree below zero, update above, on the first feature alone
    w = train_network(x, y, hidden=8, epochs=200)
    path = save_model(tmp_path / "m.npz", w, fit_temperature(logits(w, x), y), {"n_train": 400})
    model = RelationModel(path)
    p = model.predict_proba(x)
    assert p.shape == (400, len(RELATION_ORDER)) and np.allclose(p.sum(axis=1), 1.0)
    assert (p.argmax(axis=1) == y).mean() > 0.95
    assert tuple(model.meta["features"]) == FEATURES and model.meta["n_train"] == 400


def test_model_judge_passes_the_conformance_kit():
    check_stage(ModelJudge(model=Fixed([0.1, 0.1, 0.1, 0.1, 0.6]), rules=RuleJudge(nli=None)), "judge")


def test_the_authored_pairs_are_well_formed_and_split_by_event():
    from collections import Counter

    from crosscheck.training.news_pairs.check import problems
    from crosscheck.training.relation import load_pairs

    rows = load_pairs()
    assert len(rows) >= 3000
    assert not [r["id"] for r in rows if problems(r)]
    share = Counter(r["relation"] for r in rows)
    assert min(share.values()) / len(rows) >= 0.12
    split_of = {}
    for r in rows:
        assert split_of.setdefault(r["event"], r["split"]) == r["split"]  # an event lies in one split
    val = sum(r["split"] == "validation" for r in rows) / len(rows)
    assert 0.15 <= val <= 0.25
    assert sum(r["template"] for r in rows) <= len(rows) / 10
