"""Profiles: the fitted thresholds of each stage, in one place.

A profile is a JSON object with one section per stage (``aligner``, ``judge``, ``aggregator``, ``stance``). The
bundled ``default`` profile is the **one source** of every fitted parameter: the stage constructors take their
defaults from it (:func:`bundled_default`), so ``HybridAligner()`` and ``Checker()`` can never disagree, and a
re-fit (``benchmarks/news_alignment.py --write``, ``python -m crosscheck.eval.calibrate --out``) changes both.

>>> from crosscheck.align import HybridAligner
>>> HybridAligner().min_similarity == load_profile("default")["aligner"]["min_similarity"]
True
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from crosscheck.errors import InputError

PROFILES = Path(__file__).parent / "profiles"


def load_profile(profile: str | Path | dict[str, Any] = "default") -> dict[str, Any]:
    """Thresholds by stage: a bundled profile name, a JSON file path, or a dict."""
    if isinstance(profile, dict):
        return profile
    path = Path(profile)
    if not path.suffix:
        path = PROFILES / f"{profile}.json"
    if not path.exists():
        raise InputError(f"[E050] profile not found: {profile}")
    return json.loads(_read_text(str(path.resolve()), path.stat().st_mtime_ns))


@lru_cache(maxsize=16)
def _read_text(path: str, mtime_ns: int) -> str:
    """A profile file's text, read once per version of the file (callers get a fresh dict each time)."""
    return Path(path).read_text()


def bundled_default(section: str, name: str) -> Any:
    """The bundled default profile's value of ``name`` in ``section`` (a constructor's default)."""
    try:
        return load_profile("default")[section][name]
    except KeyError:
        raise InputError(f"[E053] the bundled default profile has no {section}.{name}") from None
