"""Property tests over every public entry point: whatever the input, a typed CrosscheckError or a valid result.

The inputs mix news-like sentences (numbers, negations, dates, quotes) with hostile text (lone surrogates, NUL and
other control characters, BOMs, huge offsets, wrong types). Model-backed properties share the session's models and
run few examples; the fast pipeline (hash embedder, rules only) takes the rest.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import crosscheck
from crosscheck import CrosscheckError, Report, Result, pipeline
from crosscheck.cli import junit, main
from crosscheck.judge import RuleJudge
from crosscheck.stances import STANCE_LABELS
from crosscheck.testing import HashEmbedder

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODEL = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SENTENCES = [
    "At least 300 people died in the flood on Monday.",
    "Officials said 250 people were killed.",
    "The ministry denied that the dam had collapsed.",
    "Nobody was hurt, the mayor said.",
    "The president did not resign.",
    "The president resigned on Sunday and left for Moscow.",
    "Rescuers found 12 survivors in Kherson.",
    "\u201cWe will rebuild,\u201d she said.",
    "The storm hit the coast two days ago.",
    "Dozens of houses were destroyed.",
    "Was the dam safe?",
    "BREAKING",
]
HOSTILE = [
    "\ud800",
    "\udfff",
    "\x00",
    "\x0b",
    "\x1b",
    "\ufeff",
    "\u2028",
    "\r\n",
    "\t",
    "  ",
    "\U0001f600",
    "\u0301",
    "<&>",
    '"',
    "\\",
    "\uffff",
    "\x85",
]

hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)), max_size=6).map("".join)
news_text = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3).map(" ".join)
report_text = st.one_of(news_text, news_text.flatmap(lambda t: hostile_text.map(lambda h: t + h)), hostile_text)


def mostly(good: st.SearchStrategy, bad: st.SearchStrategy, odds: int = 3) -> st.SearchStrategy:
    """``good`` about ``odds`` times in ``odds + 1``, else ``bad``: enough valid inputs that the results are tested,
    not only the errors."""
    # the bad draw is 1, not 0: Hypothesis favours the bounds of a range
    return st.tuples(st.integers(0, odds), good, bad).map(lambda t: t[2] if t[0] == 1 else t[1])


json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(), st.text(max_size=8), st.sampled_from(HOSTILE)
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6,
)
published = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "2024-12-08T14:00:00+03:00",
            "2024-12-08",
            "2024-12-08T14:00",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-12:00",
            "yesterday",
            "",
            "2024-02-30T00:00:00Z",
        ]
    ),
    json_scalar,
)


def fast_checker() -> crosscheck.Checker:
    return crosscheck.Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None))


def strict_json(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def assert_valid_report(r: Report) -> None:
    assert (
        isinstance(r, Report) and isinstance(r.id, str) and r.id.strip() and isinstance(r.text, str) and r.text.strip()
    )
    for value in (r.id, r.text, r.source, r.url, r.language):
        assert value is None or (isinstance(value, str) and not any(0xD800 <= ord(c) <= 0xDFFF for c in value))
    assert r.published is None or r.published.utcoffset() is not None
    strict_json(json.dumps(r.to_dict(), allow_nan=False))


def assert_valid_result(res: Result) -> None:
    """The invariants every result keeps: exact offsets, findings between existing claims of different reports,
    unique columns, strict JSON that reads back equal, well-formed JUnit XML."""
    texts = {r.id: r.text for r in res.reports}
    by_id = {c.id: c for c in res.claim_list}
    for r in res.reports:
        assert_valid_report(r)
    for c in res.claim_list:
        assert texts[c.report_id][c.start : c.end] == c.text
    for f in res.finding_list:
        assert f.relation in crosscheck.RELATIONS
        assert by_id[f.claim_a].report_id != by_id[f.claim_b].report_id
        assert math.isfinite(f.score) and math.isfinite(f.similarity)
    assert res.topics.columns.is_unique and res.claims.columns.is_unique
    text = res.to_json()
    strict_json(text)
    assert Result.from_json(text) == res
    ET.fromstring(junit(res, list(crosscheck.RELATIONS)).encode("utf-8"))
    res.summary(include_related=True)
    res.to_html(include_related=True)


def typed_or(fn, check) -> None:
    """``fn()`` raises a CrosscheckError, or its value passes ``check`` (``--hypothesis-show-statistics`` shows how
    many examples went each way)."""
    try:
        value = fn()
    except CrosscheckError as exc:
        code = re.search(r"\[E\d{3}\]", str(exc))
        event(f"typed {code.group() if code else type(exc).__name__}")
        return
    event("valid")
    check(value)


# ---- Report and its loaders -------------------------------------------------------------------------------------
@FAST
@given(
    rid=st.one_of(
        st.sampled_from(["tass-1", "r 2", "\u00e9"]), st.text(max_size=6), st.sampled_from(HOSTILE), json_scalar
    ),
    text=st.one_of(report_text, report_text, json_scalar),
    source=st.one_of(st.none(), st.none(), st.text(max_size=6), json_scalar),
    pub=published,
    url=st.one_of(st.none(), st.none(), st.text(max_size=6), json_scalar),
    language=st.one_of(st.just("en"), st.just("en"), json_scalar),
    metadata=mostly(
        st.dictionaries(st.text(max_size=4), st.one_of(st.text(max_size=4), st.integers()), max_size=2),
        st.one_of(st.none(), json_value, st.dictionaries(st.text(max_size=4), json_value, max_size=3)),
        7,
    ),
)
def test_report_construction(rid, text, source, pub, url, language, metadata):
    typed_or(
        lambda: Report(rid, text, source=source, published=pub, url=url, language=language, metadata=metadata),
        assert_valid_report,
    )


@FAST
@given(
    rid=st.text(min_size=1, max_size=6),
    text=report_text,
    source=st.one_of(st.none(), st.text(max_size=6)),
    pub=published,
    metadata=st.dictionaries(st.text(max_size=4), json_value, max_size=3),
)
def test_report_construction_of_plausible_fields(rid, text, source, pub, metadata):
    """The right types everywhere, hostile content: valid reports keep every invariant, the others are typed."""
    typed_or(lambda: Report(rid, text, source=source, published=pub, metadata=metadata), assert_valid_report)


record = st.dictionaries(
    st.sampled_from(["id", "text", "source", "published", "url", "language", "metadata", "extra"]),
    st.one_of(report_text, json_value, published),
    max_size=8,
)


@FAST
@given(data=st.one_of(record, json_value))
def test_report_from_dict(data):
    typed_or(lambda: Report.from_dict(data, id="fallback"), assert_valid_report)


def _lines(records: list[Any], raw: bytes) -> bytes:
    body = "".join(json.dumps(r, allow_nan=True) + "\n" for r in records).encode("utf-8", "surrogatepass")
    return body + raw


file_bytes = st.one_of(
    st.binary(max_size=60),
    st.lists(record, max_size=3).flatmap(lambda rs: st.binary(max_size=8).map(lambda b: _lines(rs, b))),
    report_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b"\xef\xbb\xbf" + b"Assad fled.", b"[{}]", b"{}", b"null", b"[1, 2]", b"\xff\xfe"]),
)


@FAST
@given(raw=file_bytes, suffix=st.sampled_from([".txt", ".jsonl", ".json"]))
def test_file_loaders(raw, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"in{suffix}"
        path.write_bytes(raw)
        typed_or(lambda: Report.from_file(path), assert_valid_report)
        typed_or(lambda: Report.from_jsonl(path), lambda reps: [assert_valid_report(r) for r in reps])
        typed_or(lambda: Report.from_json_file(path), lambda reps: [assert_valid_report(r) for r in reps])


@FAST
@given(records=st.lists(st.one_of(record, json_value), max_size=3))
def test_report_from_records_and_dataframe(records):
    import pandas as pd

    typed_or(lambda: Report.from_records(records), lambda reps: [assert_valid_report(r) for r in reps])
    frame_rows = [r for r in records if isinstance(r, dict)]
    typed_or(
        lambda: Report.from_dataframe(pd.DataFrame(frame_rows)), lambda reps: [assert_valid_report(r) for r in reps]
    )


# ---- check, compare, stance -------------------------------------------------------------------------------------
items = st.lists(st.one_of(report_text, record, st.sampled_from([None, 5, b"bytes", ["a"]])), max_size=4)


@FAST
@given(reports=st.one_of(items, st.lists(report_text, min_size=2, max_size=4), json_scalar))
def test_check_fast_pipeline(reports):
    typed_or(lambda: fast_checker().check(reports), assert_valid_result)


@FAST
@given(reports=st.lists(mostly(news_text, report_text, 7), min_size=2, max_size=4))
def test_check_fast_pipeline_of_news_like_reports(reports):
    typed_or(lambda: fast_checker().check(reports), assert_valid_result)


@pytest.fixture(scope="module")
def model_checker(checker):
    """The session's real pipeline (models loaded once)."""
    return checker


@MODEL
@given(reports=st.lists(report_text, min_size=2, max_size=3))
def test_check_real_models(model_checker, reports):
    typed_or(lambda: model_checker.check(reports), assert_valid_result)


@MODEL
@given(a=mostly(news_text, st.one_of(report_text, json_scalar)), b=mostly(news_text, report_text))
def test_compare_real_models(model_checker, a, b):
    with _default_is(model_checker):
        typed_or(lambda: crosscheck.compare(a, b), assert_valid_result)


@MODEL
@given(
    claim=mostly(news_text, st.one_of(report_text, json_scalar)),
    report=mostly(news_text, st.one_of(report_text, json_scalar)),
)
def test_stance_real_models(model_checker, claim, report):
    def valid(s):
        assert s.label in STANCE_LABELS
        assert all(math.isfinite(v) for v in s.scores.values())
        json.dumps(s.to_dict(), allow_nan=False)

    typed_or(lambda: crosscheck.stance(claim, report, checker=model_checker), valid)


@contextlib.contextmanager
def _default_is(checker: crosscheck.Checker):
    """``crosscheck.check``/``compare`` without options use this checker (no second copy of the models)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "default_checker", lambda: checker)
        yield


# ---- Result.from_json -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def valid_json():
    reps = [
        Report(
            "a",
            "At least 300 people died in the flood on Monday. The dam did not break.",
            published="2024-05-06T10:00:00+00:00",
            metadata={"k": [1, "x"]},
        ),
        Report("b", "Some 250 people died in the flood on Monday. The dam broke."),
    ]
    res = fast_checker().check(reps)
    assert res.finding_list and res.topic_list
    return json.loads(res.to_json())


@FAST
@given(text=st.one_of(st.text(max_size=40), json_value.map(json.dumps), st.binary(max_size=20)))
def test_from_json_of_any_text(text):
    typed_or(lambda: Result.from_json(text), assert_valid_result)


def _paths(d: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(d, dict):
        for k, v in d.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(d, list):
        for i, v in enumerate(d):
            out += _paths(v, (*prefix, i))
    return out


@FAST
@given(data=st.data())
def test_from_json_of_edited_results(valid_json, data):
    d = json.loads(json.dumps(valid_json))
    paths = _paths(d)[1:]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        action = data.draw(st.sampled_from(["replace", "delete", "shift", "duplicate"]))
        try:
            parent = d
            for key in path[:-1]:
                parent = parent[key]
            if action == "replace":
                parent[path[-1]] = data.draw(json_value)
            elif action == "delete":
                del parent[path[-1]]
            elif action == "shift" and isinstance(parent[path[-1]], int):
                parent[path[-1]] += data.draw(st.integers(-3, 3))
            elif action == "duplicate" and isinstance(parent, list):
                parent.append(json.loads(json.dumps(parent[path[-1]])))
        except (KeyError, IndexError, TypeError):
            pass  # an earlier edit removed this path
    text = json.dumps(d, allow_nan=True, ensure_ascii=data.draw(st.booleans()))
    typed_or(lambda: Result.from_json(text), assert_valid_result)


# ---- the command line, in-process -------------------------------------------------------------------------------
def _run_cli(argv: list[str], checker_factory) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline, "Checker", checker_factory)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: usage errors exit 2
                code = exc.code
    return code, out.getvalue(), err.getvalue()


def _cli_case(data, tmp: Path) -> list[str]:
    files = []
    for i in range(data.draw(st.integers(1, 3))):
        kind = data.draw(mostly(st.just("reports"), st.sampled_from(["file", "directory", "missing"]), 7))
        path = tmp / f"in{i}{data.draw(st.sampled_from(['.jsonl', '.json', '.txt', '']))}"
        if kind == "reports":  # mostly valid: news-like reports in the format the suffix says
            path = path.with_suffix(".jsonl")
            rows = data.draw(
                st.lists(
                    st.fixed_dictionaries(
                        {"text": mostly(news_text, report_text)},
                        optional={
                            "published": mostly(st.just("2024-12-08T14:00:00+03:00"), published),
                            "source": mostly(st.text(max_size=6), json_scalar),
                        },
                    ),
                    min_size=1,
                    max_size=3,
                )
            )
            path.write_text(
                "".join(json.dumps(dict(r, id=f"r{i}-{j}")) + "\n" for j, r in enumerate(rows)),
                encoding="utf-8",
                errors="surrogatepass",
            )
        elif kind == "file":
            path.write_bytes(data.draw(file_bytes))
        elif kind == "directory":
            path.mkdir()
        files.append(str(path))
    argv = ["check", *files]
    fmt = data.draw(mostly(st.sampled_from([None, "table", "json", "html", "junit"]), st.just("yaml"), 7))
    if fmt:
        argv += ["--format", fmt]
    output = data.draw(mostly(st.sampled_from([None, "file"]), st.sampled_from(["dir", "nofolder"]), 7))
    if output:
        argv += ["-o", str({"file": tmp / "out.txt", "dir": tmp, "nofolder": tmp / "no" / "out.txt"}[output])]
    for rel in data.draw(st.lists(mostly(st.sampled_from(crosscheck.RELATIONS), st.just("bogus"), 7), max_size=2)):
        argv += ["--fail-on", rel]
    if data.draw(st.booleans()):
        argv.append("--related")
    return argv


def _check_cli(code: int, out: str, err: str, argv: list[str], tmp: Path) -> None:
    assert code in (0, 1, 2), (code, err)
    found = re.search(r"\[E\d{3}\]", err)
    event(f"exit {code}" + (f" {found.group()}" if found else ""))
    if code == 2:
        assert "Traceback" not in err and err.strip() and (err.count("\n") == 1 or err.startswith("usage:")), err
        return
    assert "internal error" not in err
    text = (tmp / "out.txt").read_text(encoding="utf-8") if "-o" in argv else out
    fmt = argv[argv.index("--format") + 1] if "--format" in argv else "table"
    if fmt == "json":
        assert_valid_result(Result.from_json(text))
        strict_json(text)
    elif fmt == "junit":
        ET.fromstring(text.encode("utf-8"))


@FAST
@given(data=st.data())
def test_cli_fast_pipeline(data):
    real = pipeline.Checker
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        argv = _cli_case(data, tmp)
        code, out, err = _run_cli(argv, lambda **kw: real(embedder=HashEmbedder(), judge=RuleJudge(nli=None)))
        _check_cli(code, out, err, argv, tmp)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_cli_real_models(model_checker, data):
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        argv = _cli_case(data, tmp)
        code, out, err = _run_cli(argv, lambda **kw: model_checker)
        _check_cli(code, out, err, argv, tmp)
