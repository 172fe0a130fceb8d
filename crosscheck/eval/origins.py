"""Measuring origins: copy pairs and B-cubed F1 against gold groups, on the real-news benchmark and on wire copies
made at run time from FNC-1 bodies.

The gold of the real-news benchmark is its manifest's ``wire`` field: a report that credits a wire agency is a
copy of that wire (reports crediting the same agency in one event share one origin), any other report is its own
origin. The reports are checked without that field (the finder reads the texts only).

>>> pair_scores({"a": "x", "b": "x", "c": "c"}, {"a": "x", "b": "y", "c": "c"})["recall"]
0.0
>>> round(bcubed({"a": "x", "b": "x", "c": "c"}, {"a": "x", "b": "x", "c": "x"})["f1"], 3)
0.714
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from crosscheck.data import Report
from crosscheck.errors import DatasetError, Errors
from crosscheck.origins import detect_wire

__all__ = ["bcubed", "fnc_bodies", "gold_origins", "gold_stories", "pair_scores", "position_scores", "question_bcubed",
           "read_stories", "strip_wire", "synthetic_copies"]


def _pairs(assign: Mapping[str, str]) -> set[frozenset[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for item, g in assign.items():
        groups[g].append(item)
    return {frozenset(p) for members in groups.values() for p in combinations(sorted(members), 2)}


def pair_scores(gold: Mapping[str, str], pred: Mapping[str, str]) -> dict[str, Any]:
    """Precision, recall and F1 of the copy pairs (two items in one group) of ``pred`` against ``gold`` (both map
    item -> group id, over the same items). With no pair on a side its ratio is 1.0 (nothing claimed, nothing
    missed)."""
    g, p = _pairs(gold), _pairs(pred)
    tp = len(g & p)
    precision = tp / len(p) if p else 1.0
    recall = tp / len(g) if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_gold": len(g), "n_pred": len(p), "tp": tp}


def bcubed(gold: Mapping[str, str], pred: Mapping[str, str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of the clustering ``pred`` against ``gold`` (item -> group id)."""
    gold_groups: dict[str, set[str]] = defaultdict(set)
    pred_groups: dict[str, set[str]] = defaultdict(set)
    for item in gold:
        gold_groups[gold[item]].add(item)
        pred_groups[pred[item]].add(item)
    prec = rec = 0.0
    for item in gold:
        same_pred, same_gold = pred_groups[pred[item]], gold_groups[gold[item]]
        both = len(same_pred & same_gold)
        prec += both / len(same_pred)
        rec += both / len(same_gold)
    n = len(gold) or 1
    precision, recall = prec / n, rec / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def gold_origins(event: Any, manifest: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """The gold origin of each report of a benchmark event: ``wire:<agency>`` for a report whose manifest row has a
    ``wire``, ``report:<id>`` otherwise."""
    wire = {row["id"]: row.get("wire") for row in manifest}
    return {r.id: f"wire:{wire[r.id]}" if wire.get(r.id) else f"report:{r.id}" for r in event.reports}


def read_stories(path: str | Path) -> dict[tuple[str, str], str]:
    """The hand labels of which reports carry one upstream story (``benchmarks/news/stories.csv``: ``event, report,
    story, reason``), as ``(event, report id) -> story``."""
    import csv

    path = Path(path)
    if not path.exists():
        raise DatasetError(Errors.E201.format(what="story labels", path=path))
    with path.open(encoding="utf-8", newline="") as fh:
        return {(row["event"], row["report"]): row["story"] for row in csv.DictReader(fh)}


def gold_stories(event: Any, labels: Mapping[tuple[str, str], str]) -> dict[str, str]:
    """The gold story of each report of a benchmark event: reports labelled with one story (``read_stories``) are
    copies of one upstream story (``story:<story>``); every other report is its own (``report:<id>``). Unlike
    :func:`gold_origins`, two stories of one agency on other days are two stories."""
    return {r.id: f"story:{labels[(event.name, r.id)]}" if (event.name, r.id) in labels else f"report:{r.id}"
            for r in event.reports}


def strip_wire(reports: Sequence[Report]) -> list[Report]:
    """The reports without the manifest's ``wire`` metadata (so that a finder reads the texts only)."""
    return [Report(r.id, r.text, source=r.source, published=r.published, url=r.url, language=r.language,
                   metadata={k: v for k, v in r.metadata.items() if k != "wire"}) for r in reports]


def fnc_bodies(root: str | Path, *, limit: int = 400) -> list[str]:
    """The first ``limit`` article bodies of FNC-1's *train* split (``train_bodies.csv`` under ``root``)."""
    import csv

    path = Path(root) / "train_bodies.csv"
    if not path.exists():
        raise DatasetError(Errors.E201.format(what="dataset file", path=path))
    with path.open(encoding="utf-8") as fh:
        return [row["articleBody"] for _, row in zip(range(limit), csv.DictReader(fh))]


_BOILER = ("Share this article on social media.", "Sign up for our newsletter to get the day's top stories.",
           "Copyright 2017. All rights reserved.", "Follow us for the latest updates.",
           "This story has been updated.", "Advertisement")
_CREDITS = ("Reuters", "AP", "AFP")


def _light_edit(text: str, rng: random.Random) -> str:
    """``text`` with a few words dropped or swapped for a synonym-like edit, as a sub-editor does."""
    words = text.split(" ")
    for _ in range(max(1, len(words) // 40)):
        i = rng.randrange(len(words))
        action = rng.random()
        if action < 0.4:
            words.pop(i)
        elif action < 0.7:
            words[i] = words[i].upper() if words[i].islower() else words[i].lower()
        else:
            words.insert(i, rng.choice(("also", "reportedly", "on Monday", "further")))
        if not words:
            break
    return " ".join(words)


def synthetic_copies(bodies: Sequence[str], *, n_stories: int = 60, seed: int = 0) -> tuple[list[Report],
                                                                                           dict[str, str]]:
    """Reports made from distinct FNC-1 bodies that credit no wire themselves (their gold would be unknown), with
    their gold origin: each of ``n_stories`` bodies is an original
    story; a random half of them also get 1-4 copies, each one of: a light edit of the full text, the text with
    boilerplate lines before and after, a different headline, the first half only (a partial copy), or its
    passages inside another outlet's original text; every third copied story carries a wire dateline (Reuters, AP or
    AFP in turn) in its first full or partial copy, and then the story and all its copies have that wire as origin, as in the
    benchmark's gold (one agency, one origin). Returns ``(reports, gold)`` where ``gold`` maps report id -> origin
    id.
    """
    rng = random.Random(seed)
    seen: set[str] = set()
    uniq = []
    for b in bodies:
        key = " ".join(b.split()[:30])
        if key not in seen and len(b.split()) >= 80 and detect_wire(b) is None:  # no credit of its own
            seen.add(key)
            uniq.append(b)
    rng.shuffle(uniq)
    stories, fillers = uniq[:n_stories], uniq[n_stories:]
    reports: list[Report] = []
    gold: dict[str, str] = {}
    hour = 0

    def add(rid: str, text: str, origin: str) -> None:
        nonlocal hour
        hour += 1
        reports.append(Report(rid, text.strip(), source=rid.split("-")[0],
                              published=f"2017-03-{1 + hour // 24:02d}T{hour % 24:02d}:00:00+00:00"))
        gold[rid] = origin

    for k, body in enumerate(stories):
        origin = f"s{k}"
        paragraphs = [p for p in re.split(r"\n+", body) if p.strip()]
        add(f"orig{k}-0", body, origin)
        if k % 2:
            continue
        credit = _CREDITS[(k // 6) % 3] if k % 6 == 0 else None
        family = [f"orig{k}-0"]
        for c in range(1, rng.randint(2, 5)):
            kind = rng.choice(("edit", "boiler", "headline", "partial", "passage"))
            if kind == "edit":
                text = "\n\n".join(_light_edit(p, rng) for p in paragraphs)
            elif kind == "boiler":
                text = "\n\n".join([rng.choice(_BOILER), *paragraphs, rng.choice(_BOILER), rng.choice(_BOILER)])
            elif kind == "headline":
                text = "\n\n".join([" ".join(rng.sample(body.split()[:40], 8)).capitalize(), *paragraphs])
            elif kind == "partial":
                half = max(1, len(paragraphs) // 2)
                text = "\n\n".join(paragraphs[:half])
                if len(text.split()) < 40:
                    text = " ".join(body.split()[: max(40, len(body.split()) // 2)])
            else:  # a copied passage inside another outlet's own story: its claims keep the story's origin,
                # the report stays its own
                if not fillers:
                    continue
                own = fillers.pop()
                add(f"mixed{k}-{c}", own + "\n\n" + " ".join(body.split()[:60]), f"m{k}-{c}")
                continue
            if credit and len(family) == 1:
                text = f"LONDON ({credit}) - " + text
            add(f"copy{k}-{c}", text, origin)
            family.append(f"copy{k}-{c}")
        if credit and len(family) > 1:  # a wire's story: the original and its copies are all that wire's
            for rid in family:
                gold[rid] = f"wire:{credit}"
    return reports, gold


def position_scores(event: Any, claims: Sequence[Any], questions: Any) -> dict[str, Any]:
    """How the gold pairs of a benchmark event land in the positions: an ``agree`` pair is right when both claims
    hold one position; a conflict (``contradict``, ``disputed``, ``update``) is right when both claims are in one
    topic and hold different positions (``strict``) or merely not one position (``lenient``: one or both outside any
    topic). ``placed`` counts the pairs whose two claims both lie in one topic. ``related`` pairs are not scored."""
    from crosscheck.eval.news import best_claim

    where = {cid: (p.topic_id, p.id) for p in questions.positions for cid in p.claim_ids}
    by_report: dict[str, list[Any]] = defaultdict(list)
    for c in claims:
        by_report[c.report_id].append(c)
    rows = []
    for g in event.pairs:
        if g.relation == "related":
            continue
        ca, cb = best_claim(by_report[g.a.report], g.a), best_claim(by_report[g.b.report], g.b)
        pa = where.get(ca.id) if ca else None
        pb = where.get(cb.id) if cb else None
        same_topic = pa is not None and pb is not None and pa[0] == pb[0]
        same_position = same_topic and pa == pb
        if g.relation == "agree":
            strict = lenient = same_position
        else:
            strict, lenient = same_topic and not same_position, not same_position
        rows.append({"id": g.id, "relation": g.relation, "question": g.question, "placed": same_topic,
                     "strict": strict, "lenient": lenient})
    return summarise_positions(rows) | {"_rows": rows}


def question_bcubed(event: Any, claims: Sequence[Any], topics: Sequence[Any]) -> dict[str, Any]:
    """How well the topics split the gold claims by question: B-cubed precision, recall and F1 of the topics
    (a claim outside every topic is a topic of its own) against the benchmark's questions.

    The items are the pipeline claims that best match a gold span (:func:`crosscheck.eval.news.best_claim`); a
    claim's gold question is the one most of its gold pairs name (ties: the first in the gold file). Precision falls
    when one topic holds claims of several questions (a catch-all topic scores well on :func:`position_scores`,
    not here); recall falls when one question's claims are spread over several topics.

    >>> from types import SimpleNamespace as NS
    >>> span = lambda r, s: NS(report=r, start=s, end=s + 5)
    >>> ev = NS(pairs=[NS(a=span("a", 0), b=span("b", 0), question="toll"),
    ...                NS(a=span("a", 10), b=span("b", 10), question="cause")])
    >>> claims = [NS(id=f"{r}:{s}", report_id=r, start=s, end=s + 5) for r in "ab" for s in (0, 10)]
    >>> one = [NS(claim_ids=("a:0", "b:0", "a:10", "b:10"))]
    >>> two = [NS(claim_ids=("a:0", "b:0")), NS(claim_ids=("a:10", "b:10"))]
    >>> question_bcubed(ev, claims, one)["precision"], question_bcubed(ev, claims, two)["f1"]
    (0.5, 1.0)
    """
    from crosscheck.eval.news import best_claim

    by_report: dict[str, list[Any]] = defaultdict(list)
    for c in claims:
        by_report[c.report_id].append(c)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, int] = {}
    for i, g in enumerate(event.pairs):
        first.setdefault(g.question, i)
        for span in (g.a, g.b):
            c = best_claim(by_report[span.report], span)
            if c is not None:
                votes[c.id][g.question] += 1
    gold = {cid: max(v, key=lambda q: (v[q], -first[q])) for cid, v in votes.items()}
    where = {cid: t_i for t_i, t in enumerate(topics) for cid in t.claim_ids}
    pred = {cid: f"topic:{where[cid]}" if cid in where else f"alone:{cid}" for cid in gold}
    return bcubed(gold, pred) | {"n": len(gold)}


def summarise_positions(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Shares of ``position_scores`` rows: right (strict, lenient), placed, and right among the placed."""
    n = len(rows)
    placed = [r for r in rows if r["placed"]]
    out: dict[str, Any] = {"n": n, "strict": sum(r["strict"] for r in rows) / n if n else 0.0,
                           "lenient": sum(r["lenient"] for r in rows) / n if n else 0.0,
                           "placed": len(placed) / n if n else 0.0,
                           "right_when_placed": sum(r["strict"] for r in placed) / len(placed) if placed else 0.0}
    for rel in ("agree", "contradict", "disputed", "update"):
        sub = [r for r in rows if r["relation"] == rel]
        out[f"strict_{rel}"] = sum(r["strict"] for r in sub) / len(sub) if sub else None
        out[f"n_{rel}"] = len(sub)
    return out
