"""End-to-end with the real bundled models (MiniLM embedder and crosscheck's NLI cross-encoder)."""

import json
import subprocess
import sys

import pytest

import crosscheck
from crosscheck.result import CLAIM_COLUMNS, FINDING_COLUMNS, SOURCE_COLUMNS, STANCE_PREFIX, TOPIC_COLUMNS

from .conftest import EXAMPLES


def find(result, relation, report_a, report_b, needle_a, needle_b):
    df = result.findings
    for row in df[df.relation == relation].itertuples():
        pairs = [(row.report_a, row.text_a, row.report_b, row.text_b), (row.report_b, row.text_b, row.report_a, row.text_a)]
        for ra, ta, rb, tb in pairs:
            if ra == report_a and rb == report_b and needle_a in ta and needle_b in tb:
                return row
    return None


def test_example_shows_the_three_relations(assad_result):
    res = assad_result
    disputed = find(res, "disputed", "mfa-dec08", "assad-dec16", "resigned", "never considered resigning")
    assert disputed is not None and disputed.kind == "negation"
    update = find(res, "update", "mfa-dec08", "kremlin-dec08", "did not say where", "Moscow")
    assert update is not None and update.kind == "known_vs_unknown"
    agree = res.agreements()
    assert any("Damascus" in a and "Damascus" in b for a, b in zip(agree.text_a, agree.text_b))


def test_provenance_of_every_claim_and_finding(assad_result, assad_reports):
    texts = {r.id: r.text for r in assad_reports}
    for row in assad_result.claims.itertuples():
        assert texts[row.report_id][row.start:row.end] == row.text
    for row in assad_result.findings.itertuples():
        assert texts[row.report_a][row.start_a:row.end_a] == row.text_a
        assert texts[row.report_b][row.start_b:row.end_b] == row.text_b
        assert row.report_a != row.report_b


def test_columns_contract(assad_result):
    assert list(assad_result.claims.columns[: len(CLAIM_COLUMNS)]) == CLAIM_COLUMNS
    assert list(assad_result.findings.columns) == FINDING_COLUMNS
    assert list(assad_result.sources.columns) == SOURCE_COLUMNS
    topics = assad_result.topics
    assert list(topics.columns[: len(TOPIC_COLUMNS)]) == TOPIC_COLUMNS
    assert set(topics.columns[len(TOPIC_COLUMNS):]) == {STANCE_PREFIX + r.id for r in assad_result.reports}
    assert set(assad_result.findings.relation) <= set(crosscheck.RELATIONS)
    assert str(assad_result.claims.published.dt.tz) != "None"


def test_json_round_trip(assad_result):
    text = assad_result.to_json()
    back = crosscheck.Result.from_json(text)
    assert back == assad_result
    assert back.to_json() == text
    assert back.findings.equals(assad_result.findings)
    with pytest.raises(crosscheck.InputError):
        crosscheck.Result.from_json("{}")


def test_summary_and_html(assad_result):
    s = str(assad_result)
    assert "[UPDATE]" in s and "[AGREE]" in s and "probability >=" in s
    hidden = assad_result.hidden_counts()
    assert ("[DISPUTED]" in s) == (not hidden.get("disputed"))  # shown exactly when above the threshold
    everything = assad_result.summary(include_related=True)
    assert "[RELATED]" in everything
    html = assad_result._repr_html_()
    assert html.startswith("<div") and "update" in html and "probability" in html


def test_unrelated_report_changes_nothing_among_the_others(checker, assad_reports, assad_result):
    cooking = crosscheck.Report("recipe", "Whisk three eggs with sugar. Bake the sponge for twenty minutes at a moderate "
                                "heat. Let the cake cool before slicing it.", source="Kitchen",
                                published="2024-12-10T08:00:00+00:00")
    more = checker.check([*assad_reports, cooking])
    keep = more.findings[(more.findings.report_a != "recipe") & (more.findings.report_b != "recipe")]
    assert keep.reset_index(drop=True).equals(assad_result.findings)


def test_compare_strings_and_too_few_reports(checker):
    res = crosscheck.compare("At least 300 people were killed in the attack on the market.",
                             "Fewer than 50 people were killed in the attack on the market.")
    (row,) = res.contradictions(include_hidden=True).itertuples()
    assert (row.relation, row.kind) == ("contradict", "number")
    assert row.probability == res.finding_list[0].probability and 0.0 <= row.probability <= 1.0
    with pytest.raises(crosscheck.InputError, match="at least two"):
        checker.check([crosscheck.Report("only", "Just one report here.")])


def test_missing_model_names_the_package(tmp_path):
    from crosscheck.embed import MiniLMEmbedder
    from crosscheck.judge import CrossEncoderNLI

    with pytest.raises(crosscheck.ModelNotFoundError, match="E102"):
        _ = MiniLMEmbedder(model_path=tmp_path).model
    with pytest.raises(crosscheck.ModelNotFoundError, match="E103"):
        CrossEncoderNLI(model_path=tmp_path).predict([("a", "b")])


def test_cli_check_formats_and_exit_codes(tmp_path):
    cmd = [sys.executable, "-m", "crosscheck.cli", "check", str(EXAMPLES / "assad.jsonl")]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "[UPDATE]" in out.stdout and "shown: findings with probability >=" in out.stdout
    assert "[DISPUTED]" not in out.stdout  # disputes are hidden below the fitted threshold on this example
    out = subprocess.run(cmd + ["--min-probability", "0"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "[DISPUTED]" in out.stdout
    junit = tmp_path / "out.xml"
    out = subprocess.run(cmd + ["--format", "junit", "-o", str(junit), "--fail-on", "disputed"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "<failure" not in junit.read_text()  # --fail-on counts shown findings only
    out = subprocess.run(cmd + ["--format", "junit", "-o", str(junit), "--fail-on", "disputed", "--min-probability",
                                "0"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 1 and "<failure" in junit.read_text()
    out = subprocess.run(cmd[:-1] + ["missing.jsonl"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and "E011" in out.stderr
    out = subprocess.run(cmd + ["--format", "json"], capture_output=True, text=True, timeout=300)
    assert json.loads(out.stdout)["schema"] == crosscheck.result.SCHEMA_VERSION
