"""Calibrated probabilities for findings: how likely each finding's relation is right, measured on real news.

The typed rules and the NLI model decide a pair's relation (:class:`crosscheck.judge.RuleJudge`); a
:class:`Calibrator` then says how often a finding like it was right on the real-news development benchmark. It is
three small logistic models (conflicts, agreements, related pairs) over signals of the pair (similarity, the NLI
probabilities, the rule that fired, the speakers, the outlets, the publication gap, the questions both answer, hedges
and headlines; see :data:`GROUP_FEATURES` for which model uses which), fitted on the benchmark's labelled findings by ``python -m crosscheck.training.calibration``
and shipped in ``crosscheck/models/calibration/calibration.json`` (card: ``docs/calibration.md``).

The default views show a conflict or an agreement only when its probability is at least the calibrator's
``min_probability`` (the precision-oriented threshold fitted with it: see :attr:`Calibrator.min_probability`), and
hide ``related`` findings; ``Checker(min_probability=...)`` and ``crosscheck check --min-probability`` change it.

>>> from crosscheck.data import Claim, Finding
>>> a = Claim("a:0", "a", 0, 14, "Nine were hurt", "Nine were hurt", "a", False, "asserted", False)
>>> b = Claim("b:0", "b", 0, 14, "Nine were hurt", "Nine were hurt", "b", False, "asserted", False)
>>> f = Finding("a:0~b:0", "agree", "none", 1.0, "paraphrase", "a:0", "b:0", 1.0)
>>> 0.0 <= default_calibrator().probability(a, b, 1.0, None, f) <= 1.0
True
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.align import names_match
from crosscheck.data import Claim, Finding
from crosscheck.errors import Errors, InputError, ModelNotFoundError
from crosscheck.lexicon import TIME_VARYING_QUESTIONS

#: The conflict relations, modelled together (each also a feature).
CONFLICT_RELATIONS = ("contradict", "disputed", "update")
#: Which model scores a finding of each relation.
GROUP_OF = {"contradict": "conflict", "disputed": "conflict", "update": "conflict", "agree": "agree",
            "related": "related"}
#: Rule kinds that are features (``none``: no rule fired).
KINDS = ("number", "negation", "date", "place", "known_vs_unknown", "blame", "quote", "status", "other")
#: The signals of a finding, in the order of the calibration weights.
CAL_FEATURES = (
    "similarity", "has_nli", "nli_entail_max", "nli_contra_min", "nli_contra_max",
    *(f"kind_{k}" for k in KINDS),
    *(f"rel_{r}" for r in CONFLICT_RELATIONS),
    "both_attributed", "one_attributed", "same_speaker", "same_outlet", "log_gap_hours",
    "shared_question", "shared_time_varying", "any_negated", "negation_differs", "any_hedged", "any_denied",
    "any_headline", "log_min_chars", "both_quantities",
)
#: The features each model uses (the others have weight 0). Conflicts use only which conflict relation was called:
#: with 28 right conflicts in 78 labelled, over four events, every richer model fitted on three events scored the
#: fourth worse than the relation's base rate (out-of-fold Brier 0.19-0.41 against 0.17), also when the 3,235 news
#: claim pairs written for the project were added to the training rows with a flag for their origin (0.16-0.27), so
#: for now a conflict's probability is how often conflicts of its relation were right on real news, told apart only by
#: whether the responsibility rule (``kind="blame"``: rival sides held responsible) called it, whose disputes are right
#: far more often than the others, and whether the settling rule (``kind="status"``: missing, then found) called an
#: update.
GROUP_FEATURES = {"conflict": (*(f"rel_{r}" for r in CONFLICT_RELATIONS), "kind_blame", "kind_status"),
                  "agree": CAL_FEATURES, "related": CAL_FEATURES}


def bundled_calibration_path() -> Path:
    """The calibration shipped in the package."""
    return Path(__file__).parent / "models" / "calibration" / "calibration.json"


def finding_features(a: Claim, b: Claim, similarity: float, nli: np.ndarray | None, finding: Finding) -> np.ndarray:
    """The :data:`CAL_FEATURES` of one judged pair (``nli``: ``[[c, e, n] a->b, [c, e, n] b->a]`` or None)."""
    gap = (abs((a.published - b.published).total_seconds()) / 3600
           if a.published is not None and b.published is not None else 0.0)
    qa, qb = set(a.questions), set(b.questions)
    has_nli = nli is not None
    values = [
        similarity, float(has_nli),
        float(nli[:, 1].max()) if has_nli else 0.0,
        float(nli[:, 0].min()) if has_nli else 0.0,
        float(nli[:, 0].max()) if has_nli else 0.0,
        *(float(finding.kind == k) for k in KINDS),
        *(float(finding.relation == r) for r in CONFLICT_RELATIONS),
        float(a.attributed and b.attributed), float(a.attributed != b.attributed),
        float(a.attributed and b.attributed and names_match(a.speaker, b.speaker)),
        float(bool(a.source) and a.source == b.source),
        math.log1p(gap),
        float(bool(qa & qb)), float(bool(qa & qb & TIME_VARYING_QUESTIONS)),
        float(a.negated or b.negated), float(a.negated != b.negated),
        float(a.hedge in ("uncertain", "speculative") or b.hedge in ("uncertain", "speculative")),
        float(a.hedge == "denied" or b.hedge == "denied"),
        float(a.kind == "headline" or b.kind == "headline"),
        math.log1p(min(len(a.text), len(b.text))),
        float(bool(a.quantities) and bool(b.quantities)),
    ]
    return np.asarray(values, dtype=np.float64)


class Calibrator:
    """The probability that a finding's relation is right, from a fitted calibration file.

    Args:
        path: a calibration JSON written by :func:`crosscheck.training.calibration.save_calibration`; ``None``:
            the bundled one. Read on first use.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"Calibrator(path={self.path!r})"

    def _model(self) -> dict[str, Any]:
        cached = getattr(self, "_cache", None)
        if cached is None:
            cached = self._cache = _load(str(self.path or bundled_calibration_path()))
        return cached

    @property
    def min_probability(self) -> float:
        """The threshold fitted with the calibration: the lowest probability at which the conflicts shown were right
        at least ``target_precision`` of the time on the development benchmark, out of fold (one event held out at
        a time)."""
        return float(self._model()["min_probability"])

    def probability(self, a: Claim, b: Claim, similarity: float, nli: np.ndarray | None, finding: Finding) -> float:
        """How likely ``finding`` (judged from this pair) is right, in [0, 1]."""
        return float(self.probabilities([finding_features(a, b, similarity, nli, finding)], [finding.relation])[0])

    def probabilities(self, rows: Sequence[np.ndarray], relations: Sequence[str]) -> np.ndarray:
        """Probabilities for feature rows (:func:`finding_features`) of findings with these relations."""
        return group_probabilities(self._model()["groups"], rows, relations)


def group_probabilities(groups: Mapping[str, tuple[np.ndarray, float, np.ndarray, np.ndarray]],
                        rows: Sequence[np.ndarray], relations: Sequence[str]) -> np.ndarray:
    """``sigmoid(((x - mean) / scale) @ weights + bias)`` with the parameters of each row's group
    (:data:`GROUP_OF` its relation); shared by :class:`Calibrator` and the training code."""
    out = np.zeros(len(rows))
    members: dict[str, list[int]] = {}
    for i, rel in enumerate(relations):
        members.setdefault(GROUP_OF[rel], []).append(i)
    for group, idx in members.items():
        w, bias, mean, scale = groups[group]
        x = np.asarray([rows[i] for i in idx], dtype=np.float64)
        z = np.clip(((x - mean) / scale) @ w + bias, -30.0, 30.0)
        out[idx] = 1.0 / (1.0 + np.exp(-z))
    return out


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise ModelNotFoundError(Errors.E084.format(path=p))
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        if list(data["features"]) != list(CAL_FEATURES):
            raise ValueError("its features are not this version's CAL_FEATURES")
        groups = {}
        for name in ("conflict", "agree", "related"):
            g: Mapping[str, Any] = data["groups"][name]
            arrays = [np.asarray(g[k], dtype=np.float64) for k in ("weights", "mean", "scale")]
            if any(x.shape != (len(CAL_FEATURES),) for x in arrays):
                raise ValueError(f"group {name!r} has arrays of the wrong length")
            groups[name] = (arrays[0], float(g["bias"]), arrays[1], arrays[2])
        threshold = float(data["min_probability"])
        if not 0.0 <= threshold <= 1.0:
            raise ValueError("min_probability is not in [0, 1]")
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(Errors.E085.format(path=p, problem=exc)) from None
    return {"groups": groups, "min_probability": threshold, "card": data.get("training", {})}


def default_calibrator() -> Calibrator:
    """The bundled calibrator (one per process)."""
    return _default()


@lru_cache(maxsize=1)
def _default() -> Calibrator:
    return Calibrator()
