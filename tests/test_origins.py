"""Origins (wire credits, near-duplicate passages, upstream speakers) and positions, consensus and stances.

Fast: no model is loaded (the pipeline runs with hashed embeddings and the rules-only judge). The texts are made
up for these tests.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

import crosscheck
from crosscheck.data import Claim, Finding, Report, Topic
from crosscheck.errors import InputError
from crosscheck.eval.origins import bcubed, fnc_bodies, pair_scores, synthetic_copies
from crosscheck.judge import RuleJudge
from crosscheck.origins import OriginFinder, Origins, detect_wire, mark_copies, normalise_speaker
from crosscheck.positions import PositionBuilder, group_positions, report_stances
from crosscheck.protocols import STAGE_PROTOCOLS
from crosscheck.result import CONFLICT_COLUMNS, POSITION_COLUMNS, TIMELINE_COLUMNS, Result
from crosscheck.testing import HashEmbedder, check_stage

from .conftest import data_dir

STORY = ("Floodwater reached the old harbour district of Port Elsa early on Thursday after the river burst its banks "
         "overnight. Emergency crews moved about two hundred residents from low streets to the sports hall near the "
         "station. The regional water board said the level was still rising and would peak in the afternoon. "
         "Schools in the district stayed closed and the ferry to the islands did not run.")
OTHER = ("The city council of Brask approved a new budget for its tram network on Thursday evening. Councillors voted "
         "twenty to nine for a plan that adds two lines by the end of the decade and raises fares slightly. The mayor "
         "said the network had carried a record number of passengers last year.")

OWN = ("A new library opened in the centre of Brask on Thursday with a reading room for children and a small "
       "cinema. The building took four years to finish and cost less than planned, its architect said at the "
       "opening. Volunteers will run the cinema at weekends and show old films from the town archive.")


@pytest.mark.parametrize(("text", "wire"), [
    ("LONDON, Oct 29 (Reuters) - Britain said on Saturday ...", "Reuters"),
    ("COPENHAGEN, Denmark (AP) \u2014 Danish officials said ...", "AP"),
    ("Moscow, Oct 3 (EFE).- The company said ...", "EFE"),
    ("STOCKHOLM, June 10. /TASS/. The institute recorded ...", "TASS"),
    ("By The Associated Press\n\nThe bridge fell.", "AP"),
    ("The ministry said so.\n\nAFP", "AFP"),
    ("The ministry said so. (KB/IANS)", "IANS"),
    ("Officials said the toll was rising. Reuters could not independently verify the figure.", "Reuters"),
    ("MOSCOW (Global Wire) - The ministry said ...", "Global Wire"),
])
def test_wire_credits_and_datelines(text, wire):
    assert detect_wire(text)[0] == wire


@pytest.mark.parametrize("text", [
    "Rescuers at the site (Picture: EPA/Reuters) worked all night.",
    "A view of the bridge. (AP Photo/Julia Nikhinson)\nThe bridge fell.",
    "The minister told Reuters the talks had failed, the paper said.",
    "Relatives gathered outside the hospital on Friday.",
])
def test_photo_credits_and_mentions_are_no_wire(text):
    assert detect_wire(text) is None


def test_copies_share_an_origin_and_originals_do_not():
    reports = [
        Report("a", "PORT ELSA (Reuters) - " + STORY, source="Daily One", published="2031-05-06T09:00:00+00:00"),
        Report("b", "Flood hits Port Elsa harbour\n\n" + STORY.replace("about two hundred", "some 200")
               + "\n\nShare this article", source="Daily Two", published="2031-05-06T11:00:00+00:00"),
        Report("c", STORY.split(". ")[0] + ". " + STORY.split(". ")[1] + ".", source="Daily Three",
               published="2031-05-06T12:00:00+00:00"),
        Report("d", OTHER, source="Brask Post", published="2031-05-06T10:00:00+00:00"),
        Report("e", OWN + " " + STORY.split(". ")[1] + ".", source="Brask Times",
               published="2031-05-06T13:00:00+00:00"),
        Report("f", OTHER + "\n\nRead more on our site.", source="Brask News", published="2031-05-06T14:00:00+00:00"),
    ]
    origins = OriginFinder()(reports, [])
    assert origins.reports["a"] == origins.reports["b"] == origins.reports["c"] == "wire:Reuters"
    assert origins.wires == {"a": "Reuters", "b": None, "c": None, "d": None, "e": None, "f": None}
    assert origins.reports["d"] == origins.reports["f"] == "report:d"  # the earliest of two copies
    assert origins.reports["e"] == "report:e"  # its own story, with one copied passage
    (passage,) = [p for p in origins.passages if p.report_id == "e"]
    assert passage.origin_id == "wire:Reuters" and reports[4].text[passage.start:passage.end].startswith("Emergency")


def test_the_wire_itself_is_no_copy():
    reports = [Report("t1", "STOCKHOLM, June 10. /TASS/. " + STORY, source="TASS"),
               Report("t2", "MOSCOW, June 11. /TASS/. " + OTHER, source="TASS")]
    origins = OriginFinder()(reports, [])
    assert origins.wires == {"t1": None, "t2": None}
    assert origins.reports == {"t1": "report:t1", "t2": "report:t2"}


def test_origins_of_claims_and_copy_findings():
    claims = [
        Claim("a:0", "a", 0, 5, "x", "x", "the Health Ministry", True, "reported", False),
        Claim("b:0", "b", 0, 5, "x", "x", "health ministry's", True, "reported", False),
        Claim("c:0", "c", 0, 5, "x", "x", "officials", True, "reported", False),
        Claim("d:0", "d", 0, 5, "x", "x", "d", False, "asserted", False),
    ]
    reports = [Report(r, "words " * 3) for r in "abcd"]
    origins = OriginFinder()(reports, claims)
    assert origins.claims["a:0"] == origins.claims["b:0"] == "speaker:health ministry"
    assert origins.claims["c:0"] == "report:c" and origins.claims["d:0"] == "report:d"
    findings = [Finding("f1", "agree", "none", 0.9, "", "a:0", "b:0"),
                Finding("f2", "contradict", "number", 0.9, "", "a:0", "b:0"),
                Finding("f3", "agree", "none", 0.9, "", "c:0", "d:0")]
    marked = mark_copies(findings, claims, origins)
    assert [f.kind for f in marked] == ["copy", "number", "none"]
    assert normalise_speaker("The Kremlin's") == "kremlin"


def test_origin_finder_is_a_conforming_stage():
    assert check_stage(OriginFinder(), "origins")[-1] == "order independence"
    assert check_stage(PositionBuilder(), "positions")[-1] == "determinism"
    assert isinstance(OriginFinder(), STAGE_PROTOCOLS["origins"])
    assert isinstance(PositionBuilder(), STAGE_PROTOCOLS["positions"])


@pytest.mark.parametrize(("name", "value"), [("shingle", 0), ("num_perm", "many"), ("passage_threshold", 1.5),
                                             ("copy_share", 0), ("exact_units", -1)])
def test_bad_parameters_are_coded(name, value):
    with pytest.raises(InputError, match=r"\[E400\]"):
        OriginFinder(**{name: value})([Report("a", STORY), Report("b", OTHER)], [])


def test_scores():
    gold = {"a": "x", "b": "x", "c": "c", "d": "d"}
    assert pair_scores(gold, gold)["f1"] == 1.0 and bcubed(gold, gold)["f1"] == 1.0
    lumped = {k: "all" for k in gold}
    assert pair_scores(gold, lumped)["precision"] == pytest.approx(1 / 6)
    assert bcubed(gold, lumped)["recall"] == 1.0 and bcubed(gold, lumped)["precision"] < 0.5


def test_synthetic_fnc_copies():
    """Wire copies made from FNC-1 train bodies (light edits, boilerplate, other headlines, partial copies, copied
    passages inside other stories): copy pairs and B-cubed F1 >= 0.95."""
    reports, gold = synthetic_copies(fnc_bodies(data_dir("fnc-1")), seed=0)
    assert len(reports) > 100 and len(set(gold.values())) < len(reports)
    pred = dict(OriginFinder()(reports, []).reports)
    pairs, b3 = pair_scores(gold, pred), bcubed(gold, pred)
    assert pairs["precision"] >= 0.95 and pairs["recall"] >= 0.95 and b3["f1"] >= 0.95, (pairs, b3)


def test_exact_pairs_for_few_passages_match_the_lsh_index():
    """Up to ``exact_units`` passages every pair is compared; the LSH index finds the same pairs here, and the
    exact path never imports datasketch (checked in a fresh interpreter)."""
    rng = random.Random(0)
    words = [f"w{i}" for i in range(400)]

    def story(n):
        return " ".join(" ".join(rng.choice(words) for _ in range(rng.randint(9, 16))).capitalize() + "."
                        for _ in range(n))
    originals = [story(12) for _ in range(14)]
    reports = [Report(f"o{i}", t) for i, t in enumerate(originals)]
    reports += [Report(f"c{i}", t.replace(" w1 ", " w2 ") + " " + story(2)) for i, t in enumerate(originals[:7])]
    exact, index = OriginFinder(exact_units=10**6), OriginFinder(exact_units=0)
    units = [u for i, r in enumerate(reports) for u in [(i, *x) for x in exact.units(r.text)]]
    assert len(units) > 200  # more than the default: the test runs both paths on the same, larger input
    a, b = exact(reports, []), index(reports, [])
    assert a.reports == b.reports and a.stories == b.stories
    assert len(set(a.reports.values())) == 14  # each copy joined its original
    code = ("import json, sys\nfrom crosscheck import Report\nfrom crosscheck.origins import OriginFinder\n"
            f"o = OriginFinder()([Report('a', {STORY!r}), Report('b', {STORY!r})], [])\n"
            "print(json.dumps({'datasketch': 'datasketch' in sys.modules, 'copies': dict(o.reports)}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["datasketch"] is False and len(set(got["copies"].values())) == 1  # two copies: one origin


# ---- positions, consensus, stances ------------------------------------------------------------------------------


def _claim(cid, rid, text, *, speaker=None, negated=False, hedge="asserted", when="2031-05-06T09:00:00+00:00"):
    return Claim(cid, rid, 0, len(text), text, text, speaker or rid, speaker is not None, hedge, negated,
                 published=crosscheck.data.parse_published(when), predicate="leave")


def test_positions_follow_agreements_and_never_join_a_conflict():
    f = [Finding("f1", "agree", "none", 0.9, "", "a", "b"), Finding("f2", "agree", "none", 0.8, "", "b", "c"),
         Finding("f3", "disputed", "negation", 0.9, "", "a", "c")]
    assert group_positions(["a", "b", "c"], f) == [["a", "b"], ["c"]]
    assert group_positions(["a", "b", "c", "d"], f[:1], origin_of=lambda c: "o" if c in "cd" else c) == [
        ["a", "b"], ["c", "d"]]


def test_a_close_related_pair_of_a_denial_and_an_assertion_keeps_them_apart():
    by_id = {"a": _claim("a", "p", "The presidency denied that he had left.", hedge="denied"),
             "b": _claim("b", "q", "The rebels said he had fled.", speaker="the rebels"),
             "c": _claim("c", "r", "He fled the country.")}
    f = [Finding("f1", "related", "none", 0.83, "", "a", "b", 0.83), Finding("f2", "agree", "none", 0.9, "", "b", "c"),
         Finding("f3", "related", "none", 0.8, "", "a", "c", 0.8)]
    assert group_positions(["a", "b", "c"], f, by_id=by_id, related_similarity=0.75) == [["a"], ["b", "c"]]
    plain = {**by_id, "a": _claim("a", "p", "The presidency said that he had left.")}
    assert group_positions(["a", "b", "c"], f, by_id=plain, related_similarity=0.75) == [["a", "b", "c"]]


def _builder_case(relation):
    reports = [Report(r, "Some text of report " + r, source=r.upper()) for r in ("p", "q", "r", "s")]
    claims = [_claim("p:0", "p", "He did not leave.", speaker="the presidency", negated=True),
              _claim("q:0", "q", "He left.", speaker="the rebels", when="2031-05-07T09:00:00+00:00"),
              _claim("r:0", "r", "He left.", when="2031-05-07T10:00:00+00:00"),
              _claim("s:0", "s", "He left.", speaker="the ministry", when="2031-05-08T10:00:00+00:00")]
    findings = [Finding("f1", relation, "negation", 0.9, "", "p:0", "q:0"),
                Finding("f2", "agree", "none", 0.9, "", "q:0", "r:0"),
                Finding("f3", "agree", "none", 0.9, "", "r:0", "s:0")]
    topics = [Topic("t1", "He left.", ("p:0", "q:0", "r:0", "s:0"), {})]
    return reports, claims, findings, topics


@pytest.mark.parametrize(("relation", "status"), [("disputed", "disputed"), ("contradict", "contradicted"),
                                                  ("update", "superseded")])
def test_consensus_and_stance_toward_the_majority(relation, status):
    reports, claims, findings, topics = _builder_case(relation)
    q = PositionBuilder()(reports, claims, findings, topics, Origins.own(reports, claims))
    assert q.consensus["t1"].status == status and q.consensus["t1"].n_independent_sources == 4
    major = {p.id: p for p in q.positions}[q.consensus["t1"].majority]
    assert major.claim_ids == ("q:0", "r:0", "s:0") and major.n_independent_sources == 3
    assert q.stances["t1"] == {"p": "contradicts", "q": "relays", "r": "supports", "s": "relays"}
    if relation == "update":
        assert sorted(p.status for p in q.positions) == ["current", "superseded"]


def test_agreed_and_single_source():
    reports, claims, findings, topics = _builder_case("agree")
    findings = findings[1:]
    topics = [Topic("t1", "He left.", ("q:0", "r:0", "s:0"), {})]
    q = PositionBuilder()(reports, claims, findings, topics, Origins.own(reports, claims))
    assert q.consensus["t1"].status == "agreed" and [p.status for p in q.positions] == ["sole"]
    one = Origins({r.id: "wire:AP" for r in reports}, {r.id: "AP" for r in reports},
                  {c.id: "wire:AP" for c in claims})
    q = PositionBuilder()(reports, claims, findings, topics, one)
    assert q.consensus["t1"].status == "single-source" and q.consensus["t1"].n_independent_sources == 1


def test_a_denial_without_a_conflict_finding_contradicts():
    reports, claims, findings, topics = _builder_case("related")
    groups = [["q:0", "r:0", "s:0"], ["p:0"]]
    by_id = {c.id: c for c in claims}
    stances = report_stances(reports, groups, 0, findings, by_id)
    assert stances["p"] == "contradicts" and stances["r"] == "supports"


# ---- the pipeline and the result ----------------------------------------------------------------------------------

WIRE_REPORTS = [
    Report("one", "PORT ELSA (Reuters) - " + STORY, source="Daily One", published="2031-05-06T09:00:00+00:00"),
    Report("two", "Flood in Port Elsa\n\n" + STORY, source="Daily Two", published="2031-05-06T10:00:00+00:00"),
    Report("three", "Floodwater reached the old harbour district of Port Elsa on Thursday, residents said. "
           "The regional water board said the level was falling and had peaked in the morning.",
           source="Elsa Voice", published="2031-05-06T15:00:00+00:00"),
]


@pytest.fixture(scope="module")
def fast_result():
    checker = crosscheck.Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None), min_probability=None)
    return checker.check(WIRE_REPORTS)


def test_result_tables_carry_origins_and_positions(fast_result):
    res = fast_result
    assert list(res.sources.origin_id) == ["wire:Reuters", "wire:Reuters", "report:three"]
    assert res.sources.wire.iloc[0] == "Reuters" and res.sources.wire.isna().tolist() == [False, True, True]
    assert set(res.claims.origin_id) >= {"wire:Reuters"}
    copies = res.findings[res.findings.kind == "copy"]
    assert len(copies) and (copies.origin_a == copies.origin_b).all() and not copies.shown.any()
    assert res.agreements(include_hidden=True).kind.ne("copy").all()
    assert len(res.agreements(include_copies=True)) >= len(copies[copies.relation == "agree"])
    assert list(res.positions.columns) == POSITION_COLUMNS and len(res.positions)
    assert set(res.topics.consensus) <= set(crosscheck.positions.CONSENSUS)
    tid = res.topic_list[0].id
    timeline = res.timeline(tid)
    assert list(timeline.columns) == TIMELINE_COLUMNS and timeline.published.is_monotonic_increasing
    assert timeline.event.iloc[0] in ("new position", "update")
    q = res.question(tid)
    assert q.topic_id == tid and tid in str(q) and q.positions
    assert list(res.conflicts(include_hidden=True).columns) == CONFLICT_COLUMNS
    with pytest.raises(InputError, match=r"\[E402\]"):
        res.question("nope")


def test_schema_3_round_trip_and_schema_2_still_reads(fast_result):
    text = fast_result.to_json()
    data = json.loads(text)
    assert data["schema"] == 3 and data["positions"] and "consensus" in data["topics"][0]
    assert set(data["positions"][0]) == set(POSITION_COLUMNS)
    back = Result.from_json(text)
    assert back == fast_result and back.to_json() == text
    old = {k: v for k, v in data.items() if k not in ("origins", "positions")}
    old["schema"] = 2
    old["topics"] = [{k: v for k, v in t.items() if k not in ("consensus", "n_independent_sources",
                                                              "majority_position")} for t in data["topics"]]
    again = Result.from_json(json.dumps(old))
    assert again.origins.reports == fast_result.origins.reports
    assert [p.claim_ids for p in again.questions.positions] == [p.claim_ids for p in fast_result.questions.positions]


@pytest.mark.parametrize("damage", ["extra key", "bad status", "bad count", "unknown claim", "bad consensus"])
def test_schema_3_is_strict(fast_result, damage):
    data = json.loads(fast_result.to_json())
    p = data["positions"][0]
    if damage == "extra key":
        p["colour"] = "red"
    elif damage == "bad status":
        p["status"] = "winning"
    elif damage == "bad count":
        p["n_independent_sources"] += 1
    elif damage == "unknown claim":
        p["claim_ids"] = ["nobody:0"]
    else:
        data["topics"][0]["consensus"] = "unanimous"
    with pytest.raises(InputError):
        Result.from_json(json.dumps(data))


def test_overlapping_excerpts_of_one_story_share_a_story_and_shared_quotes_do_not():
    """Two excerpts of one story that overlap by two sentences (neither is most of the other) carry one story; two
    reports that only print one long quotation do not, and neither do two stories of one agency; an outlet
    reusing a story's paragraph months later is no copy either."""
    first, second, third = STORY.split(". ")[:3]
    quote = ("\u201cThe water is still rising. We will move everyone from the low streets before the evening and "
             "keep the schools closed,\u201d the mayor said.")
    market = ("Traders at the fish market of Port Elsa sold their catch from trucks on the square, and the harbour "
              "master counted the boats that had broken loose from their moorings during the night.")
    hall = ("At the sports hall volunteers handed out blankets and hot soup, and a doctor from the clinic checked "
            "the older residents who had spent the night on camp beds under the basketball hoops.")
    bridge = ("The engineers who inspected the railway bridge over the river found no damage to its piers, and "
              "the first trains crossed it again at noon at walking pace, the rail operator said.")
    museum = ("The town museum reopened its ground floor after the cleaners had dried the cellars, and its "
              "director thanked the students who had carried the old maps and paintings upstairs in time.")
    reports = [
        Report("x1", OTHER + "\n\n" + first + ". " + second + ".", source="Daily One",
               published="2031-05-06T09:00:00+00:00"),
        Report("x2", first + ". " + second + ". " + third + ".\n\n" + OWN, source="Daily Two",
               published="2031-05-06T11:00:00+00:00"),
        Report("q1", "PORT ELSA (Reuters) - " + market + "\n\n" + quote, source="Daily Three",
               published="2031-05-06T12:00:00+00:00"),
        Report("q2", "PORT ELSA (Reuters) - " + hall + "\n\n" + quote, source="Daily Four",
               published="2031-05-06T13:00:00+00:00"),
        Report("late", bridge + " " + museum + "\n\n" + first + ". " + second + ".", source="Daily Five",
               published="2031-09-06T13:00:00+00:00"),
    ]
    origins = OriginFinder()(reports, [])
    assert origins.stories["x1"] == origins.stories["x2"] == "story:x1"
    assert len({origins.stories[r] for r in ("x1", "q1", "q2", "late")}) == 4
    assert origins.reports["q1"] == origins.reports["q2"] == "wire:Reuters"  # one agency: one origin
    assert origins.reports["x1"] != origins.reports["x2"]  # the origins (independence) stay as they were
    assert OriginFinder(partial_words=500)(reports, []).stories["x2"] == "story:x2"
    with pytest.raises(InputError, match=r"\[E400\]"):
        OriginFinder(partial_days=-1)(reports, [])


def test_a_quotation_over_several_sentences_is_not_the_outlets_own_words():
    text = "\u201cWe moved everyone. The schools stay closed. The ferry will not run today,\u201d the mayor said on Monday."
    ((_, _, _, own),) = [u for u in OriginFinder(min_words=3).units(text) if u[3]][-1:]
    assert own == len("the mayor said on Monday".split())


def test_question_bcubed_counts_a_claim_outside_every_topic_as_its_own_and_votes_a_claims_question():
    from types import SimpleNamespace as NS

    from crosscheck.eval.origins import question_bcubed

    span = lambda r, s: NS(report=r, start=s, end=s + 5)  # noqa: E731
    # a:0 is in two "toll" pairs and one "cause" pair: its question is "toll"
    ev = NS(pairs=[NS(a=span("a", 0), b=span("b", 0), question="toll"), NS(a=span("a", 0), b=span("c", 0),
                                                                            question="toll"),
                   NS(a=span("a", 0), b=span("b", 10), question="cause"),
                   NS(a=span("b", 10), b=span("c", 10), question="cause")])
    claims = [NS(id=f"{r}:{s}", report_id=r, start=s, end=s + 5) for r in "abc" for s in (0, 10)]
    together = question_bcubed(ev, claims, [NS(claim_ids=("a:0", "b:0", "c:0"))])
    assert together["n"] == 5 and together["precision"] == 1.0 and together["recall"] < 1.0  # "cause" split in two
    merged = question_bcubed(ev, claims, [NS(claim_ids=("a:0", "b:0", "c:0", "b:10", "c:10"))])
    assert merged["recall"] == 1.0 and merged["precision"] < 1.0
