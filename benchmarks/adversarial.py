"""Time against input size on adversarial texts, up to the report size limit (2,000,000 characters).

    python benchmarks/adversarial.py                                  # every case, 62,500 .. 2,000,000 characters
    python benchmarks/adversarial.py --cases stops names --max 500000 --repeat 3

Each case builds an input of about N characters that stresses one path that used to be quadratic (or worse) and
times the stage that reads it: segmentation, claim extraction (``Checker.extract``: segmentation, the parse,
attribution and speaker resolution, dates, numbers, places), or name matching in alignment and judging. For each N
(doubling from ``--min`` to ``--max``) it prints the median of ``--repeat`` runs, in wall-clock and in CPU seconds
of the process (``time.process_time``: on a shared machine the CPU time is the steadier figure), and the growth
ratio of the CPU time to the size before: about 2 is linear, 4 quadratic. The last line of a case is the exponent
fitted over its sizes (1 linear, 2 quadratic). A case stops growing once one run takes more than ``--budget`` CPU
seconds.

Cases:

* ``stops``: "Assad fled " and a run of full stops no capital follows (the segmenter's boundary pattern).
* ``stops-segment``: the same, segmentation alone.
* ``spaces``: a sentence with a long run of spaces before "officials said." (the regex attribution reader).
* ``quotes``: many quoted sentences, a quote left open across several ("X said:" carried, closed late).
* ``numbers``: many sentences with several figures and dates each.
* ``sentence``: one enormous sentence without a full stop.
* ``paragraphs``: many short paragraphs (headline-like lines and attributed sentences, many speakers).
* ``crlf``: the same paragraphs with ``\\r\\n`` line ends.
* ``names``: two claims naming N / 16 people each, aligned (``HybridAligner``) and judged (``RuleJudge``).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import string
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosscheck import Checker, Report  # noqa: E402
from crosscheck.data import MAX_REPORT_CHARS, Claim  # noqa: E402

_PARAGRAPH = (
    "Dam breach floods Kherson\n\nThe dam collapsed on Tuesday, officials said. {name} told reporters that "
    "900 people were evacuated. The ministry said he had left. They said the water would fall.\n\n"
)
_QUOTES = (
    '{name} said: "The dam held. We left at dawn. The water rose." "We will stay," he said. '
    '"Nobody told us," the residents said. '
)
_NUMBERS = "In Kherson 12 people died, 340 were hurt and 1,200 fled on June 6, 2023, two days after 3.5 metres. "


def _repeat(unit: Callable[[int], str], size: int) -> str:
    parts, total, n = [], 0, 0
    while total < size:
        part = unit(n)
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)[:size]


def _person(rng: random.Random) -> str:
    return " ".join(
        rng.choice(string.ascii_uppercase) + "".join(rng.choices(string.ascii_lowercase, k=6)) for _ in range(2)
    )


def _names(n: int) -> list[str]:
    rng = random.Random(n)
    return [_person(rng) for _ in range(n)]


def texts(case: str, size: int) -> str:
    """The adversarial text of ``case`` with about ``size`` characters."""
    rng = random.Random(size)
    if case in ("stops", "stops-segment"):
        return "Assad fled " + "." * (size - 12) + "x"
    if case == "spaces":
        return "The dam broke" + " " * (size - 28) + "officials said."
    if case == "quotes":
        return _repeat(lambda n: _QUOTES.format(name=_person(rng)), size)
    if case == "numbers":
        return _repeat(lambda n: _NUMBERS, size)
    if case == "sentence":
        return _repeat(lambda n: "the river rose and the dam held and ", size - 1) + "."
    if case in ("paragraphs", "crlf"):
        text = _repeat(lambda n: _PARAGRAPH.format(name=_person(rng)), size)
        return text.replace("\n", "\r\n")[:size] if case == "crlf" else text
    raise ValueError(case)


def run_case(case: str, size: int, checker: Checker) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``case`` at ``size`` characters (the input built outside the
    timing)."""
    wall, cpu = time.perf_counter(), time.process_time()
    work = _work(case, size, checker)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall - work[0], cpu - work[1]


def _work(case: str, size: int, checker: Checker) -> tuple[float, float]:
    """Run ``case`` once; returns the wall-clock and CPU seconds spent building its input (not timed)."""
    t0, c0 = time.perf_counter(), time.process_time()
    from crosscheck import parse

    parse._DOCS.clear()  # no parse of an earlier size is reused (and none is kept in memory)
    if case == "names":
        from crosscheck.align import HybridAligner
        from crosscheck.judge import RuleJudge

        k = max(1, size // 16)
        claims = [
            Claim(f"{r}:0", r, 0, 1, "x", "x", r, False, "asserted", False, entities=tuple(_names(k + i)))
            for i, r in enumerate("ab")
        ]
        vectors = np.ones((2, 4), dtype=np.float32) / 2
        judge = RuleJudge(nli=None)
        setup = time.perf_counter() - t0, time.process_time() - c0
        judge(claims, HybridAligner()(claims, vectors))
        return setup
    report = Report("r", texts(case, size), published="2024-06-12T09:00:00+00:00")
    setup = time.perf_counter() - t0, time.process_time() - c0
    if case == "stops-segment":
        checker.stages()["segmenter"](report)
    else:
        checker.extract([report])
    return setup


CASES = ("stops-segment", "names", "stops", "spaces", "paragraphs", "crlf", "quotes", "numbers", "sentence")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    ap.add_argument("--min", type=int, default=62_500, help="smallest size in characters")
    ap.add_argument("--max", type=int, default=MAX_REPORT_CHARS, help="largest size in characters")
    ap.add_argument("--repeat", type=int, default=1, help="runs per size (the median is printed)")
    ap.add_argument("--budget", type=float, default=300.0, help="stop a case once one run takes longer (CPU s)")
    args = ap.parse_args(argv)
    sizes = []
    n = args.min
    while n <= min(args.max, MAX_REPORT_CHARS):
        sizes.append(n)
        n *= 2
    checker = Checker()
    checker.extract([Report("warm", "The dam held on Tuesday, officials said.")])  # load the parser outside timings
    for case in args.cases:
        print(f"\n{case}\n{'chars':>10} {'wall s':>9} {'cpu s':>9} {'ratio':>6}", flush=True)
        done: list[tuple[int, float]] = []
        for size in sizes:
            runs = [run_case(case, size, checker) for _ in range(args.repeat)]
            wall, t = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
            ratio = f"{t / done[-1][1]:6.2f}" if done and done[-1][1] > 0 else f"{'':>6}"
            print(f"{size:>10,} {wall:>9.3f} {t:>9.3f} {ratio}", flush=True)
            done.append((size, t))
            if t > args.budget:
                print(f"{'':>10} (stopped: over the {args.budget:.0f} s budget)", flush=True)
                break
        timed = [(s, t) for s, t in done if t > 0.05]  # below that the fixed costs dominate
        if len(timed) >= 2:
            xs, ys = [math.log(s) for s, _ in timed], [math.log(t) for _, t in timed]
            slope = float(np.polyfit(xs, ys, 1)[0])
            print(f"{'exponent':>10} {slope:19.2f}  (CPU time, sizes over 0.05 s)", flush=True)


if __name__ == "__main__":
    main()
