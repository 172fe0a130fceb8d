"""The judge on patterns of real coverage: updates only on questions that change, rival speakers, partial counts,
denials about another question, negation never an agreement, and the calibrated probability of each finding."""

from __future__ import annotations

import json

import numpy as np
import pytest

from crosscheck.calibration import CAL_FEATURES, Calibrator, finding_features
from crosscheck.data import Finding, Report
from crosscheck.errors import CrosscheckError
from crosscheck.extract import RuleExtractor
from crosscheck.judge import RuleJudge, comparable, time_varying
from crosscheck.segment import RuleSegmenter
from crosscheck.sides import Blame, blame
from crosscheck.training.calibration import choose_threshold, fit_groups, fit_logistic, predict, save_calibration

J = RuleJudge(nli=None, calibration=None)


def one(text, rid, published=None, source=None):
    r = Report(rid, text, source=source, published=published)
    return RuleExtractor()(r, RuleSegmenter()(r))[0]


def test_rival_speakers_on_a_fixed_question_stay_disputed_however_far_apart():
    kyiv = one("Kyiv's defence ministry said Moscow's troops sabotaged the dam.", "k", "2023-06-06T08:00:00+00:00", "A")
    moscow = one("The Kremlin said Moscow's troops did not sabotage the dam.", "m", "2023-06-09T08:00:00+00:00", "B")
    assert "responsibility" in kyiv.questions and "responsibility" in moscow.questions
    f = J.judge_pair(kyiv, moscow, 0.8)
    assert (f.relation, f.kind) == ("disputed", "blame")  # three days later: still a dispute, not an update


def test_rival_sides_each_blaming_the_other_are_disputed_though_worded_apart():
    kyiv = one("Kyiv's army said Russian troops sabotaged the dam.", "k", "2023-06-06T08:00:00+00:00", "A")
    kremlin = one("The Kremlin called the breach deliberate sabotage by Kyiv.", "m", "2023-06-06T09:00:00+00:00", "B")
    assert blame(kyiv) == Blame(frozenset({"Russia"}), False)
    assert blame(kremlin) == Blame(frozenset({"Ukraine"}), False)
    f = J.judge_pair(kyiv, kremlin, 0.35)  # below conflict_min_similarity: the blame rule still stands
    assert (f.relation, f.kind) == ("disputed", "blame"), f.reason
    assert "Russia" in f.reason and "Ukraine" in f.reason
    assert J.judge_pair(kyiv, kremlin, 0.1).relation == "related"  # below blame_similarity


def test_an_accused_sides_denial_disputes_the_accusation_but_not_another_act():
    accuse = one("US officials said Russian intelligence was behind the plane crash.", "u", "2023-08-24T08:00:00+00:00")
    deny = one("The Kremlin dismissed the allegations as an absolute lie.", "k", "2023-08-25T08:00:00+00:00")
    assert blame(deny) == Blame(frozenset({"Russia"}), True)
    assert J.judge_pair(accuse, deny, 0.3).relation == "disputed"
    other_act = one("Russia denies targeting civilians on the boats.", "r", "2023-08-25T09:00:00+00:00")
    assert J.judge_pair(accuse, other_act, 0.3).kind != "blame"  # a denial of another act answers nothing here


def test_one_side_accusing_twice_is_no_conflict_and_mutual_blame_accuses_nobody():
    a = one("Zelensky accused Moscow of sabotaging the dam.", "a", "2023-06-06T08:00:00+00:00")
    b = one("Kyiv's spy agency said Russian saboteurs destroyed the dam.", "b", "2023-06-09T08:00:00+00:00")
    assert J.judge_pair(a, b, 0.5).relation not in ("contradict", "disputed", "update")
    assert blame(one("Kyiv and Moscow accused each other over the dam.", "m")) is None
    assert blame(one("Moscow did not immediately comment on the accusation by Kyiv.", "n")) is None
    # a side that describes a speaker is not the one accused
    assert blame(one("The accusation was echoed by a Swedish economist.", "s")) is None
    # a government and its spokesman do not dispute each other, whatever the rules read
    peskov = one("Kremlin spokesman Dmitry Peskov said Ukrainian saboteurs blew up the dam.", "p")
    kremlin = one("The Kremlin blamed Kyiv for the blast.", "q")
    assert J.judge_pair(peskov, kremlin, 0.5).relation not in ("contradict", "disputed")


def test_blame_is_never_an_update_however_late():
    early = one("Kyiv said Russian troops sabotaged the dam.", "e", "2023-06-06T08:00:00+00:00", "A")
    late = one("The Kremlin said Ukraine sabotaged the dam.", "l", "2023-06-20T08:00:00+00:00", "B")
    assert J.judge_pair(early, late, 0.5).relation == "disputed"


def test_not_yet_then_done_is_an_update_on_a_changing_question():
    early = one("Officials said the two divers' bodies have not been recovered.", "e", "2024-03-26T10:00:00+00:00", "A")
    later = one("Police said the two divers' bodies were recovered.", "l", "2024-03-27T18:00:00+00:00", "B")
    assert "casualties" in early.questions
    assert J.judge_pair(early, later, 0.8).relation == "update"
    # the same two published the other way round: the denial came later, so it is not an update
    assert J.judge_pair(early, one(later.text, "l2", "2024-03-25T10:00:00+00:00", "B"), 0.8).relation == "disputed"


def test_one_outlets_changed_figure_is_its_update_even_when_it_falls():
    a = one("Exactly 40 people were missing after the flood.", "a1", "2023-06-08T08:00:00+00:00", "Outlet")
    b = one("Exactly 31 people were missing after the flood.", "a2", "2023-06-08T09:00:00+00:00", "Outlet")
    assert J.judge_pair(a, b, 0.9).relation == "update"  # an hour apart, lower: still that outlet's revision
    c = one("Exactly 31 people were missing after the flood.", "c", "2023-06-08T09:00:00+00:00", "Other")
    assert J.judge_pair(a, c, 0.9).relation == "contradict"  # another outlet, within the hour


def test_a_count_of_something_fixed_is_not_updated_by_time():
    a = one("Exactly 12 people lived in the building.", "a", "2023-06-01T08:00:00+00:00", "A")
    b = one("Exactly 40 people lived in the building.", "b", "2023-06-05T08:00:00+00:00", "B")
    f = J.judge_pair(a, b, 0.9)
    assert f.kind == "number" and not time_varying(a, b, J.typed_conflict(a, b, 0.9))
    assert f.relation == "contradict"


def test_partial_counts_are_not_compared_with_a_total():
    a = one("The jet crashed, killing Prigozhin and nine other people.", "a", None, "A")
    b = one("All ten people on board were killed in the crash.", "b", None, "B")
    assert J.typed_conflict(a, b, 0.8) is None or J.typed_conflict(a, b, 0.8).kind != "number"
    other = [q for q in a.quantities if "other" in q.text]
    assert other and not any(comparable(other[0], q) for q in b.quantities)


def test_a_denial_about_one_question_does_not_conflict_with_a_claim_about_another():
    denial = one("Zelensky denied that Ukraine was behind the downing of the plane.", "d", None, "A")
    toll = one("Ten people were killed when the plane went down.", "t", None, "B")
    assert denial.questions and toll.questions and not set(denial.questions) & set(toll.questions)
    assert J.typed_conflict(denial, toll, 0.8) is None


def test_negating_the_same_predicate_is_never_an_agreement():
    a = one("Assad fled to Moscow.", "a", None, "A")
    b = one("Assad did not flee to Moscow.", "b", None, "B")
    entails = np.array([[0.01, 0.97, 0.02], [0.01, 0.97, 0.02]])  # a model fooled by the shared words
    for nli in (None, entails):
        f = J.judge_pair(a, b, 0.95, nli)
        assert f.relation != "agree"
        assert f.relation == "contradict" and f.kind == "negation"


def test_the_model_alone_calls_no_conflict_by_default():
    a = one("Rebels captured Damascus.", "a", None, "A")
    b = one("Damascus fell to the rebels.", "b", None, "B")
    contra = np.array([[0.95, 0.02, 0.03], [0.95, 0.02, 0.03]])
    assert J.judge_pair(a, b, 0.75, contra).relation == "related"
    assert RuleJudge(nli=None, calibration=None, contradiction_threshold=0.9).judge_pair(a, b, 0.75, contra).kind == "other"


# ---- calibration -------------------------------------------------------------------------------------------------

def test_every_finding_of_the_default_judge_carries_a_probability():
    a = one("Exactly 12 people died in the flood.", "a", "2023-06-08T08:00:00+00:00", "A")
    b = one("Exactly 40 people died in the flood.", "b", "2023-06-09T08:00:00+00:00", "B")
    f = RuleJudge(nli=None).judge_pair(a, b, 0.9)
    assert f.relation == "update" and 0.0 <= f.probability <= 1.0
    assert J.judge_pair(a, b, 0.9).probability is None


def test_features_have_the_documented_length_and_no_nan():
    a = one("Exactly 12 people died in the flood.", "a", "2023-06-08T08:00:00+00:00", "A")
    b = one("Officials said 40 people died in the flood.", "b", None, "B")
    f = J.judge_pair(a, b, 0.9)
    x = finding_features(a, b, 0.9, np.array([[0.1, 0.8, 0.1], [0.2, 0.7, 0.1]]), f)
    assert x.shape == (len(CAL_FEATURES),) and np.isfinite(x).all()


def test_fit_logistic_recovers_a_known_model():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 2))
    p = 1 / (1 + np.exp(-(2.0 * x[:, 0] - 1.0 * x[:, 1] + 0.5)))
    y = (rng.random(4000) < p).astype(float)
    w, b, mean, scale = fit_logistic(x, y, l2=0.01)
    assert np.allclose(w / scale, [2.0, -1.0], atol=0.15) and abs(b - (mean / scale) @ w - 0.5) < 0.15


def _rows(n_right: int, n_wrong: int, relation: str, event: str) -> list[dict]:
    f = Finding("x", relation, "number", 1.0, "", "a", "b")
    rows = []
    for y, n in ((1, n_right), (0, n_wrong)):
        x = np.zeros(len(CAL_FEATURES))
        if f"rel_{relation}" in CAL_FEATURES:
            x[CAL_FEATURES.index(f"rel_{relation}")] = 1.0
        rows += [{"event": event, "relation": f.relation, "y": y, "x": x.copy()} for _ in range(n)]
    return rows


def test_calibration_file_round_trips_and_a_conflict_gets_its_relations_rate(tmp_path):
    rows = (_rows(18, 2, "update", "e1") + _rows(2, 18, "disputed", "e1") + _rows(30, 3, "agree", "e1")
            + _rows(20, 20, "related", "e1"))
    models = fit_groups(rows, l2=0.1)
    path = save_calibration(tmp_path / "cal.json", models, 0.6, {"note": "test"})
    json.loads(path.read_text(), parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    cal = Calibrator(path)
    probs = cal.probabilities([r["x"] for r in rows], [r["relation"] for r in rows])
    assert np.allclose(probs, predict(models, rows))
    by = {rel: probs[[i for i, r in enumerate(rows) if r["relation"] == rel]].mean() for rel in ("update", "disputed")}
    assert by["update"] == pytest.approx(0.9, abs=0.05) and by["disputed"] == pytest.approx(0.1, abs=0.05)
    assert cal.min_probability == 0.6


def test_choose_threshold_prefers_the_lowest_that_reaches_the_target():
    rows = _rows(9, 1, "update", "e") + _rows(1, 9, "disputed", "e") + _rows(20, 1, "agree", "e")
    probs = np.array([0.9] * 10 + [0.2] * 10 + [0.95] * 21)
    assert choose_threshold(rows, probs, 0.85) == 0.5  # at 0.5 only the updates (0.9 right) and agreements show
    assert choose_threshold(rows, np.full(len(rows), 0.3), 0.85) == 0.95  # nothing shows: the highest


def test_bad_calibration_files_raise_typed_errors(tmp_path):
    a = one("Exactly 12 people died.", "a", None, "A")
    b = one("Exactly 40 people died.", "b", None, "B")
    f = J.judge_pair(a, b, 0.9)
    with pytest.raises(CrosscheckError, match="E084"):
        Calibrator(tmp_path / "missing.json").probability(a, b, 0.9, None, f)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"features": ["x"], "groups": {}, "min_probability": 0.5}))
    with pytest.raises(CrosscheckError, match="E085"):
        Calibrator(bad).probability(a, b, 0.9, None, f)
    with pytest.raises(CrosscheckError, match="E087"):
        RuleJudge(nli=None, calibration="bogus").judge_pair(a, b, 0.9)


# ---- the display threshold -----------------------------------------------------------------------------------------

def _result(min_probability):
    from crosscheck.data import Claim, Topic
    from crosscheck.result import Result

    reps = [Report("a", "Exactly 12 people died."), Report("b", "Exactly 40 people died.")]
    claims = [Claim("a:0", "a", 0, 23, reps[0].text, reps[0].text, "a", False, "asserted", False),
              Claim("b:0", "b", 0, 23, reps[1].text, reps[1].text, "b", False, "asserted", False)]
    findings = [Finding("a:0~b:0", "contradict", "number", 0.9, "numbers", "a:0", "b:0", 0.9, probability=0.2),
                Finding("a:0~b:0x", "agree", "none", 0.9, "same", "a:0", "b:0", 0.9, probability=0.9),
                Finding("a:0~b:0y", "related", "none", 0.5, "topic", "a:0", "b:0", 0.5, probability=0.3)]
    return Result(reps, claims, findings, [Topic("t0", "x", ("a:0", "b:0"), {"a": "relays", "b": "relays"})],
                  min_probability=min_probability)


def test_views_show_only_findings_at_or_above_the_threshold_and_never_related_unless_asked():
    res = _result(0.5)
    assert [f.relation for f in res.shown_findings()] == ["agree"]
    assert [f.relation for f in res.shown_findings(include_related=True)] == ["agree", "related"]
    assert res.contradictions().empty and len(res.contradictions(include_hidden=True)) == 1
    assert res.findings.shown.tolist() == [False, True, False] and len(res.findings) == 3
    text = str(res)
    assert "[CONTRADICT]" not in text and "[AGREE]" in text and "1 contradict below it hidden" in text
    assert "probability >= 0.50" in text and "--min-probability 0" in text
    assert "[CONTRADICT]" in str(_result(None)) and "[CONTRADICT]" in _result(0.0).summary()
    assert "0.20" in _result(0.0).to_html()


def test_threshold_round_trips_and_old_results_still_load():
    from crosscheck.result import Result

    res = _result(0.5)
    back = Result.from_json(res.to_json())
    assert back == res and back.min_probability == 0.5 and back.finding_list[0].probability is not None
    old = json.loads(res.to_json())
    old["schema"] = 1
    del old["min_probability"], old["origins"], old["positions"]  # schema 1 had neither threshold nor origins
    for t in old["topics"]:
        del t["consensus"], t["n_independent_sources"], t["majority_position"]
    for f in old["findings"]:
        del f["probability"]
    legacy = Result.from_json(json.dumps(old))
    assert legacy.min_probability is None and all(f.probability is None for f in legacy.finding_list)
    bad = json.loads(res.to_json())
    bad["findings"][0]["probability"] = 1.5
    with pytest.raises(CrosscheckError, match="E320"):
        Result.from_json(json.dumps(bad))


@pytest.mark.parametrize("value", [-0.1, 1.1, "0.5", True])
def test_bad_thresholds_raise_typed_errors(value):
    with pytest.raises(CrosscheckError, match="E088"):
        _result(value)


def test_checker_takes_the_fitted_threshold_unless_told_otherwise():
    from crosscheck.pipeline import Checker

    fitted = Calibrator().min_probability
    assert Checker(judge=RuleJudge(nli=None)).display_threshold() == fitted
    assert Checker(judge=RuleJudge(nli=None), min_probability=0.2).display_threshold() == 0.2
    assert Checker(judge=RuleJudge(nli=None, calibration=None)).display_threshold() is None
    assert Checker(judge=RuleJudge(nli=None), min_probability=None).display_threshold() is None


# ---- agreement by typed slot: the same figure, the same side held responsible -----------------------------------


def test_the_same_toll_worded_apart_agrees_by_its_figure():
    a = one("Six construction workers died when the viaduct over the Varta fell, the company said.", "a",
            "2025-03-02T08:00:00+00:00")
    b = one("The fall of the viaduct killed six workers who were resurfacing it overnight.", "b",
            "2025-03-03T08:00:00+00:00")
    f = J.judge_pair(a, b, 0.45)  # below paraphrase_similarity and no model: only the figure says they agree
    assert (f.relation, f.kind) == ("agree", "number"), f.reason
    assert "same figure" in f.reason
    assert J.judge_pair(a, b, 0.2).relation == "related"  # below agree_slot_similarity


def test_a_figure_that_only_describes_or_counts_elsewhere_is_no_agreement():
    pipes = one("Investigators examined the two pipelines off the coast.", "a", "2025-03-02T08:00:00+00:00")
    pipes2 = one("The two pipelines carry gas to the mainland.", "b", "2025-03-03T08:00:00+00:00")
    assert J.judge_pair(pipes, pipes2, 0.5).relation == "related"  # "two pipelines" counts no event
    died = one("Four people died in Kraków after the storm.", "c", "2025-03-02T08:00:00+00:00")
    died2 = one("Four people died in Lisbon after the storm.", "d", "2025-03-02T09:00:00+00:00")
    assert J.judge_pair(died, died2, 0.5).relation != "agree"  # the same count in another place
    rose = one("Four people died in the storm, officials said.", "e", "2025-03-02T08:00:00+00:00")
    fell = one("Four people did not die in the storm, officials said.", "f", "2025-03-02T09:00:00+00:00")
    assert J.judge_pair(rose, fell, 0.5).relation != "agree"


def test_one_side_accusing_twice_agrees_and_mutual_blame_reported_twice_agrees():
    a = one("India's army said Pakistani saboteurs blew up the bridge.", "a", "2025-03-02T08:00:00+00:00")
    b = one("New Delhi accused Pakistan of the blast that destroyed the bridge.", "b", "2025-03-03T08:00:00+00:00")
    f = J.judge_pair(a, b, 0.3)
    assert (f.relation, f.kind) == ("agree", "blame"), f.reason
    assert "Pakistan" in f.reason
    m1 = one("India and Pakistan blamed each other for the bridge blast.", "c", "2025-03-02T08:00:00+00:00")
    m2 = one("Both sides traded accusations over who destroyed the bridge.", "d", "2025-03-02T09:00:00+00:00")
    g = J.judge_pair(m1, m2, 0.3)
    assert (g.relation, g.kind) == ("agree", "blame"), g.reason


def test_an_accusation_in_a_side_clause_is_background_not_an_agreement():
    a = one("India's army said Pakistani saboteurs blew up the bridge.", "a", "2025-03-02T08:00:00+00:00")
    aside = one("Indian President Mehra called the attack on the bridge, which New Delhi has blamed on Pakistan, a "
                "barbaric act.", "b", "2025-03-04T08:00:00+00:00")
    assert blame(aside) == blame(a) == Blame(frozenset({"Pakistan"}), False)  # one side held responsible in both
    assert J.judge_pair(a, aside, 0.3).relation == "related"  # but in B only as background to its own point


def test_rival_accounts_of_who_did_it_are_never_an_agreement():
    a = one("India's army said Pakistani saboteurs blew up the bridge.", "a", "2025-03-02T08:00:00+00:00")
    b = one("Islamabad said Indian troops had sabotaged the bridge themselves.", "b", "2025-03-03T08:00:00+00:00")
    assert J.judge_pair(a, b, 0.3).relation != "agree"


def test_a_toll_first_presumed_then_stated_is_an_update_of_that_toll():
    early = one("Six workers are presumed dead after the viaduct fell, the company said.", "a",
                "2025-03-02T08:00:00+00:00")
    later = one("The fall of the viaduct killed six workers who were resurfacing it overnight.", "b",
                "2025-03-20T08:00:00+00:00")
    f = J.judge_pair(early, later, 0.6)
    assert (f.relation, f.kind) == ("update", "number"), f.reason
    in_passing = one("Court filings detail the failures behind the viaduct fall that left six workers dead.", "f",
                     "2025-03-20T08:00:00+00:00")
    assert J.judge_pair(early, in_passing, 0.45).relation == "related"  # below presumed_similarity: named in passing
    same_day = one("The fall of the viaduct killed six workers who were resurfacing it overnight.", "c",
                   "2025-03-02T09:00:00+00:00")
    assert J.judge_pair(early, same_day, 0.45).relation == "agree"  # within update_hours: no report supersedes
    other = one("Two workers were rescued and six others are missing and presumed dead.", "d",
                "2025-03-02T08:00:00+00:00")
    rescued = one("Two workers were rescued from the river.", "e", "2025-03-20T08:00:00+00:00")
    assert J.judge_pair(other, rescued, 0.45).relation == "agree"  # the presumption is about the six, not the two


def test_the_same_words_of_one_speaker_quoted_by_two_outlets_agree():
    a = one('The mayor called the flood "a dark day for the whole valley" on Monday.', "a",
            "2025-03-02T08:00:00+00:00")
    b = one("It was 'a dark day for the whole valley', the mayor told reporters.", "b", "2025-03-02T12:00:00+00:00")
    f = J.judge_pair(a, b, 0.4)
    assert (f.relation, f.kind) == ("agree", "quote"), f.reason
    governor = one('The governor called the flood "a dark day for the whole valley" on Monday.', "c",
                   "2025-03-02T08:00:00+00:00")
    assert J.judge_pair(governor, b, 0.4).relation == "related"  # another speaker's use of the words
    aside = one("The minister spoke after the mayor called it 'a dark day for the whole valley'.", "d",
                "2025-03-02T09:00:00+00:00")
    assert J.judge_pair(a, aside, 0.4).kind != "quote"  # quoted as background to another point


def test_who_is_accused_by_to_blame_by_a_rejection_naming_its_accuser_and_by_a_lie_that_names_the_culprit():
    to_blame = one("India's prime minister claimed that Pakistan was to blame for the cable cut.", "a")
    assert blame(to_blame) == Blame(frozenset({"Pakistan"}), False)  # "Pakistan was to blame": accused, not speaking
    rejects = one("Islamabad on Monday denied Indian claims that Pakistani divers cut the cable.", "b")
    assert blame(rejects) == Blame(frozenset({"Pakistan"}), True)  # the accuser it names does not void the denial
    culprit = one('"It is a plain lie, and everyone knows the Indians did it," a retired engineer said.', "c")
    assert blame(culprit) == Blame(frozenset({"India"}), False)  # a rejection that names who did it accuses them


def test_rival_sides_dispute_even_when_their_speakers_share_a_word():
    a = one("Two Indian officials said Pakistani saboteurs were behind the blast.", "a", "2025-03-02T08:00:00+00:00")
    b = one("Pakistan's official spokesman said the Indian accusations were a lie.", "b", "2025-03-03T08:00:00+00:00")
    f = J.judge_pair(a, b, 0.4)  # "officials" / "official": the names look alike, the sides are rivals
    assert (f.relation, f.kind) == ("disputed", "blame"), f.reason


def test_a_rejection_of_one_kind_of_act_answers_an_accusation_of_that_kind_only():
    blast = one("Indian officials said Pakistani agents were behind the blast.", "a", "2025-03-02T08:00:00+00:00")
    denies = one("Islamabad denies blowing up anything.", "b", "2025-03-03T08:00:00+00:00")
    assert J.judge_pair(blast, denies, 0.4).relation == "disputed"  # no word shared, one kind of act: an explosion
    drones = one("Indian officials said Pakistani drones were behind the attack on the port.", "c",
                 "2025-03-02T08:00:00+00:00")
    assert blame(drones) == Blame(frozenset({"Pakistan"}), False)
    assert J.judge_pair(drones, denies, 0.4).kind != "blame"  # a denied explosion does not answer a drone attack


def test_a_later_report_that_settles_what_was_pending_is_an_update():
    pending = one("The bodies of the three missing divers have not yet been recovered, the harbour master said.", "a",
                  "2025-03-02T08:00:00+00:00")
    settled = one("Navy teams recovered the last of the bodies on Friday.", "b", "2025-03-09T08:00:00+00:00")
    assert pending.questions and set(pending.questions) & set(settled.questions)
    f = J.judge_pair(pending, settled, 0.35)  # worded apart, below every other conflict floor
    assert (f.relation, f.kind) == ("update", "status"), f.reason
    assert J.judge_pair(pending, settled, 0.2).kind != "status"  # below status_similarity
    same_day = one("Navy teams recovered the last of the bodies on Friday.", "c", "2025-03-02T09:00:00+00:00")
    assert J.judge_pair(pending, same_day, 0.35).kind != "status"  # within update_hours
    still = one("Navy teams say the bodies have still not been found.", "d", "2025-03-09T08:00:00+00:00")
    assert J.judge_pair(pending, still, 0.35).kind != "status"  # still pending: nothing settled


def test_an_unconfirmed_report_is_settled_only_by_a_confirmation_naming_the_same_person():
    pending = one("There was no confirmation that Mayor Ortega was aboard the ferry.", "a", "2025-03-02T08:00:00+00:00")
    confirmed = one("DNA tests confirmed that Mayor Ortega died in the ferry sinking.", "b", "2025-03-09T08:00:00+00:00")
    f = J.judge_pair(pending, confirmed, 0.35)
    assert (f.relation, f.kind) == ("update", "status"), f.reason
    others = one("The coast guard identified the seven passengers as Ana Reis and six others.", "c",
                 "2025-03-09T08:00:00+00:00")
    assert J.judge_pair(pending, others, 0.35).kind != "status"  # names other people: Ortega is still unconfirmed
    found = one("The bodies of all passengers aboard the ferry were found on Friday.", "d", "2025-03-09T08:00:00+00:00")
    assert set(found.questions) & set(pending.questions) and not found.entities
    assert J.judge_pair(pending, found, 0.35).kind != "status"  # found settles the missing, not who was aboard


def test_yet_to_be_identified_is_pending_and_settled_only_by_a_report_that_is_not_itself_pending():
    pending = one("Whether Mayor Ortega is among the dead is yet to be formally confirmed, police said.", "a",
                  "2025-03-02T08:00:00+00:00")
    confirmed = one("DNA tests confirmed that Mayor Ortega died in the ferry sinking.", "b", "2025-03-09T08:00:00+00:00")
    f = J.judge_pair(pending, confirmed, 0.35)
    assert (f.relation, f.kind) == ("update", "status"), f.reason
    unsettled = one("Whether Mayor Ortega died in the ferry sinking is yet to be confirmed by the coroner.", "c",
                    "2025-03-09T08:00:00+00:00")
    assert J.judge_pair(pending, unsettled, 0.35).kind != "status"  # still pending: the word "confirmed" settles nothing


def test_a_figure_for_several_areas_is_no_revision_of_a_figure_for_one():
    one_area = one("Officials said 2,400 residents were evacuated out of the Varna region.", "a",
                   "2025-03-02T08:00:00+00:00")
    both = one("Across both regions 3,900 residents were evacuated, the minister said.", "b",
               "2025-03-03T08:00:00+00:00")
    assert J.judge_pair(one_area, both, 0.7).relation == "related"
    later = one("Officials said 3,100 residents were evacuated out of the Varna region.", "c", "2025-03-03T08:00:00+00:00")
    assert J.judge_pair(one_area, later, 0.7).relation == "update"  # the same area: a revision


def test_individuals_and_residents_count_people_and_two_named_provinces_are_several_areas():
    a = one("The mayor said 900 individuals had been evacuated from the town.", "a", "2025-03-02T08:00:00+00:00")
    b = one("In all, 900 people were evacuated from the flooded streets on Tuesday.", "b", "2025-03-02T12:00:00+00:00")
    assert J.judge_pair(a, b, 0.5).kind == "number"
    one_area = one("Officials said 2,400 residents were evacuated out of the Varna province.", "c",
                   "2025-03-02T08:00:00+00:00")
    named = one("Some 3,900 residents were evacuated in the Varna and Ruse provinces, the minister said.", "d",
                "2025-03-03T08:00:00+00:00")
    assert J.judge_pair(one_area, named, 0.7).relation == "related"


def test_one_way_entailment_agrees_when_the_longer_claim_entails_the_shorter():
    short = one("Farmland along the river Varna has been washed away.", "a", "2025-03-02T08:00:00+00:00")
    long_ = one("The breach caused grave damage, with farmland along the river Varna washed away and wells fouled.",
                "b", "2025-03-03T08:00:00+00:00")
    later_entails = np.array([[0.98, 0.01, 0.01], [0.02, 0.96, 0.02]])  # [[c, e, n] a->b, [c, e, n] b->a]
    f = J.judge_pair(short, long_, 0.7, later_entails)
    assert (f.relation, f.kind) == ("agree", "none") and "later claim entails" in f.reason, f.reason
    assert RuleJudge(nli=None, calibration=None, one_way_entailment=None).judge_pair(
        short, long_, 0.7, later_entails).relation == "related"  # off: the reverse contradiction blocks agree
    weak = np.array([[0.98, 0.01, 0.01], [0.15, 0.8, 0.05]])
    assert J.judge_pair(short, long_, 0.7, weak).relation == "related"  # below one_way_entailment
    fragment = one("Varna farmland.", "c", "2025-03-02T08:00:00+00:00")
    assert J.judge_pair(fragment, long_, 0.7, later_entails).relation == "related"  # too few words entailed
    six = one("Six fishermen remain missing on the river Varna, the coast guard said.", "d", "2025-03-02T08:00:00+00:00")
    four = one("Two fishermen were rescued, and four remain missing on the river Varna, the coast guard said.", "e",
               "2025-03-03T08:00:00+00:00")
    assert J.judge_pair(six, four, 0.7, later_entails).relation != "agree"  # no common figure


def test_two_outlets_notes_on_what_they_could_not_verify_are_no_agreement():
    a = one("Reuters could not independently verify the footage from the harbour.", "a", "2025-03-02T08:00:00+00:00")
    b = one("AFP could not immediately confirm the ferry operator's account.", "b", "2025-03-03T08:00:00+00:00")
    both_entail = np.array([[0.01, 0.97, 0.02], [0.01, 0.96, 0.03]])
    f = J.judge_pair(a, b, 0.85, both_entail)
    assert f.relation == "related" and "could not verify" in f.reason, f.reason
    claim = one("The harbour master could not verify the footage, police said.", "c", "2025-03-03T08:00:00+00:00")
    assert "could not verify" not in J.judge_pair(a, claim, 0.85, both_entail).reason  # only when both are notes


def test_an_accusation_beside_a_negation_that_rejects_nothing_still_accuses():
    # "not surprised" and "had no proof confirming it" hedge the accusation; they do not deny it
    hedged = one("Senator Vale said the explosion had not surprised her at all and that Moscow may be responsible.", "v",
                 "2031-03-02T08:00:00+00:00")
    unproven = one("The minister said he believed Moscow was behind the blast, though he did not have evidence "
                   "proving it.", "w", "2031-03-02T09:00:00+00:00")
    denial = one("The Kremlin rejected the allegations as a lie.", "k", "2031-03-03T08:00:00+00:00")
    assert blame(hedged) == Blame(frozenset({"Russia"}), False)
    assert blame(unproven) == Blame(frozenset({"Russia"}), False)
    assert J.judge_pair(hedged, denial, 0.4).relation == "disputed"
    plain = one("The Kremlin did not comment on the blast.", "n", "2031-03-03T09:00:00+00:00")
    assert blame(plain) is None  # a plain negation still takes no position


def test_a_relative_day_inside_a_relayed_quotation_is_no_date_conflict():
    text = '"Today we opened the last lane of the bridge," the transport chief said.'
    first = one(text, "a", "2031-05-07T20:00:00+00:00", "A")
    relay = one(text, "b", "2031-05-08T09:00:00+00:00", "B")  # published the next day: "today" resolves a day later
    assert first.times and relay.times and first.times[0].date != relay.times[0].date
    assert J.judge_pair(first, relay, 0.95).relation != "contradict"
    told = one("The bridge reopened today, the transport chief said.", "c", "2031-05-08T09:00:00+00:00", "C")
    assert told.times  # outside a quotation the date is the report's own, and is compared as before


def test_a_rejection_called_stupid_is_read_before_the_speakers_next_point():
    said = one("The Kremlin said claims that Moscow was behind the cable blast were stupid, adding that US firms "
               "profited from it.", "k", "2031-04-02T08:00:00+00:00")
    assert blame(said) == Blame(frozenset({"Russia"}), True)  # the US of the added point is not a side it names
    again = one("The Kremlin dismissed the idea that Russia cut the cable as absurd.", "m", "2031-04-02T10:00:00+00:00")
    assert J.judge_pair(said, again, 0.6).relation == "agree"


def test_one_speaker_relayed_twice_needs_less_one_way_entailment():
    first = one("Mayor Ilse Brandt said the flood wall failed at dawn after the river rose three metres overnight.",
                "a", "2031-06-01T08:00:00+00:00", "A")
    relay = one("Ilse Brandt said the flood wall had failed.", "b", "2031-06-01T10:00:00+00:00", "B")
    other = one("Fire chief Omar Lind said the flood wall had failed.", "c", "2031-06-01T10:00:00+00:00", "C")
    nli = np.array([[0.02, 0.7, 0.28], [0.95, 0.01, 0.04]])  # entailed one way; the reverse reads as contradicted
    assert J.judge_pair(first, relay, 0.7, nli).relation == "agree"
    assert J.judge_pair(first, other, 0.7, nli).relation == "related"  # another speaker: 0.9 still needed
    off = RuleJudge(nli=None, calibration=None, one_way_same_speaker=None)
    assert off.judge_pair(first, relay, 0.7, nli).relation == "related"


def test_two_counts_of_the_missing_that_never_share_a_value_are_no_paraphrase():
    town = one("At least 9 people are missing in the town of Orvel after the levee gave way.", "a",
               "2031-07-01T08:00:00+00:00")
    province = one("The interior minister said 31 people are missing in the province after the levee gave way.", "b",
                   "2031-07-03T08:00:00+00:00")
    assert J.judge_pair(town, province, 0.85).relation != "agree"  # "at least 9" and 31 overlap, but count other areas
    same = one("Nine people are missing in Orvel after the levee failed, officials said.", "c", "2031-07-01T10:00:00+00:00")
    assert J.judge_pair(town, same, 0.85).relation == "agree"


def test_a_rejection_of_an_act_does_not_answer_an_accusation_of_something_else():
    rejects = one("The Kremlin dismissed the claims that Russia attacked the cable as stupid.", "k",
                  "2031-04-02T08:00:00+00:00")
    other = one("The bloc has long accused Russia of using its grain exports as a weapon.", "e",
                "2031-04-03T08:00:00+00:00")
    accuses = one("The navy said Russian divers blew up the cable.", "n", "2031-04-03T09:00:00+00:00")
    assert J.judge_pair(rejects, other, 0.5).relation != "disputed"
    assert J.judge_pair(rejects, accuses, 0.5).relation == "disputed"
    unclear = one("The governor's remarks did not explain how the ferry came to be hit by Russian gunners.", "g",
                  "2031-04-03T10:00:00+00:00")
    assert blame(unclear) is None  # says nothing on who did it


def test_a_denial_of_ones_own_part_that_points_at_another_side_accuses_it():
    points = one('A Ukrainian envoy insisted his government had "nothing whatever to do" with the blast and '
                 "pointed instead to the Kremlin's responsibility.", "u", "2031-05-02T08:00:00+00:00")
    kremlin = one("The Kremlin rejected the allegation that it had a role in the blast.", "k",
                  "2031-05-03T08:00:00+00:00")
    assert blame(points) == Blame(frozenset({"Russia"}), False)
    assert J.judge_pair(points, kremlin, 0.6).relation == "disputed"
