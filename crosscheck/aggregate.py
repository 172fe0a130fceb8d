"""Stage 6, aggregation: findings into topics (claim clusters) with a stance per report.

A report's stance is toward the topic's majority position, measured by its own claims
(:func:`crosscheck.positions.report_stances`): ``contradicts`` (its claims conflict with or deny
the majority position), ``supports``, ``hedged`` (only uncertain or speculative claims),
``relays`` (only claims attributed to someone else), ``silent`` (no claim in the topic). Here
the majority counts reports; the positions stage (:mod:`crosscheck.positions`) recounts it by
independent origins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from crosscheck.config import bundled_default
from crosscheck.data import Claim, Finding, Report, Topic
from crosscheck.positions import group_positions, majority_index, report_stances

CONFLICTS = ("contradict", "disputed", "update")


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class TopicAggregator:
    """Cluster claims linked by findings into topics and give each report's stance.

    Args:
        related_similarity: a ``related`` finding links two claims into one topic only at
            or above this similarity (agree/contradict/disputed/update always link).
        attach_similarity: a claim left outside every topic joins the topic it has the most similar ``related``
            finding with, when that similarity is at least this (it answers the question of that topic, only in
            other words); it never joins two topics together, so topics do not chain into one. Two claims left
            outside that are each other's most similar such partner (of different reports) form a topic of their
            own when ``attach_pairs``. None: no claim is attached.
        attach_pairs: see ``attach_similarity``.
    """

    def __init__(self, *, related_similarity: float = bundled_default("aggregator", "related_similarity"),
                 attach_similarity: float | None = bundled_default("aggregator", "attach_similarity"), attach_pairs: bool = False) -> None:
        self.related_similarity = related_similarity
        self.attach_similarity = attach_similarity
        self.attach_pairs = attach_pairs

    def __repr__(self) -> str:
        return (f"TopicAggregator(related_similarity={self.related_similarity}, "
                f"attach_similarity={self.attach_similarity}, attach_pairs={self.attach_pairs})")

    def _attach(self, groups: dict[str, list[str]], findings: Sequence[Finding], by_id: dict[str, Claim],
                uf: _UnionFind) -> list[Finding]:
        """Attach the claims outside every topic (see ``attach_similarity``); the findings that attached them."""
        threshold = self.attach_similarity
        if threshold is None:
            return []
        topic_of = {cid: root for root, members in groups.items() for cid in members}
        best: dict[str, tuple[float, str, Finding]] = {}
        for f in findings:
            if f.relation != "related" or f.similarity < threshold:
                continue
            if by_id[f.claim_a].report_id == by_id[f.claim_b].report_id:
                continue
            for x, y in ((f.claim_a, f.claim_b), (f.claim_b, f.claim_a)):
                if x in topic_of:
                    continue
                key = (f.similarity, y, f)
                if x not in best or (key[0], key[1]) > (best[x][0], best[x][1]):
                    best[x] = key
        used: list[Finding] = []
        for x, (_, y, f) in sorted(best.items()):
            if y in topic_of:
                root = topic_of[y]
                groups[root].append(x)
                used.append(f)
            elif self.attach_pairs and best.get(y, (0.0, ""))[1] == x and x < y:
                uf.union(x, y)
                groups[uf.find(x)] = [x, y]
                used.append(f)
        return used

    def __call__(self, reports: Sequence[Report], claims: Sequence[Claim], findings: Sequence[Finding]) -> list[Topic]:
        """Return topics ordered by first claim; only clusters with claims from two or more reports."""
        uf = _UnionFind()
        links = [f for f in findings if f.relation != "related" or f.similarity >= self.related_similarity]
        for f in links:
            uf.union(f.claim_a, f.claim_b)
        by_id = {c.id: c for c in claims}
        order = {c.id: i for i, c in enumerate(claims)}
        groups: dict[str, list[str]] = defaultdict(list)
        for cid in sorted({x for f in links for x in (f.claim_a, f.claim_b)}, key=order.__getitem__):
            groups[uf.find(cid)].append(cid)
        links += self._attach(groups, findings, by_id, uf)
        for root in groups:
            groups[root].sort(key=order.__getitem__)
        topics = []
        for members in sorted(groups.values(), key=lambda m: order[m[0]]):
            member_set = set(members)
            topic_findings = [f for f in links if f.claim_a in member_set]
            anchor = self._anchor(members, topic_findings, by_id)
            sides = group_positions(members, topic_findings, by_id=by_id)
            major = majority_index(sides, by_id, lambda cid: by_id[cid].report_id)
            stances = report_stances(reports, sides, major, topic_findings, by_id, self.related_similarity)
            topics.append(Topic(id=f"t{len(topics) + 1}", label=by_id[anchor].proposition.strip(),
                                claim_ids=tuple(members), stances=stances))
        return topics

    @staticmethod
    def _anchor(members: list[str], findings: list[Finding], by_id: dict[str, Claim]) -> str:
        degree: dict[str, float] = defaultdict(float)
        for f in findings:
            w = 1.0 if f.relation == "agree" else 0.5
            degree[f.claim_a] += w
            degree[f.claim_b] += w

        def key(cid: str) -> tuple[float, float, int]:
            c = by_id[cid]
            ts = c.published.timestamp() if c.published else float("inf")
            return (-degree[cid], ts, members.index(cid))

        return min(members, key=key)
