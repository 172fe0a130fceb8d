"""The command line's manners: quiet model loading, a progress bar, ``--fail-on conflict``, ``compare --text``."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import crosscheck
from crosscheck import Checker, Report, Result, pipeline
from crosscheck.calibration import CONFLICT_RELATIONS
from crosscheck.cli import FAIL_ON_ALIASES, fail_on_relations, main
from crosscheck.judge import RuleJudge
from crosscheck.pipeline import LATER_STEPS
from crosscheck.quiet import quiet_model_loading
from crosscheck.testing import HashEmbedder

from .conftest import EXAMPLES, ROOT

#: What a tqdm bar leaves in a stream: the block characters, the "n/total" counter's bars, a carriage return.
BAR_MARKS = ("\u2588", "%|", "it/s", "\r")


def _clean_env() -> dict[str, str]:
    """The environment of a subprocess, without the variables that would hide the libraries' output anyway."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_DISABLE_PROGRESS_BARS", "TRANSFORMERS_VERBOSITY", "TRANSFORMERS_NO_ADVISORY_WARNINGS",
                        "PYTHONWARNINGS")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


# ---- 1: the model libraries are silent ------------------------------------------------------------------------------
def test_cli_json_output_has_no_progress_bars_or_warnings():
    cmd = [sys.executable, "-m", "crosscheck.cli", "check", str(EXAMPLES / "assad.jsonl"), "--format", "json"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=_clean_env(), cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["reports"]
    assert "Loading weights" not in out.stderr
    assert not any(mark in out.stderr for mark in BAR_MARKS), out.stderr
    assert "warn" not in out.stderr.lower(), out.stderr


def test_the_scope_restores_the_libraries_settings():
    from huggingface_hub.utils import logging as hub_logging
    from transformers.utils import logging as tf_logging

    st_logger = logging.getLogger("sentence_transformers")
    saved = (tf_logging.get_verbosity(), tf_logging.is_progress_bar_enabled(), hub_logging.get_verbosity(),
             st_logger.level)
    try:
        tf_logging.set_verbosity_info()
        tf_logging.enable_progress_bar()
        hub_logging.set_verbosity_info()
        st_logger.setLevel(logging.DEBUG)
        with pytest.raises(RuntimeError), quiet_model_loading():
            assert not tf_logging.is_progress_bar_enabled()
            assert tf_logging.get_verbosity() == tf_logging.ERROR
            assert hub_logging.get_verbosity() == hub_logging.ERROR
            assert st_logger.level == logging.ERROR
            with quiet_model_loading():  # nested scopes restore their own view
                pass
            assert not tf_logging.is_progress_bar_enabled()
            raise RuntimeError("a failed load")
        assert tf_logging.is_progress_bar_enabled()
        assert tf_logging.get_verbosity() == tf_logging.INFO
        assert hub_logging.get_verbosity() == hub_logging.INFO
        assert st_logger.level == logging.DEBUG
        tf_logging.disable_progress_bar()
        with quiet_model_loading():
            pass
        assert not tf_logging.is_progress_bar_enabled()  # a caller's "off" stays off
    finally:
        tf_logging.set_verbosity(saved[0])
        (tf_logging.enable_progress_bar if saved[1] else tf_logging.disable_progress_bar)()
        hub_logging.set_verbosity(saved[2])
        st_logger.setLevel(saved[3])


def test_loading_the_models_prints_nothing_and_changes_no_setting(capfd):
    from transformers.utils import logging as tf_logging

    from crosscheck.embed import MiniLMEmbedder
    from crosscheck.judge import CrossEncoderNLI

    before = (tf_logging.get_verbosity(), tf_logging.is_progress_bar_enabled())
    capfd.readouterr()
    assert MiniLMEmbedder()(["Assad fled."]).shape == (1, 384)  # fresh objects: the loading code runs here
    assert CrossEncoderNLI().predict([("Assad fled.", "Assad left Syria.")]).shape == (1, 3)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert (tf_logging.get_verbosity(), tf_logging.is_progress_bar_enabled()) == before


# ---- 2: a progress bar over the stages ------------------------------------------------------------------------------
REPORTS = [
    Report("a", "At least 300 people died in the flood on Monday.", published="2024-05-01T10:00:00+00:00"),
    Report("b", "Officials said 40 people died in the flood.", published="2024-05-02T10:00:00+00:00"),
    Report("c", "The flood killed 300 people, the mayor said.", published="2024-05-03T10:00:00+00:00"),
]


def fast() -> Checker:
    """The default pipeline without model weights (hash embeddings, rules only): quick and deterministic."""
    return Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None))


def test_check_with_progress_draws_a_bar_over_the_stages(capsys):
    result = fast().check(REPORTS, progress=True)
    err = capsys.readouterr().err
    total = len(REPORTS) + len(LATER_STEPS)
    assert err.startswith("\rcrosscheck:") or err.startswith("crosscheck:")
    assert f"{total}/{total}" in err and "100%" in err
    for n in range(total + 1):  # every step is drawn (tqdm redraws on each update of a short run)
        assert f" {n}/{total} " in err, err
    for stage in ("extract", "embed", "align", "judge", "aggregate"):
        assert stage in err
    assert result == fast().check(REPORTS)  # the bar changes nothing in the result


def test_no_progress_prints_nothing(capsys):
    fast().check(REPORTS)
    fast().check(REPORTS, progress=False)
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_module_check_and_compare_take_progress(capsys):
    options = {"embedder": HashEmbedder(), "judge": RuleJudge(nli=None)}
    crosscheck.check(REPORTS, progress=True, **options)
    assert "crosscheck:" in capsys.readouterr().err
    crosscheck.compare("At least 300 people died.", "Fewer than 50 people died.", progress=True, **options)
    assert f"{2 + len(LATER_STEPS)}/{2 + len(LATER_STEPS)}" in capsys.readouterr().err
    crosscheck.compare("At least 300 people died.", "Fewer than 50 people died.", **options)
    assert capsys.readouterr().err == ""


class FakeTTY(io.StringIO):
    """A standard error that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _use_fast_checker(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI builds its Checker from crosscheck.pipeline at call time; give it the fast one."""
    monkeypatch.setattr(pipeline, "Checker", lambda **kw: Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None),
                                                                  min_probability=kw.get("min_probability")))


def _jsonl(path: Path, reports: list[Report]) -> str:
    path.write_text("".join(json.dumps(r.to_dict()) + "\n" for r in reports), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("tty", "quiet", "drawn"), [(True, False, True), (True, True, False), (False, False, False)])
def test_cli_progress_only_on_a_terminal_and_never_with_quiet(tmp_path, monkeypatch, capsys, tty, quiet, drawn):
    _use_fast_checker(monkeypatch)
    err = FakeTTY() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    path = _jsonl(tmp_path / "flood.jsonl", REPORTS)
    assert main(["check", path, "--format", "json", *(["--quiet"] if quiet else [])]) == 0
    assert json.loads(capsys.readouterr().out)["reports"]
    total = len(REPORTS) + len(LATER_STEPS)
    assert (f"{total}/{total}" in err.getvalue()) is drawn
    if not drawn:
        assert err.getvalue() == ""


# ---- 3: --fail-on conflict ------------------------------------------------------------------------------------------
def test_conflict_stands_for_the_three_conflict_relations():
    assert FAIL_ON_ALIASES["conflict"] == CONFLICT_RELATIONS
    assert fail_on_relations(["conflict"]) == ["contradict", "disputed", "update"]
    assert fail_on_relations(["agree", "conflict", "update"]) == ["agree", "contradict", "disputed", "update"]


@pytest.mark.parametrize(
    ("extra", "hits"),
    [
        ([], 1),                                   # the update is shown (about 0.76), the dispute hidden (0.06)
        (["--min-probability", "0"], 2),           # both shown
        (["--min-probability", "1"], 0),           # neither shown (no probability reaches 1)
    ],
)
def test_cli_fail_on_conflict_counts_the_shown_conflicts(tmp_path, monkeypatch, capsys, extra, hits):
    _use_fast_checker(monkeypatch)
    path = _jsonl(tmp_path / "flood.jsonl", REPORTS)
    out = tmp_path / "out.xml"
    rc = main(["check", path, "--format", "junit", "-o", str(out), "--fail-on", "conflict", *extra])
    err = capsys.readouterr().err
    assert rc == (1 if hits else 0)
    assert (f"crosscheck: {hits} finding(s) matched --fail-on conflict" in err) is bool(hits)
    failures = ET.fromstring(out.read_bytes()).findall("testcase/failure")  # one test case per topic
    assert sum(f.text.count("\n\n") + 1 for f in failures) == hits  # each failing finding listed once
    # the alias and its three relations spelled out agree
    spelled = ["--fail-on", "contradict", "--fail-on", "disputed", "--fail-on", "update"]
    assert main(["check", path, "-o", str(out), *spelled, *extra]) == rc
    # a single relation still works: the hidden disputed finding counts only when shown
    capsys.readouterr()
    assert main(["check", path, "-o", str(out), "--fail-on", "disputed", *extra]) == (1 if hits == 2 else 0)


def test_cli_help_documents_conflict_and_rejects_other_names(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "conflict" in text and "contradict, disputed and update" in text
    assert main(["check", "x.jsonl", "--fail-on", "conflicts"]) == 2  # one line, E441


# ---- 4: compare --text ----------------------------------------------------------------------------------------------
A_TEXT = "At least 300 people died in the flood on Monday."
B_TEXT = "Officials said 40 people died in the flood."


def test_cli_compare_text_checks_the_two_texts_as_reports_a_and_b(monkeypatch, capsys):
    _use_fast_checker(monkeypatch)
    assert main(["compare", "--text", A_TEXT, B_TEXT, "--format", "json", "--min-probability", "0"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["text"]) for r in out["reports"]] == [("a", A_TEXT), ("b", B_TEXT)]
    expected = Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None), min_probability=0.0).check(
        [Report("a", A_TEXT), Report("b", B_TEXT)])
    assert Result.from_json(json.dumps(out)) == expected
    assert main(["compare", A_TEXT, "--text", B_TEXT, "--format", "json", "--fail-on", "conflict",
                 "--min-probability", "0"]) == 1  # the flag goes anywhere, and --fail-on applies


def test_cli_compare_without_text_still_takes_paths(tmp_path, monkeypatch, capsys):
    _use_fast_checker(monkeypatch)
    (tmp_path / "a.txt").write_text(A_TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(B_TEXT, encoding="utf-8")
    assert main(["compare", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--format", "json"]) == 0
    assert [r["text"] for r in json.loads(capsys.readouterr().out)["reports"]] == [A_TEXT, B_TEXT]
    assert main(["compare", A_TEXT, B_TEXT]) == 2  # a text is not a path: E011, one line
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "[E011]" in err


@pytest.mark.parametrize(("a", "code"), [("   ", "E005"), ("A \udc00 b.", "E307")])
def test_cli_compare_text_refuses_bad_texts_with_one_line(monkeypatch, capsys, a, code):
    _use_fast_checker(monkeypatch)
    assert main(["compare", "--text", a, B_TEXT]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("crosscheck: error: ") and f"[{code}]" in err


def test_text_is_an_option_of_compare_only(capsys):
    assert main(["check", "--text", A_TEXT, B_TEXT]) == 2
    err = capsys.readouterr().err
    assert "--text" in err and "[E441]" in err and err.count("\n") == 1
