"""Stance of a report towards a claim: ``agree``, ``disagree``, ``discuss`` or ``unrelated``.

The claim is aligned against the report's claims with the pipeline's own stages (segment,
extract, embed), the closest report claims are judged against it (typed rules plus the NLI
cross-encoder, report claim as premise), and the judged relations are aggregated:

* no report claim is similar enough -> ``unrelated``;
* an evidence claim conflicts with the claim -> ``disagree``;
* an evidence claim entails the claim and the report asserts it itself -> ``agree``;
* otherwise (related, or only relayed from someone else) -> ``discuss``.

>>> import crosscheck                                                      # doctest: +SKIP
>>> crosscheck.stance("Assad is in Moscow.", report).label                  # doctest: +SKIP
'agree'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from crosscheck.data import Claim, Report
from crosscheck.errors import InputError
from crosscheck.pipeline import Checker, default_checker, load_profile

STANCE_LABELS = ("agree", "disagree", "discuss", "unrelated")


@dataclass(frozen=True)
class Evidence:
    """A report claim that decided (part of) a stance, with its provenance and judgement."""

    claim: Claim
    similarity: float
    relation: str
    kind: str
    entailment: float
    contradiction: float


@dataclass(frozen=True)
class Stance:
    """The stance of one report towards one claim."""

    label: str
    scores: dict[str, float]
    evidence: tuple[Evidence, ...] = field(default=())
    report_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (evidence with offsets)."""
        return {"label": self.label, "scores": self.scores, "report_id": self.report_id,
                "evidence": [{"claim_id": e.claim.id, "start": e.claim.start, "end": e.claim.end, "text": e.claim.text,
                              "similarity": e.similarity, "relation": e.relation, "kind": e.kind} for e in self.evidence]}


@dataclass(frozen=True)
class StanceFeatures:
    """Numbers a stance decision is made from (kept separate so thresholds can be calibrated)."""

    max_similarity: float
    entail: float          # best entailment of the claim by an asserted (unattributed) evidence claim
    entail_any: float      # best entailment by any evidence claim
    contra: float          # best contradiction (both-direction minimum) among evidence
    rule_conflict: bool    # a typed rule fired
    evidence: tuple[Evidence, ...]


def decide(f: StanceFeatures, thresholds: dict[str, float]) -> tuple[str, dict[str, float]]:
    """Turn features into a label and per-label scores (in [0, 1])."""
    unrelated_t = thresholds.get("unrelated_similarity", 0.35)
    agree_t = thresholds.get("agree_threshold", 0.5)
    disagree_t = thresholds.get("disagree_threshold", 0.5)
    related = float(np.clip((f.max_similarity - unrelated_t) * 4 + 0.5, 0.0, 1.0))
    disagree = max(f.contra, 0.95 if f.rule_conflict else 0.0)
    scores = {"unrelated": round(1 - related, 4), "agree": round(related * f.entail, 4),
              "disagree": round(related * disagree, 4),
              "discuss": round(related * max(0.0, 1 - max(f.entail, disagree)), 4)}
    if f.max_similarity < unrelated_t:
        return "unrelated", scores
    if disagree >= disagree_t:
        return "disagree", scores
    if f.entail >= agree_t:
        return "agree", scores
    return "discuss", scores


class StanceDetector:
    """Reusable stance detection on top of a :class:`~crosscheck.pipeline.Checker`.

    Args:
        checker: the pipeline whose stages are reused (default: the shared default one).
        top_k: report claims judged against the claim.
        profile: thresholds (``stance`` section of the profile).
    """

    def __init__(self, *, checker: Checker | None = None, top_k: int = 3, profile: Any = "default") -> None:
        self.checker = checker
        self.top_k = top_k
        self.profile = profile

    def _claims(self, report: Report) -> list[Claim]:
        cache: dict[tuple[str, str], list[Claim]] = self.__dict__.setdefault("_claim_cache", {})
        key = (report.id, report.text)
        if key not in cache:
            if len(cache) > 4096:
                cache.clear()
            cache[key] = (self.checker or default_checker()).extract([report])
        return cache[key]

    def features_many(self, pairs: Sequence[tuple[str | Claim, Report]]) -> list[StanceFeatures]:
        """Evidence features for each (claim, report) pair; embeddings and NLI are batched."""
        checker = self.checker or default_checker()
        st = checker.stages()
        heads: list[Claim] = []
        for i, (claim, _report) in enumerate(pairs):
            heads.append(claim if isinstance(claim, Claim) else _as_claim(checker, claim, i))
        bodies = [self._claims(r) for _, r in pairs]
        texts = list(dict.fromkeys([h.proposition for h in heads] + [c.proposition for b in bodies for c in b]))
        vecs = st["embedder"](texts)
        index = {t: i for i, t in enumerate(texts)}
        chosen: list[list[tuple[Claim, float]]] = []
        for h, body in zip(heads, bodies):
            if not body:
                chosen.append([])
                continue
            hv = vecs[index[h.proposition]]
            sims = vecs[[index[c.proposition] for c in body]] @ hv
            order = np.argsort(-sims)[: self.top_k]
            chosen.append([(body[j], float(sims[j])) for j in order])
        judge = st["judge"]
        # only claims close enough to be related are judged (the NLI model is the costly part)
        floor = self.thresholds().get("unrelated_similarity", 0.35) - 0.05
        chosen = [ch if ch and ch[0][1] >= floor else ch[:1] for ch in chosen]
        to_judge = [(h, c) for h, ch in zip(heads, chosen) for c, s in ch if s >= floor]
        probs = judge._nli_probs([(c, h) for h, c in to_judge]) if hasattr(judge, "_nli_probs") else [None] * len(to_judge)
        out, k = [], 0
        for h, ch in zip(heads, chosen):
            evidence = []
            for c, s in ch:
                if s < floor:
                    evidence.append(Evidence(c, round(s, 4), "unrelated", "none", 0.0, 0.0))
                    continue
                p = probs[k]
                k += 1
                finding = judge.judge_pair(c, h, s, p)
                ent = float(p[0, 1]) if p is not None else 0.0  # premise = report claim, hypothesis = claim
                contra = float(p[:, 0].min()) if p is not None else 0.0
                evidence.append(Evidence(c, round(s, 4), finding.relation, finding.kind, round(ent, 4), round(contra, 4)))
            related = [e for e in evidence if e.relation != "unrelated"]
            out.append(StanceFeatures(
                max_similarity=max((e.similarity for e in evidence), default=-1.0),
                entail=max((e.entailment for e in related if not e.claim.attributed), default=0.0),
                entail_any=max((e.entailment for e in related), default=0.0),
                contra=max((e.contradiction for e in related), default=0.0),
                rule_conflict=any(e.kind not in ("none", "other") for e in related),
                evidence=tuple(evidence),
            ))
        return out

    def thresholds(self) -> dict[str, float]:
        """The stance thresholds from the profile."""
        return dict(load_profile(self.profile).get("stance", {}))

    def many(self, pairs: Iterable[tuple[str | Claim, Report | str]]) -> list[Stance]:
        """Stances for an iterable of (claim, report) pairs, in order."""
        norm = []
        for claim, report in pairs:
            if isinstance(report, str):
                report = Report("report", report)
            if not isinstance(report, Report):
                raise InputError(f"[E060] expected a Report or str, got {type(report).__name__}")
            norm.append((claim, report))
        th = self.thresholds()
        out = []
        for (_, report), f in zip(norm, self.features_many(norm)):
            label, scores = decide(f, th)
            decisive = tuple(e for e in f.evidence if label != "unrelated")
            out.append(Stance(label, scores, decisive, report.id))
        return out


def _as_claim(checker: Checker, text: str, i: int) -> Claim:
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"[E061] claim must be a non-empty string, got {text!r}")
    rep = Report(f"claim-{i}", text)
    claims = checker.extract([rep])
    if claims:
        c = claims[0]
        return dataclasses.replace(c, start=0, end=len(text.rstrip()), text=text.rstrip())
    stripped = text.strip()
    start = text.index(stripped)
    return Claim(id=f"claim-{i}:0", report_id=rep.id, start=start, end=start + len(stripped), text=stripped,
                 proposition=stripped, speaker=rep.id, attributed=False, hedge="asserted", negated=False)


def stance(claim: str | Claim, report: Report | str, **options: Any) -> Stance:
    """Does ``report`` support, contradict, merely discuss, or ignore ``claim``?"""
    return stance_many([(claim, report)], **options)[0]


def stance_many(pairs: Iterable[tuple[str | Claim, Report | str]], **options: Any) -> list[Stance]:
    """Batch form of :func:`stance`; repeated bodies and claims share their embeddings."""
    return StanceDetector(**options).many(pairs)
