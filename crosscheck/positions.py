"""Stage 7, positions: per topic (a question), the distinct answers, who holds them, and the consensus.

A topic's claims fall into **positions**: claims linked by an ``agree`` finding, or carrying one origin (copies
of one wire story, outlets relaying one speaker), hold one position, unless a conflicting finding (``contradict``,
``disputed``, ``update``) separates them; every other claim holds a position of its own. Each position has its
speakers, outlets, independent origins (:mod:`crosscheck.origins`), first and last publication time, its usual
hedge and its evidence claims, and a status:

* ``sole``: the topic's only position;
* ``majority``: the position with the most independent sources (then the most reports, then the earliest);
* ``minority``: any other position;
* ``superseded`` / ``current``: the earlier and the later side of an ``update`` (a rising toll, "missing" then
  "found").

The **consensus** of a topic, weighted by independence (copies count once):

* ``contradicted``: the reports themselves disagree (a ``contradict`` finding between two positions);
* ``disputed``: rival speakers disagree (a ``disputed`` finding), each relayed faithfully;
* ``superseded``: the latest position replaced earlier ones (only ``update`` findings between positions);
* ``agreed``: no conflict, and two or more independent sources;
* ``single-source``: no conflict, and one independent source behind everything said.

A report's **stance** toward a topic is its stance toward the majority position, measured by its own claims:
``contradicts`` when its claims there conflict with (or deny) the majority position, ``supports``, ``relays`` (all
its claims there attributed to someone else) or ``hedged`` (all uncertain or speculative) otherwise, ``silent``
when it says nothing on the topic.

>>> CONSENSUS
('agreed', 'disputed', 'contradicted', 'superseded', 'single-source')
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from crosscheck.data import HEDGES, Claim, Finding, Report, Topic, denial_differs
from crosscheck.origins import Origins

__all__ = ["CONSENSUS", "POSITION_STATUSES", "Consensus", "Position", "PositionBuilder", "Question", "Questions",
           "report_stances"]

CONSENSUS = ("agreed", "disputed", "contradicted", "superseded", "single-source")
POSITION_STATUSES = ("sole", "majority", "minority", "superseded", "current")
CONFLICTS = ("contradict", "disputed", "update")
#: The columns of :attr:`crosscheck.result.Result.positions`.
POSITION_COLUMNS = ["topic_id", "position_id", "label", "speakers", "outlets", "n_independent_sources", "first_seen",
                    "last_seen", "status", "hedge", "claim_ids", "origin_ids"]


@dataclass(frozen=True)
class Position:
    """One answer to a topic's question, with who holds it and the claims that say it (its evidence spans)."""

    id: str
    topic_id: str
    label: str
    claim_ids: tuple[str, ...]
    speakers: tuple[str, ...]
    outlets: tuple[str, ...]
    origin_ids: tuple[str, ...]
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    hedge: str
    status: str

    @property
    def n_independent_sources(self) -> int:
        """How many independent origins hold this position (copies of one story and relays of one speaker count
        once)."""
        return len(self.origin_ids)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the columns of the positions DataFrame (:data:`POSITION_COLUMNS`)."""
        return {"topic_id": self.topic_id, "position_id": self.id, "label": self.label,
                "speakers": list(self.speakers), "outlets": list(self.outlets),
                "n_independent_sources": self.n_independent_sources,
                "first_seen": self.first_seen.isoformat() if self.first_seen else None,
                "last_seen": self.last_seen.isoformat() if self.last_seen else None, "status": self.status,
                "hedge": self.hedge, "claim_ids": list(self.claim_ids), "origin_ids": list(self.origin_ids)}


@dataclass(frozen=True)
class Consensus:
    """A topic's consensus: its status (:data:`CONSENSUS`), how many independent sources say anything on it, and
    its majority position (None when it has no position)."""

    topic_id: str
    status: str
    n_independent_sources: int
    majority: str | None


@dataclass(frozen=True)
class Questions:
    """What the positions stage gives: every topic's positions, its consensus, and each report's stance."""

    positions: tuple[Position, ...]
    consensus: Mapping[str, Consensus]
    stances: Mapping[str, Mapping[str, str]]

    def apply(self, topics: Sequence[Topic]) -> list[Topic]:
        """``topics`` with their stances replaced by these (topics without an entry keep theirs)."""
        return [replace(t, stances=dict(self.stances[t.id])) if t.id in self.stances else t for t in topics]


@dataclass(frozen=True)
class Question:
    """One topic as a question (:meth:`crosscheck.result.Result.question`): its consensus, how many independent
    sources say anything on it, its majority position and all its positions; ``str()`` gives a readable text."""

    topic_id: str
    label: str
    consensus: str
    n_independent_sources: int
    majority: str | None
    positions: tuple[Position, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"topic_id": self.topic_id, "label": self.label, "consensus": self.consensus,
                "n_independent_sources": self.n_independent_sources, "majority": self.majority,
                "positions": [p.to_dict() for p in self.positions]}

    def __str__(self) -> str:
        lines = [f"{self.topic_id}: {self.label}",
                 f"  consensus: {self.consensus} ({self.n_independent_sources} independent sources)"]
        for p in self.positions:
            when = p.first_seen.date().isoformat() if p.first_seen else "?"
            until = p.last_seen.date().isoformat() if p.last_seen else "?"
            lines.append(f"  [{p.status}] {p.label}")
            lines.append(f"    {p.n_independent_sources} independent; speakers: {', '.join(p.speakers) or '-'}; "
                         f"outlets: {', '.join(p.outlets)}; {when} to {until}; {p.hedge}")
        return "\n".join(lines)


class _UF:
    def __init__(self, items: Sequence[str]) -> None:
        self.parent = {x: x for x in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x


def _polarity(claim: Claim) -> bool:
    """Whether ``claim`` says its predicate is not so (negated, or a denial)."""
    return claim.negated or claim.hedge == "denied"


def _denies(own: Claim, other: Claim) -> bool:
    """``own`` denies what ``other`` says: one is negated or a denial and the other not, about one predicate."""
    return _polarity(own) != _polarity(other) and bool(own.predicate) and own.predicate == other.predicate


def opposing(f: Finding, by_id: Mapping[str, Claim] | None, related_similarity: float | None = None) -> bool:
    """Whether finding ``f`` sets its two claims against each other: a ``contradict`` or ``disputed`` finding, an
    ``agree`` (a paraphrase) between a claim and a denial of it, or a ``related`` finding of at least
    ``related_similarity`` (when given) between a denial and an assertion ("X denied that he left" / "he fled": the
    judge calls no such pair an agreement, see :class:`crosscheck.judge.RuleJudge`)."""
    if f.relation in ("contradict", "disputed"):
        return True
    if f.relation in ("agree", "related") and by_id is not None and f.claim_a in by_id and f.claim_b in by_id:
        a, b = by_id[f.claim_a], by_id[f.claim_b]
        if f.relation == "agree":
            return _polarity(a) != _polarity(b)
        return related_similarity is not None and f.similarity >= related_similarity and denial_differs(a, b)
    return False


def group_positions(members: Sequence[str], findings: Sequence[Finding],
                    origin_of: Callable[[str], str] | None = None,
                    by_id: Mapping[str, Claim] | None = None,
                    related_similarity: float | None = None) -> list[list[str]]:
    """The positions of a topic's claims ``members``: groups of claim ids, each in ``members`` order, the groups
    in the order of their first claim.

    Claims join one position through an ``agree`` finding (strongest first; not a paraphrase of a denial, when
    ``by_id`` gives the claims), then through a ``related`` finding of at least ``related_similarity`` (when
    given), then through a shared origin (``origin_of``), then as the common opponents of one
    position (two claims that each contradict or dispute the same position and are linked by a finding of their
    own; not uncertain or speculative ones), but never when a conflicting finding lies between the two groups.

    >>> f = [Finding("f1", "agree", "none", 0.9, "", "a", "b"), Finding("f2", "disputed", "negation", 0.8, "", "b", "c")]
    >>> group_positions(["a", "b", "c"], f)
    [['a', 'b'], ['c']]
    """
    inside = set(members)
    index = {m: i for i, m in enumerate(members)}
    uf = _UF(members)
    own = [f for f in findings if f.claim_a in inside and f.claim_b in inside]
    conflicts: dict[str, set[str]] = {m: set() for m in members}
    opponents: dict[str, set[str]] = {m: set() for m in members}
    for f in own:
        if f.relation in CONFLICTS or opposing(f, by_id, related_similarity):
            conflicts[f.claim_a].add(f.claim_b)
            conflicts[f.claim_b].add(f.claim_a)
        if opposing(f, by_id, related_similarity):
            opponents[f.claim_a].add(f.claim_b)
            opponents[f.claim_b].add(f.claim_a)
    group_members = {m: {m} for m in members}

    def join(a: str, b: str) -> None:
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            return
        ga, gb = group_members[ra], group_members[rb]
        if any(conflicts[x] & gb for x in ga):
            return
        keep, drop = (ra, rb) if index[ra] < index[rb] else (rb, ra)
        uf.parent[drop] = keep
        group_members[keep] = ga | gb
        del group_members[drop]

    for f in sorted((f for f in own if f.relation == "agree" and not opposing(f, by_id)),
                    key=lambda f: (-f.score, f.id)):
        join(f.claim_a, f.claim_b)
    if related_similarity is not None:
        for f in sorted((f for f in own if f.relation == "related" and f.similarity >= related_similarity),
                        key=lambda f: (-f.similarity, f.id)):
            join(f.claim_a, f.claim_b)
    if origin_of is not None:
        first: dict[str, str] = {}
        for m in members:
            key = origin_of(m)
            if key in first:
                join(first[key], m)
            else:
                first[key] = m
    linked = sorted((f for f in own if f.relation in ("agree", "related")
                     and not opposing(f, by_id, related_similarity)),
                    key=lambda f: (-f.score, f.id))
    for f in linked:  # common opponents of one position hold one position (an unknown is no side)
        ra, rb = uf.find(f.claim_a), uf.find(f.claim_b)
        if ra == rb or (by_id is not None and any(by_id[c].hedge in ("uncertain", "speculative")
                                                  for c in (f.claim_a, f.claim_b))):
            continue
        against_a = {uf.find(o) for x in group_members[ra] for o in opponents[x]}
        against_b = {uf.find(o) for x in group_members[rb] for o in opponents[x]}
        if against_a & against_b:
            join(f.claim_a, f.claim_b)
    groups: dict[str, list[str]] = defaultdict(list)
    for m in members:
        groups[uf.find(m)].append(m)
    return sorted(groups.values(), key=lambda g: index[g[0]])


def report_stances(reports: Sequence[Report], groups: Sequence[Sequence[str]], majority: int | None,
                   findings: Sequence[Finding], by_id: Mapping[str, Claim],
                   related_similarity: float | None = None) -> dict[str, str]:
    """Each report's stance toward the majority position ``groups[majority]`` of one topic (see the module
    docstring); ``findings`` are the topic's findings.

    A claim opposes the majority position when a finding sets it against (:func:`opposing`, with
    ``related_similarity``), or it denies, the
    position's representative claim (:func:`representative`), a claim that agrees with it, or more than half of
    the position's claims; so does a claim of a position that
    holds such a claim, unless it agrees with the majority position itself. A claim in the majority position, or
    linked to it by an agreement or a related finding without opposing it, is with it. Against and nothing with it,
    or more against than with it: ``contradicts``; as many, all attributed: ``relays``."""
    major_list = list(groups[majority]) if majority is not None else []
    major = set(major_list)
    rep = representative(major_list, findings, by_id).id if major_list else None
    position_of = {cid: k for k, g in enumerate(groups) for cid in g}
    against: dict[str, set[str]] = defaultdict(set)
    near: dict[str, set[str]] = defaultdict(set)
    agrees: set[str] = set()
    for f in findings:
        for x, y in ((f.claim_a, f.claim_b), (f.claim_b, f.claim_a)):
            if y not in major or x in major:
                continue
            if opposing(f, by_id, related_similarity) or _denies(by_id[x], by_id[y]):
                against[x].add(y)
            elif f.relation in ("agree", "related"):
                near[x].add(y)
                if f.relation == "agree":
                    agrees.add(x)
    kernel = {rep} | {y for f in findings if f.relation == "agree" and not opposing(f, by_id)
                      for x, y in ((f.claim_a, f.claim_b), (f.claim_b, f.claim_a)) if x == rep and y in major}
    core = {x for x, ys in against.items() if ys & kernel or 2 * len(ys) > len(major)}
    hostile = {position_of[x] for x in core}
    out = {}
    for r in reports:
        own = [by_id[c] for c in position_of if by_id[c].report_id == r.id]
        if not own:
            out[r.id] = "silent"
            continue
        opposed = [c for c in own if c.id in core or (position_of[c.id] in hostile and c.id not in agrees)]
        with_it = [c for c in own if c.id in major or (near[c.id] and c not in opposed)]
        if (opposed and not with_it) or len(opposed) > len(with_it):
            out[r.id] = "contradicts"
            continue
        basis = with_it or own
        if opposed and not all(c.attributed for c in opposed + with_it):
            out[r.id] = "contradicts"
        elif all(c.hedge in ("uncertain", "speculative") for c in basis):
            out[r.id] = "hedged"
        elif all(c.attributed for c in basis):
            out[r.id] = "relays"
        else:
            out[r.id] = "supports"
    return out


def representative(group: Sequence[str], findings: Sequence[Finding], by_id: Mapping[str, Claim]) -> Claim:
    """The claim that stands for a position: the most agreed-with within it, then the earliest."""
    inside = set(group)
    degree: Counter[str] = Counter()
    for f in findings:
        if f.relation == "agree" and f.claim_a in inside and f.claim_b in inside:
            degree[f.claim_a] += 1
            degree[f.claim_b] += 1
    index = {c: i for i, c in enumerate(group)}
    return min((by_id[c] for c in group), key=lambda c: (-degree[c.id], c.published.timestamp() if c.published
                                                          else float("inf"), index[c.id]))


def majority_index(groups: Sequence[Sequence[str]], by_id: Mapping[str, Claim],
                   origin_of: Callable[[str], str]) -> int | None:
    """The index of the majority position: most independent origins, then most reports, then the earliest."""
    if not groups:
        return None

    def key(k: int) -> tuple[int, int, float, int]:
        g = groups[k]
        times = [by_id[c].published.timestamp() for c in g if by_id[c].published]
        return (-len({origin_of(c) for c in g}), -len({by_id[c].report_id for c in g}),
                min(times) if times else float("inf"), k)

    return min(range(len(groups)), key=key)


class PositionBuilder:
    """Positions, consensus and stances of every topic (see the module docstring).

    Args:
        merge_origins: claims with one origin (copies of a story, relays of a speaker) hold one position unless a
            finding sets them apart; False: only findings join claims.
        related_similarity: a ``related`` finding of at least this similarity joins its two claims into one
            position too (unless a conflict sets them apart); None: related claims hold positions of their own.
    """

    def __init__(self, *, merge_origins: bool = True, related_similarity: float | None = 0.7) -> None:
        self.merge_origins = merge_origins
        self.related_similarity = related_similarity

    def __repr__(self) -> str:
        return f"PositionBuilder(merge_origins={self.merge_origins}, related_similarity={self.related_similarity})"

    def __call__(self, reports: Sequence[Report], claims: Sequence[Claim], findings: Sequence[Finding],
                 topics: Sequence[Topic], origins: Origins) -> Questions:
        """The :class:`Questions` of ``topics``."""
        by_id = {c.id: c for c in claims}
        source = {r.id: r.source or r.id for r in reports}

        def origin_of(cid: str) -> str:
            return origins.claim_origin(by_id[cid])

        by_claim: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            by_claim[f.claim_a].append(f)
        positions: list[Position] = []
        consensus: dict[str, Consensus] = {}
        stances: dict[str, dict[str, str]] = {}
        for t in topics:
            members = list(t.claim_ids)
            inside = set(members)
            tf = [f for m in members for f in by_claim.get(m, ()) if f.claim_b in inside]
            groups = group_positions(members, tf, origin_of if self.merge_origins else None, by_id,
                                     self.related_similarity)
            major = majority_index(groups, by_id, origin_of)
            statuses = _statuses(groups, major, tf, by_id)
            for k, g in enumerate(groups):
                positions.append(_position(f"{t.id}.p{k + 1}", t.id, g, tf, by_id, source, origin_of, statuses[k]))
            consensus[t.id] = Consensus(t.id, _consensus(groups, tf, {origin_of(m) for m in members}),
                                        len({origin_of(m) for m in members}),
                                        f"{t.id}.p{major + 1}" if major is not None else None)
            stances[t.id] = report_stances(reports, groups, major, tf, by_id, self.related_similarity)
        return Questions(tuple(positions), consensus, stances)


def _statuses(groups: Sequence[Sequence[str]], major: int | None, findings: Sequence[Finding],
              by_id: Mapping[str, Claim]) -> list[str]:
    if len(groups) == 1:
        return ["sole"]
    out = ["majority" if k == major else "minority" for k in range(len(groups))]
    where = {cid: k for k, g in enumerate(groups) for cid in g}
    updated: set[int] = set()
    for f in findings:
        if f.relation == "update" and where.get(f.claim_a) != where.get(f.claim_b):
            a, b = by_id[f.claim_a], by_id[f.claim_b]
            ta = a.published.timestamp() if a.published else 0.0
            tb = b.published.timestamp() if b.published else 0.0
            early, late = (where[f.claim_a], where[f.claim_b]) if ta <= tb else (where[f.claim_b], where[f.claim_a])
            out[early] = "superseded"
            updated.add(late)
    for k in updated:
        if out[k] != "superseded":
            out[k] = "current"
    return out


def _consensus(groups: Sequence[Sequence[str]], findings: Sequence[Finding], origins: set[str]) -> str:
    where = {cid: k for k, g in enumerate(groups) for cid in g}
    between = {f.relation for f in findings
               if f.relation in CONFLICTS and where.get(f.claim_a) != where.get(f.claim_b)}
    if "contradict" in between:
        return "contradicted"
    if "disputed" in between:
        return "disputed"
    if "update" in between:
        return "superseded"
    return "agreed" if len(origins) >= 2 else "single-source"


def _position(pid: str, topic_id: str, group: Sequence[str], findings: Sequence[Finding], by_id: Mapping[str, Claim],
              source: Mapping[str, str], origin_of: Callable[[str], str], status: str) -> Position:
    claims = [by_id[c] for c in group]
    rep = representative(group, findings, by_id)
    times = [c.published for c in claims if c.published]
    hedges = Counter(c.hedge for c in claims)
    hedge = max(HEDGES, key=lambda h: (hedges[h], -HEDGES.index(h))) if hedges else "asserted"
    return Position(pid, topic_id, rep.proposition.strip(), tuple(group),
                    tuple(dict.fromkeys(c.speaker for c in claims if c.speaker)),
                    tuple(dict.fromkeys(source.get(c.report_id, c.report_id) for c in claims)),
                    tuple(dict.fromkeys(origin_of(c.id) for c in claims)),
                    min(times) if times else None, max(times) if times else None, hedge, status)
