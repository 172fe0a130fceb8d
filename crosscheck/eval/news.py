"""Score crosscheck on the real-news development benchmark (``crosscheck eval news``) and audit its precision.

**Scorer.** :func:`eval_news` runs ``check()`` on each event's reports and matches every gold pair to the findings
whose two claim spans overlap the two gold spans (by at least half of the shorter span, in either order). It
reports, per event and pooled (keys are stable):

- ``aligned``: share of gold pairs matched by any finding; ``relation_accuracy`` over all gold pairs (an
  unaligned pair counts as wrong) and ``relation_accuracy_aligned`` over the aligned ones;
- ``per_relation``: recall and support per gold relation; ``confusion``: gold relation -> predicted relation
  counts (``unaligned`` when no finding matched);
- ``conflict_recall``: gold contradict/disputed/update pairs found as any of the three;
  ``agree_as_conflict``: gold agree pairs found as one of the three (count and share);
  ``related_as_conflict``: the same for the gold ``related`` hard negatives;
- ``speaker_accuracy`` on the speaker gold (see :func:`speaker_matches`);
- ``findings`` by relation, ``conflicts_per_report`` (contradict + disputed + update findings per report: what a
  user has to read), ``judged_pairs_per_claim``, ``n_reports``, ``n_claims``, ``seconds``.

**Audit.** :func:`audit_sample` draws ``n`` findings per relation (seeded) into a labelling table with both spans,
speakers, dates and the reason, and a ``label`` column to fill in with the true relation (one of
:data:`~crosscheck.data.RELATIONS`, or ``unrelated`` for a pair about different things). Labels are keyed by
:func:`finding_key` (event, both reports, offsets and span hashes), so :func:`merge_labels` keeps them without any
text and :func:`audit_precision` scores any later run on the findings that have a label.
"""

from __future__ import annotations

import csv
import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from crosscheck.data import RELATIONS, Claim
from crosscheck.errors import DatasetError, Errors
from crosscheck.eval.newsdata import GoldSpeaker, NewsEvent, Span, load_benchmark, span_hash

CONFLICTS = ("contradict", "disputed", "update")
AUDIT_LABELS = (*RELATIONS, "unrelated")
#: Why a finding is wrong: the codes of the labels file's ``cause`` column (empty for a right finding).
CAUSES = {
    "negation_other_clause": "a negation outside the claim's main predicate (another clause, a quote, a denial "
                             "of something else)",
    "numbers_count_different_things": "numbers that count different things, or the same thing at other places or times",
    "places_route_or_nested": "places on one route, or a place and the area that contains it",
    "dates_of_different_events": "dates that belong to different events",
    "not_a_claim": "a headline, caption, byline, dateline or page furniture taken as a claim",
    "rival_speakers_as_update": "rival speakers turned into an update because one report is later",
    "update_as_contradiction": "a figure or status that changed over time read as a contradiction",
    "same_side_as_conflict": "compatible claims (one side's claim and another detail) read as a conflict",
    "model_false_conflict": "the model calls compatible or equivalent claims incompatible",
    "speaker_misread": "wrong speaker or attribution, so the wrong relation of speakers",
    "agreement_missed": "the same proposition judged related or a conflict",
    "different_questions": "two claims about different questions aligned",
    "blame_misread": "who is held responsible misread: an accusation about another act, a side that names the target "
                     "or a speaker, one report giving both sides' accounts",
    "other": "anything else (see the note)",
}
#: Columns of the committed labels file (offsets and hashes only, no text).
LABEL_COLUMNS = ["key", "event", "report_a", "start_a", "end_a", "sha256_a", "report_b", "start_b", "end_b",
                 "sha256_b", "predicted", "kind", "label", "cause", "note"]
#: Columns of the labelling table that :func:`audit_sample` writes (holds text: keep it out of the repository).
AUDIT_COLUMNS = ["key", "event", "predicted", "kind", "score", "reason", "report_a", "source_a", "published_a",
                 "speaker_a", "start_a", "end_a", "text_a", "report_b", "source_b", "published_b", "speaker_b",
                 "start_b", "end_b", "text_b", "label", "cause", "note"]


def overlaps(start: int, end: int, span: Span) -> bool:
    """True when ``[start, end)`` and ``span`` share at least half of the shorter of the two."""
    inter = min(end, span.end) - max(start, span.start)
    shorter = min(end - start, span.end - span.start)
    return shorter > 0 and inter * 2 >= shorter


def _match(gold_a: Span, gold_b: Span, claim_a: Claim, claim_b: Claim) -> int:
    """Overlap size when the claims cover the gold spans (either order), else 0."""
    for x, y in ((claim_a, claim_b), (claim_b, claim_a)):
        if (x.report_id == gold_a.report and y.report_id == gold_b.report
                and overlaps(x.start, x.end, gold_a) and overlaps(y.start, y.end, gold_b)):
            return (min(x.end, gold_a.end) - max(x.start, gold_a.start)) + (min(y.end, gold_b.end)
                                                                              - max(y.start, gold_b.start))
    return 0


def match_pairs(event: NewsEvent, result: Any) -> list[Any]:
    """For each gold pair of ``event``, the best-overlapping finding of ``result`` (or None)."""
    by_id = {c.id: c for c in result.claim_list}
    by_report: dict[str, list[Any]] = {}
    for f in result.finding_list:
        for rid in {by_id[f.claim_a].report_id, by_id[f.claim_b].report_id}:
            by_report.setdefault(rid, []).append(f)
    out = []
    for g in event.pairs:
        best, best_size = None, 0
        for f in by_report.get(g.a.report, ()):
            size = _match(g.a, g.b, by_id[f.claim_a], by_id[f.claim_b])
            if size > best_size:
                best, best_size = f, size
        out.append(best)
    return out


def _norm_name(s: str) -> str:
    words = [w for w in "".join(ch.lower() if ch.isalnum() else " " for ch in s).split() if w not in ("the", "a", "an")]
    return " ".join(words)


def speaker_matches(claim: Claim | None, gold: GoldSpeaker, text: str) -> bool:
    """True when ``claim`` names the gold speaker.

    A gold speaker of ``None`` (the outlet itself) needs an unattributed claim. Otherwise the claim must be
    attributed and its speaker, normalised (lower case, no punctuation or articles), must contain the gold
    speaker span's text or be contained in it ("Prokudin" for "Oleksandr Prokudin").
    """
    if claim is None:
        return False
    if gold.speaker is None:
        return not claim.attributed
    if not claim.attributed:
        return False
    want, got = _norm_name(text[gold.speaker.start:gold.speaker.end]), _norm_name(claim.speaker)
    return bool(want and got) and (want in got or got in want)


def best_claim(claims: Iterable[Claim], span: Span) -> Claim | None:
    """The claim of ``span``'s report overlapping it most (by at least half of the shorter), or None."""
    best, size = None, 0
    for c in claims:
        if c.report_id == span.report and overlaps(c.start, c.end, span):
            inter = min(c.end, span.end) - max(c.start, span.start)
            if inter > size:
                best, size = c, inter
    return best


def _ratio(num: float, den: float) -> float:
    return round(num / den, 4) if den else 0.0


def score_event(event: NewsEvent, result: Any, seconds: float) -> dict[str, Any]:
    """The metrics of one event's ``result`` against its gold (see the module docstring)."""
    matched = match_pairs(event, result)
    gold = [g.relation for g in event.pairs]
    pred = [f.relation if f is not None else "unaligned" for f in matched]
    return _metrics(gold, pred, _speaker_hits(event, result), Counter(f.relation for f in result.finding_list),
                    n_reports=len(event.reports), n_claims=len(result.claim_list), seconds=seconds)


def _speaker_hits(event: NewsEvent, result: Any) -> list[bool]:
    texts = {r.id: r.text for r in event.reports}
    return [speaker_matches(best_claim(result.claim_list, s.claim), s, texts[s.claim.report]) for s in event.speakers]


def _metrics(gold: Sequence[str], pred: Sequence[str], speaker_hits: Sequence[bool], findings: Counter,
             *, n_reports: int, n_claims: int, seconds: float) -> dict[str, Any]:
    n = len(gold)
    aligned = [p != "unaligned" for p in pred]
    right = [g == p for g, p in zip(gold, pred)]
    per_relation = {}
    for rel in RELATIONS:
        idx = [i for i, g in enumerate(gold) if g == rel]
        per_relation[rel] = {"recall": _ratio(sum(right[i] for i in idx), len(idx)),
                             "aligned": _ratio(sum(aligned[i] for i in idx), len(idx)), "support": len(idx)}
    confusion = {rel: {p: 0 for p in (*RELATIONS, "unaligned")} for rel in RELATIONS}
    for g, p in zip(gold, pred):
        confusion[g][p] += 1
    conflict_idx = [i for i, g in enumerate(gold) if g in CONFLICTS]
    agree_idx = [i for i, g in enumerate(gold) if g == "agree"]
    related_idx = [i for i, g in enumerate(gold) if g == "related"]
    n_conflict_findings = sum(findings.get(r, 0) for r in CONFLICTS)
    return {
        "n_reports": n_reports, "n_claims": n_claims, "n_gold": n,
        "aligned": _ratio(sum(aligned), n),
        "relation_accuracy": _ratio(sum(right), n),
        "relation_accuracy_aligned": _ratio(sum(right), sum(aligned)),
        "per_relation": per_relation, "confusion": confusion,
        "conflict_recall": _ratio(sum(pred[i] in CONFLICTS for i in conflict_idx), len(conflict_idx)),
        "agree_as_conflict": {"n": sum(pred[i] in CONFLICTS for i in agree_idx),
                              "share": _ratio(sum(pred[i] in CONFLICTS for i in agree_idx), len(agree_idx))},
        "related_as_conflict": {"n": sum(pred[i] in CONFLICTS for i in related_idx),
                                "share": _ratio(sum(pred[i] in CONFLICTS for i in related_idx), len(related_idx))},
        "speaker_accuracy": _ratio(sum(speaker_hits), len(speaker_hits)), "n_speakers": len(speaker_hits),
        "findings": {rel: int(findings.get(rel, 0)) for rel in RELATIONS},
        "conflicts_per_report": _ratio(n_conflict_findings, n_reports),
        "judged_pairs_per_claim": _ratio(sum(findings.values()), n_claims),
        "seconds": round(seconds, 2),
        "_gold": list(gold), "_pred": list(pred), "_speaker_hits": list(speaker_hits),
    }


def run_events(events: Sequence[NewsEvent], checker: Any = None, *, progress: bool = False) -> list[tuple[NewsEvent, Any, float]]:
    """``check()`` each event; returns ``(event, result, seconds)`` triples."""
    from crosscheck.pipeline import default_checker

    chk = checker or default_checker()
    out = []
    for ev in events:
        if progress:
            print(f"news: checking {ev.name} ({len(ev.reports)} reports)", flush=True)
        t0 = time.perf_counter()
        res = chk.check(ev.reports)
        out.append((ev, res, time.perf_counter() - t0))
    return out


def eval_news(data: str | Path, *, events: Sequence[str] | None = None, checker: Any = None,
              labels: str | Path | None = None, progress: bool = False,
              runs: Sequence[tuple[NewsEvent, Any, float]] | None = None) -> dict[str, Any]:
    """Score the pipeline on the benchmark at ``data``: ``{"dataset", "split", "n", "seconds", "events", "pooled"}``
    plus ``audit`` (precision from the labels file, when one is given or ``data/audit_labels.csv`` exists)."""
    runs = runs if runs is not None else run_events(load_benchmark(data, events=list(events) if events else None),
                                                    checker, progress=progress)
    per_event = {ev.name: score_event(ev, res, sec) for ev, res, sec in runs}
    pooled = _metrics(
        [g for m in per_event.values() for g in m["_gold"]], [p for m in per_event.values() for p in m["_pred"]],
        [h for m in per_event.values() for h in m["_speaker_hits"]],
        sum((Counter(m["findings"]) for m in per_event.values()), Counter()),
        n_reports=sum(m["n_reports"] for m in per_event.values()),
        n_claims=sum(m["n_claims"] for m in per_event.values()),
        seconds=sum(m["seconds"] for m in per_event.values()))
    for m in (*per_event.values(), pooled):
        for k in ("_gold", "_pred", "_speaker_hits"):
            m.pop(k)
    out: dict[str, Any] = {"dataset": "news", "split": "dev", "n": pooled["n_gold"], "seconds": pooled["seconds"],
                           "events": per_event, "pooled": pooled}
    label_path = Path(labels) if labels else Path(data) / "audit_labels.csv"
    if label_path.exists():
        out["audit"] = audit_precision(runs, read_labels(label_path))
    return out


# ---- precision audit -----------------------------------------------------------------------------------------


def finding_key(event: str, a: Claim, b: Claim) -> str:
    """A key for a finding that survives pipeline changes: event, both reports, offsets and span hashes."""
    (x, y) = sorted((a, b), key=lambda c: (c.report_id, c.start, c.end))
    parts = [event, x.report_id, str(x.start), str(x.end), span_hash(x.text),
             y.report_id, str(y.start), str(y.end), span_hash(y.text)]
    return span_hash("|".join(parts))[:20]


def _finding_rows(runs: Sequence[tuple[NewsEvent, Any, float]]) -> list[dict[str, Any]]:
    rows = []
    for ev, res, _ in runs:
        by_id = {c.id: c for c in res.claim_list}
        for f in res.finding_list:
            a, b = sorted((by_id[f.claim_a], by_id[f.claim_b]), key=lambda c: (c.report_id, c.start, c.end))
            row = {"key": finding_key(ev.name, a, b), "event": ev.name, "predicted": f.relation, "kind": f.kind,
                   "score": f.score, "reason": f.reason, "label": "", "note": ""}
            for tag, c in (("a", a), ("b", b)):
                row.update({f"report_{tag}": c.report_id, f"source_{tag}": c.source,
                            f"published_{tag}": c.published.isoformat() if c.published else "",
                            f"speaker_{tag}": c.speaker if c.attributed else "", f"start_{tag}": c.start,
                            f"end_{tag}": c.end, f"text_{tag}": c.text, f"sha256_{tag}": span_hash(c.text)})
            rows.append(row)
    return rows


def _check_label(row: dict[str, str], where: Path | str) -> None:
    if row.get("label") not in AUDIT_LABELS:
        raise DatasetError(Errors.E217.format(where=where, field="label", value=row.get("label"), key=row.get("key"),
                                              allowed=AUDIT_LABELS))
    if row.get("cause") and row["cause"] not in CAUSES:
        raise DatasetError(Errors.E217.format(where=where, field="cause", value=row["cause"], key=row.get("key"),
                                              allowed=tuple(CAUSES)))


def read_labels(path: str | Path) -> dict[str, dict[str, str]]:
    """The labels file (``LABEL_COLUMNS``) as ``{key: row}``; DatasetError on a bad label."""
    p = Path(path)
    if not p.exists():
        return {}
    out = {}
    with p.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            _check_label(row, p)
            out[row["key"]] = row
    return out


def audit_sample(runs: Sequence[tuple[NewsEvent, Any, float]], n: int, *, seed: int = 0,
                 labels: dict[str, dict[str, str]] | None = None) -> list[dict[str, Any]]:
    """Draw ``n`` findings per relation (seeded) as labelling rows; known labels are filled in already."""
    rows = _finding_rows(runs)
    rng = random.Random(seed)
    out = []
    for rel in RELATIONS:
        pool = sorted((r for r in rows if r["predicted"] == rel), key=lambda r: r["key"])
        picked = rng.sample(pool, min(n, len(pool)))
        for r in picked:
            known = (labels or {}).get(r["key"])
            if known:
                r["label"], r["cause"], r["note"] = known["label"], known.get("cause", ""), known.get("note", "")
        out.extend(picked)
    return out


def write_table(rows: Sequence[dict[str, Any]], path: str | Path, columns: Sequence[str]) -> None:
    """Write ``rows`` as CSV with ``columns`` (extra keys are left out)."""
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def merge_labels(filled: str | Path, labels_path: str | Path) -> int:
    """Copy the labelled rows of a filled audit table into the labels file (no text); returns rows added/changed."""
    current = read_labels(labels_path)
    changed = 0
    with Path(filled).open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            row["label"], row["cause"] = (row.get("label") or "").strip(), (row.get("cause") or "").strip()
            if not row["label"]:
                continue
            _check_label(row, filled)
            for tag in ("a", "b"):
                row[f"sha256_{tag}"] = span_hash(row[f"text_{tag}"])
            new = {k: row.get(k, "") for k in LABEL_COLUMNS}
            if current.get(row["key"]) != new:
                current[row["key"]] = new
                changed += 1
    write_table(sorted(current.values(), key=lambda r: (r["event"], r["key"])), labels_path, LABEL_COLUMNS)
    return changed


def audit_precision(runs: Sequence[tuple[NewsEvent, Any, float]], labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Precision per predicted relation and per kind over the current findings that carry a label."""
    all_rows = _finding_rows(runs)
    rows = [r for r in all_rows if r["key"] in labels]

    def block(items: list[dict[str, Any]]) -> dict[str, Any]:
        ok = sum(labels[r["key"]]["label"] == r["predicted"] for r in items)
        return {"precision": _ratio(ok, len(items)), "labelled": len(items)}
    per_relation = {rel: block([r for r in rows if r["predicted"] == rel]) for rel in RELATIONS}
    per_kind = {k: block([r for r in rows if r["kind"] == k and r["predicted"] in CONFLICTS])
                for k in sorted({r["kind"] for r in rows if r["predicted"] in CONFLICTS})}
    true_labels = {rel: dict(Counter(labels[r["key"]]["label"] for r in rows if r["predicted"] == rel))
                   for rel in RELATIONS}
    n_findings = Counter(r["predicted"] for r in all_rows)
    wrong = [labels[r["key"]] for r in rows if labels[r["key"]]["label"] != r["predicted"]]
    causes = Counter(w.get("cause") or "unassigned" for w in wrong)
    return {"per_relation": per_relation, "per_conflict_kind": per_kind, "true_label_by_predicted": true_labels,
            "coverage": {rel: _ratio(per_relation[rel]["labelled"], n_findings.get(rel, 0)) for rel in RELATIONS},
            "wrong": len(wrong), "causes": dict(causes.most_common())}


def format_news(m: dict[str, Any]) -> str:
    """A short readable summary of :func:`eval_news` metrics."""
    lines = [f"news (dev, {m['n']} gold pairs, {m['seconds']}s)"]
    head = ("event", "reports", "claims", "gold", "aligned", "rel.acc", "conflict.rec", "agree>conf",
            "related>conf", "speaker", "conf/report", "pairs/claim")
    lines.append("  " + " | ".join(head))
    for name, e in (*m["events"].items(), ("pooled", m["pooled"])):
        lines.append("  " + " | ".join(str(v) for v in (
            name, e["n_reports"], e["n_claims"], e["n_gold"], e["aligned"], e["relation_accuracy"],
            e["conflict_recall"], e["agree_as_conflict"]["share"], e["related_as_conflict"]["share"],
            e["speaker_accuracy"], e["conflicts_per_report"], e["judged_pairs_per_claim"])))
    if "audit" in m:
        lines.append("  audit precision: " + ", ".join(
            f"{rel} {v['precision']} (n={v['labelled']})" for rel, v in m["audit"]["per_relation"].items()))
    return "\n".join(lines)
