"""Cost of checking inputs: report construction, JSON Lines loading, refusing an oversized file.

    python benchmarks/input_validation.py [--reports 20000] [--repeats 7]

Every :class:`~crosscheck.Report` field is checked when the report is made (types, lone surrogates, metadata as
JSON data, publication range) and the loaders read a line at a time and check sizes before decoding. This prints
medians (ms) and the traced peak memory of each, as a markdown table, to compare against an older checkout
(``PYTHONPATH=<checkout> python benchmarks/input_validation.py``). The figures of the registry change are in the
commit message and the task report: a 2,000,000-character report is checked in about 10 ms, JSON Lines load at
about 30 µs a report, and an oversized text file is refused from its size, without reading it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crosscheck import CrosscheckError, Report


def measure(fn: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """Median wall time (ms) over ``repeats`` calls and the traced peak memory (MB) of one more call."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return 1000 * statistics.median(times), peak / 1e6


def refuse(path: Path) -> None:
    try:
        Report.from_file(path)
    except CrosscheckError:
        return
    raise AssertionError(f"{path} was accepted")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=20_000, help="reports in the JSON Lines file")
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    ascii_text = "Assad left Syria for Moscow. " * 68_000
    cyrillic = (
        "\u0410\u0441\u0430\u0434 \u043f\u043e\u043a\u0438\u043d\u0443\u043b \u0421\u0438\u0440\u0438\u044e. " * 99_000
    )
    with tempfile.TemporaryDirectory() as tmp:
        lines = Path(tmp) / "many.jsonl"
        with lines.open("w", encoding="utf-8") as fh:
            for i in range(args.reports):
                fh.write(json.dumps({"id": f"r{i}", "text": "Officials said the dam broke. " * 30, "extra": i}) + "\n")
        big = Path(tmp) / "big.txt"
        with big.open("wb") as fh:
            fh.truncate(9_000_000)  # sparse, over the 8,000,003-byte limit of a text file
        rows = [
            ("Report, 2,000,000 ASCII characters", lambda: Report("a", ascii_text)),
            ("Report, 2,000,000 Cyrillic characters", lambda: Report("a", cyrillic)),
            (
                f"Report.from_jsonl, {args.reports:,} reports ({lines.stat().st_size / 1e6:.0f} MB)",
                lambda: Report.from_jsonl(lines),
            ),
            ("Report.from_file refusing a 9 MB file", lambda: refuse(big)),
        ]
        print("| case | median ms | peak MB |\n|---|---|---|")
        for name, fn in rows:
            ms, mb = measure(fn, args.repeats)
            print(f"| {name} | {ms:.2f} | {mb:.1f} |")


if __name__ == "__main__":
    main()
