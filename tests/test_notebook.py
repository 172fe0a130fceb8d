"""examples/compare-two-articles.ipynb runs top to bottom in a fresh kernel (nbclient) and shows the views."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "compare-two-articles.ipynb"


def test_committed_notebook_has_no_outputs():
    nbformat = pytest.importorskip("nbformat", reason="nbformat is in the dev extra: pip install -e '.[dev]'")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)


def test_notebook_runs_and_shows_the_side_by_side_view(monkeypatch):
    nbformat = pytest.importorskip("nbformat", reason="nbformat is in the dev extra: pip install -e '.[dev]'")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is in the dev extra: pip install -e '.[dev]'")
    pytest.importorskip("ipykernel", reason="ipykernel is in the dev extra: pip install -e '.[dev]'")
    # the kernel's "python" is this interpreter, and it imports the crosscheck under test
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(NOTEBOOK.parents[1]),
                                                                   os.environ.get("PYTHONPATH")) if p))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    html = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
            if "text/html" in o.get("data", {})]
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    compare, table, everything, matrix = html  # the repr, the findings DataFrame, all pairs, the five reports
    assert compare.startswith('<div class="crosscheck"') and 'class="cc-texts cc-pair"' in compare
    assert re.search(r'<tr id="[^"]+" class="cc-finding cc-rel-update"', compare)
    assert compare.count('class="cc-finding') < everything.count('class="cc-finding')  # related and hidden added
    assert "known_vs_unknown" in table
    assert 'class="cc-matrix"' in matrix and "cc-timeline" in matrix and 'class="cc-texts' not in matrix
