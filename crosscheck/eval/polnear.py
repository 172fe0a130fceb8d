"""Attribution on PolNeAR (``crosscheck eval polnear``): is the speaker of each claim the annotated Source?

Gold: the Source spans of every attribution of the lexicographically first ``.ann`` file of each article
(``../shared/data/polnear/SOURCE.md``). Predicted: for every claim the extractor marks ``attributed``, its speaker
span (``Claim.speaker_start``/``speaker_end``); a claim without one (a speaker from elsewhere, or an extractor
that gives no offsets) has its speaker string looked up in the claim's text, then the whole report
(case-insensitive). PolNeAR marks the mention as written ("he", "the campaign"), so the default checker keeps
speakers as written (``RuleExtractor(resolve_pronouns=False)``). Metrics (stable keys):

- ``source_span``: precision, recall and F1 of predicted speaker spans against gold Source spans, ``exact``
  (same offsets) and ``overlap`` (any shared character);
- ``content``: for each gold attribution whose Content overlaps a claim by at least half of the shorter span,
  ``has_source_accuracy`` (the claim is attributed exactly when the gold has a Source) and ``speaker_token_f1``
  (mean token F1 of the claim's speaker against the gold Source text, over gold attributions with a Source).

Extraction only: no model is loaded.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosscheck.data import Report
from crosscheck.errors import DatasetError, Errors


@dataclass(frozen=True)
class Attribution:
    """One gold attribution: Source span (or None) and Content span (first piece of a discontinuous one)."""

    source: tuple[int, int] | None
    content: tuple[int, int] | None


def _spans(field: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (piece.split() for piece in field.split(";"))]


def parse_ann(text: str) -> list[Attribution]:
    """The attributions of a BRAT ``.ann`` file (Source and Content; discontinuous spans keep their hull)."""
    spans: dict[str, tuple[int, int]] = {}
    events = []
    for line in text.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            _, _, offsets = parts[1].partition(" ")
            pieces = _spans(offsets)
            spans[parts[0]] = (min(p[0] for p in pieces), max(p[1] for p in pieces))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(role.split(":", 1) for role in parts[1].split()))
    out = []
    for ev in events:
        src = spans.get(ev.get("Source", ""))
        content = spans.get(ev.get("Content", ""))
        out.append(Attribution(src, content))
    return out


def load_polnear(root: str | Path, split: str = "test") -> list[tuple[Report, list[Attribution]]]:
    """Articles of ``split`` with their gold attributions (first annotator file per article)."""
    base = Path(root) / split
    if not (base / "text").is_dir():
        raise DatasetError(Errors.E201.format(what="PolNeAR split", path=base))
    out = []
    for txt in sorted((base / "text").glob("*.txt")):
        anns = sorted((base / "attributions").glob(f"{txt.stem}_*.ann"))
        if not anns:
            continue
        text = txt.read_text(encoding="utf-8")
        publisher = txt.stem.split("_")[0]
        if not text.strip():
            continue
        out.append((Report(txt.stem, text, source=publisher), parse_ann(anns[0].read_text(encoding="utf-8"))))
    return out


def speaker_span(report: Report, start: int, end: int, speaker: str) -> tuple[int, int] | None:
    """Where ``speaker`` stands: in the claim ``[start, end)`` first, else anywhere in the report; or None."""
    if not speaker.strip():
        return None
    pat = re.compile(re.escape(speaker.strip()), re.IGNORECASE)
    m = pat.search(report.text, start, end) or pat.search(report.text)
    return (m.start(), m.end()) if m else None


def _prf(hits_pred: int, n_pred: int, hits_gold: int, n_gold: int) -> dict[str, float]:
    p = hits_pred / n_pred if n_pred else 0.0
    r = hits_gold / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def _tokens(s: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", s.lower())


def token_f1(pred: str, gold: str) -> float:
    """Token-level F1 of two strings (bag of lower-case word tokens)."""
    p, g = _tokens(pred), _tokens(gold)
    common = sum(min(p.count(t), g.count(t)) for t in set(p))
    if not common:
        return 0.0
    prec, rec = common / len(p), common / len(g)
    return 2 * prec * rec / (prec + rec)


def eval_polnear(root: str | Path, *, split: str = "test", limit: int | None = None,
                 checker: Any = None) -> dict[str, Any]:
    """Attribution metrics of the extractor on PolNeAR ``split`` (see the module docstring)."""
    from crosscheck.extract import RuleExtractor
    from crosscheck.pipeline import Checker

    chk = checker or Checker(extractor=RuleExtractor(resolve_pronouns=False))
    articles = load_polnear(root, split)[: limit or None]
    t0 = time.perf_counter()
    pred_spans: list[tuple[str, int, int]] = []
    gold_spans: list[tuple[str, int, int]] = []
    has_source_ok, token_scores, n_content = 0, [], 0
    for report, attrs in articles:
        claims = chk.extract([report])
        for c in claims:
            if c.attributed:
                span = ((c.speaker_start, c.speaker_end) if c.speaker_start >= 0
                        else speaker_span(report, c.start, c.end, c.speaker))
                pred_spans.append((report.id, *span) if span else (report.id, -1, -1))
        gold_spans.extend((report.id, *a.source) for a in attrs if a.source)
        for a in attrs:
            if a.content is None:
                continue
            best = _best(claims, a.content)
            if best is None:
                continue
            n_content += 1
            has_source_ok += best.attributed == (a.source is not None)
            if a.source:
                gold_text = report.text[a.source[0]:a.source[1]]
                token_scores.append(token_f1(best.speaker if best.attributed else "", gold_text))
    return {"dataset": "polnear", "split": split, "n": len(gold_spans),
            "seconds": round(time.perf_counter() - t0, 2), "n_articles": len(articles),
            "n_predicted": len(pred_spans),
            "source_span": {"exact": _span_prf(pred_spans, gold_spans, exact=True),
                            "overlap": _span_prf(pred_spans, gold_spans, exact=False)},
            "content": {"n": n_content, "has_source_accuracy": round(has_source_ok / n_content, 4) if n_content else 0.0,
                        "speaker_token_f1": round(sum(token_scores) / len(token_scores), 4) if token_scores else 0.0}}


def _best(claims: Sequence[Any], span: tuple[int, int]) -> Any:
    best, size = None, 0
    for c in claims:
        inter = min(c.end, span[1]) - max(c.start, span[0])
        shorter = min(c.end - c.start, span[1] - span[0])
        if shorter > 0 and inter * 2 >= shorter and inter > size:
            best, size = c, inter
    return best


def _span_prf(pred: list[tuple[str, int, int]], gold: list[tuple[str, int, int]], *, exact: bool) -> dict[str, float]:
    def hit(x: tuple[str, int, int], y: tuple[str, int, int]) -> bool:
        if x[0] != y[0] or x[1] < 0:
            return False
        return (x[1], x[2]) == (y[1], y[2]) if exact else min(x[2], y[2]) > max(x[1], y[1])
    by_report: dict[str, list[tuple[str, int, int]]] = {}
    for g in gold:
        by_report.setdefault(g[0], []).append(g)
    pred_hits = sum(any(hit(p, g) for g in by_report.get(p[0], ())) for p in pred)
    pred_by: dict[str, list[tuple[str, int, int]]] = {}
    for p in pred:
        pred_by.setdefault(p[0], []).append(p)
    gold_hits = sum(any(hit(p, g) for p in pred_by.get(g[0], ())) for g in gold)
    return _prf(pred_hits, len(pred), gold_hits, len(gold))
