"""The relation model: what everything the pipeline knows about an aligned pair says its relation is.

The typed rules of :class:`crosscheck.judge.RuleJudge` (numbers, dates, places, negation, known-vs-unknown), the NLI
probabilities both ways, the similarity, both speakers, the hedges, the questions both claims answer and the
publication gap become one feature vector (:func:`pair_features`, names in :data:`FEATURES`); a small network trained
on news claim pairs written in our own words (``crosscheck/training/news_pairs``, docs/relation-model.md) turns it
into probabilities of the five relations. :class:`ModelJudge` is the judge stage built on it: it keeps the rules'
one-line reason, and says a pair conflicts only when the model's probability of that conflict reaches
``conflict_threshold``.

No model is bundled: trained on the authored pairs alone it is right on 0.67 of their held-out events (the rules
alone: 0.27), but on real coverage it is not yet more precise than the rules (docs/relation-model.md has the
figures), and weights ship only when they are better on real news. Train one with
``python -m crosscheck.training.relation --out DIR`` and pass ``ModelJudge(model=RelationModel("DIR/relation.npz"))``.
The forward pass is numpy only; the weights are a small ``.npz`` file, loaded once per path.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.align import Candidate, shared_entities
from crosscheck.data import Claim, Finding
from crosscheck.errors import Errors, InputError, ModelNotFoundError
from crosscheck.judge import RuleJudge, stems

#: The relations the model scores, in the order of its outputs.
RELATION_ORDER = ("agree", "contradict", "disputed", "update", "related")
CONFLICT_RELATIONS = ("contradict", "disputed", "update")
_KINDS = ("known_vs_unknown", "place", "number", "date", "negation")
_QUESTIONS = ("responsibility", "casualties", "cause", "whereabouts", "identity")
_UNSURE = ("uncertain", "speculative")

#: The names of the features, in the order of :func:`pair_features`.
FEATURES: tuple[str, ...] = (
    "similarity", "has_nli", "nli_c_ab", "nli_e_ab", "nli_n_ab", "nli_c_ba", "nli_e_ba", "nli_n_ba",
    "nli_c_min", "nli_e_max",
    *(f"conflict_{k}" for k in _KINDS), "number_rises",
    *(f"rule_{r}" for r in RELATION_ORDER),
    "negated_a", "negated_b", "negated_one", "unsure_a", "unsure_b", "attributed_a", "attributed_b",
    "different_speakers", "same_source", "gap_log_hours", "gap_over_update", "gap_known",
    *(f"question_{q}" for q in _QUESTIONS), "question_any", "shared_names", "word_overlap",
    "headline", "unknown_place", "both_counted",
)


def pair_features(a: Claim, b: Claim, similarity: float, nli: np.ndarray | None, rules: RuleJudge,
                  rule_relation: str) -> np.ndarray:
    """The feature vector of one pair, ``a`` the earlier claim (see :data:`FEATURES`). ``nli`` holds
    ``[[c, e, n] a->b, [c, e, n] b->a]`` or is None; ``rule_relation`` is what the rules alone say."""
    conflict = rules.typed_conflict(a, b, similarity, float(nli[:, 1].max()) if nli is not None else 0.0)
    kind = conflict.kind if conflict is not None else ""
    rises = 0.0
    if kind == "number" and conflict is not None and conflict.detail is not None:
        qa, qb = conflict.detail
        rises = float(qb.low >= qa.low)
    gap = None
    if a.published is not None and b.published is not None:
        gap = abs((b.published - a.published).total_seconds()) / 3600
    shared_q = set(a.questions) & set(b.questions)
    sa, sb = stems(a.proposition), stems(b.proposition)
    overlap = len(sa & sb) / max(1, len(sa | sb))
    n = nli if nli is not None else np.zeros((2, 3))
    vec = [
        similarity, float(nli is not None), *n[0], *n[1], float(n[:, 0].min()), float(n[:, 1].max()),
        *(float(kind == k) for k in _KINDS), rises,
        *(float(rule_relation == r) for r in RELATION_ORDER),
        float(a.negated), float(b.negated), float(a.negated != b.negated),
        float(a.hedge in _UNSURE), float(b.hedge in _UNSURE), float(a.attributed), float(b.attributed),
        float(rules._different_speakers(a, b)), float(bool(a.source) and a.source == b.source),
        math.log1p(gap) if gap is not None else 0.0, float(gap is not None and gap >= rules.update_hours),
        float(gap is not None),
        *(float(q in shared_q) for q in _QUESTIONS), float(bool(shared_q)),
        min(3, len(shared_entities(a, b))) / 3, overlap,
        float(a.kind == "headline" or b.kind == "headline"), float(a.unknown_place or b.unknown_place),
        float(any(q.role for q in a.quantities) and any(q.role for q in b.quantities)),
    ]
    return np.asarray(vec, dtype=np.float32)


def rule_findings_and_features(pairs: Sequence[tuple[Claim, Claim]], similarities: Sequence[float],
                               probs: Sequence[np.ndarray | None], rules: RuleJudge
                               ) -> tuple[list[Finding], np.ndarray]:
    """What the rules say of each ordered pair (earlier claim first) and its feature vector, as ``(findings,
    (n, len(FEATURES)) array)``: the one path that both training and :class:`ModelJudge` take."""
    base = [rules.judge_pair(a, b, s, p) for (a, b), s, p in zip(pairs, similarities, probs)]
    feats = [pair_features(a, b, s, p, rules, f.relation) for (a, b), s, p, f in zip(pairs, similarities, probs, base)]
    return base, np.stack(feats) if feats else np.zeros((0, len(FEATURES)), dtype=np.float32)


class RelationModel:
    """A one-hidden-layer network over :data:`FEATURES` with a softmax temperature (calibration).

    Args:
        path: an ``.npz`` with ``mean``, ``scale``, ``w1``, ``b1``, ``w2``, ``b2``, ``temperature`` and a JSON
            ``meta`` (feature names, relation order, what it was trained on), as
            :mod:`crosscheck.training.relation` writes it.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"RelationModel(path={self.path!r})"

    def _weights(self) -> dict[str, Any]:
        return _load(str(self.path))

    @property
    def meta(self) -> dict[str, Any]:
        """What the model was trained on and the thresholds fitted for it."""
        return dict(self._weights()["meta"])

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """``(n, 5)`` calibrated probabilities in :data:`RELATION_ORDER` for ``(n, len(FEATURES))`` features."""
        w = self._weights()
        x = (np.atleast_2d(features) - w["mean"]) / w["scale"]
        h = np.maximum(0.0, x @ w["w1"] + w["b1"])
        z = (h @ w["w2"] + w["b2"]) / w["temperature"]
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    if not Path(path).exists():
        raise ModelNotFoundError(Errors.E081.format(path=path))
    with np.load(path, allow_pickle=False) as z:
        w = {k: z[k] for k in ("mean", "scale", "w1", "b1", "w2", "b2")}
        w["temperature"] = float(z["temperature"])
        w["meta"] = json.loads(str(z["meta"]))
    if tuple(w["meta"].get("features", ())) != FEATURES:
        raise ModelNotFoundError(Errors.E082.format(path=path))
    return w


class ModelJudge:
    """The judge stage on the relation model: the rules and the NLI model give the features and the reason, the
    model gives the relation and its probability.

    A conflict (``contradict``, ``disputed``, ``update``) is reported only when the model's probability of it is at
    least ``conflict_threshold``; below it the pair is ``agree`` when that is the more likely of the two
    non-conflict relations, else ``related``. Each finding's ``score`` is the model's probability of its relation.

    Args:
        model: the :class:`RelationModel` (or anything with ``predict_proba(features) -> (n, 5)``).
        rules: the rule judge whose rules, NLI model and ordering are used (default: the profile's
            :class:`~crosscheck.judge.RuleJudge`).
        conflict_threshold: least probability of a conflict relation for it to be reported (raise it to see fewer,
            surer conflicts).
        agree_threshold: least probability of ``agree`` for it to be reported (else ``related``).

    >>> ModelJudge(model=RelationModel("runs/relation/relation.npz"), conflict_threshold=0.95)
    ModelJudge(conflict_threshold=0.95, agree_threshold=0.5)
    """

    def __init__(self, *, model: Any, rules: RuleJudge | None = None, conflict_threshold: float = 0.9,
                 agree_threshold: float = 0.5) -> None:
        self.rules = rules
        self.model = model
        self.conflict_threshold = conflict_threshold
        self.agree_threshold = agree_threshold

    def __repr__(self) -> str:
        return f"ModelJudge(conflict_threshold={self.conflict_threshold!r}, agree_threshold={self.agree_threshold!r})"

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters, by name."""
        return {k: getattr(self, k) for k in ("rules", "model", "conflict_threshold", "agree_threshold")}

    def _validate(self) -> None:
        for name in ("conflict_threshold", "agree_threshold"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0.0 <= v <= 1.0:
                raise InputError(Errors.E083.format(name=name, value=v))

    @property
    def rule_judge(self) -> RuleJudge:
        """The rule judge in use (``rules``, else one built from the profile's defaults, once)."""
        if self.rules is not None:
            return self.rules
        if "_default_rules" not in self.__dict__:
            self.__dict__["_default_rules"] = RuleJudge()
        return self.__dict__["_default_rules"]

    @property
    def nli_model(self) -> Any:
        """The NLI model of the rule judge (for the pipeline's warm-up)."""
        return self.rule_judge.nli_model

    def nli_selection(self, candidates: Sequence[Candidate], skipped: Sequence[bool] | None = None) -> list[int]:
        """The candidates the NLI model runs on (the rule judge's selection)."""
        return self.rule_judge.nli_selection(candidates, skipped)

    def __call__(self, claims: Sequence[Claim], candidates: Sequence[Candidate]) -> list[Finding]:
        """Judge every candidate pair; returns one finding per pair, in candidate order."""
        self._validate()
        ordered, probs = self.rule_judge.prepare(claims, candidates)
        return self.judge_pairs(ordered, [c.similarity for c in candidates], probs)

    def judge_pairs(self, pairs: Sequence[tuple[Claim, Claim]], similarities: Sequence[float],
                    probs: Sequence[np.ndarray | None]) -> list[Finding]:
        """Judge ordered pairs (earlier claim first) given their similarity and NLI probabilities."""
        rules = self.rule_judge
        base, feats = rule_findings_and_features(pairs, similarities, probs, rules)
        if not base:
            return []
        proba = self.model.predict_proba(feats)
        return [self._decide(f, p, rules._skips_question(a, b)) for f, p, (a, b) in zip(base, proba, pairs)]

    def _decide(self, rule: Finding, p: np.ndarray, question: bool) -> Finding:
        if question:
            return rule
        by = dict(zip(RELATION_ORDER, (float(x) for x in p)))
        conflict = max(CONFLICT_RELATIONS, key=lambda r: by[r])
        if by[conflict] >= self.conflict_threshold:
            relation = conflict
        elif by["agree"] >= self.agree_threshold and by["agree"] >= by["related"]:
            relation = "agree"
        else:
            relation = "related"
        if relation == rule.relation:
            reason = rule.reason
        elif relation in CONFLICT_RELATIONS:
            reason = (rule.reason if rule.relation in CONFLICT_RELATIONS else
                      f"the relation model finds them in conflict (similarity {rule.similarity:.2f})")
        elif relation == "agree":
            reason = f"the relation model finds the same fact (similarity {rule.similarity:.2f})"
        else:
            reason = (f"same topic; the rules said {rule.relation} ({rule.reason}) but the relation model is not "
                      f"sure enough (p={by[rule.relation]:.2f})" if rule.relation != "related" else rule.reason)
        kind = rule.kind if relation in CONFLICT_RELATIONS else "none"
        if relation in CONFLICT_RELATIONS and kind == "none":
            kind = "other"
        return replace(rule, relation=relation, kind=kind, score=round(by[relation], 4), reason=reason)
