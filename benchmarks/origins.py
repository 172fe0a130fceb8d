"""Origins and positions, measured: wire copies on the real-news benchmark and on FNC-1-made copies, and where the
benchmark's gold pairs land in the positions.

    python benchmarks/origins.py                       # everything (the pipeline's stage outputs are cached)
    python benchmarks/origins.py --only copies          # wire copies only (no model needed: seconds)
    python benchmarks/origins.py --cache /tmp/cc-origins --json /tmp/origins.json

Wire copies: the gold of the real-news benchmark is each manifest row's ``wire`` (reports crediting one agency in one
event share an origin; the reports are checked without that field); the synthetic set is made at run time from
FNC-1 *train* bodies (:func:`crosscheck.eval.origins.synthetic_copies`). Both print pair precision and recall and
B-cubed F1, for the full finder and with wire credits off (near-duplicates only), in the same run.

Positions: the pipeline's claims and findings for each event are computed once and cached (``--cache``, JSON of
the judge's output); then origins, copy marking, topics and positions are rebuilt from them, with and without
merging by origin (``PositionBuilder(merge_origins=...)``), and the gold pairs are scored
(:func:`crosscheck.eval.origins.position_scores`), and the topics' split by question is scored against the gold
questions (:func:`crosscheck.eval.origins.question_bcubed`: B-cubed precision falls with catch-all topics, which the
positions score rewards). The consensus of each topic that holds gold pairs is printed
with its gold questions, for the hand check in docs/origins.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosscheck.aggregate import TopicAggregator  # noqa: E402
from crosscheck.eval.newsdata import load_benchmark, read_jsonl  # noqa: E402
from crosscheck.eval.origins import (  # noqa: E402
    bcubed,
    fnc_bodies,
    gold_origins,
    gold_stories,
    pair_scores,
    position_scores,
    question_bcubed,
    read_stories,
    strip_wire,
    summarise_positions,
    synthetic_copies,
)
from crosscheck.origins import OriginFinder, mark_copies  # noqa: E402
from crosscheck.positions import PositionBuilder  # noqa: E402
from crosscheck.result import Result  # noqa: E402

FNC = Path(os.environ.get("CROSSCHECK_DATA", ROOT.parent / "shared" / "data")) / "fnc-1"


def _pooled(per: dict[str, tuple[dict[str, str], dict[str, str]]]) -> tuple[dict[str, str], dict[str, str]]:
    gold, pred = {}, {}
    for name, (g, p) in per.items():
        gold.update({f"{name}/{k}": f"{name}/{v}" for k, v in g.items()})
        pred.update({f"{name}/{k}": f"{name}/{v}" for k, v in p.items()})
    return gold, pred


def copies_news(data: Path, finder: OriginFinder, *, gold_kind: str = "wire",
                predicted: str = "reports") -> dict[str, object]:
    """Copy-pair and B-cubed scores of ``finder`` on the benchmark, per event and pooled, plus the disagreements.

    ``gold_kind``: ``"wire"`` (the manifest's ``wire``: one agency, one origin) or ``"story"`` (the hand labels of
    ``stories.csv``: copies of one upstream story); ``predicted``: the finder's ``"reports"`` (origins) or
    ``"stories"``."""
    per, out, misses = {}, {}, []
    labels = read_stories(data / "stories.csv") if gold_kind == "story" else {}
    for ev in load_benchmark(data):
        manifest = list(read_jsonl(data / "events" / ev.name / "manifest.jsonl"))
        gold = gold_stories(ev, labels) if gold_kind == "story" else gold_origins(ev, manifest)
        origins = finder(strip_wire(ev.reports), [])
        pred = dict(getattr(origins, predicted))
        per[ev.name] = (gold, pred)
        out[ev.name] = {"pairs": pair_scores(gold, pred), "bcubed": bcubed(gold, pred)}
        n_gold, n_pred = Counter(gold.values()), Counter(pred.values())
        misses += [{"report": rid, "gold": gold[rid], "predicted": pred[rid]} for rid in gold
                   if (n_gold[gold[rid]] > 1 or n_pred[pred[rid]] > 1)
                   and {r for r in gold if gold[r] == gold[rid]} != {r for r in pred if pred[r] == pred[rid]}]
    g, p = _pooled(per)
    out["pooled"] = {"pairs": pair_scores(g, p), "bcubed": bcubed(g, p)}
    out["disagreements"] = misses
    return out


def copies_fnc(finder: OriginFinder, *, seed: int = 0, predicted: str = "reports") -> dict[str, object]:
    """Scores on the synthetic copies made from FNC-1 bodies (the finder's ``predicted``: ``"reports"`` or
    ``"stories"``)."""
    reports, gold = synthetic_copies(fnc_bodies(FNC), seed=seed)
    origins = finder(reports, [])
    pred = dict(getattr(origins, predicted))
    kinds = Counter(r.id.rstrip("0123456789-") for r in reports)
    return {"n_reports": len(reports), "made": dict(kinds), "pairs": pair_scores(gold, pred),
            "bcubed": bcubed(gold, pred), "copied_passages": len(origins.passages)}


def cached_runs(data: Path, cache: Path) -> list[tuple[object, Result]]:
    """``(event, result)`` for each event: the pipeline's result, from ``cache`` when it is there."""
    cache.mkdir(parents=True, exist_ok=True)
    out = []
    checker = None
    for ev in load_benchmark(data):
        path = cache / f"{ev.name}.json"
        if not path.exists():
            from crosscheck.pipeline import default_checker

            checker = checker or default_checker()
            t0 = time.perf_counter()
            path.write_text(checker.check(ev.reports).to_json(), encoding="utf-8")
            print(f"  {ev.name}: checked in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
        out.append((ev, Result.from_json(path.read_text(encoding="utf-8"))))
    return out


def rebuild(result: Result, *, merge_origins: bool = True, related_similarity: float | None = 0.7,
            attach: float | None | str = "default", pairs: bool = False) -> tuple:
    """Origins, copy marking, topics and positions rebuilt from a result's claims and judged findings (``attach``:
    the aggregator's ``attach_similarity``, its default unless given)."""
    reports, claims = result.reports, result.claim_list
    findings = list(result.finding_list)
    origins = OriginFinder()(reports, claims)
    findings = mark_copies(findings, claims, origins)
    aggregator = (TopicAggregator(attach_pairs=pairs) if attach == "default"
                  else TopicAggregator(attach_similarity=attach, attach_pairs=pairs))
    topics = aggregator(reports, claims, findings)
    questions = PositionBuilder(merge_origins=merge_origins, related_similarity=related_similarity)(
        reports, claims, findings, topics, origins)
    return topics, questions, origins, findings


def positions_news(runs: list[tuple[object, Result]]) -> dict[str, object]:
    out: dict[str, object] = {}
    variants: dict[str, tuple] = {"agree_only": (False, None, None), "merge_origins": (True, None, None),
                                  "before (no attaching)": (True, 0.7, None), "default": (True, 0.7, "default")}
    variants.update({f"merge_origins_related_{t}": (True, t, None) for t in (0.65, 0.75, 0.8)})
    variants.update({f"attach_{t}": (True, 0.7, t) for t in (None, 0.5, 0.6, 0.65)})
    variants.update({f"attach_0.55_related_{r}": (True, r, 0.55) for r in (0.6, 0.7)})
    variants.update({f"attach_{t}_pairs_related_{r}": (True, r, t, True) for t in (0.55,) for r in (0.6, 0.7)})
    for name, (merge, related, attach, *pairs) in variants.items():
        rows, per, sizes, purity = [], {}, [], []
        for ev, res in runs:
            topics, questions, _, _ = rebuild(res, merge_origins=merge, related_similarity=related, attach=attach,
                                              pairs=bool(pairs and pairs[0]))
            s = position_scores(ev, res.claim_list, questions)
            rows += s.pop("_rows")
            per[ev.name] = s | {"questions": question_bcubed(ev, res.claim_list, topics)}
            purity.append(per[ev.name]["questions"])
            sizes += [len(t.claim_ids) for t in topics]
        n_items = sum(q["n"] for q in purity) or 1
        out[name] = {"events": per, "pooled": summarise_positions(rows),
                     "questions": {k: round(sum(q[k] * q["n"] for q in purity) / n_items, 4)
                                   for k in ("precision", "recall", "f1")},
                     "n_topics": len(sizes),
                     "mean_topic_size": round(sum(sizes) / len(sizes), 2) if sizes else 0.0,
                     "largest_topic": max(sizes, default=0)}
    return out


def copies_among_agreements(runs: list[tuple[object, Result]], labels_path: Path) -> dict[str, int]:
    """The shown agreements (probability at least each result's threshold) split into copies and independent ones,
    with how many of each the precision audit labelled and found right."""
    from crosscheck.eval.news import finding_key, read_labels

    labels = read_labels(labels_path) if labels_path.exists() else {}
    out: Counter[str] = Counter()
    for ev, res in runs:
        _, _, _, findings = rebuild(res)
        by_id = {c.id: c for c in res.claim_list}
        for f in findings:
            if f.relation != "agree" or not (f.probability is None or res.min_probability is None
                                              or f.probability >= res.min_probability):
                continue
            side = "copy" if f.kind == "copy" else "independent"
            label = labels.get(finding_key(ev.name, by_id[f.claim_a], by_id[f.claim_b]), {}).get("label")
            out[f"{side}_shown"] += 1
            out[f"{side}_labelled"] += bool(label)
            out[f"{side}_right"] += label == "agree"
    return dict(out)


def consensus_table(runs: list[tuple[object, Result]]) -> list[dict[str, object]]:
    """For each topic that holds both claims of a gold pair: its consensus and the gold questions and relations
    of the pairs in it (no text), for the hand check."""
    from crosscheck.eval.news import best_claim

    table = []
    for ev, res in runs:
        topics, questions, _, _ = rebuild(res, merge_origins=True)
        topic_of = {cid: t.id for t in topics for cid in t.claim_ids}
        seen: dict[str, dict[str, object]] = {}
        for g in ev.pairs:
            ca = best_claim([c for c in res.claim_list if c.report_id == g.a.report], g.a)
            cb = best_claim([c for c in res.claim_list if c.report_id == g.b.report], g.b)
            if not ca or not cb or topic_of.get(ca.id) is None or topic_of.get(ca.id) != topic_of.get(cb.id):
                continue
            tid = topic_of[ca.id]
            cons = questions.consensus[tid]
            row = seen.setdefault(tid, {"event": ev.name, "topic": tid, "consensus": cons.status,
                                        "n_independent_sources": cons.n_independent_sources,
                                        "n_positions": sum(p.topic_id == tid for p in questions.positions),
                                        "gold": Counter()})
            row["gold"][(g.question, g.relation)] += 1  # type: ignore[index]
        for row in seen.values():
            row["gold"] = {f"{q} / {r}": n for (q, r), n in row["gold"].items()}  # type: ignore[union-attr]
            table.append(row)
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "news")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/crosscheck-origins-cache"))
    ap.add_argument("--only", choices=("copies", "positions"), default=None)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    report: dict[str, object] = {}
    if args.only in (None, "copies"):
        for name, finder in (("full", OriginFinder()), ("near_duplicates_only", OriginFinder(use_credits=False))):
            t0 = time.perf_counter()
            report[f"news_{name}"] = copies_news(args.data, finder)
            report[f"fnc_{name}"] = copies_fnc(finder) if FNC.exists() else None
            report[f"seconds_{name}"] = round(time.perf_counter() - t0, 2)
        # copies of one story (the hand labels of stories.csv) against the finder's origins and its stories
        finder = OriginFinder()
        for predicted in ("reports", "stories"):
            report[f"news_story_gold_{predicted}"] = copies_news(args.data, finder, gold_kind="story",
                                                                  predicted=predicted)
        report["fnc_stories"] = copies_fnc(finder, predicted="stories") if FNC.exists() else None
    if args.only in (None, "positions"):
        runs = cached_runs(args.data, args.cache)
        report["positions"] = positions_news(runs)
        report["consensus"] = consensus_table(runs)
        report["agreements"] = copies_among_agreements(runs, args.data / "audit_labels.csv")
    text = json.dumps(report, indent=1, default=str)
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
