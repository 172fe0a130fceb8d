"""The error registry: one template per code, every code raised, every raise site coded, the reference up to date."""

import ast
import re
from pathlib import Path

import pytest

from crosscheck import errors
from crosscheck.errors import CrosscheckError, Errors, TrainingError, codes, raise_sites, render_doc

PACKAGE = Path(errors.__file__).resolve().parent
ROOT = PACKAGE.parent


def _registry_assignments() -> list[str]:
    """The ``E###`` names assigned in the body of ``class Errors``, in source order (duplicates kept)."""
    tree = ast.parse((PACKAGE / "errors.py").read_text(encoding="utf-8"))
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Errors"]
    return [
        t.id
        for n in cls.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name) and re.fullmatch(r"E\d{3}", t.id)
    ]


def test_codes_are_unique_and_well_formed():
    names = _registry_assignments()
    assert len(names) > 70
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})
    assert list(codes()) == sorted(names)
    assert Errors.E005 == "[E005] text is empty or whitespace only"
    assert Errors.E022.format(n=1).startswith("[E022] ")


def test_every_code_is_raised_somewhere_and_every_raise_uses_a_defined_code():
    sites = raise_sites()
    assert sorted(set(codes()) - set(sites)) == []
    assert sorted(set(sites) - set(codes())) == []


def test_no_message_carries_a_hand_written_code():
    """Codes come from the registry only: no ``"[E123]`` string literal in the package outside errors.py."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(r"\[E\d{3}\]", node.value):
                if not _is_docstring(node, path):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def _is_docstring(node: ast.Constant, path: Path) -> bool:
    for parent in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        body = getattr(parent, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            if body[0].value.lineno == node.lineno and body[0].value.value == node.value:
                return True
    return False


def test_every_raise_of_a_crosscheck_error_is_coded():
    """A ``raise SomeCrosscheckError(...)`` always passes a registry message."""
    names = {
        n
        for n in dir(errors)
        if isinstance(getattr(errors, n), type) and issubclass(getattr(errors, n), CrosscheckError)
    }
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name):
                if node.exc.func.id in names:
                    arg = node.exc.args[0] if node.exc.args else None
                    base = arg.func.value if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) else arg
                    if not (
                        isinstance(base, ast.Attribute)
                        and isinstance(base.value, ast.Name)
                        and base.value.id == "Errors"
                    ):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_e002_meanings_are_split():
    """Non-str text, a mapping without text and an item that is no report were all E002; now three codes."""
    from crosscheck import Report
    from crosscheck.data import as_reports

    with pytest.raises(CrosscheckError, match=r"\[E002\]"):
        Report("a", 5)
    with pytest.raises(CrosscheckError, match=r"\[E300\]"):
        Report.from_dict({"id": "a"})
    with pytest.raises(CrosscheckError, match=r"\[E301\]"):
        as_reports([3.5, "text"])


def test_training_code_raises_typed_errors():
    """No bare ValueError / RuntimeError / assert in crosscheck/training: each failure is a CrosscheckError."""
    offenders = []
    for path in (PACKAGE / "training").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            bare = (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and isinstance(node.exc.func, ast.Name)
                and node.exc.func.id in ("ValueError", "RuntimeError")
            )
            if bare or isinstance(node, ast.Assert):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
    assert issubclass(TrainingError, CrosscheckError)


def test_training_option_errors_are_typed():
    import pandas as pd

    from crosscheck.training.nli import cap_sources

    with pytest.raises(CrosscheckError, match=r"\[E331\].*nowhere"):
        cap_sources(pd.DataFrame({"source": ["a"], "x": [1]}), {"nowhere": 1}, seed=0)


def test_committed_reference_is_up_to_date():
    """docs/errors.md is what ``python scripts/gen_errors_doc.py`` writes from the registry."""
    doc = ROOT / "docs" / "errors.md"
    assert doc.read_text(encoding="utf-8") == render_doc(), "run: python scripts/gen_errors_doc.py"
    for code in codes():
        assert f"| {code} |" in doc.read_text(encoding="utf-8")
