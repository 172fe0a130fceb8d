"""The probe set (tests/data/probes/*.jsonl, written for crosscheck): numbers, dates and places as the extractor
reads them, and pairs of claims the rule-level judge must (or must not) call a number, date or place conflict."""

from __future__ import annotations

import datetime as dt
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from crosscheck.data import Claim, Report
from crosscheck.extract import RuleExtractor
from crosscheck.extract.places import place_mentions
from crosscheck.extract.times import times_of
from crosscheck.judge import RuleJudge
from crosscheck.places import Gazetteer
from crosscheck.segment import RuleSegmenter

PROBES = Path(__file__).parent / "data" / "probes"
SLOT_KINDS = ("number", "date", "place")


def _load(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (PROBES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _params(name: str) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in _load(name)]


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    return Gazetteer()


def _claim(spec: dict[str, Any], rid: str) -> Claim:
    report = Report(rid, spec["text"], source=spec.get("source"), published=spec.get("published"))
    claims = RuleExtractor(gazetteer=_gazetteer())(report, RuleSegmenter()(report))
    assert len(claims) == 1, f"probe text should be one claim: {spec['text']!r}"
    return claims[0]


def test_probe_set_is_large_and_well_formed() -> None:
    cases = [c for name in ("numbers.jsonl", "dates.jsonl", "places.jsonl", "pairs.jsonl") for c in _load(name)]
    assert len(cases) >= 150
    assert len({c["id"] for c in cases}) == len(cases)
    assert all(c.get("pattern") and "expected" in c for c in cases)
    pairs = _load("pairs.jsonl")
    assert sum(p["expected"]["conflict"] is None for p in pairs) >= 10  # must-not-conflict cases
    assert all(sum(p["expected"]["conflict"] == k for p in pairs) >= 3 for k in SLOT_KINDS)  # and real conflicts


@pytest.mark.parametrize("case", _params("numbers.jsonl"))
def test_number_probe(case: dict[str, Any]) -> None:
    from crosscheck.extract.quantities import quantities_of
    from crosscheck.parse import main_predicates

    (pred,) = main_predicates([case["text"]])
    got = quantities_of(case["text"], pred.counts)
    want = case["expected"]
    assert len(got) == len(want), [q.text for q in got]
    for q, w in zip(got, want):
        high = math.inf if w["high"] == "inf" else w["high"]
        assert q.value == pytest.approx(w["value"]) and q.low == pytest.approx(w["low"]), q
        assert q.high == pytest.approx(high), q
        assert (q.unit, q.role) == (w["counts"], w["role"]), q


@pytest.mark.parametrize("case", _params("dates.jsonl"))
def test_date_probe(case: dict[str, Any]) -> None:
    got = times_of(case["text"], dt.datetime.fromisoformat(case["published"]))
    want = case["expected"]
    assert len(got) == len(want), got
    for t, w in zip(got, want):
        for key, value in w.items():
            assert getattr(t, key) == value, (key, t)


@pytest.mark.parametrize("case", _params("places.jsonl"))
def test_place_probe(case: dict[str, Any]) -> None:
    gaz = _gazetteer()
    if case["check"] == "compatible":
        assert gaz.compatible(case["a"], case["b"]) is case["expected"]
        assert gaz.compatible(case["b"], case["a"]) is case["expected"]  # symmetric
        return
    got = [{"name": m.name, "role": m.role} for m in place_mentions(case["text"], gaz)]
    assert got == case["expected"]


@pytest.mark.parametrize("case", _params("pairs.jsonl"))
def test_pair_probe(case: dict[str, Any]) -> None:
    a, b = _claim(case["a"], "a"), _claim(case["b"], "b")
    judge = RuleJudge(nli=None, gazetteer=_gazetteer())
    finding = judge.judge_pair(a, b, case["similarity"])
    want = case["expected"]
    if want["conflict"] is None:
        assert finding.kind not in SLOT_KINDS, finding.reason
    else:
        assert finding.kind == want["conflict"], finding.reason
    if "relation" in want:
        assert finding.relation == want["relation"], finding.reason
    assert judge.judge_pair(b, a, case["similarity"]) == finding  # symmetric
