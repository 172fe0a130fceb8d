"""The authored news claim pairs as NLI training rows (for ``crosscheck.training.nli --extra``).

    python -m crosscheck.training.news_nli --out runs/news_nli.csv [--repeat 3]

Each authored pair of the ``train`` split (``news_pairs/*.jsonl.gz``, docs/relation-model.md) becomes NLI rows on
its content alone, since speakers and time are the rules' business: ``agree`` is entailment and ``related`` is
neutral, both in both directions (a paraphrase across outlets holds either way; two facts of one event are
neutral either way); ``contradict`` and ``disputed`` are contradiction (the two claims cannot both be true), as is
an ``update`` whose later claim replaces the earlier one's content. Updates of the patterns where the earlier claim
said nothing definite ("not said" then said, a negation elsewhere in the sentence) are left out: their content
relation is not one label. The validation split is never written. ``--repeat`` copies each row that many times,
so the news rows weigh more against the general NLI data.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import Any

from crosscheck.training.relation import PAIRS, load_pairs

SOURCE = "news_pairs"
LICENCE = "crosscheck (authored for the project)"
#: Update patterns whose earlier claim asserts nothing the later one contradicts.
UPDATE_SKIPPED = frozenset({"not_said_then_said", "negation_elsewhere"})
_LABEL = {"agree": "entailment", "related": "neutral", "contradict": "contradiction",
          "disputed": "contradiction", "update": "contradiction"}
_SYMMETRIC = frozenset({"entailment", "neutral"})


def nli_rows(pairs: list[dict[str, Any]], *, repeat: int = 1) -> list[dict[str, str]]:
    """NLI rows (premise, hypothesis, label, source, license) from the training split of ``pairs``.

    >>> pair = {"split": "train", "relation": "agree", "pattern": "paraphrase_outlets",
    ...         "a": {"text": "Ten died."}, "b": {"text": "The toll is ten."}}
    >>> [(r["premise"], r["label"]) for r in nli_rows([pair])]
    [('Ten died.', 'entailment'), ('The toll is ten.', 'entailment')]
    """
    rows: list[dict[str, str]] = []
    for pair in pairs:
        if pair["split"] != "train":
            continue
        if pair["relation"] == "update" and pair["pattern"] in UPDATE_SKIPPED:
            continue
        label = _LABEL[pair["relation"]]
        a, b = pair["a"]["text"], pair["b"]["text"]
        sides = [(a, b), (b, a)] if label in _SYMMETRIC else [(a, b)]
        for premise, hypothesis in sides:
            rows.extend({"premise": premise, "hypothesis": hypothesis, "label": label, "source": SOURCE,
                         "license": LICENCE} for _ in range(repeat))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(prog="python -m crosscheck.training.news_nli", description=__doc__.splitlines()[0])
    p.add_argument("--pairs", default=str(PAIRS), help="folder of the authored pairs")
    p.add_argument("--out", required=True, help="CSV to write")
    p.add_argument("--repeat", type=int, default=1, help="copies of each row")
    args = p.parse_args(argv)
    rows = nli_rows(load_pairs(args.pairs), repeat=args.repeat)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["premise", "hypothesis", "label", "source", "license"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
