"""Stage 5, judging: each aligned pair of claims becomes a :class:`~crosscheck.data.Finding`.

Typed rules decide first (known-vs-unknown, places, numbers, dates, negation); the NLI
cross-encoder is one more signal that covers what no rule sees (paraphrase agreement,
antonyms, event-level contradictions); attribution and publication order then decide
between ``contradict``, ``disputed`` and ``update``.

The judge is symmetric: the pair is put in a canonical order (earlier report first)
before anything is computed, so judging (a, b) and (b, a) gives the same finding.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from crosscheck.align import Candidate, matching_names, names_match
from crosscheck.calibration import Calibrator, default_calibrator, finding_features
from crosscheck.config import bundled_default
from crosscheck.data import Claim, Finding, Quantity, TimeRef, denial_differs
from crosscheck.errors import Errors, InputError, ModelNotFoundError
from crosscheck.extract.attribution import MEDIA
from crosscheck.extract.places import ROUTE_ROLES, WHERE_ROLES
from crosscheck.lexicon import DENIAL_WORDING, GENERIC_PERSON_UNITS, TIME_VARYING_QUESTIONS, TIME_VARYING_ROLES
from crosscheck.places import Gazetteer
from crosscheck.protocols import NLIModel  # defined there, kept importable here
from crosscheck.quiet import quiet_model_loading
from crosscheck.sides import Blame, blame_agreement, blame_clash, rival_sides, same_side

NLI_LABELS = ("contradiction", "entailment", "neutral")
_STOP = frozenset(
    """a an the of in on at to for from by with and or but as is are was were be been being has have had do does did
    that this these those it its he she his her they them their we our you i not never no nor n't without
    said says say told would will could may might can also after before then than into over under about
    against while when where who which what there here so such more most some any all""".split())
#: A sentence-final "?" or a quoted "?" before the attribution (the segmenter splits sentences after
#: "?" unless a lower-case word follows, so a "?" inside a claim is one of these two).
_PARTIAL = re.compile(r"\b(?:other|others|more|another|additional|further)\b|^\w+\s+of$", re.IGNORECASE)
_QUESTION = re.compile(r"\?[\"'\u201d\u2019)\]]*(?:\s*$|\s+[a-z])")
_NEG_WORDS = DENIAL_WORDING
#: Main predicates too general to say what a negation denies ("was not", "did not say"): for them the
#: negation rule falls back to any shared content word.
_WEAK_PREDICATES = frozenset({"", "be", "have", "do", "say", "make", "get", "go", "take"})


def bundled_nli_path() -> Path:
    """Directory of the NLI cross-encoder shipped inside the package."""
    return Path(__file__).parent / "models" / "nli-minilm-l6"


class CrossEncoderNLI:
    """A local 3-way NLI cross-encoder (default: crosscheck's own MiniLM-L6 model).

    Args:
        model_path: a transformers sequence-classification directory. Any local NLI model
            works (for example a DeBERTa MNLI model on disk) given its ``labels`` order.
        labels: the model's logit order, as names from :data:`NLI_LABELS`. ``None`` reads
            ``id2label`` from the model's config.
        batch_size: pairs per forward pass.
        max_length: token limit per pair (longer pairs are truncated by the tokenizer,
            premise first).
    """

    def __init__(self, *, model_path: str | Path | None = None, labels: Sequence[str] | None = None,
                 batch_size: int = 32, max_length: int = 128, device: str = "cpu") -> None:
        self.model_path = model_path
        self.labels = labels
        self.batch_size = batch_size
        self.max_length = max_length
        self.device = device

    def __repr__(self) -> str:
        return f"CrossEncoderNLI(model_path={self.model_path!r}, labels={self.labels!r})"

    def _load(self) -> tuple[Any, Any, list[int]]:
        if getattr(self, "_loaded", None) is None:
            path = Path(self.model_path) if self.model_path else bundled_nli_path()
            if not (path / "config.json").exists() or not (path / "model.safetensors").exists():
                raise ModelNotFoundError(Errors.E103.format(path=path))
            try:
                import torch
                from transformers import AutoModelForSequenceClassification, AutoTokenizer
            except ImportError as exc:
                raise ModelNotFoundError(Errors.E464.format(missing=exc.name)) from None

            # local files only, instead of setting HF_HUB_OFFLINE for the whole process
            # and without the libraries' progress bars and warnings (their settings are restored afterwards)
            with quiet_model_loading():
                tok = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
                model = AutoModelForSequenceClassification.from_pretrained(str(path), dtype=torch.float32,
                                                                           local_files_only=True)
            model.to(self.device).eval()
            names = list(self.labels) if self.labels else [model.config.id2label[i].lower() for i in range(model.config.num_labels)]
            order = label_order(names)
            self._loaded = (tok, model, order)
        return self._loaded

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probabilities ``(n, 3)`` in :data:`NLI_LABELS` order for (premise, hypothesis) pairs."""
        if not pairs:
            return np.zeros((0, 3), dtype=np.float32)
        import torch

        tok, model, order = self._load()
        # batches of similar length waste less compute on padding; results go back in input order
        by_length = np.argsort([len(p) + len(h) for p, h in pairs], kind="stable")
        out = np.zeros((len(pairs), len(NLI_LABELS)), dtype=np.float32)
        with torch.inference_mode():
            for i in range(0, len(pairs), self.batch_size):
                rows = by_length[i:i + self.batch_size]
                enc = tok([pairs[j][0] for j in rows], [pairs[j][1] for j in rows], truncation=True,
                          max_length=self.max_length, padding=True, return_tensors="pt").to(self.device)
                probs = torch.softmax(model(**enc).logits.float(), dim=-1).cpu().numpy()
                out[rows] = probs[:, order]
        return out


def label_order(names: Sequence[str]) -> list[int]:
    """The column of each :data:`NLI_LABELS` name in a model's logit order ``names`` (E032 unless the names are
    exactly those three).

    >>> label_order(["entailment", "neutral", "contradiction"])
    [2, 0, 1]
    """
    names = [n.lower() for n in names]
    if sorted(names) != sorted(NLI_LABELS):
        raise InputError(Errors.E032.format(labels=NLI_LABELS, names=names))
    return [names.index(lab) for lab in NLI_LABELS]


@lru_cache(maxsize=1)
def default_nli() -> NLIModel:
    """The bundled cross-encoder, one per process: judges, their copies and the stance detector share it. It runs
    the ONNX export on onnxruntime (:class:`crosscheck.inference.OnnxNLI`; no torch); :class:`CrossEncoderNLI` is
    the same model on torch."""
    from crosscheck.inference import OnnxNLI

    return OnnxNLI()


@dataclass(frozen=True)
class Conflict:
    """A typed rule's verdict: the kind of conflict and a short reason."""

    kind: str
    reason: str
    detail: Any = None


def stems(text: str, exclude: Sequence[str] = ()) -> set[str]:
    """Content-word stems of ``text`` (stop words, negations and excluded names removed)."""
    drop = {w for name in exclude for w in re.findall(r"[a-z]+", name.lower())}
    out = set()
    for w in re.findall(r"[a-z]+", text.lower()):
        if w in _STOP or w in drop or len(w) < 3:
            continue
        for suf in ("ation", "ing", "ed", "es", "s", "e"):
            if w.endswith(suf) and len(w) - len(suf) >= 4:
                w = w[: -len(suf)]
                break
        out.add(w)
    return out


def comparable(a: Quantity, b: Quantity) -> bool:
    """True when two figures count the same thing: the same event role (deaths, injuries, evacuations, population,
    attackers, ...) and compatible units (the same noun, or two that say nothing about which people: "35 people" and
    "35 dead", but not "three crew" and "ten people", a part and the total), or, when neither has a role, the same
    unit. A population ("a city of two million people") is never compared with a toll; changes ("rose by 3
    metres") and partial counts ("nine other people", "two more bodies", "another 40", "one of") are never compared
    at all.

    >>> from crosscheck.data import Quantity
    >>> dead, missing = Quantity("5 people", 5, 5, 5, "people", role="death"), Quantity("35", 35, 35, 35, None, role="missing")
    >>> comparable(dead, missing), comparable(dead, Quantity("19", 19, 19, 19, None, role="death"))
    (False, True)
    """
    if _PARTIAL.search(a.text) or _PARTIAL.search(b.text):
        return False  # "Prigozhin and nine other people", "two more bodies": a part or an increment, not the total
    if a.role or b.role:
        if a.role != b.role or a.role == "change":
            return False
        units = {u for u in (a.unit, b.unit) if u}
        return len(units) <= 1 or units <= GENERIC_PERSON_UNITS
    return bool(a.unit) and a.unit == b.unit


def _span(t: TimeRef) -> tuple[str, str]:
    return t.date or "", t.until or t.date or ""


#: A date relative to when it was said ("today", "yesterday", "this morning"); inside a quotation it counts from the
#: day of the statement, which a relay published days later does not give.
_RELATIVE_DAY = re.compile(r"^(?:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening|week))$", re.IGNORECASE)


def _quoted_relative(text: str, t: TimeRef) -> bool:
    """True when ``t`` is a relative day inside a quotation of ``text`` ('"today marks a milestone," he said')."""
    word = t.text.strip().lower()
    return bool(_RELATIVE_DAY.match(word)) and any(f" {word} " in f" {q} " for q in quoted_phrases(text))


def date_clash(a: Claim, b: Claim) -> tuple[TimeRef, TimeRef] | None:
    """Two dates that cannot both hold, or None: only the dates of each claim's own event count (``main``; not
    "the dam, built in 1956"), as spans of days (``date .. until``), and only dates of the same event word
    (``anchor``); the pair clashes when no such pair of dates overlaps.

    >>> day = lambda d, main=True: TimeRef(d, d, None, "", main)
    >>> import dataclasses
    >>> c = Claim("a:0", "a", 0, 1, "x", "x", "s", False, "asserted", False, times=(day("2024-06-03"),))
    >>> d = dataclasses.replace(c, id="b:0", report_id="b", times=(day("2024-06-05"),))
    >>> date_clash(c, d) is not None, date_clash(c, dataclasses.replace(d, times=(day("2024-06-05", False),))) is None
    (True, True)
    """
    ta = [t for t in a.times if t.date and t.main and not _quoted_relative(a.text, t)]
    tb = [t for t in b.times if t.date and t.main and not _quoted_relative(b.text, t)]
    if not ta or not tb:
        return None
    pairs = [(x, y) for x in ta for y in tb if not x.anchor or not y.anchor or x.anchor == y.anchor]
    if not pairs:
        return None  # dates of different events ("collapsed on Tuesday" vs "evacuated on Wednesday")
    for x, y in pairs:
        (x0, x1), (y0, y1) = _span(x), _span(y)
        if x0 <= y1 and y0 <= x1:
            return None
    return pairs[0]


#: Predicates whose place says where someone or something is or goes (a person's whereabouts); a claim with
#: another predicate places an event ("was arrested in Lyon", "spoke at a rally in Nice").
PRESENCE_PREDICATES = frozenset("""be stay remain live reside arrive reach land hide shelter settle return flee fly
    travel go move head leave relocate visit come shelter seek take spend base locate hold keep""".split())


def _place_kind(c: Claim) -> str:
    """``presence`` when the claim says where its subject is or goes, else ``event:<predicate>``."""
    if not c.predicate or c.predicate in PRESENCE_PREDICATES or any(r in ROUTE_ROLES for _, r in c.place_roles):
        return "presence"
    return f"event:{c.predicate}"


def _roles(c: Claim) -> tuple[list[str], list[str]]:
    """Where a claim's subject is (``at``, final ``destination``) and every place it puts the subject (its route's
    stops too); a claim without roles (built by hand) has its ``location_places`` as both."""
    if not c.place_roles:
        return list(c.location_places), list(c.location_places)
    where = [p for p, r in c.place_roles if r in WHERE_ROLES]
    stops = [p for p, r in c.place_roles if r in WHERE_ROLES or r in ROUTE_ROLES or r == "near"]
    return where or list(c.location_places), stops or list(c.location_places)


def place_clash(a: Claim, b: Claim, gaz: Gazetteer) -> tuple[str, str] | None:
    """Two places that cannot both be where the subject is, or None. Each claim's ``at`` and final-destination
    places must be incompatible (:meth:`Gazetteer.compatible`: not the same place, not one inside the other) with
    every place the other claim puts the subject (route stops included: "flew from A to B" does not contradict
    "is in A"); origins, stopovers, speakers ("Jordan said") and possessors are never rival locations. Where a
    person is and where an event happened are different roles: they are compared only within the same kind
    (two whereabouts, or two places of the same event predicate)."""
    if _place_kind(a) != _place_kind(b):
        return None
    wa, sa = _roles(a)
    wb, sb = _roles(b)
    if not wa or not wb:
        return None
    if any(gaz.compatible(x, y) for x in wa for y in sb) or any(gaz.compatible(x, y) for x in sa for y in wb):
        return None
    return wa[0], wb[0]


def number_clash(qa: Sequence[Quantity], qb: Sequence[Quantity]) -> tuple[Quantity, Quantity] | None:
    """Two figures that cannot both hold, or None: comparable figures (:func:`comparable`) that do not overlap, for
    a count (role, else unit) where no comparable pair of the two claims agrees ("five died in A and one in B" does
    not contradict "one died in B").

    >>> dead = lambda n: Quantity(str(n), n, n, n, "people", role="death")
    >>> number_clash([dead(5), dead(1)], [dead(1)]) is None, number_clash([dead(12)], [dead(40)]) is not None
    (True, True)
    """
    clashes: dict[str, tuple[Quantity, Quantity]] = {}
    agreed: set[str] = set()
    for x in qa:
        for y in qb:
            if not comparable(x, y):
                continue
            key = x.role or y.role or x.unit or ""
            if _overlap(x, y):
                agreed.add(key)
            else:
                clashes.setdefault(key, (x, y))
    return next((pair for key, pair in clashes.items() if key not in agreed), None)


#: A toll given as presumed, not known ("presumed dead", "feared killed", "believed to have died").
_PRESUMED = re.compile(r"\b(?:presumed|feared|believed|thought|likely)\s+(?:to\s+(?:be|have)\s+)?(?:dead|died|killed|drowned)\b",
                       re.IGNORECASE)


#: A quotation: in double quotes, curly single quotes, or straight single quotes that no letter touches from outside
#: (so not the apostrophes of "Russia's").
_QUOTED = re.compile(r"[\"“”]([^\"“”]{3,300})[\"“”]|‘([^‘’]{3,300})’|(?<![\w'])'([^']{3,300})'(?![\w])")
#: A quotation inside an account of what someone else said, before the claim's own point ("after Kyiv said the leaks
#: were a 'terror attack'", "deemed a 'deliberate act' by the EU").
_OTHERS_WORDS = re.compile(r"\b(?:after|while|as|deemed|dubbed|branded|called by)\b[^.;]{0,60}$", re.IGNORECASE)


@lru_cache(maxsize=65536)
def quoted_phrases(text: str) -> frozenset[str]:
    """The quotations of ``text`` of two words or more, one of them in lower case (not a quoted name), as lower-cased
    words joined by single spaces; quotations inside an account of another's words (:data:`_OTHERS_WORDS`) are left
    out.

    >>> sorted(quoted_phrases('The mayor called it "a dark day", adding that help was \u2018on its way\u2019.'))
    ['a dark day', 'on its way']
    >>> quoted_phrases("Lisbon's mayor spoke to Porto's council about the 'Tagus Bridge 2'.")
    frozenset()
    """
    out = set()
    for m in _QUOTED.finditer(text):
        if _OTHERS_WORDS.search(text, 0, m.start()):
            continue
        quote = next(g for g in m.groups() if g is not None)
        words = re.findall(r"[a-z0-9]+", quote.lower())
        if len(words) >= 2 and re.search(r"\b[a-z]{2,}", quote):  # words, not a quoted name ("Nord Stream 1")
            out.add(" ".join(words))
    return frozenset(out)


def quote_agreement(a: Claim, b: Claim) -> str | None:
    """A quotation both claims carry (the same words, or one quoting part of the other's longer quotation), or None.
    Both must be given to one speaker (matching names, or one side), or not both attributed; neither may negate what
    the other asserts.

    >>> from crosscheck.data import Claim
    >>> def claim(i, text, speaker):
    ...     return Claim(f"{i}:0", i, 0, len(text), text, text, speaker, True, "reported", False)
    >>> quote_agreement(claim("a", 'The mayor called the flood "a dark day for the valley".', "The mayor"),
    ...                 claim("b", 'It was "a dark day for the valley", mayor Ana Reis said.', "mayor Ana Reis"))
    'a dark day for the valley'
    >>> quote_agreement(claim("a", 'The mayor called it "a dark day".', "The mayor"),
    ...                 claim("b", 'The governor called it "a dark day".', "The governor")) is None
    True
    """
    if a.negated != b.negated or _denies_same_predicate(a, b):
        return None
    if a.attributed and b.attributed and not (names_match(a.speaker, b.speaker) or same_side(a.speaker, b.speaker)):
        return None
    qa, qb = quoted_phrases(a.text), quoted_phrases(b.text)
    shared = sorted(x if len(x) <= len(y) else y for x in qa for y in qb
                    if x == y or (min(len(x), len(y)) > 12 and (x in y or y in x)))
    return max(shared, key=len) if shared else None


#: What an early report gives as not yet settled, by kind: someone missing or not yet recovered (settled when found
#: or recovered), or something not yet confirmed (settled when confirmed or identified).
_PENDING = {
    "found": re.compile(
        r"\b(?:not (?:yet )?(?:been )?(?:recovered|found)|(?:remain|remains|still) (?:missing|unaccounted)|"
        r"unaccounted for|search (?:continues|goes on)|still searching)\b", re.IGNORECASE),
    "confirmed": re.compile(
        r"\b(?:not (?:yet |immediately )?(?:been )?(?:officially |formally )?(?:confirmed|identified)|"
        r"yet to be (?:officially |formally )?(?:confirmed|identified)|not immediately clear|"
        r"no (?:official )?confirmation|could not (?:immediately )?(?:confirm|verify)|"
        r"(?:weren|were not|wasn|was not)['’]?t? identified)\b", re.IGNORECASE),
}
#: The same settled, by kind.
_SETTLED = {
    "found": re.compile(r"\b(?:recovered|found|pulled from)\b", re.IGNORECASE),
    "confirmed": re.compile(r"\b(?:confirmed|identified|established)\b", re.IGNORECASE),
}


@lru_cache(maxsize=65536)
def _kinds(text: str, what: str) -> frozenset[str]:
    """The kinds (``found``, ``confirmed``) ``text`` is ``pending`` on (:data:`_PENDING`) or ``settled`` on
    (:data:`_SETTLED`)."""
    patterns = _PENDING if what == "pending" else _SETTLED
    return frozenset(kind for kind, pattern in patterns.items() if pattern.search(text))


def settles(a: Claim, b: Claim, update_hours: float) -> bool:
    """Whether ``b``, published at least ``update_hours`` after ``a``, settles what ``a`` gives as pending: ``a``
    is pending (:data:`_PENDING`: missing, or not confirmed), ``b`` says it was found or recovered (for the missing)
    or confirmed or identified (for the unconfirmed) and is not itself pending, negated or the lead-in to a list,
    the two answer one question (:attr:`Claim.questions`), and when both name someone they name
    one of them alike ("no confirmation that the mayor was aboard" is not settled by "the agency identified seven
    passengers").

    >>> import dataclasses
    >>> from crosscheck.data import parse_published
    >>> c = Claim("a:0", "a", 0, 1, "The bodies have not yet been recovered.", "x", "s", False, "asserted", False,
    ...           published=parse_published("2025-03-02T08:00:00+00:00"), questions=("casualties",))
    >>> d = dataclasses.replace(c, id="b:0", report_id="b", text="Divers recovered the last body on Friday.",
    ...                         published=parse_published("2025-03-09T08:00:00+00:00"))
    >>> settles(c, d, 3.0), settles(d, c, 3.0)
    (True, False)
    """
    if a.published is None or b.published is None or b.published - a.published < dt.timedelta(hours=update_hours):
        return False
    if b.negated or b.text.rstrip().endswith(":") or _kinds(b.text, "pending"):
        return False  # still pending, negated, or only the lead-in to a list
    if not _kinds(a.text, "pending") & _kinds(b.text, "settled"):
        return False
    if not set(a.questions) & set(b.questions):
        return False
    return not (a.entities and b.entities) or _shared_people(a, b)


def _presumed_figure(claim: Claim) -> Quantity | None:
    """The figure a claim gives as presumed ("six workers ... are presumed dead"): the last figure before the
    presumption, or None."""
    m = _PRESUMED.search(claim.text)
    if m is None:
        return None
    before = [(claim.text.rfind(q.text, 0, m.start()), q) for q in claim.quantities]
    before = [(i, q) for i, q in before if i >= 0]
    return max(before, key=lambda iq: iq[0])[1] if before else None


def number_agreement(a: Claim, b: Claim, gaz: Gazetteer) -> tuple[Quantity, Quantity] | None:
    """Two figures that give the same count, or None: comparable (:func:`comparable`), the same value or range, for an
    event role (deaths, missing, evacuations, ...: a bare unit such as "two pipelines" only describes), with no
    other comparable pair of the two claims in conflict (:func:`number_clash`), neither claim negated, and no
    place of one incompatible with every place of the other.

    >>> import dataclasses
    >>> dead = lambda n, t: Quantity(t, n, n, n, "workers", role="death")
    >>> c = Claim("a:0", "a", 0, 1, "x", "x", "s", False, "asserted", False, quantities=(dead(6, "six workers"),))
    >>> d = dataclasses.replace(c, id="b:0", report_id="b", quantities=(dead(6, "6 construction workers"),))
    >>> number_agreement(c, d, Gazetteer())[1].text
    '6 construction workers'
    >>> number_agreement(c, dataclasses.replace(d, quantities=(dead(7, "seven workers"),)), Gazetteer()) is None
    True
    """
    if a.negated or b.negated or _elsewhere(a, b, gaz) or number_clash(a.quantities, b.quantities) is not None:
        return None
    for x in a.quantities:
        for y in b.quantities:
            if (x.role and x.role != "change" and comparable(x, y)
                    and (x.value, x.low, x.high) == (y.value, y.low, y.high)):
                return x, y
    return None


#: A figure for several areas together ("in the two regions", "in the Varna and Ruse provinces", "across the
#: affected districts").
_SEVERAL_AREAS = re.compile(r"\b(?:(?:two|three|four|both|several|all|the)\s+(?:affected\s+)?|and\s+[\w-]+\s+)"
                            r"(?:regions|oblasts|provinces|areas|districts)\b|\bacross\b", re.IGNORECASE)
#: A figure for one area ("in the region", "in Kherson oblast").
_ONE_AREA = re.compile(r"\b(?:region|oblast|province|district)\b", re.IGNORECASE)


def _scope(c: Claim) -> str:
    """``several`` when a claim's figures are for several areas together, ``one`` when for one named or
    designated area, else ``""``."""
    return _text_scope(c.text, bool(c.location_places))


@lru_cache(maxsize=65536)
def _text_scope(text: str, placed: bool) -> str:
    if _SEVERAL_AREAS.search(text):
        return "several"
    return "one" if placed or _ONE_AREA.search(text) else ""


def _elsewhere(a: Claim, b: Claim, gaz: Gazetteer) -> bool:
    """True when the two claims say where their figures are about and no place of one is compatible with a place
    of the other ("40 evacuated in the Odesa region" vs "300 evacuated in the Kherson region"), or when one gives a
    figure for several areas together and the other for one ("4,100 moved out across both provinces" vs "1,900
    from the Varna province")."""
    if {_scope(a), _scope(b)} == {"several", "one"}:
        return True
    pa = [p for p, r in a.place_roles if r in ("at", "mention", "near")] or list(a.location_places)
    pb = [p for p, r in b.place_roles if r in ("at", "mention", "near")] or list(b.location_places)
    if not pa or not pb:
        return False
    return not any(gaz.compatible(x, y) for x in pa for y in pb)


def _overlap(a: Quantity, b: Quantity) -> bool:
    return a.low <= b.high and b.low <= a.high


def _short(text: str, n: int = 70) -> str:
    text = text.strip().rstrip(".")
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


#: An outlet's note on what it could not check ("Reuters could not independently verify the footage"): about the
#: reporting, not the event; two such notes share their words whatever they are about. The subject before the verb
#: must name the press (:data:`crosscheck.extract.attribution.MEDIA`).
_VERIFY_NOTE = re.compile(
    r"^\W*(?P<subject>[^.;,]{1,40}?)\s+(?:could not|couldn['\u2019]t|was unable to|were unable to|has not been able to|"
    r"have not been able to|cannot|can['\u2019]t|did not|didn['\u2019]t)\s+(?:immediately\s+|independently\s+)*"
    r"(?:verify|confirm)\w*", re.IGNORECASE)


@lru_cache(maxsize=65536)
def verification_note(claim: Claim) -> bool:
    """Whether ``claim`` is an outlet's note that it could not verify something (see :data:`_VERIFY_NOTE`).

    >>> from crosscheck.data import Claim
    >>> t = "Reuters could not independently verify the footage."
    >>> verification_note(Claim("a:0", "a", 0, len(t), t, t, "a", False, "asserted", True))
    True
    """
    m = _VERIFY_NOTE.match(claim.text)
    return m is not None and MEDIA.search(m.group("subject")) is not None


#: Content words the entailed claim of a one-way entailment needs (a headline fragment such as "Russia Prigozhin"
#: is entailed by any sentence that names both).
_ONE_WAY_MIN_WORDS = 4


def _fitted(name: str) -> Any:
    return bundled_default("judge", name)


class RuleJudge:
    """Typed rules plus an optional NLI model, then attribution and time reasoning.

    The defaults of the fitted thresholds come from the bundled default profile (:mod:`crosscheck.config`).

    Args:
        nli: an object with ``predict(pairs) -> (n, 3)`` probabilities (see :class:`NLIModel`),
            ``"default"`` for the bundled cross-encoder, or ``None`` to use rules and similarity only.
        gazetteer: places and containment for the place rule.
        contradiction_threshold: NLI contradiction probability needed to call a conflict alone; ``None`` (the
            default profile's value) never lets the model call one alone: on the real-news development benchmark every
            one of the nine audited conflicts it called alone was wrong (it reads two different details of one event
            as incompatible), so conflicts come from the typed rules.
        entailment_threshold: NLI entailment probability (either direction) for ``agree``.
        one_way_entailment: NLI entailment probability in one direction that makes ``agree`` even when the other
            direction reads as a contradiction (the model calls the extra details of a longer claim contradicted:
            "orchards by the Varna were flooded" follows from "the breach did grave harm: orchards by the Varna were
            flooded and wells fouled", but the model reads the reverse as a contradiction); the entailing
            direction's contradiction must stay below ``one_way_max_contradiction``, the entailed claim must hold at
            least four content words, neither side may deny what the other asserts, both must give a common figure
            if both give figures, and the speakers may not stand for rival sides. ``None``: off. On the real-news
            development benchmark (one run, session 14) it added 34 agreements; of the 18 at or above the display
            threshold a blind reviewer called 16 agreements (the other two: related), of the 16 below it 10.
        one_way_max_contradiction: see ``one_way_entailment``.
        one_way_same_speaker: the ``one_way_entailment`` threshold when both claims relay one named speaker (two
            outlets quoting or paraphrasing the same person or body, whose extra details the model reads as
            contradicted); the lower of the two applies. ``None``: no lower threshold. On the development benchmark
            (session 15) 0.6 added four agreements, all right on a reading of each.
        presumed_similarity: the similarity down to which a figure presumed in an earlier report ("six presumed
            dead") and stated in a later one ("killed six") is an ``update``; below it the pair is ``related`` (the
            later claim names the toll in passing: "the report on the disaster that killed six"). On the development
            benchmark (session 15) the five audited such updates below 0.55 were all labelled related, the two above
            it update.
        paraphrase_similarity: cosine similarity that counts as agreement when nothing conflicts.
        nli_similarity: minimum similarity before the model alone may call a conflict (the model
            over-calls contradiction between different claims about the same subject).
        agree_max_contradiction: ``agree`` needs the contradiction probability below this both ways.
        agree_max_reverse_contradiction: if set, the direction that does not give the higher
            entailment may have contradiction up to this instead (``None``: ``agree_max_contradiction``
            both ways).
        date_similarity: minimum similarity before differing dates are a conflict.
        number_similarity: minimum similarity before differing numbers are a conflict.
        negation_similarity: minimum similarity before a negated and an affirmed claim that share
            a content word are a conflict (below it they are usually different propositions).
        update_hours: publication gap after which a later definite report supersedes an earlier one.
        nli_min_similarity: pairs less similar than this are judged by the rules alone (the model,
            the costly part, is not run on them; it rarely finds entailment between such claims).
        conflict_min_similarity: pairs less similar than this are not a conflict, only ``agree`` or
            ``related``: below it two claims are seldom about the same question (on the real-news development
            benchmark 2 of 35 labelled conflicts below 0.61 were right). Exempt: a known against an unknown
            whereabouts, and a denial of the very predicate the other claim asserts of the same person (both are
            worded apart: "did not say where he was" / "he is in Moscow"), and rival answers to who is responsible
            (down to ``blame_similarity``).
        nli_top_k: the model runs on each claim's ``nli_top_k`` most similar candidates (at or above
            ``nli_min_similarity``; a pair is run when either claim still has room, most similar pairs first), so
            its cost grows with the claims, not with how many outlets repeat a sentence. ``None``: every
            candidate at or above ``nli_min_similarity``.
        blame_similarity: minimum similarity before two claims about who is responsible that hold different sides
            responsible, or one rejecting the accusation the other makes (:func:`crosscheck.sides.blame_clash`), are
            a conflict. Such claims are worded far apart ("Kyiv blamed Moscow" / "the Kremlin called it Ukrainian
            sabotage"), so this floor is lower than ``conflict_min_similarity``. Two such claims that hold the same
            side responsible for the same act (:func:`crosscheck.sides.blame_agreement`) agree down to it.
        agree_slot_similarity: minimum similarity before two claims that give the same figure for the same count
            ("six construction workers were killed" / "the collapse killed six workers",
            :func:`number_agreement`) or quote the same words of one speaker (:func:`quote_agreement`) agree when
            nothing else conflicts. Cross-outlet wordings of one toll or one statement are often far apart, and the
            NLI model calls most of them neutral.
        status_similarity: minimum similarity before a later report that settles what an earlier one gave as
            pending ("the bodies have not yet been recovered" / "divers recovered the last body"; "there was no
            confirmation he was aboard" / "tests confirmed his death") is an ``update`` (:func:`settles`), at least
            ``update_hours`` later.
        judge_questions: when False (the default), a pair in which either claim is a question
            ("Is Assad in Moscow?") is ``related``: a question asserts nothing, so it neither agrees
            with nor contradicts a statement, and the model is not run on it. True judges
            questions like statements (as the stance features are defined).
        calibration: what sets each finding's ``probability`` (how likely its relation is right):
            ``"default"`` for the calibration fitted on the real-news development benchmark
            (:mod:`crosscheck.calibration`), a :class:`~crosscheck.calibration.Calibrator`, or ``None`` to leave it
            unset (every finding is then shown).
    """

    def __init__(self, *, nli: NLIModel | str | None = "default", gazetteer: Gazetteer | None = None,
                 contradiction_threshold: float | None = _fitted("contradiction_threshold"),
                 entailment_threshold: float = _fitted("entailment_threshold"),
                 paraphrase_similarity: float = _fitted("paraphrase_similarity"),
                 nli_similarity: float = _fitted("nli_similarity"),
                 agree_max_contradiction: float = _fitted("agree_max_contradiction"),
                 date_similarity: float = _fitted("date_similarity"),
                 number_similarity: float = _fitted("number_similarity"),
                 update_hours: float = _fitted("update_hours"),
                 nli_min_similarity: float = _fitted("nli_min_similarity"),
                 negation_similarity: float = _fitted("negation_similarity"), judge_questions: bool = False,
                 agree_max_reverse_contradiction: float | None = None,
                 conflict_min_similarity: float = _fitted("conflict_min_similarity"),
                 nli_top_k: int | None = _fitted("nli_top_k"), blame_similarity: float = _fitted("blame_similarity"),
                 agree_slot_similarity: float = _fitted("agree_slot_similarity"),
                 status_similarity: float = _fitted("status_similarity"),
                 one_way_entailment: float | None = _fitted("one_way_entailment"),
                 one_way_max_contradiction: float = _fitted("one_way_max_contradiction"),
                 one_way_same_speaker: float | None = _fitted("one_way_same_speaker"),
                 presumed_similarity: float = _fitted("presumed_similarity"),
                 calibration: Calibrator | str | None = "default") -> None:
        self.nli = nli
        self.gazetteer = gazetteer
        self.contradiction_threshold = contradiction_threshold
        self.entailment_threshold = entailment_threshold
        self.paraphrase_similarity = paraphrase_similarity
        self.nli_similarity = nli_similarity
        self.agree_max_contradiction = agree_max_contradiction
        self.date_similarity = date_similarity
        self.number_similarity = number_similarity
        self.update_hours = update_hours
        self.nli_min_similarity = nli_min_similarity
        self.negation_similarity = negation_similarity
        self.judge_questions = judge_questions
        self.agree_max_reverse_contradiction = agree_max_reverse_contradiction
        self.conflict_min_similarity = conflict_min_similarity
        self.nli_top_k = nli_top_k
        self.blame_similarity = blame_similarity
        self.agree_slot_similarity = agree_slot_similarity
        self.status_similarity = status_similarity
        self.one_way_entailment = one_way_entailment
        self.one_way_max_contradiction = one_way_max_contradiction
        self.one_way_same_speaker = one_way_same_speaker
        self.presumed_similarity = presumed_similarity
        self.calibration = calibration

    def __repr__(self) -> str:
        return (f"RuleJudge(nli={self.nli!r}, contradiction_threshold={self.contradiction_threshold}, "
                f"entailment_threshold={self.entailment_threshold})")

    @property
    def nli_model(self) -> NLIModel | None:
        """The NLI model in use (``"default"``: the bundled one, shared by every judge in the process)."""
        if isinstance(self.nli, str):
            if self.nli != "default":
                raise InputError(Errors.E033.format(value=self.nli))
            return default_nli()
        return self.nli

    @property
    def calibrator(self) -> Calibrator | None:
        """The calibrator in use (``"default"``: the bundled one)."""
        if isinstance(self.calibration, str):
            if self.calibration != "default":
                raise InputError(Errors.E087.format(value=self.calibration))
            return default_calibrator()
        return self.calibration

    # ---- public --------------------------------------------------------------------------
    def __call__(self, claims: Sequence[Claim], candidates: Sequence[Candidate]) -> list[Finding]:
        """Judge every candidate pair; returns one finding per pair, in candidate order."""
        ordered, probs = self.prepare(claims, candidates)
        findings = [self._decide(a, b, c.similarity, probs[i]) for i, ((a, b), c) in enumerate(zip(ordered, candidates))]
        cal = self.calibrator
        if cal is None or not findings:
            return findings
        rows = [finding_features(a, b, c.similarity, p, f)
                for (a, b), c, p, f in zip(ordered, candidates, probs, findings)]
        calibrated = cal.probabilities(rows, [f.relation for f in findings])  # one product per group, not per pair
        return [replace(f, probability=round(float(q), 4)) for f, q in zip(findings, calibrated)]

    def prepare(self, claims: Sequence[Claim], candidates: Sequence[Candidate]
                ) -> tuple[list[tuple[Claim, Claim]], list[np.ndarray | None]]:
        """Each candidate's pair in canonical order (earlier first) and its NLI probabilities (None where the model
        does not run: see :meth:`nli_selection`)."""
        ordered = [self._order(claims[c.a], claims[c.b]) for c in candidates]
        use = self.nli_selection(candidates, [self._skips_question(*pair) for pair in ordered])
        probs: list[np.ndarray | None] = [None] * len(candidates)
        for i, p in zip(use, self.nli_probs([ordered[i] for i in use])):
            probs[i] = p
        return ordered, probs

    def nli_selection(self, candidates: Sequence[Candidate], skipped: Sequence[bool] | None = None) -> list[int]:
        """Indices of the candidates the model runs on (see ``nli_min_similarity`` and ``nli_top_k``); ``skipped``
        marks pairs judged without it (questions)."""
        skip = skipped if skipped is not None else [False] * len(candidates)
        use = [i for i, c in enumerate(candidates) if c.similarity >= self.nli_min_similarity and not skip[i]]
        k = self.nli_top_k
        if k is None:
            return use
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            raise InputError(Errors.E315.format(value=k))
        room: dict[int, int] = {}
        keep = []
        for i in sorted(use, key=lambda i: (-candidates[i].similarity, candidates[i].a, candidates[i].b)):
            a, b = candidates[i].a, candidates[i].b
            if room.get(a, 0) < k or room.get(b, 0) < k:
                keep.append(i)
                room[a], room[b] = room.get(a, 0) + 1, room.get(b, 0) + 1
        return sorted(keep)

    def judge_pair(self, a: Claim, b: Claim, similarity: float, nli: np.ndarray | None = None) -> Finding:
        """Judge one pair. ``nli`` holds ``[[c, e, n] a->b, [c, e, n] b->a]`` or is None. The finding carries the
        calibrated ``probability`` that its relation is right (unless ``calibration`` is None)."""
        a, b = self._order(a, b)
        finding = self._decide(a, b, similarity, nli)
        cal = self.calibrator
        if cal is None:
            return finding
        return replace(finding, probability=round(cal.probability(a, b, similarity, nli, finding), 4))

    def _decide(self, a: Claim, b: Claim, similarity: float, nli: np.ndarray | None) -> Finding:
        """The relation of an ordered pair, by the rules and the model (see the class docstring)."""
        fid = f"{a.id}~{b.id}"
        if self._skips_question(a, b):
            return Finding(fid, "related", "none", round(similarity, 4),
                           f"a question asserts nothing: neither agreement nor conflict (similarity {similarity:.2f})",
                           a.id, b.id, similarity)
        if verification_note(a) and verification_note(b):
            return Finding(fid, "related", "none", round(similarity, 4),
                           "both are the outlets' notes on what they could not verify, not claims about the event "
                           f"(similarity {similarity:.2f})", a.id, b.id, similarity)
        p_contra = float(nli[:, 0].min()) if nli is not None else 0.0  # both directions must contradict
        p_ent = float(nli[:, 1].max()) if nli is not None else 0.0
        may_conflict = similarity >= self.conflict_min_similarity
        # below the floor only two rules can stand (_holds_below_floor): skip the rules when neither can apply
        conflict = (self.typed_conflict(a, b, similarity, p_ent) if may_conflict or _may_hold_below_floor(a, b)
                    else None)
        if conflict is not None and not may_conflict and not _holds_below_floor(conflict, a, b):
            conflict = None
        if conflict is not None and conflict.kind == "negation" and self._allied(a, b):
            conflict = None  # "the Kremlin denied it" / "Peskov called it a lie": one side's denial, worded twice
        if (conflict is None and may_conflict and nli is not None and self.contradiction_threshold is not None
                and p_contra >= self.contradiction_threshold and similarity >= self.nli_similarity):
            conflict = Conflict("other", f"the model judges them incompatible (p={p_contra:.2f} both ways)")
        if conflict is not None:
            relation, suffix = self._conflict_relation(a, b, conflict)
            score = round(0.9 + 0.1 * p_contra if conflict.kind != "other" else p_contra, 4)
            return Finding(fid, relation, conflict.kind, score, conflict.reason + suffix, a.id, b.id, similarity)
        if similarity >= self.status_similarity and settles(a, b, self.update_hours):
            return Finding(fid, "update", "status", 0.9,
                           f"settled: '{_short(a.proposition, 50)}' was pending, the later report "
                           f"({_fmt(b.published)}) settles it: '{_short(b.proposition, 50)}'", a.id, b.id, similarity)
        if _denies_same_predicate(a, b):
            # "fled to Moscow" / "did not flee to Moscow": however close the wording, never an agreement
            return Finding(fid, "related", "none", round(similarity, 4),
                           f"one claim negates the other's predicate '{a.predicate}' (similarity {similarity:.2f})",
                           a.id, b.id, similarity)
        # a denial against an assertion ("the presidency denied he had left" / "the rebels said he fled") is never
        # the same proposition, however the model reads the shared words, and neither are two counts of one thing
        # that never share a value (_other_figures); only a typed slot may still agree
        one_denies = denial_differs(a, b) or _other_figures(a, b)
        if (not one_denies and nli is not None and p_ent >= self.entailment_threshold
                and self._contradiction_allows_agree(nli)):
            return Finding(fid, "agree", "none", round(p_ent, 4),
                           f"same proposition (entailment p={p_ent:.2f})", a.id, b.id, similarity)
        if not one_denies and similarity >= self.paraphrase_similarity:
            return Finding(fid, "agree", "none", round(similarity, 4),
                           f"paraphrase (similarity {similarity:.2f})", a.id, b.id, similarity)
        slot = self.typed_agreement(a, b, similarity)
        if slot is not None:
            later = self._later(a, b)
            if (slot[0] == "number" and later is b and _presumed_figure(a) in slot[2] and not _PRESUMED.search(b.text)
                    and b.published - a.published >= dt.timedelta(hours=self.update_hours)):
                # "six presumed dead" then "the collapse killed six": the later report confirms what was presumed;
                # far apart in wording, the later one names the toll in passing ("the report on the disaster that
                # killed six"): neither an update nor the same proposition
                if similarity < self.presumed_similarity:
                    return Finding(fid, "related", "none", round(similarity, 4),
                                   f"{slot[1]}: presumed in the earlier report, given in passing in the later "
                                   f"(similarity {similarity:.2f})", a.id, b.id, similarity)
                return Finding(fid, "update", "number", 0.9, f"{slot[1]}: presumed in the earlier report, stated as "
                               f"fact in the later ({_fmt(b.published)}), which supersedes it", a.id, b.id, similarity)
            return Finding(fid, "agree", slot[0], round(similarity, 4), slot[1], a.id, b.id, similarity)
        one_way = None if one_denies or nli is None else self._one_way_entailment(a, b, nli)
        if one_way is not None:
            return Finding(fid, "agree", "none", round(float(nli[one_way, 1]), 4),
                           f"the {('earlier', 'later')[one_way]} claim entails the other (entailment "
                           f"p={nli[one_way, 1]:.2f} one way; the other claim's extra details need not follow)", a.id, b.id,
                           similarity)
        return Finding(fid, "related", "none", round(similarity, 4),
                       f"same topic, neither entails the other (similarity {similarity:.2f})", a.id, b.id, similarity)

    def _one_way_entailment(self, a: Claim, b: Claim, nli: np.ndarray) -> int | None:
        """The direction (0: ``a`` entails ``b``, 1: the reverse) in which one claim entails the other by the
        ``one_way_entailment`` rule (see the class docstring), or None."""
        if self.one_way_entailment is None or a.negated != b.negated or self._opposed(a, b):
            return None
        if a.quantities and b.quantities and not {q.value for q in a.quantities} & {q.value for q in b.quantities}:
            return None  # "six remain missing" / "four remain missing": entailed words, different counts
        threshold = self.one_way_entailment
        if self.one_way_same_speaker is not None and _same_speaker(a, b):
            threshold = min(threshold, self.one_way_same_speaker)
        for d, hypothesis in ((0, b), (1, a)):
            if (nli[d, 1] >= threshold and nli[d, 0] < self.one_way_max_contradiction
                    and len(stems(hypothesis.text)) >= _ONE_WAY_MIN_WORDS):
                return d
        return None

    def _skips_question(self, a: Claim, b: Claim) -> bool:
        """True when the pair holds a question and questions are not judged (``judge_questions``)."""
        return not self.judge_questions and (is_question(a) or is_question(b))

    def _contradiction_allows_agree(self, nli: np.ndarray) -> bool:
        """Contradiction low enough for ``agree``: below ``agree_max_contradiction`` in the entailing
        direction, and below ``agree_max_reverse_contradiction`` (if set) in the other."""
        reverse = self.agree_max_reverse_contradiction
        reverse = self.agree_max_contradiction if reverse is None else reverse
        best = nli[:, 1].max()  # on a tie either direction may count as the entailing one (symmetric)
        return any(nli[d, 1] == best and nli[d, 0] < self.agree_max_contradiction and nli[1 - d, 0] < reverse
                   for d in (0, 1))

    # ---- rules ---------------------------------------------------------------------------
    def typed_conflict(self, a: Claim, b: Claim, similarity: float, p_ent: float = 0.0) -> Conflict | None:
        """The first typed rule that fires for the pair, or None."""
        gaz = self.gazetteer or Gazetteer()
        persons_shared = _shared_people(a, b)
        # known vs unknown whereabouts
        for u, k in ((a, b), (b, a)):
            if u.unknown_place and not k.unknown_place and k.location_places and persons_shared:
                return Conflict("known_vs_unknown",
                                f"known vs unknown: '{_short(u.proposition, 50)}' vs 'in {k.location_places[0]}'",
                                detail=k)
        # places: where each claim's subject is or ends up, against every place of the other's route
        if a.location_places and b.location_places and persons_shared and not (a.negated or b.negated):
            clash = place_clash(a, b, gaz)
            if clash is not None:
                return Conflict("place", f"places conflict: '{clash[0]}' vs '{clash[1]}'")
        # numbers
        if similarity >= self.number_similarity and not _elsewhere(a, b, gaz):
            clash_q = number_clash(a.quantities, b.quantities)
            if clash_q is not None:
                qa, qb = clash_q
                return Conflict("number", f"numbers conflict: '{qa.text}' vs '{qb.text}'", detail=(qa, qb))
        # dates
        if similarity >= self.date_similarity:
            clash_t = date_clash(a, b)
            if clash_t is not None:
                ta, tb = clash_t
                return Conflict("date", f"dates conflict: '{ta.text}' ({ta.date}) vs '{tb.text}' ({tb.date})")
        # who is responsible: each claim holds a different side responsible, or one rejects what the other asserts
        if similarity >= self.blame_similarity:
            clash_b = blame_clash(a, b)
            if clash_b is not None:
                return Conflict("blame", f"responsibility: {_blame_text(clash_b[0])} vs {_blame_text(clash_b[1])}")
        # negation asymmetry on a shared predicate
        same_denied = _denies_same_predicate(a, b)
        if a.negated != b.negated and (p_ent < 0.8 or same_denied) and similarity >= self.negation_similarity:
            names = (*a.entities, *b.entities, *a.places, *b.places)
            neg, pos = (a, b) if a.negated else (b, a)
            if neg.predicate in pos.negated_lemmas:
                common = set()  # the other claim negates that predicate too ("didn't go to plan" in both quotes)
            elif a.questions and b.questions and not set(a.questions) & set(b.questions):
                common = set()  # a denial about one question against a claim about another (blame vs the toll)
            elif neg.predicate not in _WEAK_PREDICATES:
                # the negated predicate itself must be what the other claim asserts
                common = (neg.predicate in pos.lemmas or neg.predicate == pos.predicate
                          or stems(neg.predicate, names) & stems(pos.proposition, names))
            else:
                # "was", "had": the two propositions must be mostly the same words, not one shared noun
                sa, sb = stems(a.proposition, names), stems(b.proposition, names)
                common = sa & sb
                if len(common) < max(2, min(len(sa), len(sb)) / 2):
                    common = set()
            if common:
                return Conflict("negation", f"negation: '{_short(neg.proposition, 60)}' vs '{_short(pos.proposition, 60)}'")
        return None

    def typed_agreement(self, a: Claim, b: Claim, similarity: float) -> tuple[str, str, tuple[Quantity, ...]] | None:
        """``(kind, reason, figures)`` when a typed slot gives both claims the same answer, else None: the same figure for
        the same count (kind ``number``) or the same words of one speaker quoted (kind ``quote``), down to
        ``agree_slot_similarity``; or the same side held responsible
        for the same act, or the same mutual blame reported (kind ``blame``, down to ``blame_similarity``);
        ``figures`` are the two agreeing figures (empty for blame). The judge asks only when no rule finds a conflict
        and neither the model nor the similarity finds agreement."""
        if similarity >= self.agree_slot_similarity:
            same = number_agreement(a, b, self.gazetteer or Gazetteer())
            if same is not None:
                qa, qb = same
                return ("number", f"same figure: '{qa.text}' and '{qb.text}' ({qa.role}; similarity {similarity:.2f})",
                        (qa, qb))
            quoted = quote_agreement(a, b)
            if quoted is not None:
                return "quote", f"same words quoted: '{_short(quoted, 60)}' (similarity {similarity:.2f})", ()
        if similarity >= self.blame_similarity:
            agreed = blame_agreement(a, b)
            if agreed is not None:
                who = "both sides blame each other" if not agreed.sides else _blame_text(agreed)
                return "blame", f"same account of who is responsible: {who} (similarity {similarity:.2f})", ()
        return None

    # ---- attribution and time ----------------------------------------------------------
    def _conflict_relation(self, a: Claim, b: Claim, conflict: Conflict) -> tuple[str, str]:
        """``update``, ``disputed`` or ``contradict`` for a pair the rules find in conflict, and the reason's suffix.

        A later report supersedes an earlier one only on a question whose answer changes over time
        (:func:`time_varying`): a toll that rose, a whereabouts after a move, "not yet recovered" then recovered, a
        hedged early report then a definite one. Rival speakers on a fixed question (who caused it) stay ``disputed``
        however far apart they are published, and a figure that changes between one outlet's successive reports is
        that outlet's update whatever the gap. Two speakers of one side (:meth:`_allied`) are not rivals: their
        conflict is a ``contradict``, not a dispute."""
        later = self._later(a, b)
        rivals = self._different_speakers(a, b) and not self._allied(a, b)
        if later is not None and time_varying(a, b, conflict):
            earlier = a if later is b else b
            gap = (later.published - earlier.published).total_seconds() / 3600  # type: ignore[operator]
            when = f" \u2014 the later report ({_fmt(later.published)}) supersedes the earlier ({_fmt(earlier.published)})"
            same_outlet = bool(a.source) and a.source == b.source and a.report_id != b.report_id
            if conflict.kind == "known_vs_unknown" and conflict.detail is later:
                return "update", when
            if conflict.kind == "place" and gap >= self.update_hours:
                return "update", when
            if conflict.kind == "number" and (gap >= self.update_hours or same_outlet) and not self._opposed(a, b):
                qa, qb = conflict.detail
                q_later = qb if later is b else qa
                q_earlier = qa if later is b else qb
                if q_later.low >= q_earlier.low or same_outlet:
                    return "update", when
            if (conflict.kind == "negation" and earlier.negated and not later.negated
                    and earlier.predicate == later.predicate and gap >= self.update_hours):
                return "update", when  # "not yet recovered" and later "recovered"
            if (earlier.hedge in ("uncertain", "speculative") and later.hedge in ("asserted", "reported")
                    and gap >= self.update_hours):
                return "update", when
        if rivals:
            return "disputed", f" \u2014 attributed to different speakers: '{a.speaker}' vs '{b.speaker}'"
        if conflict.kind == "blame" and ((a.attributed and b.attributed and rival_sides(a.speaker, b.speaker))
                                         or not names_match(a.speaker, b.speaker)):
            # speakers of rival sides dispute even when a shared word makes their names look alike ("US officials",
            # "Putin's official spokesperson")
            # an outlet that names who did it relays one side's accusation, even when the extractor missed the frame
            return "disputed", f" \u2014 rival accounts: '{a.speaker}' vs '{b.speaker}'"
        return "contradict", ""

    def _allied(self, a: Claim, b: Claim) -> bool:
        """Both claims attributed, to different speakers of the same side (:func:`crosscheck.sides.same_side`): a
        government and its spokesman, a ministry and its minister. They are not rivals."""
        return (a.attributed and b.attributed and not names_match(a.speaker, b.speaker)
                and same_side(a.speaker, b.speaker, self.gazetteer))

    def _opposed(self, a: Claim, b: Claim) -> bool:
        """Both speakers known to speak for different sides ("Ukraine said 10 died", "Russia said 59 died"): their
        figures usually count different territory or rival versions, so a later one is no revision of the other."""
        return a.attributed and b.attributed and rival_sides(a.speaker, b.speaker, self.gazetteer)

    @staticmethod
    def _different_speakers(a: Claim, b: Claim) -> bool:
        if not a.attributed and not b.attributed:
            return False
        return not names_match(a.speaker, b.speaker)

    @staticmethod
    def _later(a: Claim, b: Claim) -> Claim | None:
        if a.published is None or b.published is None or a.published == b.published:
            return None
        return a if a.published > b.published else b

    @staticmethod
    def _order(a: Claim, b: Claim) -> tuple[Claim, Claim]:
        def key(c: Claim) -> tuple[Any, ...]:
            ts = c.published.timestamp() if c.published else float("inf")
            return (ts, c.report_id, c.start, c.id)

        return (a, b) if key(a) <= key(b) else (b, a)

    def nli_probs(self, pairs: Sequence[tuple[Claim, Claim]]) -> list[np.ndarray | None]:
        """NLI probabilities for claim pairs, both directions: ``[[c, e, n] a->b, [c, e, n] b->a]`` per pair.

        One batched call to the model; ``None`` per pair when the judge has no model.
        """
        model = self.nli_model
        if model is None or not pairs:
            return [None] * len(pairs)
        texts = []
        for a, b in pairs:
            pa, pb = nli_text(a), nli_text(b)
            texts += [(pa, pb), (pb, pa)]
        probs = model.predict(texts)
        return [probs[2 * i:2 * i + 2] for i in range(len(pairs))]


def is_question(claim: Claim) -> bool:
    """True when the claim is a question: its sentence ends with "?" (closing quotes aside), or a
    quoted question is followed by its attribution ('"Is he in Moscow?" a reporter asked.')."""
    return bool(_QUESTION.search(claim.text))


def nli_text(claim: Claim) -> str:
    """The text the NLI model reads: the proposition, made explicit when the speaker denies it."""
    text = claim.proposition.strip()
    if claim.hedge == "denied" and not _NEG_WORDS.search(text):
        return "It is not true that " + text[:1].lower() + text[1:]
    return text


def _holds_below_floor(conflict: Conflict, a: Claim, b: Claim) -> bool:
    """Conflicts that stand below ``conflict_min_similarity``: a known against an unknown whereabouts, one side
    denying the very predicate the other asserts of the same person ("had resigned" / "never considered
    resigning"), and rival answers to who is responsible (``blame``, down to ``blame_similarity``); all are worded
    apart, so their similarity is low."""
    if conflict.kind in ("known_vs_unknown", "blame"):
        return True
    return conflict.kind == "negation" and _denies_same_predicate(a, b) and _shared_people(a, b)


def _denies_same_predicate(a: Claim, b: Claim) -> bool:
    """One claim negates the main predicate the other asserts ("fled" / "did not flee"), a content verb."""
    return a.negated != b.negated and a.predicate == b.predicate and a.predicate not in _WEAK_PREDICATES


def _may_hold_below_floor(a: Claim, b: Claim) -> bool:
    """Whether a conflict of the pair could satisfy :func:`_holds_below_floor` (the preconditions of its rules,
    cheap to test, so that the pairs below the floor skip the other rules)."""
    unknown = a.unknown_place != b.unknown_place and bool((b if a.unknown_place else a).location_places)
    return ((unknown or _denies_same_predicate(a, b)) and _shared_people(a, b)) or blame_clash(a, b) is not None


def _blame_text(b: Blame) -> str:
    sides = " and ".join(sorted(b.sides))
    return f"'{sides}' {'not responsible' if b.denied else 'responsible'}"


def time_varying(a: Claim, b: Claim, conflict: Conflict) -> bool:
    """Whether the pair's conflict is about something that changes over time, so that a later report may
    supersede an earlier one: a whereabouts (known against unknown, two places), two figures of a role that changes
    (:data:`~crosscheck.lexicon.TIME_VARYING_ROLES`: the dead, the missing, evacuees), or, for other conflicts and
    figures without a role, a question both claims answer that changes
    (:data:`~crosscheck.lexicon.TIME_VARYING_QUESTIONS`: casualties, flooding, evacuation, whereabouts, cost)."""
    if conflict.kind in ("known_vs_unknown", "place"):
        return True
    if conflict.kind == "blame":
        return False  # who is responsible does not change: rival answers stay disputed
    if conflict.kind == "number":
        qa, qb = conflict.detail
        role = qa.role or qb.role
        if role:
            return role in TIME_VARYING_ROLES
    return bool(set(a.questions) & set(b.questions) & TIME_VARYING_QUESTIONS)


def _other_figures(a: Claim, b: Claim) -> bool:
    """Both claims count the same thing (:func:`comparable` figures) and never with the same value ("at least 7
    missing in the town" / "27 missing in the province"): however alike the words, not the same proposition; only a
    typed slot may still agree."""
    pairs = [(x, y) for x in a.quantities for y in b.quantities if comparable(x, y)]
    return bool(pairs) and not any(x.value == y.value for x, y in pairs)


def _same_speaker(a: Claim, b: Claim) -> bool:
    """Both claims attributed to one named speaker (two outlets relaying what one person or body said)."""
    return a.attributed and b.attributed and bool(a.speaker) and names_match(a.speaker, b.speaker)


def _shared_people(a: Claim, b: Claim) -> bool:
    return any(matching_names(a.entities, b.entities))


def _fmt(t: dt.datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M %z") if t else "?"
