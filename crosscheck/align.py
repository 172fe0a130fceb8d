"""Stage 4, alignment: which claims of different reports talk about the same thing.

For each claim, its top-k most similar claims in *other* reports are found with a
chunked matrix product (never an n x n Python loop), and a pair is kept when its cosine
similarity passes ``min_similarity``, or passes the lower ``entity_similarity`` while the
two claims share a named entity (name variants matched with rapidfuzz).

>>> names_match("Bashar al-Assad", "Assad"), names_match("Assad", "Putin")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from crosscheck.data import Claim
from crosscheck.errors import InputError

_STOP_NAME = frozenset({"the", "of", "al", "el", "president", "mr", "mrs", "bin", "ibn", "de", "former"})


@dataclass(frozen=True)
class Candidate:
    """An aligned pair of claims (indices into the claim list, ``a < b``) and their similarity."""

    a: int
    b: int
    similarity: float
    shared_entities: tuple[str, ...] = ()


def name_keys(name: str) -> set[str]:
    """Normalised tokens of a name that identify it ("Bashar al-Assad" -> {"bashar", "assad"})."""
    tokens = re.findall(r"[a-z0-9]+", re.sub(r"\b(?:al|el)-", "", name.lower().replace("\u2019", "'")))
    return {t for t in tokens if t not in _STOP_NAME and len(t) > 1}


def names_match(a: str, b: str, *, threshold: float = 88.0) -> bool:
    """True when two names plausibly denote the same entity (subset of tokens, or fuzzy equal)."""
    from rapidfuzz import fuzz

    ka, kb = name_keys(a), name_keys(b)
    if not ka or not kb:
        return False
    if ka <= kb or kb <= ka:
        return True
    return any(fuzz.ratio(x, y) >= threshold for x in ka for y in kb if len(x) > 3 and len(y) > 3)


def shared_entities(a: Claim, b: Claim) -> tuple[str, ...]:
    """Entities (people, organisations, places) that ``a`` and ``b`` share, name variants included."""
    out = []
    for ea in (*a.entities, *a.places):
        if any(names_match(ea, eb) for eb in (*b.entities, *b.places)):
            out.append(ea)
    return tuple(dict.fromkeys(out))


class TopKAligner:
    """Chunked top-k nearest-neighbour alignment across reports.

    Args:
        k: neighbours kept per claim (in other reports).
        min_similarity: cosine similarity above which a pair is aligned regardless of entities.
        entity_similarity: lower cosine threshold for pairs that share a named entity.
        chunk_size: rows of the similarity matrix computed at once (bounds memory).
    """

    def __init__(self, *, k: int = 8, min_similarity: float = 0.55, entity_similarity: float = 0.3,
                 chunk_size: int = 1024) -> None:
        self.k = k
        self.min_similarity = min_similarity
        self.entity_similarity = entity_similarity
        self.chunk_size = chunk_size

    def __repr__(self) -> str:
        return (f"TopKAligner(k={self.k}, min_similarity={self.min_similarity}, "
                f"entity_similarity={self.entity_similarity}, chunk_size={self.chunk_size})")

    def _validate(self) -> None:
        if not isinstance(self.k, int) or self.k < 1:
            raise InputError(f"[E030] k must be a positive int, got {self.k!r}")
        for name in ("min_similarity", "entity_similarity"):
            v = getattr(self, name)
            if not -1.0 <= v <= 1.0:
                raise InputError(f"[E030] {name} must be in [-1, 1], got {v!r}")
        if self.chunk_size < 1:
            raise InputError(f"[E030] chunk_size must be positive, got {self.chunk_size!r}")

    def __call__(self, claims: Sequence[Claim], embeddings: np.ndarray) -> list[Candidate]:
        """Return the aligned pairs, sorted by ``(a, b)``."""
        self._validate()
        n = len(claims)
        if embeddings.shape[0] != n:
            raise InputError(f"[E031] {n} claims but {embeddings.shape[0]} embeddings")
        if n < 2:
            return []
        reports = np.array([c.report_id for c in claims])
        k = min(self.k, n - 1)
        pairs: dict[tuple[int, int], float] = {}
        for start in range(0, n, self.chunk_size):
            stop = min(n, start + self.chunk_size)
            sims = embeddings[start:stop] @ embeddings.T
            sims[reports[start:stop, None] == reports[None, :]] = -np.inf
            top = np.argpartition(-sims, kth=k - 1, axis=1)[:, :k]
            for row, cols in enumerate(top):
                i = start + row
                for j in cols:
                    s = float(sims[row, j])
                    if s == -np.inf or s < min(self.min_similarity, self.entity_similarity):
                        continue
                    key = (i, int(j)) if i < j else (int(j), i)
                    pairs[key] = s
        out = []
        for (i, j), s in sorted(pairs.items()):
            shared = shared_entities(claims[i], claims[j])
            if s >= self.min_similarity or (shared and s >= self.entity_similarity):
                out.append(Candidate(i, j, round(s, 6), shared))
        return out


def naive_pairs(claims: Sequence[Claim]) -> list[tuple[int, int]]:
    """Every cross-report pair (the quadratic baseline the benchmarks compare against)."""
    return [(i, j) for i in range(len(claims)) for j in range(i + 1, len(claims))
            if claims[i].report_id != claims[j].report_id]
