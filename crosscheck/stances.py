"""Stance of a report towards a claim: ``agree``, ``disagree``, ``discuss`` or ``unrelated``.

The claim is aligned against the report's claims with the pipeline's own stages (segment,
extract, embed); the closest report claims are judged against it (typed rules plus the NLI
cross-encoder, report claim as premise); and the evidence becomes a fixed feature vector
(similarities, word overlap, NLI probabilities, attribution, hedging and refutation cues).

Two decision functions read those features:

* :class:`StanceHead` (the default): a small classifier trained on FNC-1 and ARC *train*
  pairs (``python -m crosscheck.training.stance``), shipped in the package;
* :func:`decide`: transparent thresholds from the profile (``StanceDetector(head=None)``):
  no similar claim -> ``unrelated``; a conflict -> ``disagree``; entailment by a claim the
  report asserts itself -> ``agree``; otherwise (related, or only relayed) -> ``discuss``.

>>> import crosscheck
>>> report = crosscheck.Report("r1", "Assad and his family arrived in Moscow, the Kremlin said.")
>>> crosscheck.stance("Assad is in Moscow.", report).label                 # doctest: +SKIP
'discuss'
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.align import check_int, check_number
from crosscheck.data import Claim, Report
from crosscheck.errors import Errors, InputError, ModelNotFoundError
from crosscheck.judge import stems
from crosscheck.lexicon import STANCE_NEGATION
from crosscheck.pipeline import Checker, check_options, checked_call, default_checker, extract_claims, load_profile

STANCE_LABELS = ("agree", "disagree", "discuss", "unrelated")

_REFUTE = re.compile(
    r"\b(?:fake|fakes|faked|fraud|hoax|hoaxes|false|falsely|deny|denies|denied|denial|refute[sd]?|debunk(?:ed|s)?|"
    r"bogus|untrue|myth|prank|satire|satirical|fabricat\w*|baseless|retract\w*|misleading|nonsense|doubts?|"
    r"not true|no evidence|not real)\b", re.IGNORECASE)
_DISCUSS = re.compile(
    r"\b(?:reportedly|allegedly|alleged|claims?|claimed|according to|rumou?rs?|unconfirmed|unverified|purportedly|"
    r"apparently|appears?|believed|suggests?|possibly|speculat\w*|may|might|could)\b", re.IGNORECASE)
_NEGATION = STANCE_NEGATION
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_CAPITAL = re.compile(r"\b[A-Z][a-zA-Z]{2,}\b")

#: Names of :attr:`StanceFeatures.vector`, in order (the trained head checks them).
FEATURE_NAMES = (
    "sim_max", "sim_top_mean", "sim_lead", "sim_centroid", "frac_sim_50", "log_claims",
    "cover_body", "cover_best", "jaccard_body", "names_cover", "numbers_cover",
    "judged", "ent_top1", "con_top1", "neu_top1", "ent_back_top1", "con_back_top1",
    "ent_max", "con_max", "con_both_max", "ent_mean", "con_mean",
    "attributed_top", "hedged_top", "negated_top", "rule_conflict_top", "refute_top", "discuss_top",
    "attributed_body", "hedged_body", "negated_body", "refute_body", "discuss_body",
    "head_negated", "head_hedged", "head_question", "head_refute", "head_discuss",
)


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
    """The stance of one report towards one claim: a label, a score per label, the evidence."""

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
    """What a stance decision is made from.

    ``max_similarity``, ``entail``, ``contra`` and ``rule_conflict`` feed the threshold rule
    (:func:`decide`); ``vector`` (named by :data:`FEATURE_NAMES`) feeds the trained head.
    """

    max_similarity: float
    entail: float          # best entailment of the claim by an evidence claim the report asserts itself
    contra: float          # best contradiction of the claim by an evidence claim
    rule_conflict: bool    # a typed rule fired on an evidence claim
    evidence: tuple[Evidence, ...]
    vector: tuple[float, ...] = ()


def decide(f: StanceFeatures, thresholds: dict[str, float]) -> tuple[str, dict[str, float]]:
    """Threshold rule: features to a label and per-label scores in [0, 1].

    >>> decide(StanceFeatures(0.2, 0.0, 0.0, False, ()), {"unrelated_similarity": 0.35})[0]
    'unrelated'
    """
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


def mlp_logits(params: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    """The head's forward pass without its class offsets: standardise, ReLU layer, output layer."""
    h = np.maximum((x - params["mean"]) / params["std"] @ params["w1"] + params["b1"], 0.0)
    return h @ params["w2"] + params["b2"]


def bundled_head_path() -> Path:
    """The trained stance head shipped inside the package."""
    return Path(__file__).parent / "models" / "stance-head" / "head.json"


class StanceHead:
    """A small trained classifier (standardise, one hidden ReLU layer, softmax) over feature vectors.

    Args:
        path: a ``head.json`` written by ``python -m crosscheck.training.stance`` (default: the bundled one).
    """

    def __init__(self, *, path: str | Path | None = None) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"StanceHead(path={self.path!r})"

    def _load(self) -> dict[str, Any]:
        if getattr(self, "_params", None) is None:
            path = Path(self.path) if self.path else bundled_head_path()
            if not path.exists():
                raise ModelNotFoundError(Errors.E104.format(path=path))
            raw = json.loads(path.read_text())
            if tuple(raw["features"]) != FEATURE_NAMES:
                raise ModelNotFoundError(Errors.E105.format(path=path))
            self._params = {k: np.asarray(v, dtype=np.float64) for k, v in raw.items()
                            if k in ("mean", "std", "w1", "b1", "w2", "b2", "bias")}
            self._params["labels"] = tuple(raw["labels"])
            self._params["settings"] = dict(raw.get("detector", {}))
        return self._params

    @property
    def labels(self) -> tuple[str, ...]:
        """Output order of :meth:`predict_proba`."""
        return self._load()["labels"]

    @property
    def settings(self) -> dict[str, Any]:
        """The :class:`StanceDetector` settings the head was trained with (``top_k``, ``nli_k``, ...)."""
        return self._load()["settings"]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Probabilities ``(n, 4)`` in :attr:`labels` order for feature rows ``x`` ``(n, len(FEATURE_NAMES))``."""
        p = self._load()
        x = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if x.shape[1] != len(FEATURE_NAMES):
            raise InputError(Errors.E062.format(n=len(FEATURE_NAMES), got=x.shape[1]))
        z = mlp_logits(p, x) + p["bias"]
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


class StanceDetector:
    """Reusable stance detection on top of a :class:`~crosscheck.pipeline.Checker`.

    Args:
        checker: the pipeline whose stages are reused (default: the shared default one).
        top_k: report claims kept as evidence (the most similar ones).
        nli_k: of those, how many the NLI model reads (both directions; the costly part).
        nli_floor: the model reads a pair only when its closest claim is at least this similar.
        head: ``"default"`` (the bundled trained head), a :class:`StanceHead`, or ``None`` for
            the threshold rule :func:`decide` with the profile's ``stance`` thresholds.
        profile: the profile whose ``stance`` section holds the thresholds.
        negation_similarity: the judge's ``negation_similarity`` while stance features are computed
            (-1.0, the rule at any similarity, is what the bundled head was trained with; the
            pipeline's own setting, in the profile, does not change the stance features).
    """

    @checked_call
    def __init__(self, *, checker: Checker | None = None, top_k: int = 3, nli_k: int = 2, nli_floor: float = 0.325,
                 head: StanceHead | str | None = "default", profile: Any = "default",
                 negation_similarity: float = -1.0) -> None:
        self.checker = checker
        self.top_k = top_k
        self.nli_k = nli_k
        self.nli_floor = nli_floor
        self.head = head
        self.profile = profile
        self.negation_similarity = negation_similarity
        check_int(self, "top_k", 1)
        check_int(self, "nli_k", 0)
        check_number(self, "nli_floor", -1.0, 1.0)
        check_number(self, "negation_similarity", -1.0, 1.0)

    @property
    def settings(self) -> dict[str, Any]:
        """The settings a trained head depends on (recorded in the head; a mismatch raises E064)."""
        return {"top_k": self.top_k, "nli_k": self.nli_k, "nli_floor": self.nli_floor,
                "negation_similarity": self.negation_similarity}

    def _feature_judge(self, judge: Any) -> Any:
        """The pipeline's judge, with the settings the features are defined with: this
        ``negation_similarity``, and questions judged like statements (headlines are often questions)."""
        wanted = {"negation_similarity": self.negation_similarity, "judge_questions": True}
        if all(getattr(judge, name, value) == value for name, value in wanted.items()):
            return judge
        judge = copy.copy(judge)  # shares the loaded NLI model
        for name, value in wanted.items():
            if hasattr(judge, name):
                setattr(judge, name, value)
        return judge

    def _extract(self, checker: Checker, reports: list[Report]) -> list[Claim]:
        """Claims as the features are defined: the pipeline's extractor with ``negation="sentence"`` (any negation
        cue in the claim), which the bundled head was trained with, whatever the pipeline's own setting."""
        st = checker.stages()
        extractor = st["extractor"]
        if getattr(extractor, "negation", "sentence") != "sentence":
            cached = self.__dict__.get("_sentence_extractor")
            if cached is None or cached[0] is not extractor:
                clone = copy.copy(extractor)
                clone.negation = "sentence"
                self._sentence_extractor = cached = (extractor, clone)
            extractor = cached[1]
        return extract_claims(reports, st["segmenter"], extractor)

    def _body(self, checker: Checker, report: Report) -> tuple[list[Claim], dict[str, Any]]:
        """The report's claims and whole-report statistics, computed once per report."""
        cache: dict[tuple[str, str], tuple[list[Claim], dict[str, Any]]] = self.__dict__.setdefault("_body_cache", {})
        key = (report.id, report.text)
        if key not in cache:
            if len(cache) > 4096:
                cache.clear()
            claims = self._extract(checker, [report])
            n = max(1, len(claims))
            words = max(1, len(report.text.split()))
            cache[key] = (claims, {
                "stems": stems(report.text), "text": report.text,
                "attributed": sum(c.attributed for c in claims) / n,
                "hedged": sum(c.hedge in ("uncertain", "speculative") for c in claims) / n,
                "negated": sum(c.negated for c in claims) / n,
                "refute": 100 * len(_REFUTE.findall(report.text)) / words,
                "discuss": 100 * len(_DISCUSS.findall(report.text)) / words,
            })
        return cache[key]

    def _heads(self, checker: Checker, pairs: Sequence[tuple[str | Claim, Report]]) -> list[Claim]:
        return [c if isinstance(c, Claim) else self._as_claim(checker, c, i) for i, (c, _r) in enumerate(pairs)]

    def _as_claim(self, checker: Checker, text: str, i: int) -> Claim:
        """A claim for the free text ``text``: its first extracted claim, or the whole text."""
        if not isinstance(text, str) or not text.strip():
            raise InputError(Errors.E061.format(value=text))
        rep = Report(f"claim-{i}", text)
        claims = self._extract(checker, [rep])
        if claims:
            c = claims[0]
            return dataclasses.replace(c, start=0, end=len(text.rstrip()), text=text.rstrip())
        stripped = text.strip()
        start = text.index(stripped)
        return Claim(id=f"claim-{i}:0", report_id=rep.id, start=start, end=start + len(stripped), text=stripped,
                     proposition=stripped, speaker=rep.id, attributed=False, hedge="asserted", negated=False)

    def features_many(self, pairs: Sequence[tuple[str | Claim, Report]]) -> list[StanceFeatures]:
        """Evidence and features for each (claim, report) pair; embeddings and NLI calls are batched."""
        checker = self.checker or default_checker()
        st = checker.stages()
        judge = self._feature_judge(st["judge"])
        heads = self._heads(checker, pairs)
        bodies, body_stats = zip(*(self._body(checker, r) for _, r in pairs)) if pairs else ((), ())
        texts = list(dict.fromkeys([h.proposition for h in heads] + [c.proposition for b in bodies for c in b]))
        vecs = st["embedder"](texts) if texts else np.zeros((0, 1), dtype=np.float32)
        index = {t: i for i, t in enumerate(texts)}
        floor = self.nli_floor
        ranked: list[list[tuple[Claim, float]]] = []
        sim_rows: list[np.ndarray] = []
        for h, body in zip(heads, bodies):
            if not body:
                ranked.append([])
                sim_rows.append(np.zeros(0))
                continue
            sims = vecs[[index[c.proposition] for c in body]] @ vecs[index[h.proposition]]
            order = np.argsort(-sims, kind="stable")[: self.top_k]
            ranked.append([(body[j], float(sims[j])) for j in order])
            sim_rows.append(sims)
        # the model reads only the nli_k closest claims of pairs that may be related
        # rows: [report claim -> claim, claim -> report claim]
        to_judge = [(c, h) for h, rk in zip(heads, ranked) if rk and rk[0][1] >= floor for c, _ in rk[: self.nli_k]]
        has_model = getattr(judge, "nli_model", None) is not None and hasattr(judge, "nli_probs")
        probs = iter(judge.nli_probs(to_judge) if has_model else [])
        out = []
        for h, body, stats, rk, sims in zip(heads, bodies, body_stats, ranked, sim_rows):
            judged = bool(rk) and rk[0][1] >= floor and has_model
            evidence, nli = [], []
            for rank, (c, s) in enumerate(rk):
                p = next(probs) if judged and rank < self.nli_k else None
                finding = judge.judge_pair(c, h, s, p) if hasattr(judge, "judge_pair") else None
                evidence.append(Evidence(c, round(s, 4), finding.relation if finding else "related",
                                         finding.kind if finding else "none",
                                         round(float(p[0, 1]), 4) if p is not None else 0.0,
                                         round(float(p[0, 0]), 4) if p is not None else 0.0))
                if p is not None:
                    nli.append(p)
            out.append(self._features(h, body, stats, evidence, sims, vecs, index, nli, judged))
        return out

    def _features(self, h: Claim, body: list[Claim], stats: dict[str, Any], evidence: list[Evidence],
                  sims: np.ndarray, vecs: np.ndarray, index: dict[str, int], nli: list[np.ndarray],
                  judged: bool) -> StanceFeatures:
        head_stems = stems(h.proposition)
        best_stems = stems(evidence[0].claim.proposition) if evidence else set()
        names = set(_CAPITAL.findall(h.text)) - {"The", "This", "That", "A", "An"}
        numbers = set(_NUMBER.findall(h.text))
        if body:
            centroid = vecs[[index[c.proposition] for c in body]].mean(axis=0)
            centroid_sim = float(centroid @ vecs[index[h.proposition]] / (np.linalg.norm(centroid) or 1.0))
        else:
            centroid_sim = 0.0
        top = evidence
        n_top = max(1, len(top))
        nli_arr = np.stack(nli) if nli else np.zeros((1, 2, 3))
        fwd, back = nli_arr[:, 0], nli_arr[:, 1]

        def share(xs: Iterable[bool]) -> float:
            return sum(xs) / n_top

        def cover(a: set[str], b: set[str]) -> float:
            return len(a & b) / len(a) if a else 0.0

        vec = (
            float(sims.max()) if len(sims) else -1.0,
            float(np.mean([e.similarity for e in top])) if top else -1.0,
            float(sims[0]) if len(sims) else -1.0,
            centroid_sim,
            float((sims >= 0.5).mean()) if len(sims) else 0.0,
            math.log1p(len(body)),
            cover(head_stems, stats["stems"]),
            cover(head_stems, best_stems),
            len(head_stems & stats["stems"]) / (len(head_stems | stats["stems"]) or 1),
            sum(n in stats["text"] for n in names) / len(names) if names else 0.0,
            sum(n in stats["text"] for n in numbers) / len(numbers) if numbers else 0.0,
            float(judged),
            float(fwd[0, 1]), float(fwd[0, 0]), float(fwd[0, 2]), float(back[0, 1]), float(back[0, 0]),
            float(fwd[:, 1].max()), float(fwd[:, 0].max()), float(np.minimum(fwd[:, 0], back[:, 0]).max()),
            float(fwd[:, 1].mean()), float(fwd[:, 0].mean()),
            share(e.claim.attributed for e in top),
            share(e.claim.hedge in ("uncertain", "speculative") for e in top),
            share(e.claim.negated for e in top),
            share(e.kind not in ("none", "other") for e in top),
            float(sum(len(_REFUTE.findall(e.claim.text)) for e in top)),
            float(sum(len(_DISCUSS.findall(e.claim.text)) for e in top)),
            stats["attributed"], stats["hedged"], stats["negated"], stats["refute"], stats["discuss"],
            float(bool(_NEGATION.search(h.text))), float(h.hedge in ("uncertain", "speculative") or h.attributed),
            float(h.text.rstrip().endswith("?")), float(bool(_REFUTE.search(h.text))), float(bool(_DISCUSS.search(h.text))),
        )
        related = [e for e in top if e.relation != "unrelated"]
        return StanceFeatures(
            max_similarity=vec[0],
            entail=max((e.entailment for e in related if not e.claim.attributed), default=0.0),
            contra=max((e.contradiction for e in related), default=0.0),
            rule_conflict=any(e.kind not in ("none", "other") for e in related),
            evidence=tuple(evidence),
            vector=tuple(round(v, 6) for v in vec),
        )

    def thresholds(self) -> dict[str, float]:
        """The stance thresholds from the profile (used by :func:`decide`)."""
        return dict(load_profile(self.profile).get("stance", {}))

    def _head(self) -> StanceHead | None:
        if self.head == "default":
            if getattr(self, "_default_head", None) is None:
                self._default_head = StanceHead()
            return self._default_head
        if self.head is not None and not hasattr(self.head, "predict_proba"):
            raise InputError(Errors.E063.format(value=self.head))
        return self.head  # type: ignore[return-value]

    def decide_many(self, feats: Sequence[StanceFeatures]) -> list[tuple[str, dict[str, float]]]:
        """Labels and per-label scores for computed features (the head, or the threshold rule)."""
        head = self._head()
        if head is None:
            th = self.thresholds()
            return [decide(f, th) for f in feats]
        if not feats:
            return []
        trained = getattr(head, "settings", {}) or {}
        mine = self.settings
        if any(k in trained and trained[k] != v for k, v in mine.items()):
            raise InputError(Errors.E064.format(trained=trained, mine=mine))
        probs = head.predict_proba(np.array([f.vector for f in feats]))
        labels = head.labels
        return [(labels[int(row.argmax())], {lab: round(float(v), 4) for lab, v in zip(labels, row)}) for row in probs]

    def many(self, pairs: Iterable[tuple[str | Claim, Report | str]]) -> list[Stance]:
        """Stances for an iterable of (claim, report) pairs, in order."""
        if isinstance(pairs, (str, bytes, Mapping)) or not isinstance(pairs, Iterable):
            raise InputError(Errors.E324.format(value=pairs))
        norm = []
        for pair in pairs:
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise InputError(Errors.E324.format(value=pair))
            claim, report = pair
            if isinstance(report, str):
                report = Report("report", report)
            if not isinstance(report, Report):
                raise InputError(Errors.E060.format(type=type(report).__name__))
            norm.append((claim, report))
        feats = self.features_many(norm)
        out = []
        for (_, report), f, (label, scores) in zip(norm, feats, self.decide_many(feats)):
            out.append(Stance(label, scores, f.evidence if label != "unrelated" else (), report.id))
        return out


def stance(claim: str | Claim, report: Report | str, **options: Any) -> Stance:
    """Does ``report`` support, contradict, merely discuss, or ignore ``claim``?

    ``options`` go to :class:`StanceDetector` (``head=None`` for the threshold rule); an unknown one raises E314.
    """
    check_options("stance", options, StanceDetector)
    return stance_many([(claim, report)], **options)[0]


def stance_many(pairs: Iterable[tuple[str | Claim, Report | str]], **options: Any) -> list[Stance]:
    """Batch form of :func:`stance`; repeated bodies and claims share their embeddings."""
    check_options("stance_many", options, StanceDetector)
    return StanceDetector(**options).many(pairs)
