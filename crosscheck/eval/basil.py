"""BASIL (``crosscheck eval basil``): event clustering of 300 articles, and claim alignment across 3 outlets.

- **Clustering**: :class:`~crosscheck.events.EventClusterer` over all articles; its threshold is chosen on the
  2010-2014 triplets (B-cubed F1 over a grid) and reported on 2015-2019 (``test``) and on all 100 (``all``).
- **Alignment**: ``check()`` on each triplet (``limit`` triplets, deterministic order); per event the number of
  cross-outlet claim pairs judged (aligned) and the findings by relation. BASIL has no pair gold: these counts
  show how much the pipeline links across outlets on full-length articles.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from crosscheck.data import RELATIONS, Report
from crosscheck.errors import DatasetError, Errors
from crosscheck.events import EventClusterer, bcubed, cluster_similarities

GRID = tuple(round(0.30 + 0.025 * i, 3) for i in range(21))  # 0.30 .. 0.80


def load_basil(root: str | Path) -> list[tuple[Report, str, int]]:
    """``(report, triplet id, year)`` for each article; text = title, blank line, paragraphs."""
    base = Path(root) / "articles"
    if not base.is_dir():
        raise DatasetError(Errors.E201.format(what="BASIL articles", path=root))
    out = []
    for path in sorted(base.glob("*/*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        paras = [" ".join(s.strip() for s in p if s.strip()) for p in d.get("body-paragraphs", [])]
        text = "\n\n".join([d.get("title", "").strip(), *[p for p in paras if p]]).strip()
        triplet = d.get("triplet-uuid") or d.get("pair-uuid")
        published = f"{d['date']}T12:00:00+00:00" if d.get("date") else None
        out.append((Report(d["uuid"], text, source=d["source"].lower(), published=published, url=d.get("url")),
                    triplet, int(path.parent.name)))
    return out


def eval_basil(root: str | Path, *, limit: int | None = None, checker: Any = None,
               clusterer: EventClusterer | None = None) -> dict[str, Any]:
    """Clustering and alignment metrics on BASIL (see the module docstring)."""
    from crosscheck.pipeline import default_checker

    items = load_basil(root)
    t0 = time.perf_counter()
    clu = clusterer or EventClusterer()
    sims = clu.similarities([r for r, _, _ in items])
    gold = [t for _, t, _ in items]
    dev = [i for i, (_, _, y) in enumerate(items) if y <= 2014]
    test = [i for i, (_, _, y) in enumerate(items) if y >= 2015]

    def score(idx: list[int], th: float) -> dict[str, float]:
        sub = sims[sorted(idx)][:, sorted(idx)]
        return bcubed(cluster_similarities(sub, th), [gold[i] for i in sorted(idx)])

    dev_scores = {th: score(dev, th)["f1"] for th in GRID}
    best = max(GRID, key=lambda th: (dev_scores[th], -abs(th - clu.threshold)))
    clustering = {"threshold": best, "dev_f1": dev_scores[best], "test": score(test, best),
                  "all": score(list(range(len(items))), best),
                  "default_threshold": clu.threshold, "test_at_default": score(test, clu.threshold)}
    chk = checker or default_checker()
    triplets: dict[str, list[Report]] = {}
    for r, t, _ in items:
        triplets.setdefault(t, []).append(r)
    names = sorted(triplets)[: limit or None]
    per_event = []
    for t in names:
        res = chk.check(triplets[t])
        rels = {rel: sum(f.relation == rel for f in res.finding_list) for rel in RELATIONS}
        per_event.append({"triplet": t, "n_claims": len(res.claim_list), "aligned_pairs": len(res.finding_list),
                          **rels})
    aligned = [e["aligned_pairs"] for e in per_event]
    claims = [e["n_claims"] for e in per_event]
    alignment = {"n_events": len(per_event),
                 "aligned_pairs_median": statistics.median(aligned) if aligned else 0,
                 "aligned_pairs_mean": round(statistics.fmean(aligned), 2) if aligned else 0.0,
                 "events_with_no_pair": sum(1 for a in aligned if a == 0),
                 "pairs_per_claim": round(sum(aligned) / sum(claims), 4) if sum(claims) else 0.0,
                 "findings": {rel: sum(e[rel] for e in per_event) for rel in RELATIONS}}
    return {"dataset": "basil", "split": "all", "n": len(items), "seconds": round(time.perf_counter() - t0, 2),
            "clustering": clustering, "alignment": alignment}
