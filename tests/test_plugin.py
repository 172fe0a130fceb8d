"""The pytest plugin and the CI outputs: assert_consistent, assert_no_new_conflicts with golden files,
--crosscheck-update-golden, JUnit XML by topic, GitHub annotations (issue 15, CI)."""

from __future__ import annotations

import json
import shutil
import sys
import xml.etree.ElementTree as ET

import pytest

from crosscheck import Checker, InputError, Report, pipeline
from crosscheck.cli import main
from crosscheck.inputs import read_inputs
from crosscheck.judge import RuleJudge
from crosscheck.testing import (
    HashEmbedder,
    assert_consistent,
    assert_no_new_conflicts,
    claim_key,
    formats,
    github_annotations,
    junit,
)

from .conftest import EXAMPLES, ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = None

FLOOD = [
    Report("wire", "At least 300 people died in the flood on Monday, officials said.", source="River Wire",
           published="2025-05-06T09:00:00+00:00"),
    Report("daily", "Officials said 40 people died in the flood on Monday.", source="Valley Daily",
           published="2025-05-06T15:00:00+00:00"),
]


def fast() -> Checker:
    return Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None), min_probability=0)


@pytest.fixture
def plugin_args(pytestconfig) -> list[str]:
    """Installed, the entry point loads the plugin in every pytest run; from a bare checkout, ask for it."""
    return [] if pytestconfig.pluginmanager.has_plugin("crosscheck") else ["-p", "crosscheck.testing.plugin"]


# ---- the assertions, directly ---------------------------------------------------------------------------------------
def test_assert_consistent_quotes_both_spans_outlets_and_the_reason():
    with pytest.raises(AssertionError) as exc:
        assert_consistent(FLOOD, checker=fast())
    text = str(exc.value)
    for part in ("1 conflict(s)", "contradict (number", "River Wire (wire [0:", "Valley Daily (daily [0:",
                 '"At least 300 people died in the flood on Monday, officials said."',
                 '"Officials said 40 people died in the flood on Monday."', "'At least 300 people' vs '40 people'"):
        assert part in text, part
    result = assert_consistent(FLOOD, allow=("contradict",), checker=fast())
    assert assert_consistent(result, allow="conflict") is result  # a Result is taken as it is
    with pytest.raises(InputError, match="E453"):
        assert_consistent(result, allow=("contradicts",))


def test_a_result_below_its_threshold_is_consistent():
    shown_none = Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None), min_probability=1.0)
    assert_consistent(FLOOD, checker=shown_none)  # only shown findings count


def test_claim_keys_ignore_offsets_case_and_spacing_but_not_the_report():
    a = fast().check(FLOOD).claim_list[0]
    moved = fast().check([Report("wire", "Earlier text.  AT LEAST 300 people died in the flood on Monday,  "
                                 "officials said.", source="River Wire"), FLOOD[1]])
    same = [c for c in moved.claim_list if c.report_id == "wire" and "300" in c.text]
    assert same and same[0].start != a.start and claim_key(same[0]) == claim_key(a)
    other = fast().check([Report("radio", FLOOD[0].text), FLOOD[1]]).claim_list[0]
    assert claim_key(other) != claim_key(a)


def test_golden_files_directly(tmp_path):
    golden = tmp_path / "g" / "flood.json"
    result = fast().check(FLOOD)
    with pytest.raises(AssertionError, match="no golden file.*--crosscheck-update-golden"):
        assert_no_new_conflicts(result, golden)
    assert_no_new_conflicts(result, golden, update=True)
    data = json.loads(golden.read_text(encoding="utf-8"))
    assert data["schema"] == "crosscheck-golden" and [e["relation"] for e in data["findings"]] == ["contradict"]
    assert assert_no_new_conflicts(result, golden) is result
    calm = fast().check([FLOOD[0], Report("daily", "Rescue teams searched the river banks.")])
    assert_no_new_conflicts(calm, golden)  # a conflict gone is no failure ...
    with pytest.raises(AssertionError, match="no longer found"):
        assert_no_new_conflicts(calm, golden, strict=True)  # ... unless strict
    golden.write_text('{"schema": "other"}', encoding="utf-8")
    with pytest.raises(InputError, match="E452"):
        assert_no_new_conflicts(result, golden)


# ---- the plugin, in a pytest run of its own ---------------------------------------------------------------------------
INNER = """
from pathlib import Path

from crosscheck import Checker, Report
from crosscheck.judge import RuleJudge
from crosscheck.testing import HashEmbedder, assert_consistent, assert_no_new_conflicts

FAST = Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None), min_probability=0)


def reports():
    return Report.from_jsonl(Path(__file__).parent / "reports.jsonl")


def test_consistent():
    assert_consistent(reports(), checker=FAST)


def test_no_new_conflicts():
    assert_no_new_conflicts(FAST.check(reports()), golden="golden/flood.json")
"""


def _write_reports(path, reports):
    path.write_text("".join(json.dumps(r.to_dict()) + "\n" for r in reports), encoding="utf-8")


def test_plugin_golden_cycle(pytester, plugin_args):
    pytester.makepyfile(test_flood=INNER)
    reports = pytester.path / "reports.jsonl"
    _write_reports(reports, FLOOD)
    run = pytester.runpytest(*plugin_args)
    run.assert_outcomes(failed=2)
    run.stdout.fnmatch_lines(["*1 conflict(s) between the reports (allowed: none)*",
                              "*contradict (number, p=*",
                              '*River Wire (wire [[]0:*]): "At least 300 people died*',
                              '*Valley Daily (daily [[]0:*]): "Officials said 40 people died*',
                              "*no golden file at *golden/flood.json; run pytest --crosscheck-update-golden*"])
    run = pytester.runpytest(*plugin_args, "--crosscheck-update-golden", "-k", "new_conflicts")
    run.assert_outcomes(passed=1)
    golden = pytester.path / "golden" / "flood.json"  # next to the test file, whatever the working directory
    assert [e["a"]["source"] for e in json.loads(golden.read_text(encoding="utf-8"))["findings"]] == ["River Wire"]
    pytester.runpytest(*plugin_args, "-k", "new_conflicts").assert_outcomes(passed=1)
    # an unrelated edit elsewhere in a report (offsets move) breaks nothing
    edited = [Report("wire", "Rain fell all week in the valley. " + FLOOD[0].text, source="River Wire",
                     published=FLOOD[0].published), FLOOD[1]]
    _write_reports(reports, edited)
    pytester.runpytest(*plugin_args, "-k", "new_conflicts").assert_outcomes(passed=1)
    # a new conflicting report fails, quoting both spans and outlets
    _write_reports(reports, [*edited, Report("radio", "The flood killed 12 people on Monday.", source="Radio 4")])
    run = pytester.runpytest(*plugin_args, "-k", "new_conflicts")
    run.assert_outcomes(failed=1)
    run.stdout.fnmatch_lines(["*new conflict(s), not in *flood.json*", '*Radio 4 (radio [[]0:*]): "The flood killed 12*',
                              "*run pytest --crosscheck-update-golden and commit the file*"])


def test_the_plugin_is_registered_through_the_pytest11_entry_point(plugin_args, pytester):
    if tomllib is None:
        pytest.skip("tomllib needs Python 3.11")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["pytest11"] == {"crosscheck": "crosscheck.testing.plugin"}
    assert any(dep.startswith("trafilatura") for dep in project["dependencies"])
    result = pytester.runpytest(*plugin_args, "--help")
    result.stdout.fnmatch_lines(["*--crosscheck-update-golden*"])


def test_the_documented_ci_example_passes_with_the_real_models(pytester, plugin_args, checker, monkeypatch):
    """examples/ci, as docs/ci.md runs it: its golden file matches what the bundled models find today."""
    monkeypatch.setattr(pipeline, "default_checker", lambda: checker)  # the session's models, loaded once
    shutil.copytree(EXAMPLES / "ci", pytester.path / "ci")
    run = pytester.runpytest(*plugin_args, "ci", "-p", "no:cacheprovider")
    run.assert_outcomes(passed=3)


# ---- JUnit and GitHub -----------------------------------------------------------------------------------------------
def test_junit_has_one_test_case_per_topic_and_failures_name_outlets_and_spans():
    result = fast().check([*FLOOD, Report("radio", "Rescue teams searched the river banks for survivors.",
                                          source="Radio 4")])
    root = ET.fromstring(junit(result, ["contradict"]).encode("utf-8"))
    cases = root.findall("testcase")
    assert len(cases) == len(result.topic_list) + (1 if any(c.get("classname") == "crosscheck.findings"
                                                          for c in cases) else 0)
    assert root.get("tests") == str(len(cases))
    assert [c.get("name").split(":")[0] for c in cases if c.get("classname") == "crosscheck.topic"] == [
        t.id for t in result.topic_list]
    failures = root.findall("testcase/failure")
    assert root.get("failures") == str(len(failures)) == "1"
    message, body = failures[0].get("message"), failures[0].text
    for part in ("River Wire (wire [0:", "Valley Daily (daily [0:", "'At least 300 people' vs '40 people'"):
        assert part in message and part in body
    assert failures[0].get("type") == "contradict"
    quiet = ET.fromstring(junit(result, []).encode("utf-8"))
    assert quiet.get("failures") == "0" and "River Wire" in quiet.find("testcase/system-out").text


def test_github_annotations_escape_and_point_at_files(tmp_path, monkeypatch, capsys):
    (tmp_path / "wire.txt").write_text("Rain fell.\n" + FLOOD[0].text, encoding="utf-8")
    (tmp_path / "daily.txt").write_text("Rain fell.\n\n" + FLOOD[1].text + "\n100% sure,\nfine.", encoding="utf-8")
    inputs = read_inputs([str(tmp_path / "wire.txt"), str(tmp_path / "daily.txt")],
                         published=["2025-05-06T09:00:00+00:00", "2025-05-06T15:00:00+00:00"])
    result = fast().check(inputs.reports)
    lines = github_annotations(result, ["contradict"], origins=inputs.origins).splitlines()
    errors = [ln for ln in lines if ln.startswith("::error ")]
    assert len(errors) == 1 and lines[-1] == "::notice title=crosscheck::1 finding(s) annotated, 1 matched --fail-on"
    props, message = errors[0][len("::error "):].split("::", 1)
    assert props.startswith(f"file={tmp_path / 'daily.txt'},line=3,title=crosscheck contradict (number%2C p=")
    assert "wire (wire [11:" in message and "daily (daily [12:" in message
    assert formats._gh_data("100%\r\nsure") == "100%25%0D%0Asure" and formats._gh_property("a:b,c") == "a%3Ab%2Cc"
    warned = github_annotations(result, [], origins=inputs.origins).splitlines()
    assert warned[0].startswith("::warning file=") and warned[-1].endswith("0 matched --fail-on")
    monkeypatch.setattr(pipeline, "Checker", lambda **kw: Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None),
                                                                  min_probability=kw.get("min_probability")))
    argv = ["check", str(tmp_path / "wire.txt"), str(tmp_path / "daily.txt"), "--format", "github",
            "--min-probability", "0", "--fail-on", "conflict", "--source", "River Wire", "--source", "Valley Daily"]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert out.startswith("::error file=") and "River Wire (wire" in out and "Valley Daily (daily" in out
