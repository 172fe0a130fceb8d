"""Group a corpus of reports into events before cross-checking each event.

:class:`EventClusterer` embeds each report's lead (its first ``lead_chars`` characters, where the headline and
the first paragraph name the event) and joins reports by average-link agglomerative clustering on cosine
similarity, cutting the tree at ``threshold``. Measured on BASIL (``crosscheck eval basil``).

>>> clusterer = EventClusterer(threshold=0.5)      # no model is loaded until the first call
>>> clusterer
EventClusterer(threshold=0.5, lead_chars=600)
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from crosscheck.data import Report
from crosscheck.errors import Errors, InputError


class EventClusterer:
    """Average-link clustering of report leads.

    Args:
        threshold: reports (or groups) join while their mean cosine similarity is at least this.
        lead_chars: characters of each report embedded (headline and lead).
        embedder: a callable from texts to unit vectors (default: the pipeline's MiniLM embedder).
    """

    def __init__(self, *, threshold: float = 0.5, lead_chars: int = 600, embedder: Any = None) -> None:
        self.threshold = threshold
        self.lead_chars = lead_chars
        self.embedder = embedder

    def __repr__(self) -> str:
        return f"EventClusterer(threshold={self.threshold}, lead_chars={self.lead_chars})"

    def similarities(self, reports: Sequence[Report]) -> np.ndarray:
        """Cosine similarity matrix of the reports' leads."""
        from crosscheck.pipeline import default_checker

        emb = self.embedder or default_checker().stages()["embedder"]
        vecs = np.asarray(emb([r.text[: self.lead_chars] for r in reports]), dtype=np.float64)
        return np.clip(vecs @ vecs.T, -1.0, 1.0)

    def __call__(self, reports: Sequence[Report]) -> list[int]:
        """An event label per report (0, 1, ... in order of first appearance)."""
        t = self.threshold
        if not isinstance(t, numbers.Real) or isinstance(t, bool) or not -1.0 <= t <= 1.0:
            raise InputError(Errors.E035.format(value=t))
        if len(reports) < 2:
            return [0] * len(reports)
        return cluster_similarities(self.similarities(reports), self.threshold)


def cluster_similarities(sims: np.ndarray, threshold: float) -> list[int]:
    """Average-link clusters of a similarity matrix cut at ``threshold``, labelled in order of first appearance."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = sims.shape[0]
    if n < 2:
        return [0] * n
    dist = 1.0 - sims
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(np.clip(dist, 0.0, 2.0), checks=False), method="average")
    raw = fcluster(tree, t=1.0 - threshold, criterion="distance")
    order: dict[int, int] = {}
    return [order.setdefault(int(k), len(order)) for k in raw]


def bcubed(pred: Sequence[Any], gold: Sequence[Any]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of a clustering ``pred`` against ``gold`` (one label per item).

    >>> bcubed([0, 0, 1], ["a", "a", "b"])["f1"]
    1.0
    """
    if len(pred) != len(gold):
        raise InputError(Errors.E036)
    n = len(pred)
    p_sum = r_sum = 0.0
    for i in range(n):
        same_pred = [j for j in range(n) if pred[j] == pred[i]]
        same_gold = [j for j in range(n) if gold[j] == gold[i]]
        both = sum(1 for j in same_pred if gold[j] == gold[i])
        p_sum += both / len(same_pred)
        r_sum += both / len(same_gold)
    p, r = p_sum / n if n else 0.0, r_sum / n if n else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}
