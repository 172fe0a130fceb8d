from __future__ import annotations

import os
from pathlib import Path

import pytest

import crosscheck

pytest_plugins = ("pytester",)  # the pytest plugin's tests run pytest inside pytest (tests/test_plugin.py)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DATA_ROOT = Path(os.environ.get("CROSSCHECK_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def checker() -> crosscheck.Checker:
    """The default pipeline with the real bundled models, loaded once per session."""
    return crosscheck.Checker()


@pytest.fixture(scope="session")
def assad_reports() -> list[crosscheck.Report]:
    return crosscheck.Report.from_jsonl(EXAMPLES / "assad.jsonl")


@pytest.fixture(scope="session")
def assad_result(checker, assad_reports) -> crosscheck.Result:
    return checker.check(assad_reports)


def data_dir(name: str) -> Path:
    """A public data set folder, or skip the test when it is absent."""
    path = DATA_ROOT / name
    if not path.exists():
        pytest.skip(f"data set {name} not found under {DATA_ROOT}")
    return path
