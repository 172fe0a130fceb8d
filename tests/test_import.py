"""``import crosscheck`` and the command line's help and usage errors load no heavy library (issue 16), and every
public name stays reachable through the lazy package (PEP 562 ``__getattr__``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import crosscheck

ROOT = Path(__file__).resolve().parents[1]
#: Libraries that ``import crosscheck`` must not load (each costs from a tenth of a second to seconds).
HEAVY = ("spacy", "torch", "onnxruntime", "sentence_transformers", "transformers", "dateparser", "trafilatura",
         "pandas", "numpy", "scipy", "datasketch")
#: The pipeline's modules, which the command line imports only once its options and inputs are read.
PIPELINE = ("crosscheck.pipeline", "crosscheck.judge", "crosscheck.extract", "crosscheck.parse", "crosscheck.embed")


def fresh(code: str) -> dict:
    """Run ``code`` in a fresh interpreter (this tree first on the path); it prints one JSON line last."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def loaded(prefix: str = "") -> str:
    """Code that prints the heavy libraries and pipeline modules now in ``sys.modules``, and crosscheck's file."""
    return (prefix + "\nimport json, sys, crosscheck\n"
            f"print(json.dumps({{'heavy': sorted(m for m in {HEAVY!r} if m in sys.modules), "
            f"'pipeline': sorted(m for m in {PIPELINE!r} if m in sys.modules), 'file': crosscheck.__file__}}))")


def test_import_loads_no_heavy_library() -> None:
    got = fresh(loaded("import crosscheck"))
    assert Path(got["file"]).resolve() == ROOT / "crosscheck" / "__init__.py"  # this tree, not another install
    assert got["heavy"] == []
    assert got["pipeline"] == []


def test_heavy_list_is_what_a_check_loads() -> None:
    """The guard can fail: running the pipeline's modules does load these (so their absence above is the laziness)."""
    got = fresh(loaded("import crosscheck, crosscheck.pipeline, crosscheck.scale"))
    assert {"pandas", "numpy"} <= set(got["heavy"])
    assert "crosscheck.pipeline" in got["pipeline"]


def test_the_default_pipeline_runs_without_importing_torch() -> None:
    """spaCy's thinc imports torch whenever it is installed; the default pipeline (ONNX models, spaCy on numpy)
    hides it while spaCy loads (:func:`crosscheck.parse.torch_hidden`), and torch still imports afterwards."""
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed: nothing to hide")
    got = fresh("import json, sys, crosscheck\n"
                "r = crosscheck.compare('The dam burst on Tuesday, officials said.', 'Officials said the dam burst.',"
                " cache=False)\n"
                "during = 'torch' in sys.modules\n"
                "import torch, thinc.compat\n"
                "print(json.dumps({'during': during, 'findings': len(r.finding_list), 'torch': torch.__version__,"
                " 'thinc_torch': thinc.compat.has_torch}))")
    assert got["during"] is False
    assert got["findings"] >= 1
    assert got["torch"] and got["thinc_torch"] is False  # the one lasting effect, as documented


@pytest.mark.parametrize("argv", [["--help"], ["compare", "--help"], ["check"], ["compare", "a.txt"],
                                  ["check", "--format", "pdf", "x.txt"], ["check", "no/such/file.txt"]])
def test_cli_help_and_errors_load_no_pipeline(argv: list[str]) -> None:
    got = fresh(loaded(f"import contextlib, io\nfrom crosscheck import cli\nerr = io.StringIO()\n"
                       f"with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):\n"
                       f"    try:\n        rc = cli.main({argv!r})\n    except SystemExit as exc:\n"
                       f"        rc = exc.code\n"
                       f"assert rc in (0, 2), (rc, err.getvalue())"))
    assert got["heavy"] == []
    assert got["pipeline"] == []


def test_every_public_name_resolves_in_a_fresh_interpreter() -> None:
    got = fresh("import json, crosscheck\n"
                "names = {n: type(getattr(crosscheck, n)).__name__ for n in crosscheck.__all__}\n"
                "ns = {}\nexec('from crosscheck import *', ns)\n"
                "print(json.dumps({'names': names, 'star': sorted(n for n in ns if n != '__builtins__'), "
                "'dir': sorted(set(crosscheck.__all__) - set(dir(crosscheck)))}))")
    assert sorted(got["names"]) == sorted(crosscheck.__all__)
    assert got["star"] == sorted(crosscheck.__all__)
    assert got["dir"] == []
    assert got["names"]["check"] == "function" and got["names"]["Checker"] == "type"


def test_public_names_are_their_modules_objects() -> None:
    from crosscheck import data, errors, pipeline, result, scale, stances

    assert set(crosscheck._MODULE_OF) == set(crosscheck.__all__) - {"__version__"}
    modules = {m.__name__: m for m in (data, errors, pipeline, result, scale, stances)}
    for name, module in crosscheck._MODULE_OF.items():
        assert getattr(crosscheck, name) is getattr(modules[module], name), name
    from crosscheck import Report, check

    assert Report is data.Report and check is pipeline.check
    assert set(crosscheck.__all__) <= set(dir(crosscheck))


def test_submodules_as_attributes_and_unknown_names() -> None:
    got = fresh("import json, crosscheck\n"
                "print(json.dumps({'result': crosscheck.result.SCHEMA_VERSION is not None, "
                "'stances': len(crosscheck.stances.FEATURE_NAMES) > 0, "
                "'missing': hasattr(crosscheck, 'no_such_name'), 'private': hasattr(crosscheck, '_no_such')}))")
    assert got == {"result": True, "stances": True, "missing": False, "private": False}
    with pytest.raises(AttributeError, match="no_such_name"):
        crosscheck.no_such_name  # noqa: B018


def test_cli_keeps_its_report_format_names() -> None:
    from crosscheck import cli
    from crosscheck.cli import github_annotations, junit
    from crosscheck.testing import formats

    assert junit is formats.junit and github_annotations is formats.github_annotations
    with pytest.raises(AttributeError, match="no_such_name"):
        cli.no_such_name  # noqa: B018
