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

from crosscheck.errors import Errors, InputError

PROFILES = Path(__file__).parent / "profiles"


def load_profile(profile: str | Path | dict[str, Any] = "default") -> dict[str, Any]:
    """Thresholds by stage: a bundled profile name, a JSON file path, or a dict.

    A missing profile is E050, a file that is not valid JSON E317, JSON that is not an object E318, anything but a
    name, path or dict E319.
    """
    if isinstance(profile, dict):
        return profile
    if not isinstance(profile, (str, Path)):
        raise InputError(Errors.E319.format(type=type(profile).__name__))
    path = Path(profile)
    if not path.suffix:
        path = PROFILES / f"{profile}.json"
    if not path.is_file():
        raise InputError(Errors.E050.format(profile=profile))
    try:
        data = json.loads(_read_text(str(path.resolve()), path.stat().st_mtime_ns))
    except json.JSONDecodeError as exc:
        raise InputError(Errors.E317.format(path=path, msg=exc.msg, line=exc.lineno)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Errors.E335.format(path=path, problem=exc)) from None
    if not isinstance(data, dict):
        raise InputError(Errors.E318.format(type=type(data).__name__))
    return data


@lru_cache(maxsize=16)
def _read_text(path: str, mtime_ns: int) -> str:
    """A profile file's text, read once per version of the file (callers get a fresh dict each time)."""
    return Path(path).read_text(encoding="utf-8")


def bundled_default(section: str, name: str) -> Any:
    """The bundled default profile's value of ``name`` in ``section`` (a constructor's default)."""
    try:
        return load_profile("default")[section][name]
    except KeyError:
        raise InputError(Errors.E053.format(section=section, name=name)) from None
