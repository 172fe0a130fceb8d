"""The real-news scorer, audit and benchmark format, on a small event written in our own words (tests/data/news)."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from crosscheck.cli import main
from crosscheck.data import Claim, Finding
from crosscheck.errors import DatasetError
from crosscheck.eval import news
from crosscheck.eval.newsdata import Span, load_benchmark, load_event, report_text, span_hash
from crosscheck.result import Result

from .conftest import ROOT

TOY = ROOT / "tests" / "data" / "news"
BENCH = ROOT / "benchmarks" / "news"


@pytest.fixture(scope="module")
def toy():
    return load_event(TOY, "toy-flood")


def _claim(event, rid: str, text: str, cid: str, *, speaker: str = "", attributed: bool = False) -> Claim:
    body = next(r for r in event.reports if r.id == rid).text
    start = body.index(text)
    return Claim(cid, rid, start, start + len(text), text, text, speaker or rid, attributed, "asserted", False)


def _fake_result(event, pairs: list[tuple[Claim, Claim, str]]) -> Result:
    claims = list({c.id: c for a, b, _ in pairs for c in (a, b)}.values())
    findings = [Finding(f"{a.id}~{b.id}", rel, "none", 0.9, "test", a.id, b.id, 0.8) for a, b, rel in pairs]
    return Result(event.reports, claims, findings, [])


def test_report_text_strips_the_date_marker_only():
    assert report_text(" date 2031-04-02 Text here. ") == ("Text here.", "2031-04-02")
    assert report_text("A date 2031-04-02 inside.") == ("A date 2031-04-02 inside.", None)


def test_load_event_checks_hashes(toy):
    assert len(toy.reports) == 3 and len(toy.pairs) == 6 and len(toy.speakers) == 3
    for p in toy.pairs:
        for span in (p.a, p.b):
            assert span_hash(toy.text_of(span)) == span.sha256
    assert toy.reports[0].published.isoformat() == "2031-04-02T08:00:00+00:00"


def test_tampered_or_missing_text_is_a_dataset_error(tmp_path):
    shutil.copytree(TOY, tmp_path / "bench")
    saved = tmp_path / "bench" / "texts" / "toy-flood" / "toy-wire-1.json"
    d = json.loads(saved.read_text())
    d["excerpt"] = d["excerpt"].replace("19", "21")
    saved.write_text(json.dumps(d))
    with pytest.raises(DatasetError, match="E214"):
        load_event(tmp_path / "bench", "toy-flood")
    saved.unlink()
    with pytest.raises(DatasetError, match="E213.*search for 'toy'"):
        load_event(tmp_path / "bench", "toy-flood")


def test_shifted_gold_span_is_rejected(tmp_path):
    shutil.copytree(TOY, tmp_path / "bench")
    gold = tmp_path / "bench" / "events" / "toy-flood" / "gold.jsonl"
    rows = [json.loads(line) for line in gold.read_text().splitlines()]
    rows[0]["a"]["start"] += 1
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(DatasetError, match="E215"):
        load_event(tmp_path / "bench", "toy-flood")


def test_overlap_rule_is_half_of_the_shorter_span():
    span = Span("r", 10, 30, "")
    assert news.overlaps(10, 30, span)
    assert news.overlaps(0, 20, span)       # 10 shared of the shorter 20
    assert not news.overlaps(0, 19, span)   # 9 shared of 19
    assert news.overlaps(12, 16, span)      # a short claim inside the gold span
    assert not news.overlaps(30, 40, span)


def test_scorer_counts_against_known_findings(toy):
    c = {
        "h_toll": _claim(toy, "toy-herald-1", "At least 12 people died in the flooding", "h1"),
        "c_toll": _claim(toy, "toy-courier-1", "The death toll from the Orrin barrage collapse rose to 19, "
                         "according to the regional governor.", "c1", speaker="the regional governor", attributed=True),
        "h_blame": _claim(toy, "toy-herald-1", "Officials blamed the Northern Front for the blast.", "h2",
                          speaker="Officials", attributed=True),
        "c_deny": _claim(toy, "toy-courier-1", "The Northern Front denied any role", "c2"),
        "h_evac": _claim(toy, "toy-herald-1", "About 3,000 residents were evacuated from low-lying villages.", "h3"),
        "w_lisk": _claim(toy, "toy-wire-1", "The town of Lisk, population 40,000, lies below the barrage.", "w1"),
        "w_gov": _claim(toy, "toy-wire-1", "Governor Mara Quint said 19 people were confirmed dead.", "w2",
                        speaker="Mara Quint", attributed=True),
    }
    # toll pair right (update), blame pair wrong (contradict), the population hard negative flagged as a conflict,
    # the Courier/Wire toll pair reversed in order (agree, right); two gold agree pairs left unaligned.
    res = _fake_result(toy, [(c["h_toll"], c["c_toll"], "update"), (c["c_deny"], c["h_blame"], "contradict"),
                             (c["h_evac"], c["w_lisk"], "contradict"), (c["w_gov"], c["c_toll"], "agree")])
    m = news.score_event(toy, res, 1.0)
    assert m["n_gold"] == 6
    assert m["aligned"] == round(4 / 6, 4)
    assert m["relation_accuracy"] == round(2 / 6, 4)
    assert m["relation_accuracy_aligned"] == 0.5
    assert m["confusion"]["agree"]["unaligned"] == 2 and m["confusion"]["disputed"]["contradict"] == 1
    assert m["conflict_recall"] == 1.0        # the update and the disputed pair are both found as conflicts
    assert m["related_as_conflict"] == {"n": 1, "share": 1.0}
    assert m["agree_as_conflict"]["n"] == 0
    assert m["per_relation"]["update"] == {"recall": 1.0, "aligned": 1.0, "support": 1}
    assert m["conflicts_per_report"] == 1.0   # 3 conflict findings over 3 reports
    # speakers: herald toll claim is not attributed here (wrong), the wire claim names Mara Quint (right),
    # the evacuation claim is the outlet's own (right)
    assert m["n_speakers"] == 3 and m["speaker_accuracy"] == round(2 / 3, 4)


def test_audit_round_trip_keeps_no_text(toy, tmp_path):
    a = _claim(toy, "toy-herald-1", "Officials blamed the Northern Front for the blast.", "x1")
    b = _claim(toy, "toy-courier-1", "The Northern Front denied any role", "x2")
    e = _claim(toy, "toy-herald-1", "About 3,000 residents were evacuated from low-lying villages.", "x3")
    f = _claim(toy, "toy-wire-1", "The town of Lisk, population 40,000, lies below the barrage.", "x4")
    runs = [(toy, _fake_result(toy, [(a, b, "disputed"), (e, f, "contradict")]), 0.0)]
    rows = news.audit_sample(runs, 5, seed=1)
    assert sorted(r["predicted"] for r in rows) == ["contradict", "disputed"]
    table = tmp_path / "audit.csv"
    news.write_table(rows, table, news.AUDIT_COLUMNS)
    filled = list(csv.DictReader(table.open()))
    for r in filled:
        r["label"] = "disputed" if r["predicted"] == "disputed" else "related"
        r["cause"] = "" if r["predicted"] == "disputed" else "numbers_count_different_things"
    news.write_table(filled, table, news.AUDIT_COLUMNS)
    labels = tmp_path / "labels.csv"
    assert news.merge_labels(table, labels) == 2
    assert news.merge_labels(table, labels) == 0            # merging again changes nothing
    stored = labels.read_text()
    assert "Northern Front" not in stored and "Lisk" not in stored
    assert next(csv.reader(labels.open())) == news.LABEL_COLUMNS
    # a later run with other claim ids but the same spans finds its labels again
    a2, b2 = (Claim(**{**x.__dict__, "id": x.id + "-new"}) for x in (a, b))
    later = [(toy, _fake_result(toy, [(b2, a2, "disputed"), (e, f, "contradict")]), 0.0)]
    prec = news.audit_precision(later, news.read_labels(labels))
    assert prec["per_relation"]["disputed"] == {"precision": 1.0, "labelled": 1}
    assert prec["per_relation"]["contradict"] == {"precision": 0.0, "labelled": 1}
    assert prec["true_label_by_predicted"]["contradict"] == {"related": 1}
    assert prec["wrong"] == 1 and prec["causes"] == {"numbers_count_different_things": 1}
    again = news.audit_sample(later, 5, seed=1, labels=news.read_labels(labels))
    assert all(r["label"] for r in again)


@pytest.mark.parametrize("field,value", [("label", "x"), ("cause", "bad-cause")])
def test_bad_audit_label_is_rejected(tmp_path, field, value):
    path = tmp_path / "labels.csv"
    row = {k: "" for k in news.LABEL_COLUMNS} | {"key": "k", "label": "related", field: value}
    news.write_table([row], path, news.LABEL_COLUMNS)
    with pytest.raises(DatasetError, match="E217"):
        news.read_labels(path)


def test_cli_eval_news_end_to_end(tmp_path, capsys):
    """The real pipeline on the toy event, through the command line, with an audit draw."""
    out, table = tmp_path / "news.json", tmp_path / "audit.csv"
    assert main(["eval", "news", "--data", str(TOY), "--json", str(out), "--audit", "3", "--audit-out", str(table),
                 "--labels", str(tmp_path / "labels.csv"), "--no-progress"]) == 0
    m = json.loads(out.read_text())
    assert set(m) >= {"dataset", "split", "n", "seconds", "events", "pooled"}
    pooled = m["pooled"]
    assert pooled["n_gold"] == 6 and pooled["n_reports"] == 3
    assert sum(sum(row.values()) for row in pooled["confusion"].values()) == 6
    assert 0.0 <= pooled["aligned"] <= 1.0 and pooled["n_claims"] > 0
    assert m["events"]["toy-flood"]["n_gold"] == 6
    rows = list(csv.DictReader(table.open()))
    assert rows and all(r["text_a"] and r["label"] == "" for r in rows)
    assert "audit" in capsys.readouterr().out or rows


def test_cli_audit_needs_an_output_path(capsys):
    assert main(["eval", "news", "--data", str(TOY), "--audit", "3"]) == 2
    assert "E066" in capsys.readouterr().err


def test_development_benchmark_meets_its_targets():
    """The real-news benchmark (texts rebuilt from the recipe; skipped where they are absent)."""
    if not (BENCH / "texts").is_dir():
        pytest.skip("real-news texts not rebuilt here (see benchmarks/news/README.md)")
    try:
        events = load_benchmark(BENCH)
    except DatasetError as exc:
        pytest.skip(f"real-news benchmark incomplete here: {exc}")
    assert len(events) >= 4
    for ev in events:
        assert len(ev.reports) >= 20 and len({r.source for r in ev.reports}) >= 10
        assert len({r.published.date() for r in ev.reports}) >= 3
        assert len(ev.pairs) >= 60
        assert sum(p.relation == "related" for p in ev.pairs) >= 0.2 * len(ev.pairs)
    assert sum(len(ev.pairs) for ev in events) >= 250
    assert sum(1 for ev in events for s in ev.speakers if s.speaker is not None) >= 100


def test_cli_audit_in_missing_file_is_a_typed_error(tmp_path, capsys):
    assert main(["eval", "news", "--data", str(TOY), "--audit-in", str(tmp_path / "nope.csv")]) == 2
    assert "E065" in capsys.readouterr().err
