"""Pytest setup for the whole repository (tests/ and the doctests in crosscheck/).

Every check run by the test session keeps its on-disk cache (:mod:`crosscheck.cache`) in a temporary folder, never in
the user's cache directory; subprocesses started by the tests inherit it through ``CROSSCHECK_CACHE_DIR``.
"""

from __future__ import annotations

import os
import shutil
import tempfile

_SAVED: dict[str, str | None] = {}


def pytest_configure(config) -> None:  # noqa: ARG001 - the pytest hook's signature
    _SAVED["env"] = os.environ.get("CROSSCHECK_CACHE_DIR")
    _SAVED["dir"] = tempfile.mkdtemp(prefix="crosscheck-test-cache-")
    os.environ["CROSSCHECK_CACHE_DIR"] = _SAVED["dir"]


def pytest_unconfigure(config) -> None:  # noqa: ARG001
    if _SAVED.get("env") is None:
        os.environ.pop("CROSSCHECK_CACHE_DIR", None)
    else:
        os.environ["CROSSCHECK_CACHE_DIR"] = _SAVED["env"]
    if _SAVED.get("dir"):
        shutil.rmtree(_SAVED["dir"], ignore_errors=True)
