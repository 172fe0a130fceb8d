"""ECB+ (``crosscheck eval ecb``): does :class:`~crosscheck.events.EventClusterer` group documents by event?

ECB+ (``../shared/data/ecb-plus/SOURCE.md``) holds news documents in topics; each topic has two *subtopics*, two
similar but distinct real-world events (the ``…ecb.xml`` and ``…ecbplus.xml`` halves: two earthquakes, two
product launches of one company). A document's text is rebuilt from the tokenised validated sentences (tokens
joined by spaces, sentences by line breaks). Gold clusters are the subtopics (the event: the hard reading, near
events must stay apart) and the topics (the easy reading). The cut is chosen on ``dev`` by subtopic B-cubed F1
and reported on ``test``.

Metrics (stable keys): ``threshold``, ``dev_f1``, and per split ``subtopic`` and ``topic`` B-cubed precision,
recall and F1 at that cut. Documents only: the event-mention coreference chains of ECB+ are not scored here.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from crosscheck.data import Report
from crosscheck.errors import DatasetError, Errors
from crosscheck.events import EventClusterer, bcubed, cluster_similarities

GRID = tuple(round(0.30 + 0.025 * i, 3) for i in range(25))  # 0.30 .. 0.90
_DOC = re.compile(r"^(?P<topic>\d+)_(?P<n>\d+)(?P<half>ecbplus|ecb)\.xml$")


def load_ecb(root: str | Path, split: str) -> list[tuple[Report, str, str]]:
    """``(report, topic, subtopic)`` per document of ``split`` (``dev`` or ``test``), in file order."""
    path = Path(root) / f"{split}_text.txt"
    if not path.is_file():
        raise DatasetError(Errors.E218.format(path=path))
    sentences: dict[str, dict[int, list[str]]] = {}
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t", 3)
        if len(fields) < 4 or not fields[1].isdigit():
            raise DatasetError(Errors.E219.format(path=path, line=line_no))
        sentences.setdefault(fields[0], {}).setdefault(int(fields[1]), []).append(fields[3])
    out = []
    for doc, sents in sentences.items():
        m = _DOC.match(doc)
        if m is None:
            raise DatasetError(Errors.E328.format(path=path, doc=doc))
        text = "\n".join(" ".join(tokens) for _, tokens in sorted(sents.items()))
        topic = m.group("topic")
        out.append((Report(doc, text), topic, f"{topic}-{m.group('half')}"))
    return out


def eval_ecb(root: str | Path, *, clusterer: EventClusterer | None = None) -> dict[str, Any]:
    """Fit the cut on dev, report B-cubed on test (see the module docstring)."""
    t0 = time.perf_counter()
    clu = clusterer or EventClusterer()
    splits = {s: load_ecb(root, s) for s in ("dev", "test")}
    sims = {s: clu.similarities([r for r, _, _ in items]) for s, items in splits.items()}

    def score(split: str, th: float) -> dict[str, dict[str, float]]:
        labels = cluster_similarities(sims[split], th)
        return {"subtopic": bcubed(labels, [sub for _, _, sub in splits[split]]),
                "topic": bcubed(labels, [top for _, top, _ in splits[split]])}

    dev = {th: score("dev", th)["subtopic"]["f1"] for th in GRID}
    best = max(GRID, key=lambda th: (dev[th], -abs(th - clu.threshold)))
    return {"dataset": "ecb", "split": "test", "n": len(splits["test"]),
            "seconds": round(time.perf_counter() - t0, 2), "threshold": best, "dev_f1": dev[best],
            "test": score("test", best), "default_threshold": clu.threshold,
            "test_at_default": score("test", clu.threshold)}
