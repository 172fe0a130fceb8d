"""Throughput and memory of the bundled NLI cross-encoder on this CPU.

    python benchmarks/nli_throughput.py [--data ../shared/data] [--runs 5] [--pairs 512] [--int8]

Pairs come from SNLI test when the data folder is there, else from the bundled examples.
Prints the median pairs/s at batch 32 over several runs, peak RSS and the weights' size.
``--int8`` also measures, in the same run, the model with its linear layers quantised to int8
(``torch.ao.quantization.quantize_dynamic``): its median pairs/s and, with the data folder,
SNLI test accuracy of both (the int8 model is only worth shipping within half a point).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

from crosscheck.judge import CrossEncoderNLI, bundled_nli_path


def pairs_for(data: Path, n: int) -> list[tuple[str, str]]:
    path = data / "snli" / "snli_1.0_test.csv"
    if path.exists():
        import pandas as pd

        df = pd.read_csv(path).head(n)
        return list(zip(df.premise, df.hypothesis))
    from crosscheck import Checker, Report

    examples = Path(__file__).resolve().parents[1] / "examples" / "assad.jsonl"
    claims = [c.proposition for c in Checker().extract(Report.from_jsonl(examples))]
    pairs = [(a, b) for a in claims for b in claims if a != b]
    return (pairs * (n // len(pairs) + 1))[:n]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="../shared/data")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--pairs", type=int, default=512)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--int8", action="store_true", help="also measure a dynamically quantised int8 copy")
    args = p.parse_args()
    pairs = pairs_for(Path(args.data), args.pairs)
    model = CrossEncoderNLI(batch_size=args.batch_size)
    model.predict(pairs[:32])  # load and warm up
    rates = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        model.predict(pairs)
        rates.append(len(pairs) / (time.perf_counter() - t0))
    out = {
        "pairs": len(pairs), "batch_size": args.batch_size, "runs": args.runs,
        "median_pairs_per_s": round(statistics.median(rates), 1),
        "min_pairs_per_s": round(min(rates), 1), "max_pairs_per_s": round(max(rates), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "weights_mb": round((bundled_nli_path() / "model.safetensors").stat().st_size / 2**20, 1),
    }
    if args.int8:
        out.update(int8_comparison(model, pairs, args))
    print(json.dumps(out, indent=2))


def int8_comparison(model: CrossEncoderNLI, pairs: list[tuple[str, str]], args: argparse.Namespace) -> dict:
    """Median pairs/s of an int8 copy, and SNLI test accuracy of both models when the data is there."""
    import torch

    tok, fp32, order = model._load()
    int8 = CrossEncoderNLI(batch_size=args.batch_size)
    int8._loaded = (tok, torch.ao.quantization.quantize_dynamic(fp32, {torch.nn.Linear}, dtype=torch.qint8), order)
    rates = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        int8.predict(pairs)
        rates.append(len(pairs) / (time.perf_counter() - t0))
    out = {"int8_median_pairs_per_s": round(statistics.median(rates), 1)}
    snli = Path(args.data) / "snli"
    if snli.exists():
        from crosscheck.eval.datasets import load_snli
        from crosscheck.eval.metrics import classification
        from crosscheck.judge import NLI_LABELS

        df = load_snli(snli)
        test = list(zip(df.premise, df.hypothesis))
        for name, m in (("fp32", model), ("int8", int8)):
            pred = [NLI_LABELS[i] for i in m.predict(test).argmax(axis=1)]
            out[f"{name}_snli_test_accuracy"] = round(classification(list(df.label), pred, NLI_LABELS)["accuracy"], 4)
    return out


if __name__ == "__main__":
    main()
