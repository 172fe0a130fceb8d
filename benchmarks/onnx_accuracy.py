"""The ONNX variants against the torch models on the real-news benchmark, in one run.

    python benchmarks/onnx_accuracy.py --data benchmarks/news --configs torch fp32 int8 --json onnx_news.json

Each configuration is the default pipeline with its embedder and NLI model swapped (the judge's other settings
unchanged): ``torch`` (``MiniLMEmbedder`` and ``CrossEncoderNLI``, the pipeline before the ONNX export), ``fp32``
and ``int8`` (both exported models in that variant), ``int8-nli`` / ``int8-emb`` (only one of them int8),
``one-way`` (int8, the NLI model read in one direction only, its probabilities used for both) and ``cap64``
(int8, NLI pairs truncated to 64 tokens). For each: the benchmark's pooled metrics, the audit precision of the
shown findings, seconds, and how many findings (pair, relation, shown) differ from the first configuration's.
The token lengths of the NLI pairs read are reported once, from the first configuration.
"""

from __future__ import annotations

import argparse
import copy
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np


class OneWay:
    """An NLI model read in one direction: of the judge's (a->b, b->a) rows, only a->b runs; both get its output."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        forward = self.model.predict(list(pairs[0::2]))
        return np.repeat(forward, 2, axis=0)


class Lengths:
    """Records the token length of every pair an NLI model reads (through its tokenizer), then predicts."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.lengths: list[int] = []

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        from tokenizers import Tokenizer

        from crosscheck.inference import bundled_onnx_path

        tok = Tokenizer.from_file(str(bundled_onnx_path("nli") / "tokenizer.json"))
        tok.no_truncation()
        tok.no_padding()
        self.lengths += [len(e.ids) for e in tok.encode_batch(list(pairs))]
        return self.model.predict(pairs)


def checker_for(config: str) -> tuple[Any, Any]:
    """The default checker with this configuration's models, and the NLI object the judge reads."""
    from crosscheck import Checker
    from crosscheck.inference import OnnxEmbedder, OnnxNLI

    base = Checker().stages()
    if config == "torch":
        from crosscheck.embed import MiniLMEmbedder
        from crosscheck.judge import CrossEncoderNLI

        embedder, nli = MiniLMEmbedder(), CrossEncoderNLI()
    else:
        emb_variant = "fp32" if config in ("fp32", "int8-nli") else "int8"
        nli_variant = "fp32" if config in ("fp32", "int8-emb") else "int8"
        embedder = OnnxEmbedder(variant=emb_variant)
        nli = OnnxNLI(variant=nli_variant, max_length=64 if config == "cap64" else None)
        if config == "one-way":
            nli = OneWay(nli)
    judge = copy.copy(base["judge"])
    judge.nli = nli
    return Checker(embedder=embedder, judge=judge), nli


def signature(runs: Sequence[tuple[Any, Any, float]]) -> dict[tuple[str, str, str], tuple[str, bool]]:
    """Each finding's (relation, shown), keyed by event and claim pair."""
    out = {}
    for ev, res, _ in runs:
        for row in res.findings.itertuples():
            out[(ev.name, row.claim_a, row.claim_b)] = (row.relation, bool(row.shown))
    return out


def main() -> None:
    from crosscheck.eval import news
    from crosscheck.eval.newsdata import load_benchmark

    p = argparse.ArgumentParser()
    p.add_argument("--data", default="benchmarks/news")
    p.add_argument("--configs", nargs="+", default=["fp32", "int8"],
                   choices=["torch", "fp32", "int8", "int8-nli", "int8-emb", "one-way", "cap64"])
    p.add_argument("--json")
    args = p.parse_args()
    events = load_benchmark(args.data)
    out: dict[str, Any] = {}
    first: dict | None = None
    for i, config in enumerate(args.configs):
        checker, nli = checker_for(config)
        if i == 0:
            checker.judge.nli = nli = Lengths(nli)
        runs = news.run_events(events, checker)
        m = news.eval_news(args.data, runs=runs)
        sig = signature(runs)
        first = first if first is not None else sig
        changed = sum(1 for k in set(first) | set(sig) if first.get(k) != sig.get(k))
        pooled = m["pooled"]
        out[config] = {"seconds": round(m["seconds"], 1), "relation_accuracy": pooled["relation_accuracy"],
                       "conflict_recall": pooled["conflict_recall"], "aligned": pooled["aligned"],
                       "conflicts_per_report": pooled["conflicts_per_report"], "findings": len(sig),
                       "shown": sum(1 for _, s in sig.values() if s), "changed_vs_first": changed,
                       "audit": {rel: v["precision"] for rel, v in m.get("audit", {}).get("per_relation", {}).items()}}
        if i == 0:
            lengths = np.array(nli.lengths)
            out["nli_pair_tokens"] = {"pairs": int(lengths.size), **{f"p{q}": int(np.percentile(lengths, q))
                                      for q in (50, 90, 99)}, "max": int(lengths.max()),
                                      "over_64": int((lengths > 64).sum()), "over_128": int((lengths > 128).sum())}
            print(json.dumps({"nli_pair_tokens": out["nli_pair_tokens"]}), flush=True)
        print(json.dumps({config: out[config]}), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
