"""Reliability: input validation, strict output formats, typed option errors, CLI exit codes, thread safety and side
effects. Most tests use the fast pipeline (hash embedder, rules only); the ones about models use the real ones."""

import datetime as dt
import json
import math
import os
import socket
import threading
import time
import tracemalloc
import xml.dom.minidom
import xml.etree.ElementTree as ET

import pytest

import crosscheck
from crosscheck import CrosscheckError, InputError, Report, ReportError, Result, pipeline
from crosscheck import data as data_module
from crosscheck.align import HybridAligner, TopKAligner
from crosscheck.cli import junit, main
from crosscheck.judge import RuleJudge
from crosscheck.result import STANCE_PREFIX, TOPIC_COLUMNS
from crosscheck.testing import HashEmbedder

from .conftest import EXAMPLES


def fast() -> crosscheck.Checker:
    """Rules only, hashed embeddings, every finding shown (these tests are about input and output, not thresholds)."""
    return crosscheck.Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None), min_probability=None)


def strict_json(text: str):
    """``json.loads`` that refuses NaN and Infinity, as strict parsers (and other languages) do."""

    def refuse(name):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


FLOOD = [
    Report(
        "a",
        "At least 300 people died in the flood on Monday. The dam broke at night.",
        published="2024-05-06T10:00:00+00:00",
    ),
    Report(
        "b",
        "Some 250 people died in the flood on Monday. The dam did not break.",
        published="2024-05-07T10:00:00+00:00",
    ),
]


# ---- 3: lone surrogates ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Assad\ud800 fled.", "\udfff", "Assad fled to Moscow.\udc80"])
def test_lone_surrogate_is_rejected_at_construction_with_report_and_position(text):
    with pytest.raises(ReportError, match=r"\[E307\]") as exc:
        Report("tass-1", text)
    pos = next(i for i, ch in enumerate(text) if 0xD800 <= ord(ch) <= 0xDFFF)
    assert "tass-1" in str(exc.value) and f"position {pos}" in str(exc.value)


def test_lone_surrogate_from_a_jsonl_escape(tmp_path):
    p = tmp_path / "s.jsonl"
    p.write_text('{"id": "x", "text": "Assad fled \\ud800 to Moscow."}\n', encoding="utf-8")
    with pytest.raises(ReportError, match=r"\[E307\].*position 11"):
        Report.from_jsonl(p)


def test_lone_surrogate_never_reaches_the_models():
    with pytest.raises(ReportError, match=r"\[E307\]"):
        crosscheck.check(["Assad fled.", "Assad \ud800 stayed."])
    with pytest.raises(ReportError, match=r"\[E307\]"):
        crosscheck.compare("Assad fled.", "Assad \ud800 stayed.")
    with pytest.raises(ReportError, match=r"\[E307\]"):
        crosscheck.stance("Assad \ud800 fled.", "Assad stayed in Damascus.")
    with pytest.raises(ReportError, match=r"\[E307\].*source"):
        Report("a", "Fine text.", source="TASS\ud800")


def test_a_valid_surrogate_pair_is_fine():
    assert Report("a", "A flag \U0001f1fa\U0001f1e6 was raised.").text.endswith("raised.")


# ---- 7: field types ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"metadata": "abc"}, "E309"),
        ({"metadata": [("a", 1)]}, "E309"),
        ({"metadata": 5}, "E309"),
        ({"source": 5}, "E308"),
        ({"url": ["x"]}, "E308"),
        ({"language": None}, "E308"),
        ({"metadata": {"tags": {1, 2}}}, "E310"),
        ({"metadata": {1: "a"}}, "E311"),
        ({"metadata": {"x": math.nan}}, "E312"),
        ({"metadata": {"x": [math.inf]}}, "E312"),
    ],
)
def test_bad_field_types_are_typed_errors(kwargs, code):
    with pytest.raises(ReportError, match=rf"\[{code}\]"):
        Report("a", "Some text.", **kwargs)


def test_string_metadata_in_a_record_is_a_typed_error():
    with pytest.raises(ReportError, match=r"\[E309\]"):
        Report.from_dict({"id": "a", "text": "Some text.", "metadata": "abc"})


def test_datetimes_in_metadata_become_iso_strings_and_round_trip():
    when = dt.datetime(2024, 12, 8, 14, 0, tzinfo=dt.timezone.utc)
    a = Report("a", FLOOD[0].text, metadata={"fetched": when, "day": dt.date(2024, 12, 8), "tags": ("x", "y")})
    assert a.metadata == {"fetched": "2024-12-08T14:00:00+00:00", "day": "2024-12-08", "tags": ["x", "y"]}
    res = fast().check([a, FLOOD[1]])
    back = Result.from_json(res.to_json())
    assert back == res and back.reports[0].metadata == a.metadata


def test_to_html_with_any_valid_source():
    res = fast().check([Report("a", FLOOD[0].text, source="A & <B>"), FLOOD[1]])
    assert "A &amp; &lt;B&gt;" in res.to_html(include_related=True)


@pytest.mark.parametrize(
    "published",
    [
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-12:00",
        "1600-01-01T00:00:00+00:00",
        "2300-01-01T00:00:00+00:00",
    ],
)
def test_extreme_dates_are_typed_errors(published):
    with pytest.raises(ReportError, match=r"\[E304\]"):
        Report("a", "Some text.", published=published)


def test_dates_inside_the_range_work_end_to_end():
    reps = [
        Report("a", FLOOD[0].text, published="1700-01-01T00:00:00+00:00"),
        Report("b", FLOOD[1].text, published="2262-01-01T00:00:00+00:00"),
    ]
    res = fast().check(reps)
    assert res.findings.published_b.notna().all() or res.findings.empty


# ---- 8: stance columns cannot shadow fixed columns --------------------------------------------------------------
def test_report_ids_named_like_topic_columns_do_not_shadow_them():
    reps = [
        Report(rid, text)
        for rid, text in zip(
            TOPIC_COLUMNS,
            [
                "At least 300 people died in the flood on Monday.",
                "Some 250 people died in the flood on Monday.",
                "Officials said 300 people died in the flood on Monday.",
                "Nobody died in the flood on Monday.",
            ],
        )
    ]
    res = fast().check(reps)
    topics = res.topics
    assert topics.columns.is_unique
    assert list(topics.columns) == TOPIC_COLUMNS + [STANCE_PREFIX + r.id for r in reps]
    assert len(res.topic_list) >= 1
    for row, t in zip(topics.itertuples(index=False), res.topic_list):
        assert row.label == t.label and row.topic_id == t.id
    assert set(topics[STANCE_PREFIX + "label"]) <= set(crosscheck.STANCES)


# ---- 9: output other tools must read ----------------------------------------------------------------------------
CONTROL = [
    Report("a", "At least 300 people\x0b died in the flood\x1b on Monday.", source="A\x0c"),
    Report("b", "Some 250 people died in the flood\x07 on Monday.", source="B"),
]


def test_junit_is_well_formed_with_control_characters():
    res = fast().check(CONTROL)
    assert any("\x0b" in c.text for c in res.claim_list)
    text = junit(res, list(crosscheck.RELATIONS))
    assert text.count("<testcase") >= 1
    xml.dom.minidom.parseString(text.encode("utf-8"))
    root = ET.fromstring(text.encode("utf-8"))
    failure = root.find("testcase/failure")
    assert failure is not None and "\\x0b" in failure.text


def test_json_is_strict_for_open_bounds_and_round_trips():
    res = fast().check(FLOOD)
    assert any(q.high == math.inf for c in res.claim_list for q in c.quantities)
    text = res.to_json()
    strict_json(text)
    back = Result.from_json(text)
    assert back == res
    assert [q.high for c in back.claim_list for q in c.quantities] == [
        q.high for c in res.claim_list for q in c.quantities
    ]


def test_cli_json_is_strict(tmp_path, monkeypatch, capsys):
    _use_fast_checker(monkeypatch)
    path = tmp_path / "flood.jsonl"
    path.write_text("".join(json.dumps(r.to_dict()) + "\n" for r in FLOOD), encoding="utf-8")
    assert main(["check", str(path), "--format", "json"]) == 0
    strict_json(capsys.readouterr().out)
    out = tmp_path / "o.xml"
    ctl = tmp_path / "ctl.jsonl"
    ctl.write_text("".join(json.dumps(r.to_dict()) + "\n" for r in CONTROL), encoding="utf-8")
    assert main(["check", str(ctl), "--format", "junit", "-o", str(out), "--fail-on", "contradict"]) in (0, 1)
    ET.fromstring(out.read_bytes())


# ---- 10: Result.from_json validates its input ------------------------------------------------------------------
def _mutations():
    def claim(key, value):
        return lambda d: d["claims"][0].__setitem__(key, value)

    return {
        "missing key": (lambda d: d["claims"][0].pop("text"), "E320"),
        "extra key": (claim("bogus", 1), "E320"),
        "extra top-level key": (lambda d: d.__setitem__("extra", []), "E320"),
        "wrong type": (claim("negated", "no"), "E320"),
        "string offset": (claim("start", "0"), "E320"),
        "bool offset": (claim("start", True), "E320"),
        "None list": (lambda d: d.__setitem__("claims", None), "E320"),
        "None claim": (lambda d: d["claims"].__setitem__(0, None), "E320"),
        "edited text": (lambda d: d["claims"][0].__setitem__("text", d["claims"][0]["text"][:-1] + "?"), "E321"),
        "shifted offsets": (
            lambda d: (
                d["claims"][0].__setitem__("start", d["claims"][0]["start"] + 1),
                d["claims"][0].__setitem__("end", d["claims"][0]["end"] + 1),
            ),
            "E321",
        ),
        "offset past the end": (claim("end", 10**6), "E321"),
        "relation bogus": (lambda d: d["findings"][0].__setitem__("relation", "bogus"), "E320"),
        "stance bogus": (lambda d: d["topics"][0]["stances"].__setitem__("a", "maybe"), "E320"),
        "duplicate report ids": (lambda d: d["reports"].append(dict(d["reports"][0])), "E021"),
        "duplicate claim ids": (lambda d: d["claims"].append(dict(d["claims"][0])), "E323"),
        "unknown claim in finding": (lambda d: d["findings"][0].__setitem__("claim_a", "nowhere:1"), "E322"),
        "unknown report of claim": (claim("report_id", "nowhere"), "E322"),
        "NaN score": (lambda d: d["findings"][0].__setitem__("score", float("nan")), "E320"),
        "bad quantity": (lambda d: d["claims"][0]["quantities"][0].pop("low"), "E320"),
        "schema": (lambda d: d.__setitem__("schema", 4), "E041"),
    }


@pytest.fixture(scope="module")
def flood_dict():
    res = fast().check(FLOOD)
    d = json.loads(res.to_json())
    assert d["findings"] and d["topics"] and d["claims"][0]["quantities"]
    return d


@pytest.mark.parametrize("name", list(_mutations()))
def test_from_json_rejects_broken_input_with_a_typed_error(flood_dict, name):
    mutate, code = _mutations()[name]
    d = json.loads(json.dumps(flood_dict))
    mutate(d)
    with pytest.raises(InputError, match=rf"\[{code}\]"):
        Result.from_json(json.dumps(d))


@pytest.mark.parametrize("text", [None, 5, "null", "[]", "{}", '{"schema": 1}', "NaN", "{", b"\xff"])
def test_from_json_of_non_results(text):
    with pytest.raises(InputError):
        Result.from_json(text)


# ---- 11: option errors --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [None, 5, 3.5, object()])
def test_check_of_a_non_collection_is_typed(value):
    with pytest.raises(InputError, match=r"\[E313\]"):
        crosscheck.check(value)


def test_unknown_keyword_options_name_the_option():
    for call in (
        lambda: crosscheck.check(["A b.", "C d."], bogus=1),
        lambda: crosscheck.compare("A b.", "C d.", bogus=1),
        lambda: crosscheck.stance("A b.", "C d.", bogus=1),
        lambda: crosscheck.stance_many([("A b.", "C d.")], bogus=1),
    ):
        with pytest.raises(InputError, match=r"\[E314\].*'bogus'"):
            call()


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: TopKAligner(min_similarity="x"), "min_similarity"),
        (lambda: TopKAligner(k=0), "k"),
        (lambda: TopKAligner(chunk_size=None), "chunk_size"),
        (lambda: HybridAligner(stem="3"), "stem"),
        (lambda: HybridAligner(key_similarity=True), "key_similarity"),
        (lambda: crosscheck.StanceDetector(top_k="3"), "top_k"),
        (lambda: crosscheck.StanceDetector(nli_floor=2.0), "nli_floor"),
    ],
)
def test_bad_option_values_name_the_option(make, name):
    with pytest.raises(InputError, match=rf"\[E030\] {name} must be"):
        make()


def test_profile_errors_are_typed(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[E317\].*bad\.json"):
        crosscheck.Checker(profile=str(bad)).stages()
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match=r"\[E318\]"):
        crosscheck.Checker(profile=listed).stages()
    with pytest.raises(InputError, match=r"\[E319\]"):
        crosscheck.Checker(profile=5).stages()
    with pytest.raises(InputError, match=r"\[E050\]"):
        crosscheck.Checker(profile=tmp_path).stages()


def test_stance_pairs_must_be_pairs():
    with pytest.raises(InputError, match=r"\[E324\]"):
        crosscheck.stance_many(["just a string"])
    with pytest.raises(InputError, match=r"\[E324\]"):
        crosscheck.stance_many(5)


# ---- 12: Checker.stages() publishes a complete dict --------------------------------------------------------------
def test_stages_are_complete_under_threads(monkeypatch):
    real = pipeline.RuleExtractor

    class SlowExtractor(real):
        def __init__(self, *args, **kwargs):
            time.sleep(0.3)  # the window in which a half-built dict used to be visible
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(pipeline, "RuleExtractor", SlowExtractor)
    checker = crosscheck.Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None))
    seen, failures = [], []

    def call():
        try:
            st = checker.stages()
            seen.append(st)
            st["extractor"]  # noqa: B018 - the KeyError of the race
        except Exception as exc:  # noqa: BLE001
            failures.append(exc)

    threads = [threading.Thread(target=call) for _ in range(8)]
    threads[0].start()
    time.sleep(0.1)
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(seen) == 8 and all(st is seen[0] for st in seen)
    assert set(seen[0]) == set(pipeline.STAGES) and isinstance(seen[0]["extractor"], SlowExtractor)


def test_a_failed_build_publishes_nothing():
    checker = crosscheck.Checker(judge=42)
    for _ in range(2):
        with pytest.raises(InputError, match=r"\[E051\]"):
            checker.stages()
    assert "_built" not in checker.__dict__


# ---- 13: no change to the caller's environment, no network ------------------------------------------------------
def test_a_check_leaves_the_environment_alone_and_never_reaches_the_network(monkeypatch):
    import sentence_transformers  # noqa: F401 - these set variables of their own on import
    import torch  # noqa: F401
    import transformers  # noqa: F401

    from crosscheck.embed import MiniLMEmbedder
    from crosscheck.judge import CrossEncoderNLI

    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    before = dict(os.environ)
    # fresh model objects: the loading code runs inside this test
    checker = crosscheck.Checker(embedder=MiniLMEmbedder(), judge=RuleJudge(nli=CrossEncoderNLI()))
    res = checker.check(FLOOD)
    assert len(res.claim_list) == 4
    assert dict(os.environ) == before
    assert attempts == []


# ---- 4: CLI exit codes -----------------------------------------------------------------------------------------------
def _use_fast_checker(monkeypatch):
    """The CLI builds its Checker from crosscheck.pipeline at call time; give it the fast one."""
    real = pipeline.Checker
    monkeypatch.setattr(pipeline, "Checker", lambda **kw: real(embedder=HashEmbedder(), judge=RuleJudge(nli=None),
                                                               min_probability=kw.get("min_probability", "fitted")))


def _cli(argv, capsys):
    code = main(argv)
    err = capsys.readouterr().err
    return code, err


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


GOOD = {"id": "b", "text": "Assad stayed in Damascus."}


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("directory", "E010"),        # a folder is read (recursively): here its bad.json fails
        ("directory.jsonl", "E446"),  # a folder without report files, whatever its name
        ("directory.json", "E446"),
        ("missing.json", "E011"),
        ("missing.jsonl", "E011"),
        ("missing.txt", "E011"),
        ("output is a directory", "E325"),
        ("output folder missing", "E325"),
        ("source 5", "E308"),
        ("metadata string", "E309"),
        ("year 9999", "E304"),
        ("year 1", "E304"),
        ("bad json", "E010"),
        ("surrogate", "E307"),
    ],
)
def test_cli_failures_exit_2_with_one_line(tmp_path, monkeypatch, capsys, case, code):
    _use_fast_checker(monkeypatch)
    good = _jsonl(tmp_path / "good.jsonl", [{"id": "a", "text": "Assad fled to Moscow."}, GOOD])
    argv = {
        "directory": ["check", str(tmp_path)],
        "directory.jsonl": ["check", str((tmp_path / "d.jsonl").mkdir() or tmp_path / "d.jsonl")],
        "directory.json": ["check", str((tmp_path / "d.json").mkdir() or tmp_path / "d.json")],
        "missing.json": ["check", str(tmp_path / "nothere.json"), good],
        "missing.jsonl": ["check", str(tmp_path / "nothere.jsonl"), good],
        "missing.txt": ["check", str(tmp_path / "nothere.txt"), good],
        "output is a directory": ["check", good, "-o", str(tmp_path)],
        "output folder missing": ["check", good, "-o", str(tmp_path / "no" / "out.txt")],
        "source 5": ["check", _jsonl(tmp_path / "s.jsonl", [{"id": "a", "text": "A b.", "source": 5}, GOOD])],
        "metadata string": [
            "check",
            _jsonl(tmp_path / "m.jsonl", [{"id": "a", "text": "A b.", "metadata": "x"}, GOOD]),
        ],
        "year 9999": [
            "check",
            _jsonl(tmp_path / "y.jsonl", [{"id": "a", "text": "A b.", "published": "9999-12-31T23:59:59-12:00"}, GOOD]),
        ],
        "year 1": [
            "check",
            _jsonl(
                tmp_path / "y1.jsonl", [{"id": "a", "text": "A b.", "published": "0001-01-01T00:00:00+14:00"}, GOOD]
            ),
        ],
        "bad json": ["check", str(_write(tmp_path / "bad.json", "[{"))],
        "surrogate": ["check", str(_write(tmp_path / "sur.jsonl", '{"id": "a", "text": "A \\udc00 b."}\n')), good],
    }[case]
    rc, err = _cli(argv, capsys)
    assert rc == 2
    assert err.count("\n") == 1 and err.startswith("crosscheck: error: ") and f"[{code}]" in err
    assert "Traceback" not in err


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_checks_the_output_before_any_work(tmp_path, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(crosscheck.cli, "load_inputs", lambda paths: calls.append(paths) or [])
    rc, err = _cli(["check", str(EXAMPLES / "assad.jsonl"), "-o", str(tmp_path)], capsys)
    assert rc == 2 and "[E325]" in err and calls == []


def test_cli_internal_errors_exit_2_with_one_line(tmp_path, monkeypatch, capsys):
    def boom(self, reports, **options):
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(pipeline.Checker, "check", boom)
    _use_fast_checker(monkeypatch)
    good = _jsonl(tmp_path / "good.jsonl", [{"id": "a", "text": "Assad fled to Moscow."}, GOOD])
    rc, err = _cli(["check", good], capsys)
    assert rc == 2 and err.count("\n") == 1 and "RuntimeError" in err and "something broke" in err


def test_cli_fail_on_still_exits_1(tmp_path, monkeypatch, capsys):
    _use_fast_checker(monkeypatch)
    path = _jsonl(tmp_path / "flood.jsonl", [r.to_dict() for r in FLOOD])
    out = tmp_path / "out.txt"
    assert main(["check", path, "-o", str(out)]) == 0
    fail_on = [arg for rel in crosscheck.RELATIONS for arg in ("--fail-on", rel)]
    assert main(["check", path, "-o", str(out), "--min-probability", "0", *fail_on]) == 1
    assert "crosscheck:" in out.read_text(encoding="utf-8")


# ---- size limits: checked before the file is decoded ------------------------------------------------------------
def test_an_oversized_text_file_is_refused_from_its_size(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: costs no disk, but reading it would cost 8 MB
        fh.truncate(data_module.MAX_TEXT_FILE_BYTES + 1)
    tracemalloc.start()
    try:
        with pytest.raises(ReportError, match=r"\[E306\]"):
            Report.from_file(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_an_oversized_jsonl_line_is_refused_before_decoding(tmp_path, monkeypatch):
    monkeypatch.setattr(data_module, "MAX_JSONL_LINE_BYTES", 1000)
    p = tmp_path / "r.jsonl"
    p.write_text(
        json.dumps({"id": "a", "text": "ok " * 10}) + "\n" + json.dumps({"id": "b", "text": "x" * 5000}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ReportError, match=r"\[E306\].*r\.jsonl:2"):
        Report.from_jsonl(p)


def test_jsonl_errors_keep_their_line_and_byte(tmp_path):
    p = tmp_path / "r.jsonl"
    raw = b'\xef\xbb\xbf{"id": "a", "text": "One."}\n{"id": "b", "text": "Caf\xe9"}\n'
    p.write_bytes(raw)
    pos = raw.index(b"\xe9")
    with pytest.raises(ReportError, match=rf"\[E012\].*byte {pos}\)"):
        Report.from_jsonl(p)
    p.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "One."}\n\n{"text": "Two."}\n')
    assert [r.id for r in Report.from_jsonl(p)] == ["a", "r-3"]


def test_a_json_file_loads_like_the_cli(tmp_path):
    p = _write(tmp_path / "two.json", json.dumps([{"text": "One thing."}, {"id": "x", "text": "Other thing."}]))
    assert [r.id for r in Report.from_json_file(p)] == ["two-1", "x"]
    with pytest.raises(CrosscheckError, match=r"\[E010\].*two\.json:1"):
        Report.from_json_file(_write(tmp_path / "two.json", "[{]"))


def test_to_json_refuses_a_nan_left_by_a_stage():
    import dataclasses

    res = fast().check(FLOOD)
    claim = res.claim_list[0]
    bad = dataclasses.replace(claim, quantities=(dataclasses.replace(claim.quantities[0], value=math.nan),))
    res.claim_list[0] = bad
    with pytest.raises(InputError, match=r"\[E336\]"):
        res.to_json()
