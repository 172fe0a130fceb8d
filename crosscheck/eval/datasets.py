"""Loaders for the public evaluation sets (read from a path, never bundled).

Each loader returns a pandas DataFrame with documented columns and raises
:class:`crosscheck.errors.DatasetError` when the files are missing, so tests and
benchmarks can skip cleanly.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from crosscheck.errors import DatasetError

if TYPE_CHECKING:
    import pandas as pd

_SNLI_LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}


def _need(path: Path) -> Path:
    if not path.exists():
        raise DatasetError(f"[E201] dataset file not found: {path}")
    return path


def load_snli(root: str | Path, split: str = "test") -> pd.DataFrame:
    """SNLI test: columns ``premise, hypothesis, label`` (label as a string)."""
    import pandas as pd

    if split != "test":
        raise DatasetError(f"[E202] SNLI split {split!r} is not available here; only 'test'")
    df = pd.read_csv(_need(Path(root) / "snli_1.0_test.csv"), keep_default_na=False)
    df["label"] = df["label"].astype(int).map(_SNLI_LABELS)
    return df[["premise", "hypothesis", "label"]]


def load_mnli(root: str | Path, split: str = "matched") -> pd.DataFrame:
    """MultiNLI dev matched/mismatched: ``premise, hypothesis, label, genre``."""
    import pandas as pd

    if split not in ("matched", "mismatched"):
        raise DatasetError(f"[E202] MultiNLI split must be 'matched' or 'mismatched', got {split!r}")
    df = pd.read_csv(_need(Path(root) / f"mnli_dev_{split}.csv"), keep_default_na=False)
    return df[["premise", "hypothesis", "label", "genre"]]


def load_sick(root: str | Path, split: str = "test") -> pd.DataFrame:
    """SICK: ``premise, hypothesis, label, relatedness`` (label lower-case)."""
    import pandas as pd

    name = {"test": "SICK_test_annotated.txt", "trial": "SICK_trial.txt"}.get(split)
    if name is None:
        raise DatasetError(f"[E202] SICK split must be 'test' or 'trial', got {split!r}")
    df = pd.read_csv(
        _need(Path(root) / name), sep="\t", header=None, quoting=csv.QUOTE_NONE,
        names=["pair_id", "premise", "hypothesis", "relatedness", "label"], keep_default_na=False,
    )
    df["label"] = df["label"].str.lower()
    return df[["premise", "hypothesis", "label", "relatedness"]]
