"""How NLI models handle negation in news-style sentences (a small hand-written challenge set).

    python benchmarks/negation_challenge.py crosscheck/models/nli-minilm-l6 runs/nli-v3/best [--json out.json]

``benchmarks/data/negation_news.csv`` holds 32 pairs we wrote ourselves (no data set text):
16 contradictions where one side is negated with do-support, "never", "nobody" or "has not"
(the forms :mod:`crosscheck.training.negation` does *not* generate, so this is not the
training template), 8 entailments where both sides are negated or the negation is about
another aspect, and 8 neutrals whose negation is about another aspect. Each model is scored
on the same pairs, with accuracy per ``kind``, and every pair on which the models disagree is
printed. 32 pairs is a probe of one weakness, not a benchmark of the model.

``--data benchmarks/data/attribution_news.csv`` scores the second hand-written set the same way:
24 news pairs where one or both sides are relayed by a speaker ("..., the governor told
reporters"), 10 restatements (entailment), 8 contradictions and 6 neutrals. The judge needs the
model to read a reporting clause as transparent; the speaker is the rules' business.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "negation_news.csv"


def predictions(model_dir: str, frame: Any) -> list[str]:
    """Predicted labels of a model directory, through the judge's own loader (:class:`CrossEncoderNLI`)."""
    from crosscheck.judge import NLI_LABELS, CrossEncoderNLI

    probs = CrossEncoderNLI(model_path=model_dir).predict(list(zip(frame.premise, frame.hypothesis)))
    return [NLI_LABELS[i] for i in probs.argmax(axis=1)]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    import pandas as pd

    p = argparse.ArgumentParser(prog="python benchmarks/negation_challenge.py")
    p.add_argument("models", nargs="+", help="NLI model directories")
    p.add_argument("--data", default=str(DATA))
    p.add_argument("--json")
    args = p.parse_args(argv)
    frame = pd.read_csv(args.data)
    results: dict[str, Any] = {}
    for model in args.models:
        pred = predictions(model, frame)
        frame[model] = pred
        right = frame.label == frame[model]
        results[model] = {"accuracy": round(float(right.mean()), 4), "correct": int(right.sum()), "n": len(frame),
                          "by_kind": {f"{lab}/{kind}": f"{int(g.sum())}/{len(g)}"
                                      for (lab, kind), g in right.groupby([frame.label, frame.kind])}}
        print(f"{model}: {results[model]['correct']}/{len(frame)} right  {results[model]['by_kind']}")
    differ = frame[frame[args.models].nunique(axis=1) > 1]
    for _, row in differ.iterrows():
        got = "  ".join(f"{m}: {row[m]}" for m in args.models)
        print(f"- [{row.label}] {row.premise} || {row.hypothesis}\n    {got}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
