"""Assertions for tests over curated datasets: :func:`assert_consistent` and :func:`assert_no_new_conflicts`.

Both take a :class:`~crosscheck.result.Result` or the reports to check (checked with the shared default pipeline,
whose models load once per process), count only the findings the result shows (at or above its
``min_probability``), and fail with an :class:`AssertionError` that quotes both spans, names both outlets and gives
the reason of every finding at fault.

A golden file records the conflicts a dataset is known to hold, keyed by claim-span hashes: each claim is the hash
of its report id and its text, case and spacing aside (:func:`claim_key`), so editing a report elsewhere, or
reordering reports, leaves the keys of its other claims as they were. ``pytest --crosscheck-update-golden`` (or
``update=True``) writes the file anew from the current result.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.data import RELATIONS, Claim, Finding
from crosscheck.errors import Errors, InputError
from crosscheck.testing.formats import CONFLICTS, describe

#: Golden files say what they are with this key and its version.
GOLDEN_SCHEMA = "crosscheck-golden"
GOLDEN_VERSION = 1
#: ``allow`` names that stand for several relations.
ALIASES = {"conflict": CONFLICTS}


@dataclass
class _Settings:
    """What the pytest plugin tells the assertions: whether to rewrite golden files, and the running test's folder
    (relative golden paths are resolved against it). Saved and restored around nested pytest runs."""

    update_golden: bool = False
    test_dirs: list[Path] = field(default_factory=list)
    saved: list[bool] = field(default_factory=list)


SETTINGS = _Settings()


def _result(reports_or_result: Any, checker: Any) -> Any:
    from crosscheck.result import Result

    if isinstance(reports_or_result, Result):
        return reports_or_result
    if checker is None:
        from crosscheck.pipeline import default_checker

        checker = default_checker()
    return checker.check(reports_or_result)


def _relations(names: Iterable[str], what: str) -> set[str]:
    if isinstance(names, str):
        names = [names]
    out: set[str] = set()
    unknown = []
    for name in names:
        if name in ALIASES:
            out.update(ALIASES[name])
        elif name in RELATIONS:
            out.add(name)
        else:
            unknown.append(name)
    if unknown:
        raise InputError(Errors.E453.format(name=what, names=unknown, allowed=[*RELATIONS, *ALIASES]))
    return out


def _conflicts(result: Any) -> list[Finding]:
    return [f for f in result.shown_findings() if f.relation in CONFLICTS]


def _listing(findings: list[Finding], claims: dict[str, Claim]) -> str:
    return "\n".join(f"- {describe(f, claims, indent='    ')}" for f in findings)


def assert_consistent(reports: Any, *, allow: Iterable[str] = (), checker: Any = None) -> Any:
    """Fail when the reports show a conflict (contradict, disputed, update) whose relation ``allow`` does not name.

    ``reports`` are reports (anything :func:`crosscheck.check` takes) or a :class:`~crosscheck.result.Result`;
    ``allow`` relations (or ``"conflict"`` for the three) that may appear, e.g. ``allow=("update",)`` for coverage
    that develops over days; ``checker`` a :class:`~crosscheck.pipeline.Checker` (default: the shared default one).
    Returns the result. An unknown relation in ``allow`` is E453.

    >>> from crosscheck import Checker, Report
    >>> from crosscheck.judge import RuleJudge
    >>> from crosscheck.testing import HashEmbedder
    >>> fast = Checker(embedder=HashEmbedder(), judge=RuleJudge(nli=None), min_probability=0)
    >>> reports = [Report("a", "The flood killed 300 people."), Report("b", "The flood killed 40 people.")]
    >>> assert_consistent(reports, checker=fast)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: 1 conflict(s) between the reports (allowed: none):
    - contradict (number, p=...): numbers conflict: '300 people' vs '40 people'
        a (a [0:28]): "The flood killed 300 people."
        b (b [0:27]): "The flood killed 40 people."
    """
    allowed = _relations(allow, "allow")
    result = _result(reports, checker)
    claims = {c.id: c for c in result.claim_list}
    bad = [f for f in _conflicts(result) if f.relation not in allowed]
    if bad:
        raise AssertionError(f"{len(bad)} conflict(s) between the reports (allowed: "
                             f"{', '.join(sorted(allowed)) or 'none'}):\n{_listing(bad, claims)}")
    return result


def normalise(text: str) -> str:
    """A claim's text as its key sees it: Unicode NFKC, case folded, runs of spaces as one.

    >>> normalise("  Assad  RESIGNED.\\n")
    'assad resigned.'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def claim_key(claim: Claim) -> str:
    """The hash of a claim's report id and normalised text (16 hex digits): stable under edits elsewhere."""
    digest = hashlib.sha256(f"{claim.report_id}\x1f{normalise(claim.text)}".encode()).hexdigest()
    return digest[:16]


def finding_key(finding: Finding, claims: dict[str, Claim]) -> str:
    """A finding's key: its two claims' keys in sorted order (the pair, whichever report is the earlier)."""
    return "~".join(sorted((claim_key(claims[finding.claim_a]), claim_key(claims[finding.claim_b]))))


def _entry(finding: Finding, claims: dict[str, Claim]) -> dict[str, Any]:
    side = {tag: {"report": c.report_id, "source": c.source, "text": c.text}
            for tag, c in (("a", claims[finding.claim_a]), ("b", claims[finding.claim_b]))}
    return {"key": finding_key(finding, claims), "relation": finding.relation, "kind": finding.kind,
            "reason": finding.reason, **side}


def golden_path(golden: str | os.PathLike[str]) -> Path:
    """``golden`` as a path: a relative one is taken from the running test's folder under pytest (the plugin tells
    it), else from the working directory."""
    p = Path(golden)
    if not p.is_absolute() and SETTINGS.test_dirs:
        return SETTINGS.test_dirs[-1] / p
    return p


def read_golden(path: str | os.PathLike[str]) -> set[tuple[str, str]]:
    """The ``(key, relation)`` pairs a golden file records (E452 when it is not one)."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(Errors.E452.format(path=p, problem=exc)) from None
    if not isinstance(data, dict) or data.get("schema") != GOLDEN_SCHEMA or data.get("version") != GOLDEN_VERSION:
        raise InputError(Errors.E452.format(path=p, problem=f"not a {GOLDEN_SCHEMA} file of version {GOLDEN_VERSION}"))
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("key"), str)
                                                and e.get("relation") in RELATIONS for e in entries):
        raise InputError(Errors.E452.format(path=p, problem="'findings' must be a list of objects with a key and a "
                                            "relation"))
    return {(e["key"], e["relation"]) for e in entries}


def write_golden(path: str | os.PathLike[str], result: Any) -> Path:
    """Write the golden file of ``result``'s shown conflicts (sorted, so that a rewrite diffs cleanly)."""
    p = Path(path)
    claims = {c.id: c for c in result.claim_list}
    entries = sorted((_entry(f, claims) for f in _conflicts(result)), key=lambda e: (e["key"], e["relation"]))
    doc = {"schema": GOLDEN_SCHEMA, "version": GOLDEN_VERSION,
           "note": "expected crosscheck findings; rewrite with pytest --crosscheck-update-golden", "findings": entries}
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return p


def assert_no_new_conflicts(result: Any, golden: str | os.PathLike[str], *, update: bool | None = None,
                            strict: bool = False, checker: Any = None) -> Any:
    """Fail when the result shows a conflict the golden file does not record (a new pair, or a known pair with
    another relation); ``strict`` fails too on recorded conflicts that are gone.

    ``result`` is a :class:`~crosscheck.result.Result` or reports (checked with ``checker``, default the shared
    one). ``golden`` is the file's path, relative ones taken from the test's folder under pytest. ``update``
    (default: pytest's ``--crosscheck-update-golden``) writes the file from the result instead of comparing. A
    missing file fails and says how to make it. Returns the result.
    """
    result = _result(result, checker)
    path = golden_path(golden)
    if SETTINGS.update_golden if update is None else update:
        write_golden(path, result)
        return result
    if not path.exists():
        raise AssertionError(f"no golden file at {path}; run pytest --crosscheck-update-golden to write it from "
                             "this result, review it and commit it")
    known = read_golden(path)
    claims = {c.id: c for c in result.claim_list}
    now = {(finding_key(f, claims), f.relation): f for f in _conflicts(result)}
    new = [f for k, f in now.items() if k not in known]
    gone = sorted(k for k in known if k not in now) if strict else []
    if not new and not gone:
        return result
    parts = []
    if new:
        parts.append(f"{len(new)} new conflict(s), not in {path}:\n{_listing(new, claims)}")
    if gone:
        parts.append(f"{len(gone)} conflict(s) of {path} no longer found: "
                     + ", ".join(f"{rel} {key}" for key, rel in gone))
    parts.append("if the change is expected, run pytest --crosscheck-update-golden and commit the file")
    raise AssertionError("\n".join(parts))
