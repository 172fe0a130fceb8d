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
    """

    def __init__(self, *, related_similarity: float = bundled_default("aggregator", "related_similarity")) -> None:
        self.related_similarity = related_similarity

    def __repr__(self) -> str:
        return f"TopicAggregator(related_similarity={self.related_similarity})"

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
        topics = []
        for members in sorted(groups.values(), key=lambda m: order[m[0]]):
            member_set = set(members)
            topic_findings = [f for f in links if f.claim_a in member_set]
            anchor = self._anchor(members, topic_findings, by_id)
            sides = group_positions(members, topic_findings, by_id=by_id)
            major = majority_index(sides, by_id, lambda cid: by_id[cid].report_id)
            stances = report_stances(reports, sides, major, topic_findings, by_id)
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
