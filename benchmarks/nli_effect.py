"""Effect of the NLI model (and judge settings) on the pipeline's findings: before and after.

    python benchmarks/nli_effect.py --before runs/nli-v1 --after crosscheck/models/nli-minilm-l6 \
        [--fnc ../shared/data/fnc-1 --bodies 10 [--skip 10]] [--set-before negation_similarity=0]

Runs :func:`crosscheck.check` over ``examples/assad.jsonl`` (and, with ``--fnc``, over the
first ``--bodies`` FNC-1 *train* bodies grouped by headline) with two judges that differ
only in the NLI model directory (``none`` = rules only) and in the ``--set-before`` /
``--set-after`` judge settings. Prints the relation counts of each and every finding whose
relation or kind changed, with both claims' text.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scaling import EXAMPLE, grouped_bodies  # noqa: E402


def _setting(text: str) -> tuple[str, float]:
    name, _, value = text.partition("=")
    return name, float(value)


def findings(reports: list[Any], model_dir: str, settings: dict[str, float], embedder: Any) -> Any:
    """The findings frame of one run (the embedder is shared, so runs differ only in the judge)."""
    from crosscheck import Checker
    from crosscheck.judge import CrossEncoderNLI, RuleJudge
    from crosscheck.pipeline import load_profile

    judge_settings = {**load_profile("default").get("judge", {}), **settings}
    nli = None if model_dir == "none" else CrossEncoderNLI(model_path=model_dir)
    checker = Checker(embedder=embedder, judge=RuleJudge(nli=nli, **judge_settings))
    return checker.check(reports).findings


def compare(name: str, reports: list[Any], args: argparse.Namespace, embedder: Any) -> dict[str, Any]:
    """Counts before and after, and the findings that changed, for one set of reports."""
    before = findings(reports, args.before, dict(args.set_before), embedder)
    after = findings(reports, args.after, dict(args.set_after), embedder)
    merged = before.merge(after, on="finding_id", suffixes=("_before", "_after"))
    changed = merged[(merged.relation_before != merged.relation_after) | (merged.kind_before != merged.kind_after)]
    out = {
        "set": name,
        "reports": len(reports),
        "before": before.relation.value_counts().sort_index().to_dict(),
        "after": after.relation.value_counts().sort_index().to_dict(),
        "changed": [
            {"before": f"{r.relation_before}/{r.kind_before}", "after": f"{r.relation_after}/{r.kind_after}",
             "a": r.text_a_before, "b": r.text_b_before, "similarity": round(float(r.similarity_before), 3)}
            for r in changed.itertuples()
        ],
    }
    print(f"\n== {name}: {len(reports)} reports, {len(merged)} judged pairs")
    print(f"before {args.before} {dict(args.set_before)}: {out['before']}")
    print(f"after  {args.after} {dict(args.set_after)}: {out['after']}")
    for c in out["changed"][: args.show]:
        print(f"  {c['before']:>22} -> {c['after']:<22} sim {c['similarity']:.2f}\n      a: {c['a'][:110]}\n      b: {c['b'][:110]}")
    if len(out["changed"]) > args.show:
        print(f"  ... and {len(out['changed']) - args.show} more")
    return out


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", required=True, help="NLI model directory, or 'none' (rules only)")
    p.add_argument("--after", required=True, help="NLI model directory, or 'none' (rules only)")
    p.add_argument("--set-before", type=_setting, action="append", default=[], metavar="NAME=VALUE",
                   help="judge setting for the 'before' run (over the default profile)")
    p.add_argument("--set-after", type=_setting, action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--fnc", type=Path, help="FNC-1 folder: also compare on grouped train bodies")
    p.add_argument("--bodies", type=int, default=10)
    p.add_argument("--skip", type=int, default=0, help="leave out the first SKIP grouped bodies (a fresh sample)")
    p.add_argument("--show", type=int, default=20, help="changed findings to print per set")
    p.add_argument("--json", type=Path, help="write the comparison here")
    args = p.parse_args(argv)

    from crosscheck import Report
    from crosscheck.embed import MiniLMEmbedder

    embedder = MiniLMEmbedder()
    results = [compare("examples/assad.jsonl", Report.from_jsonl(EXAMPLE), args, embedder)]
    if args.fnc:
        bodies = [Report(bid, text) for bid, text in grouped_bodies(args.fnc, args.bodies, skip=args.skip)]
        name = f"FNC-1 train, {len(bodies)} grouped bodies" + (f" after the first {args.skip}" if args.skip else "")
        results.append(compare(name, bodies, args, embedder))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
