"""Stage 4, alignment: which claims of different reports talk about the same thing.

:class:`HybridAligner` (the default) is recall first. It keeps every cross-report pair whose cosine similarity
passes ``min_similarity`` (a thresholded join over a chunked matrix product, never an n x n Python loop), and adds
the pairs that share a *rare key* (a content word stem, a name, or what a number counts, held by few claims of the
run) and pass the lower ``key_similarity``. Sharing a rare word is how two outlets' sentences about one question
("evacuated", "Mayday", "leaks") are found when their wording keeps the cosine low. :class:`TopKAligner` is the
older top-k nearest-neighbour aligner.

>>> names_match("Bashar al-Assad", "Assad"), names_match("Assad", "Putin")
(True, False)
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any

import numpy as np

from crosscheck.config import bundled_default
from crosscheck.data import Claim
from crosscheck.errors import Errors, InputError
from crosscheck.lexicon import STOPWORDS

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


@lru_cache(maxsize=1 << 16)
def _key_set(name: str) -> frozenset[str]:
    """:func:`name_keys` of ``name``, kept (a claim's names are matched against many others)."""
    return frozenset(name_keys(name))


#: Key sets of at most this many tokens are matched through their subsets (at most 2**8 - 1 of them); longer ones,
#: rare in names, are compared one by one.
_SUBSET_TOKENS = 8


def _subsets(keys: frozenset[str]) -> list[frozenset[str]]:
    """The non-empty subsets of ``keys``."""
    items = sorted(keys)
    return [frozenset(c) for r in range(1, len(items) + 1) for c in combinations(items, r)]


def _reach(n: int, m: int, threshold: float) -> int:
    """The largest Indel distance (insertions and deletions) at which tokens of lengths ``n`` and ``m`` still have
    ``fuzz.ratio >= threshold`` (the ratio is ``100 * (1 - distance / (n + m))``), or -1 when no distance does."""
    if 200 * min(n, m) / (n + m) < threshold - 1e-9:  # the lengths alone keep the ratio below the threshold
        return -1
    return math.floor((100 - threshold) * (n + m) / 100 + 1e-9)


def _segments(m: int, threshold: float) -> list[tuple[int, int]] | None:
    """The pieces (start, length) a token of length ``m`` is cut into for :func:`_fuzzy_tokens`: one more than the
    largest distance at which any token can still reach it, so that every token within reach contains one piece
    intact (pigeonhole), near its place; None when there are more pieces than letters (the token is then
    compared with every query)."""
    if threshold >= 100:
        return [(0, m)]
    longest = math.floor(m * (200 - threshold) / threshold + 1e-9) if threshold > 0 else 0
    pieces = _reach(longest, m, threshold) + 1 if longest >= m else 0
    if not 0 < pieces <= m:
        return None
    q, r = divmod(m, pieces)
    lengths = [q] * (pieces - r) + [q + 1] * r
    starts = [sum(lengths[:k]) for k in range(pieces)]
    return list(zip(starts, lengths))


_PieceIndex = tuple[dict[tuple[int, int, str], list[str]], dict[int, list[str]], dict[int, list[tuple[int, int]]]]


def _piece_index(tokens: Sequence[str], threshold: float) -> _PieceIndex:
    """Tokens indexed by their pieces (:func:`_segments`): ``(index, loose, parts)``, where ``loose`` holds, by
    length, the tokens too short to cut and ``parts`` the pieces of each length."""
    index: dict[tuple[int, int, str], list[str]] = {}
    loose: dict[int, list[str]] = {}
    parts: dict[int, list[tuple[int, int]]] = {}
    for t in tokens:
        m = len(t)
        if m not in parts and m not in loose:
            cut = _segments(m, threshold)
            if cut is None:
                loose[m] = []
            else:
                parts[m] = cut
        if m in loose:
            loose[m].append(t)
            continue
        for k, (st, ln) in enumerate(parts[m]):
            index.setdefault((m, k, t[st:st + ln]), []).append(t)
    return index, loose, parts


def _within_reach(x: str, pieces: _PieceIndex, threshold: float) -> list[str]:
    """The indexed tokens that may be within ``fuzz.ratio >= threshold`` of ``x``: those one of whose pieces ``x``
    contains near its place, and the uncut ones of a length in reach (a superset of the matches, to be scored)."""
    index, loose, parts = pieces
    n = len(x)
    found: dict[str, None] = {}
    for m, cuts in parts.items():
        reach = _reach(n, m, threshold)
        if reach < 0:
            continue
        for k, (st, ln) in enumerate(cuts):
            for p in range(max(0, st - reach), min(n - ln, st + reach) + 1):
                found.update(dict.fromkeys(index.get((m, k, x[p:p + ln]), ())))
    for m, group in loose.items():
        if _reach(n, m, threshold) >= 0:
            found.update(dict.fromkeys(group))
    return list(found)


def _fuzzy_tokens(left: set[str], right: set[str], threshold: float) -> set[str]:
    """The tokens of ``left`` with a token of ``right`` at ``fuzz.ratio >= threshold`` (both longer than three
    letters), without scoring every pair: each right token is cut into pieces (:func:`_segments`) and indexed by
    them, and a left token is scored (:func:`rapidfuzz.process.extractOne`) only against the right tokens one of
    whose pieces it contains within the reach of the piece's place (a partition filter: a token within Indel
    distance ``d`` of another contains one of its ``d + 1`` pieces intact, shifted by at most ``d``)."""
    from rapidfuzz import fuzz, process

    left = {t for t in left if len(t) > 3}
    right = {t for t in right if len(t) > 3}
    if not left or not right or threshold > 100:
        return set()
    out = left & right
    pieces = _piece_index(sorted(right), threshold)
    for x in sorted(left - out):
        found = _within_reach(x, pieces, threshold)
        if found and process.extractOne(x, found, scorer=fuzz.ratio, score_cutoff=threshold) is not None:
            out.add(x)
    return out


def matching_names(left: Sequence[str], right: Sequence[str], *, threshold: float = 88.0) -> list[bool]:
    """For each name of ``left``, whether some name of ``right`` denotes the same entity (:func:`names_match`).

    The answer is ``[any(names_match(x, y) for y in right) for x in left]``, found without comparing every pair of
    names: the key sets of ``right`` are indexed by their subsets (``x``'s keys within some ``y``'s) and looked up
    by the subsets of each left key set (some ``y``'s keys within ``x``'s), and the fuzzy test, which compares
    tokens, looks each distinct left token up in an index of the right tokens' pieces (:func:`_fuzzy_tokens`).

    >>> matching_names(["Bashar al-Assad", "Putin", "Lavrov", "the"], ["President Assad", "Sergei Lavrov"])
    [True, False, True, False]
    """
    lk = [_key_set(n) for n in left]
    rk = {k for k in map(_key_set, right) if k}
    if not rk:
        return [False] * len(left)
    within: set[frozenset[str]] = set()  # every subset of a right key set: x <= y for some y
    long_right = []
    for k in rk:
        if len(k) <= _SUBSET_TOKENS:
            within.update(_subsets(k))
        else:
            long_right.append(k)
    fuzzy = _fuzzy_tokens({t for k in lk for t in k}, {t for k in rk for t in k}, threshold)
    memo: dict[frozenset[str], bool] = {}
    out = []
    for ka in lk:
        if ka not in memo:
            if not ka:
                hit = False
            elif ka in within or any(ka <= k for k in long_right) or not ka.isdisjoint(fuzzy):
                hit = True
            elif len(ka) <= _SUBSET_TOKENS:
                hit = any(sub in rk for sub in _subsets(ka))
            else:
                hit = any(k <= ka for k in rk)
            memo[ka] = hit
        out.append(memo[ka])
    return out


def _close_tokens(tokens: set[str], threshold: float) -> dict[str, frozenset[str]]:
    """For each token of ``tokens`` (longer than three letters), the other tokens of the set within
    ``fuzz.ratio >= threshold`` of it: the pieces index of :func:`_fuzzy_tokens`, built once for a whole corpus's
    name tokens, with every match kept instead of the first."""
    from rapidfuzz import fuzz, process

    vocab = sorted(t for t in tokens if len(t) > 3)
    pieces = _piece_index(vocab, threshold)
    out: dict[str, frozenset[str]] = {}
    for x in vocab:
        found = [t for t in _within_reach(x, pieces, threshold) if t != x]
        if found:
            close = process.extract(x, found, scorer=fuzz.ratio, score_cutoff=threshold, limit=None)
            if close:
                out[x] = frozenset(c for c, _, _ in close)
    return out


class NameMatcher:
    """:func:`shared_entities` for many pairs of one set of claims: each claim's name keys are read once and the
    fuzzy token test looks up a table of close tokens built once over all the claims' name tokens
    (:func:`_close_tokens`), so a pair costs a few set operations. Gives :func:`shared_entities`'s answer.

    >>> from crosscheck.data import Claim
    >>> c = lambda i, names: Claim(f"{i}:0", i, 0, 1, "x", "x", "s", False, "asserted", False, entities=names)
    >>> claims = [c("a", ("Bashar al-Assad", "Lavrov")), c("b", ("President Asad", "Sergei Lavrov"))]
    >>> NameMatcher(claims).shared(0, 1)
    ('Bashar al-Assad', 'Lavrov')
    """

    def __init__(self, claims: Sequence[Claim], *, threshold: float = 88.0) -> None:
        self.names = [(*c.entities, *c.places) for c in claims]
        self.keys = [[_key_set(n) for n in names] for names in self.names]
        self.tokens = [frozenset(t for k in keys for t in k if len(t) > 3) for keys in self.keys]
        self.close = _close_tokens({t for toks in self.tokens for t in toks}, threshold)

    def shared(self, i: int, j: int) -> tuple[str, ...]:
        """The names of claim ``i`` that some name of claim ``j`` denotes (``shared_entities(claims[i], claims[j])``)."""
        right = {k for k in self.keys[j] if k}
        if not right:
            return ()
        rtok = self.tokens[j]
        empty: frozenset[str] = frozenset()
        fuzzy = {t for t in self.tokens[i] if t in rtok or not self.close.get(t, empty).isdisjoint(rtok)}
        hits = []
        for name, ka in zip(self.names[i], self.keys[i]):
            if ka and (not ka.isdisjoint(fuzzy) or any(ka <= k or k <= ka for k in right)):
                hits.append(name)
        return tuple(dict.fromkeys(hits))


def shared_entities(a: Claim, b: Claim) -> tuple[str, ...]:
    """Entities (people, organisations, places) that ``a`` and ``b`` share, name variants included."""
    names = (*a.entities, *a.places)
    hits = matching_names(names, (*b.entities, *b.places))
    return tuple(dict.fromkeys(ea for ea, hit in zip(names, hits) if hit))


def check_number(stage: Any, name: str, low: float, high: float) -> None:
    """``stage.name`` is a real number (not a bool) in ``[low, high]``, else E030 naming the option."""
    v = getattr(stage, name)
    if not isinstance(v, numbers.Real) or isinstance(v, bool) or not low <= v <= high:
        raise InputError(Errors.E030.format(name=name, expected=f"a number in [{low:g}, {high:g}]", value=v))


def check_int(stage: Any, name: str, low: int) -> None:
    """``stage.name`` is an int (not a bool) of at least ``low``, else E030 naming the option."""
    v = getattr(stage, name)
    if not isinstance(v, numbers.Integral) or isinstance(v, bool) or v < low:
        expected = "a positive int" if low == 1 else f"an int >= {low}"
        raise InputError(Errors.E030.format(name=name, expected=expected, value=v))


def _report_ids(claims: Sequence[Claim], embeddings: np.ndarray) -> np.ndarray | None:
    """The report id of each claim, after checking one embedding per claim (E031); None for fewer than two."""
    if embeddings.shape[0] != len(claims):
        raise InputError(Errors.E031.format(n_claims=len(claims), n_vectors=embeddings.shape[0]))
    return np.array([c.report_id for c in claims]) if len(claims) >= 2 else None


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
        self._validate()

    def __repr__(self) -> str:
        return (f"TopKAligner(k={self.k}, min_similarity={self.min_similarity}, "
                f"entity_similarity={self.entity_similarity}, chunk_size={self.chunk_size})")

    def _validate(self) -> None:
        for name in ("k", "chunk_size"):
            check_int(self, name, 1)
        for name in ("min_similarity", "entity_similarity"):
            check_number(self, name, -1.0, 1.0)

    def __call__(self, claims: Sequence[Claim], embeddings: np.ndarray) -> list[Candidate]:
        """Return the aligned pairs, sorted by ``(a, b)``."""
        self._validate()
        reports = _report_ids(claims, embeddings)
        if reports is None:
            return []
        n = len(claims)
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


_WORD = re.compile(r"[a-z][a-z'-]{3,}")


def claim_keys(claim: Claim, *, stem: int = 6) -> set[str]:
    """The keys a claim can share with another: content-word stems (the first ``stem`` letters of each word of at
    least four letters that is not a stop word), the name keys of its entities and places, and what its numbers
    count (the event role, else the counted noun).

    >>> text = "Rescuers evacuated 900 people from Oleshky."
    >>> claim = Claim("r:0", "r", 0, len(text), text, text, "r", False, "asserted", False, entities=("Oleshky",))
    >>> sorted(claim_keys(claim))
    ['n:oleshky', 'w:evacua', 'w:oleshk', 'w:people', 'w:rescue']
    """
    words = set(_WORD.findall(claim.text.lower())) - STOPWORDS
    keys = {"w:" + w[:stem] for w in words}
    for name in (*claim.entities, *claim.places):
        keys |= {"n:" + k for k in name_keys(name)}
    for q in claim.quantities:
        if q.role or q.unit:
            keys.add("q:" + (q.role or q.unit or ""))
    return keys


def _rare_pairs(claims: Sequence[Claim], reports: np.ndarray, *, max_share: float, max_claims: int,
                stem: int) -> set[tuple[int, int]]:
    """Cross-report pairs ``(i, j)``, ``i < j``, that share a key held by at most ``max(2, min(max_share * n,
    max_claims))`` claims (an inverted index: the work is bounded by the number of keys times that cap squared)."""
    index: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        for k in claim_keys(c, stem=stem):
            index.setdefault(k, []).append(i)
    cap = max(2, min(int(max_share * len(claims)), max_claims))
    out: set[tuple[int, int]] = set()
    for members in index.values():
        if len(members) > cap:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if reports[i] != reports[j]:
                    out.add((i, j))
    return out


def _question_pairs(claims: Sequence[Claim], embeddings: np.ndarray, reports: np.ndarray, *, k: int,
                    floor: float, chunk_size: int) -> dict[tuple[int, int], float]:
    """Cross-report pairs ``(i, j)``, ``i < j``, of claims that answer one question (:attr:`Claim.questions`): each
    claim with its ``k`` most similar claims of other reports among those answering it, at or above ``floor``. The
    output is at most ``k`` pairs per claim and question; each group's similarities are computed ``chunk_size``
    rows at a time."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        for q in c.questions:
            groups.setdefault(q, []).append(i)
    out: dict[tuple[int, int], float] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        idx = np.asarray(members)
        width = min(k, len(idx) - 1)
        for start in range(0, len(idx), chunk_size):
            rows = idx[start:start + chunk_size]
            sims = embeddings[rows] @ embeddings[idx].T
            sims[reports[rows, None] == reports[None, idx]] = -np.inf
            near = np.argpartition(-sims, kth=width - 1, axis=1)[:, :width]
            for row, cols in enumerate(near):
                for col in cols:
                    s = float(sims[row, col])
                    if s >= floor:
                        i, j = int(rows[row]), int(idx[col])
                        out[(i, j) if i < j else (j, i)] = s
    return out


def _fitted(name: str) -> Any:
    return bundled_default("aligner", name)


class HybridAligner:
    """Recall-first alignment: a thresholded similarity join, pairs that share a rare key, and pairs of claims that
    answer one question.

    The defaults of the fitted parameters come from the bundled default profile (:mod:`crosscheck.config`).

    Args:
        min_similarity: cosine similarity above which a cross-report pair is aligned.
        key_similarity: lower cosine threshold for pairs that share a rare key (see :func:`claim_keys`).
        max_key_share: a key is rare when at most this share of the run's claims hold it ...
        max_key_claims: ... and at most this many (so the keyed pairs grow linearly with the claims).
        max_neighbours: most pairs a claim keeps from the similarity join, its most similar first (bounds the
            work when many outlets repeat one sentence).
        stem: letters of a content word that make its key ("evacuated" and "evacuation" share "evacua").
        entity_k: among each claim's ``entity_k`` most similar claims of other reports ...
        entity_similarity: ... those at or above this similarity that name a person, organisation or place in common
            are aligned too (in a small run every claim names the main actor, so the name is not rare, yet "the
            ministry did not say where he was" and "he has arrived in Moscow" are one question).
        question_k: each claim is also aligned with its ``question_k`` most similar claims of other reports among
            those that answer one of its questions (:attr:`crosscheck.data.Claim.questions`: an accusation and the
            other side's denial, the missing and the bodies recovered; 0 switches this off) ...
        question_similarity: ... at or above this similarity.
        chunk_size: rows of the similarity matrix computed at once (bounds memory).

    >>> HybridAligner(min_similarity=0.6)                   # doctest: +ELLIPSIS
    HybridAligner(min_similarity=0.6, key_similarity=..., question_similarity=..., chunk_size=1024)
    """

    def __init__(self, *, min_similarity: float = _fitted("min_similarity"),
                 key_similarity: float = _fitted("key_similarity"), max_key_share: float = _fitted("max_key_share"),
                 max_key_claims: int = _fitted("max_key_claims"), max_neighbours: int = _fitted("max_neighbours"),
                 stem: int = _fitted("stem"), entity_k: int = _fitted("entity_k"),
                 entity_similarity: float = _fitted("entity_similarity"), question_k: int = _fitted("question_k"),
                 question_similarity: float = _fitted("question_similarity"), chunk_size: int = 1024) -> None:
        self.min_similarity = min_similarity
        self.key_similarity = key_similarity
        self.max_key_share = max_key_share
        self.max_key_claims = max_key_claims
        self.max_neighbours = max_neighbours
        self.stem = stem
        self.entity_k = entity_k
        self.entity_similarity = entity_similarity
        self.question_k = question_k
        self.question_similarity = question_similarity
        self.chunk_size = chunk_size
        self._validate()

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters, by name."""
        return {k: getattr(self, k) for k in ("min_similarity", "key_similarity", "max_key_share", "max_key_claims",
                                               "max_neighbours", "stem", "entity_k", "entity_similarity",
                                               "question_k", "question_similarity", "chunk_size")}

    def __repr__(self) -> str:
        return "HybridAligner(" + ", ".join(f"{k}={v!r}" for k, v in self.get_params().items()) + ")"

    def _validate(self) -> None:
        for name in ("min_similarity", "key_similarity", "entity_similarity", "question_similarity"):
            check_number(self, name, -1.0, 1.0)
        check_number(self, "max_key_share", 0.0, 1.0)
        for name in ("max_key_claims", "max_neighbours", "stem", "entity_k", "question_k", "chunk_size"):
            check_int(self, name, 0 if name == "question_k" else 1)

    def __call__(self, claims: Sequence[Claim], embeddings: np.ndarray) -> list[Candidate]:
        """Return the aligned pairs, sorted by ``(a, b)``."""
        self._validate()
        reports = _report_ids(claims, embeddings)
        if reports is None:
            return []
        n = len(claims)
        pairs: dict[tuple[int, int], float] = {}
        named: dict[tuple[int, int], float] = {}
        keep = min(self.max_neighbours, n - 1)
        near = min(self.entity_k, n - 1)
        width = max(keep, near)
        for start in range(0, n, self.chunk_size):
            stop = min(n, start + self.chunk_size)
            sims = embeddings[start:stop] @ embeddings.T
            sims[reports[start:stop, None] == reports[None, :]] = -np.inf
            # each row's ``width`` most similar, most similar first: the join keeps ``keep`` of them, the name rule
            # looks at the first ``near``
            part = np.argpartition(-sims, kth=width - 1, axis=1)[:, :width]
            ranked = np.take_along_axis(part, np.argsort(-np.take_along_axis(sims, part, axis=1), axis=1), axis=1)
            for row, cols in enumerate(ranked):
                i = start + row
                s = sims[row, cols]
                for j, sim, rank in zip(cols, s, range(width)):
                    key = (i, int(j)) if i < j else (int(j), i)
                    if rank < keep and sim >= self.min_similarity:
                        pairs[key] = float(sim)
                    if rank < near and sim >= self.entity_similarity:
                        named[key] = float(sim)
        matcher = NameMatcher(claims)
        for key, s in named.items():
            if key not in pairs and matcher.shared(*key):
                pairs[key] = s
        for i, j in _rare_pairs(claims, reports, max_share=self.max_key_share, max_claims=self.max_key_claims,
                                stem=self.stem):
            if (i, j) not in pairs:
                s = float(embeddings[i] @ embeddings[j])
                if s >= self.key_similarity:
                    pairs[(i, j)] = s
        if self.question_k:
            asked = _question_pairs(claims, embeddings, reports, k=self.question_k, floor=self.question_similarity,
                                    chunk_size=self.chunk_size)
            for key, s in asked.items():
                pairs.setdefault(key, s)
        return [Candidate(i, j, round(s, 6), matcher.shared(i, j)) for (i, j), s in sorted(pairs.items())]


def naive_pairs(claims: Sequence[Claim]) -> list[tuple[int, int]]:
    """Every cross-report pair (the quadratic baseline the benchmarks compare against)."""
    return [(i, j) for i in range(len(claims)) for j in range(i + 1, len(claims))
            if claims[i].report_id != claims[j].report_id]
