"""The pytest plugin of crosscheck, enabled by installing crosscheck (the ``pytest11`` entry point ``crosscheck``;
``-p no:crosscheck`` turns it off).

- ``--crosscheck-update-golden``: :func:`~crosscheck.testing.assert_no_new_conflicts` writes its golden files from
  the current results instead of comparing (review the diff, then commit).
- Relative golden paths are taken from the folder of the test that asserts.
- The ``crosscheck_checker`` fixture: the shared default :class:`~crosscheck.pipeline.Checker`, its models loaded
  once per test session.
"""

from __future__ import annotations

from typing import Any

import pytest

from crosscheck.testing.asserts import SETTINGS


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("crosscheck", "crosscheck: cross-checks of curated datasets")
    group.addoption("--crosscheck-update-golden", action="store_true", default=False,
                    help="rewrite the golden files of assert_no_new_conflicts from the current results")


def pytest_configure(config: pytest.Config) -> None:
    SETTINGS.saved.append(SETTINGS.update_golden)
    SETTINGS.update_golden = bool(config.getoption("crosscheck_update_golden", False))


def pytest_unconfigure(config: pytest.Config) -> None:
    if SETTINGS.saved:
        SETTINGS.update_golden = SETTINGS.saved.pop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: Any) -> Any:
    SETTINGS.test_dirs.append(item.path.parent)
    try:
        yield
    finally:
        SETTINGS.test_dirs.pop()


@pytest.fixture(scope="session")
def crosscheck_checker() -> Any:
    """The shared default :class:`~crosscheck.pipeline.Checker` (real models, loaded on first use, once)."""
    from crosscheck.pipeline import default_checker

    return default_checker()
