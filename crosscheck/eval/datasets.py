"""Loaders for the public evaluation sets (read from a path, never bundled).

Each loader returns a pandas DataFrame with documented columns and raises
:class:`crosscheck.errors.DatasetError` when the files are missing, so tests and
benchmarks can skip cleanly.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from crosscheck.errors import DatasetError, Errors

if TYPE_CHECKING:
    import pandas as pd

_SNLI_LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}


def _need(path: Path) -> Path:
    if not path.exists():
        raise DatasetError(Errors.E201.format(what="dataset file", path=path))
    return path


def load_snli(root: str | Path, split: str = "test") -> pd.DataFrame:
    """SNLI test: columns ``premise, hypothesis, label`` (label as a string)."""
    import pandas as pd

    if split != "test":
        raise DatasetError(Errors.E202.format(dataset="SNLI", allowed="'test' (the only one here)", split=split))
    df = pd.read_csv(_need(Path(root) / "snli_1.0_test.csv"), keep_default_na=False)
    df["label"] = df["label"].astype(int).map(_SNLI_LABELS)
    return df[["premise", "hypothesis", "label"]]


def load_mnli(root: str | Path, split: str = "matched") -> pd.DataFrame:
    """MultiNLI dev matched/mismatched: ``premise, hypothesis, label, genre``."""
    import pandas as pd

    if split not in ("matched", "mismatched"):
        raise DatasetError(Errors.E202.format(dataset="MultiNLI", allowed="'matched' or 'mismatched'", split=split))
    df = pd.read_csv(_need(Path(root) / f"mnli_dev_{split}.csv"), keep_default_na=False)
    return df[["premise", "hypothesis", "label", "genre"]]


def load_sick(root: str | Path, split: str = "test") -> pd.DataFrame:
    """SICK: ``premise, hypothesis, label, relatedness`` (label lower-case)."""
    import pandas as pd

    name = {"test": "SICK_test_annotated.txt", "trial": "SICK_trial.txt"}.get(split)
    if name is None:
        raise DatasetError(Errors.E202.format(dataset="SICK", allowed="'test' or 'trial'", split=split))
    df = pd.read_csv(
        _need(Path(root) / name), sep="\t", header=None, quoting=csv.QUOTE_NONE,
        names=["pair_id", "premise", "hypothesis", "relatedness", "label"], keep_default_na=False,
    )
    df["label"] = df["label"].str.lower()
    return df[["premise", "hypothesis", "label", "relatedness"]]


def load_fnc(root: str | Path, split: str = "test") -> pd.DataFrame:
    """FNC-1 (or ARC, same format): ``headline, body_id, body, stance`` per pair.

    ``split`` is ``train`` or ``test`` (FNC-1's competition test; ARC's test).
    """
    import pandas as pd

    root = Path(root)
    if (root / "arc_bodies.csv").exists():
        stances_name = {"train": "arc_stances_train.csv", "test": "arc_stances_test.csv"}.get(split)
        bodies_name = "arc_bodies.csv"
    else:
        stances_name = {"train": "train_stances.csv", "test": "competition_test_stances.csv"}.get(split)
        bodies_name = "train_bodies.csv" if split == "train" else "competition_test_bodies.csv"
    if stances_name is None:
        raise DatasetError(Errors.E202.format(dataset="FNC-1/ARC", allowed="'train' or 'test'", split=split))
    stances = pd.read_csv(_need(root / stances_name), keep_default_na=False)
    bodies = pd.read_csv(_need(root / bodies_name), keep_default_na=False)
    body_text = dict(zip(bodies["Body ID"], bodies["articleBody"]))
    out = pd.DataFrame({"headline": stances["Headline"], "body_id": stances["Body ID"],
                        "stance": stances["Stance"].str.lower()})
    out["body"] = out["body_id"].map(body_text)
    return out[out["body"].notna()].reset_index(drop=True)


def load_stsb(root: str | Path, split: str = "test") -> pd.DataFrame:
    """STS-B: ``sentence1, sentence2, score`` (0 to 5)."""
    import pandas as pd

    name = {"train": "sts-train.csv", "dev": "sts-dev.csv", "test": "sts-test.csv"}.get(split)
    if name is None:
        raise DatasetError(Errors.E202.format(dataset="STS-B", allowed="train, dev or test", split=split))
    rows = []
    with open(_need(Path(root) / name), encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 7:
                rows.append({"sentence1": parts[5], "sentence2": parts[6], "score": float(parts[4])})
    return pd.DataFrame(rows, columns=["sentence1", "sentence2", "score"])
