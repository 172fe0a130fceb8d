"""A curated-dataset check with crosscheck's pytest plugin (docs/ci.md): run `pytest examples/ci`.

The reports under reports/ tell one made-up story (a ferry runs aground off Port Elsa); manifest.csv gives the
outlet and publication time of each text file, the HTML page says its own. The golden file records the conflicts
the dataset is known to hold; a change that makes crosscheck show another one fails the test.
"""

from pathlib import Path

from crosscheck.inputs import read_inputs
from crosscheck.testing import assert_consistent, assert_no_new_conflicts

HERE = Path(__file__).parent


def reports():
    return read_inputs([str(HERE / "reports")], manifest=HERE / "manifest.csv").reports


def test_the_coast_wire_never_contradicts_itself(crosscheck_checker):
    own = [r for r in reports() if r.source == "Coast Wire"]
    assert len(own) == 2
    assert_consistent(own, checker=crosscheck_checker)


def test_the_coverage_only_updates_itself(crosscheck_checker):
    # a later report may revise a figure (an update); no contradiction or dispute may show
    assert_consistent(reports(), allow=("update",), checker=crosscheck_checker)


def test_no_new_conflicts(crosscheck_checker):
    result = crosscheck_checker.check(reports())
    assert_no_new_conflicts(result, golden="golden/ferry.json")
