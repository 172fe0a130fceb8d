"""Attribution: who a sentence's claim is from, its hedge, and pronoun resolution inside the attributed content.

Two readers: :func:`frame_of` reads the frame from spaCy's dependency parse (the default: the subject of a
reporting verb, "according to X", a passive's agent, "quoted X as saying", nested reports with their relay), and
:func:`attribution_of` from regular expressions ("X said", "according to X", "X told Y"; the stance head's mode).

>>> from crosscheck.parse import spacy_model
>>> f = frame_of(spacy_model()("The dam held, the regional governor said on Friday."))
>>> f.speaker, f.cue, f.content
('the regional governor', 'said', ((0, 12),))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from crosscheck.extract.entities import ORG_WORDS, short_name
from crosscheck.extract.places import UNKNOWN_PLACE
from crosscheck.lexicon import (
    DENIAL_VERBS,
    NOUN_CONTENT_LEMMAS,
    REPORTING_VERBS,
    SPECULATIVE,
    SPEECH_LEMMAS,
    STANCE_LEMMAS,
    UNCERTAIN,
)
from crosscheck.segment import BREAK_CHARS, last_line_break

VERBS = REPORTING_VERBS
#: Any character but a line break, however written ("." would cross a "\r" or U+2028, not a "\n").
_LINE_CHAR = r"[^\n\r\u2028\u2029]"
_VERB_RE = rf"(?:{VERBS})"
# The content and the speaker never end inside a run of white space, and the runs around the speaker are taken whole
# (possessive; also in _HEAD_ATTR and _ACCORDING_TAIL): a content or speaker that ended inside a run would give the
# match that ending before it gives, so the runs are not re-read from each of their characters (which made a
# sentence with a long run of spaces cubic).
_TAIL_ATTR = re.compile(
    rf"^(?P<content>{_LINE_CHAR}+?)(?!(?<=\s)\s)[,]?[\"'\u201d\u2019]?,?\s++(?P<speaker>[^,\"\u201c\u201d]{{2,90}}?)(?<!\s)\s++"
    rf"(?P<verb>{_VERB_RE})"
    rf"(?:(?<=told)\s+(?:[A-Z][\w.'-]*(?:\s+[A-Za-z][\w.'-]*){{0,4}}|reporters|journalists|the \w+(?:\s\w+)?))?"
    rf"(?:\s+on\s+\w+)?\s*[.!]?[\"']?$"
)
_TAIL_ATTR_INV = re.compile(
    rf"^(?P<content>{_LINE_CHAR}+?)[,]?[\"'\u201d\u2019]?,\s+(?P<verb>said|says|added|wrote)\s+(?P<speaker>[^,]{{2,90}}?)\s*[.!]?$"
)
_HEAD_ATTR = re.compile(
    rf"^(?:(?:In|in) (?:an?|his|her|their|its) [^,]{{0,60}}?(?:statement|interview|post|message|speech)[^,]{{0,60}},\s+)?"
    rf"(?P<speaker>[A-Z\"'\u201c][^,;:]{{1,90}}?|[a-z][^,;:]{{1,40}}?)(?<!\s)\s++(?:(?:has|have|had)\s+)?(?P<verb>{_VERB_RE})"
    rf"(?:(?<=told)\s+(?:[A-Z][\w.'-]*(?:\s+[A-Za-z][\w.'-]*){{0,4}}|reporters|journalists|the \w+(?:\s\w+)?))?"
    rf"(?:\s+on\s+\w+(?:\s+\w+)?)?(?:\s+(?:that|reports that))?[,:]?\s+(?P<content>{_LINE_CHAR}+)$"
)
_ACCORDING_HEAD = re.compile(rf"^According to (?P<speaker>[^,]{{2,90}}),\s+(?P<content>{_LINE_CHAR}+)$")
_ACCORDING_TAIL = re.compile(rf"^(?P<content>{_LINE_CHAR}+?)(?!(?<=\s)\s),?\s++according to (?P<speaker>[^,.]{{2,90}})\s*[.!]?$")

#: A one-word reply that opens a sentence ("No. The talks go on.", "Yes, he left."): it answers an
#: earlier question and does not negate or assert what follows, so it is left out of the proposition.
#: "No. 10" (a number) and "No one" are not replies.
REPLY = re.compile(r"^(?:no|yes)\s*[.,!;:]\s+(?=[^\d\s])", re.IGNORECASE)
_THEY = re.compile(r"\b(?:they|them|their|theirs)\b", re.IGNORECASE)
#: Plural group nouns a speaker can end with (also when capitalised at the start of a sentence).
_PLURAL_NOUNS = frozenset("""people police men women children staff personnel officials rebels witnesses sources
    residents activists analysts diplomats investigators authorities troops protesters doctors lawyers prosecutors
    organizers organisers researchers scientists experts villagers soldiers militants commanders leaders
    officers ministers negotiators spokesmen""".split())
PRONOUN = re.compile(r"\b(?:he|him|his|she|her|hers)\b|\bthe (?:former |ousted |deposed |toppled )?(?:president|leader)\b",
                      re.IGNORECASE)



@dataclass(frozen=True)
class Attribution:
    """A sentence's attribution frame: the speaker, the reporting verb, and where the content lies."""

    speaker: str
    verb: str
    content_start: int
    content_end: int


def attribution_of(text: str) -> Attribution | None:
    body = text.rstrip()
    for rx in (_ACCORDING_HEAD, _ACCORDING_TAIL, _TAIL_ATTR_INV, _TAIL_ATTR, _HEAD_ATTR):
        m = rx.match(body)
        if not m:
            continue
        speaker = _TRAILING_AUX.sub("", m.group("speaker").strip().strip("\"'\u201c\u201d"))
        verb = m.groupdict().get("verb") or "according to"
        denial = _DENIAL_LAST.search(speaker)
        if denial is not None:  # "The Kremlin rejected claims that ...": the denial is the verb, "claims" its object
            speaker, verb = speaker[:denial.start()].rstrip(), denial.group(1)
        if not plausible_speaker(speaker):
            continue
        content_start, content_end = m.span("content")
        if len(body[content_start:content_end].split()) < 3:
            continue
        return Attribution(speaker, verb.lower(), content_start, content_end)
    return None


#: A denial verb that ends what the regex reader took for the speaker ("The Kremlin rejected" of "The Kremlin rejected
#: claims that ...", "The Kremlin dismissed as absurd the" of "... dismissed as absurd the claims that ...").
_DENIAL_LAST = re.compile(r"\s+(?:(?:has|have|had)\s+)?(?:(?:also|again|repeatedly|strongly)\s+)?"
                          r"(rejected|rejects|dismissed|dismisses|denied|denies|refuted|refutes)"
                          r"(?:\s+(?:as\s+[\w-]+|the|all|these|those|such))*$")
#: An auxiliary the speaker phrase of "X has (since) said" ends with: the verb's, not the speaker's.
_TRAILING_AUX = re.compile(r"\s+(?:has|have|had)(?:\s+(?:since|also|repeatedly|already|now|long))?$")
#: A finite verb that makes a phrase a clause ("the water was falling", "his family had been told"), not a speaker.
_FINITE = re.compile(r"\b(?:was|were|is|are|had|has|have|been|will|could|should|may|might)\b")


def plausible_speaker(s: str) -> bool:
    words = s.split()
    if not 1 <= len(words) <= 9:
        return False
    if re.search(r"\b(?:and then|which|because|after|before|when|if|not|never|n't|declined|refused|would|did)\b", s):
        return False
    low = s.lower()
    if low in {"it", "this", "that", "there"}:
        return False
    if words[0].lower() in _PERSONAL and len(words) > 1:
        return False  # "..., said she thought the contractor was to blame": a clause, not a speaker
    if _FINITE.search(s):
        return False  # "The governor, Oleksander Prokudin, said the water was falling": the content, not a speaker
    return s[0].isupper() or low.startswith(("a ", "an ", "the ", "two ", "three ", "several ", "some ", "officials",
                                              "rebels", "he", "she", "they", "witnesses", "residents", "sources"))


def resolve_speaker(speaker: str, last_person: str | None, seen: Sequence[str] | Speakers) -> str:
    """The speaker a regex-read mention stands for: "he"/"she" -> ``last_person``; "the ministry" (at most three
    words) -> the last speaker of ``seen`` whose lower case contains its last word and that is not the mention
    itself; else the mention. ``seen`` is best a :class:`Speakers` kept over the report (a list is indexed first)."""
    low = speaker.lower()
    if low in {"he", "she"} and last_person:
        return last_person
    if low.startswith("the ") and len(speaker.split()) <= 3:
        seen = seen if isinstance(seen, Speakers) else Speakers(seen)
        return seen.last_containing(speaker.split()[-1].lower(), other_than=low) or speaker
    return speaker


def is_plural(speaker: str) -> bool:
    """A group speaker that "they" in its own statement refers to: "Rebel commanders", "officials",
    "two army officers" (a lower-case plural noun last), not "Reuters" or "a Kremlin source"."""
    last = speaker.split()[-1] if speaker.split() else ""
    if last.lower() in _PLURAL_NOUNS:
        return True
    return last[:1].islower() and last.endswith("s") and not last.endswith(("ss", "us", "is"))


def substitute_plural(content: str, speaker: str) -> str:
    """"they/them" -> the speaker, "their" -> the speaker's: "Rebel commanders said that they had taken
    Damascus" reads "Rebel commanders had taken Damascus" (the model cannot resolve a bare "they")."""
    def repl(m: re.Match[str]) -> str:
        word = speaker + ("'" if m.group(0).lower().startswith("their") else "")
        return word[:1].upper() + word[1:] if m.start() == 0 else word

    return _THEY.sub(repl, content)


def substitute(content: str, person: str) -> str:
    short = short_name(person)

    def repl(m: re.Match[str]) -> str:
        w = m.group(0).lower()
        if w in {"his", "hers"}:
            return f"{short}'s"
        if w == "her":
            return short
        return short if w in {"he", "him", "she"} else person

    return PRONOUN.sub(repl, content)


def is_denial(attr: Attribution | Frame | None) -> bool:
    """The frame's verb denies its content ("X denied that ...", "X rejected claims that ...", "X dismissed
    suggestions that ...": :data:`~crosscheck.lexicon.DENIAL_VERBS`)."""
    if isinstance(attr, Frame):
        return attr.lemma in DENIAL_VERBS
    return attr is not None and attr.verb.lower().startswith(("den", "reject", "refut", "dismiss"))


def hedge_of(sentence: str, content: str, attr: Attribution | Frame | None) -> str:
    """The claim's hedge: denied, speculative, uncertain, reported (attributed) or asserted."""
    if is_denial(attr):
        return "denied"
    if SPECULATIVE.search(sentence):
        return "speculative"
    if UNCERTAIN.search(content) or UNKNOWN_PLACE.search(content):
        return "uncertain"
    if attr is not None:
        return "reported"
    return "asserted"


# ---- attribution from the dependency parse ----------------------------------------------------------------------

#: Subjects that are never speakers: expletives, relative and demonstrative pronouns, first and second person.
_NOT_SPEAKERS = frozenset("it this that there which what who whom whose i we you one these those me us".split())
#: Words that name the press: news outlets and agencies, speakers that relay others' words ("Reuters reported that
#: officials said ..."), and the subject of an outlet's note on what it could not verify (crosscheck.judge).
MEDIA = re.compile(r"\b(?:Reuters|AFP|AP|TASS|Tass|RIA|Interfax|Xinhua|BBC|CNN|Bloomberg|news|agency|newspaper|paper|"
                   r"Times|Post|Journal|Mail|Guardian|Telegraph|Herald|Tribune|Gazette|TV|television|broadcaster|"
                   r"outlet|media|magazine|station|channel)\b")
_PERSONAL = frozenset({"he", "she", "they", "him", "her", "them"})
_CONTENT_DEPS = ("ccomp", "parataxis", "xcomp")
#: Children of a reporting verb that belong to its frame ("said on Tuesday in a statement", "told reporters").
_FRAME_DEPS = frozenset({"aux", "auxpass", "neg", "advmod", "npadvmod", "prep", "dative", "agent", "prt", "mark"})
_EDGE = " \t\n\r\u2028\u2029,;:-\u2013\u2014"
_DATELINE_CUT = re.compile(r"\)\s*\.?\s*[-\u2013\u2014]|\s[-\u2013\u2014]\s")


@dataclass(frozen=True)
class Frame:
    """A sentence's attribution frame read from its parse (offsets relative to the sentence text).

    ``speaker`` is the mention as written ("he", "the ministry", "two officials familiar with the matter");
    ``content`` the spans of the sentence that hold what is attributed (one span, or two around a frame in the
    middle); ``relay`` the outer source of a nested attribution ("Reuters" in "Reuters reported that officials
    said ...") with ``relay_start``/``relay_end``, or ``""`` and -1."""

    speaker: str
    speaker_start: int
    speaker_end: int
    cue: str
    cue_start: int
    cue_end: int
    lemma: str
    content: tuple[tuple[int, int], ...]
    relay: str = ""
    relay_start: int = -1
    relay_end: int = -1

    @property
    def verb(self) -> str:
        """The cue in lower case (the regex :class:`Attribution`'s ``verb``)."""
        return self.cue.lower()


def _span_end(tok: Any) -> int:
    return tok.idx + len(tok.text)


def _next_verbs(doc: Any) -> list[int]:
    """For each token of ``doc``, the index of the first verb (not an adjectival one) at or after it, else
    ``len(doc)``; computed once per parse and kept in its ``user_data``."""
    key = "crosscheck.next_verbs"
    if key not in doc.user_data:
        out, nxt = [0] * len(doc), len(doc)
        for t in reversed(doc):
            if t.pos_ == "VERB" and t.dep_ != "amod":
                nxt = t.i
            out[t.i] = nxt
        doc.user_data[key] = out
    return doc.user_data[key]


def _ends_with_no(text: str, end: int) -> bool:
    """``text[:end]`` ends in the word "No." and white space (``re.search(r"\\bNo\\.\\s*$", text[:end])``, without
    copying or reading the whole prefix)."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return text.endswith("No.", 0, end) and (end == 3 or not re.match(r"\w", text[end - 4]))


def _speaker_span(head: Any, text: str | None = None) -> tuple[int, int] | None:
    """Character span of the noun phrase headed by ``head``, without a trailing relative clause or punctuation
    ("Governor Wes Moore, who declared an emergency," -> "Governor Wes Moore"). ``text`` is ``head.doc.text``
    (which spaCy joins anew at each call: a caller that asks for many phrases passes it once)."""
    toks = list(head.subtree)
    if head.dep_ not in ("nsubj", "nsubjpass", "pobj", "dobj"):  # a phrase found by :func:`_tail_phrase`
        verb_i = _next_verbs(head.doc)[head.i]
        toks = [t for t in toks if t.i < verb_i]
    for c in head.rights:
        if c.dep_ in ("relcl", "acl") and c.i > head.i and any(t.lower_ in ("who", "which", "whose", "that")
                                                                  or t.tag_ == "VBN" for t in c.subtree):
            toks = [t for t in toks if t.i < c.left_edge.i]
            break
    while toks and (toks[-1].is_punct or toks[-1].dep_ in ("cc", "punct")):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks.pop(0)
    if not toks:
        return None
    start, end = toks[0].idx, _span_end(toks[-1])
    text = head.doc.text if text is None else text
    if toks[0].like_num and _ends_with_no(text, start):  # "No. 10 Downing Street"
        start = text.rindex("No.", 0, start)
    # a headline or dateline run into the sentence ("WASHINGTON (Wire) - The ministry said"): cut before the head
    line = last_line_break(text, start, end)
    line = line if line >= 0 and text[line + 1:line + 2].isupper() else -1
    dateline = max((m.end() for m in _DATELINE_CUT.finditer(text, start, end)), default=-1)
    cut = max(line, dateline - 1)
    if cut >= start:
        start = cut + 1
        while start < end and text[start] in " \t-\u2013\u2014" + BREAK_CHARS:
            start += 1
    day = _LEADING_DAY.match(text, start, end)
    if day:  # "On Friday Kremlin spokesman Ivo Marr said": the parse took the day into the name
        start = day.end()
    return (start, end) if end > start else None


#: A day before a capitalised speaker that the parse joined to it ("Friday Kremlin spokesman ...").
_LEADING_DAY = re.compile(r"(?:[Oo]n\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+(?=[A-Z])")


def plausible_subject(head: Any, text: str) -> bool:
    """A subject that can be a speaker: a noun, name or third-person pronoun of at most 25 words, not "it",
    "there", "which", "I", and not a verb phrase."""
    low = head.lower_
    if low in _NOT_SPEAKERS or head.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "X"):
        return False
    if head.pos_ == "PRON" and low not in _PERSONAL:
        return False
    words = text.split()
    return 1 <= len(words) <= 25 and any(ch.isalpha() for ch in text)


def _cue_span(verb: Any) -> tuple[int, int]:
    """The reporting verb with its auxiliaries and negation right before it ("has said", "did not deny")."""
    start = verb
    for c in sorted(verb.lefts, key=lambda t: -t.i):
        if c.dep_ in ("aux", "auxpass", "neg") and c.i == start.i - 1:
            start = c
    return start.idx, _span_end(verb)


def _subject(verb: Any) -> tuple[Any, bool] | None:
    """The speaker head of ``verb``: its subject, or for a passive the agent ("reported safe by officials"), with
    whether it came from the agent; for a closing "..., said" without a subject in the parse, the noun phrase
    set off by commas right before it (:func:`_tail_phrase`)."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if subjects:  # a dateline parsed as a second subject ("OSLO (Wire) - The ministry said"): the nearest
        return min(subjects, key=lambda c: abs(verb.i - c.i)), False
    for c in verb.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g, True
    if verb.dep_ == "acl" and verb.head.i < verb.i and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head, False  # "..., the club's press office announced on Friday." parsed as a noun phrase
    if verb.dep_ == "ROOT" or verb.i > verb.head.i:
        head = _tail_phrase(verb)
        if head is not None:
            return head, False
    return None


def _tail_phrase(verb: Any) -> Any:
    """The head of the longest phrase between a comma and ``verb`` that hangs from one token only
    ("Eight died, Ivan Petrov, the regional governor, said": Petrov), or None."""
    doc = verb.doc
    end = verb.i
    while end > 0 and doc[end - 1].is_punct:
        end -= 1
    if verb.dep_ == "ROOT":
        child = _content_child(verb)
        if child is None or child.i > verb.i:
            return None
        lo = child.i + 1
    else:
        lo = verb.head.i + 1
    for i in range(lo, end):
        if doc[i - 1].text != ",":
            continue
        inside = range(i, end)
        tops = [t for t in doc[i:end] if t.head.i not in inside or t.head.i == t.i]
        tops = [t for t in tops if not t.is_punct]
        if len(tops) == 1 and tops[0].pos_ in ("PROPN", "NOUN"):
            return tops[0]
        if len(tops) == 1 and tops[0].pos_ == "VERB":  # "the prosecutor leading the inquiry" parsed as a clause
            subj = next((c for c in tops[0].children if c.dep_ == "nsubj" and c.i in inside), None)
            if subj is not None:
                return subj
    return None


def _content_child(verb: Any) -> Any:
    """The clause ``verb`` reports (its ccomp, parataxis or xcomp), or, for "quoted X as saying C", C; or None."""
    for c in verb.children:
        if c.dep_ in _CONTENT_DEPS and c.pos_ in ("VERB", "AUX", "NOUN", "ADJ", "PROPN"):
            return c
    if verb.lemma_.lower() in ("quote", "cite"):
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "as":
                for g in c.children:
                    if g.dep_ in ("pcomp", "pobj"):
                        inner = _content_child(g)
                        if inner is not None:
                            return inner
    return None


def _frame_tokens(verb: Any, skip: Any) -> list[Any]:
    """The verb and the children that make up its frame (not the content child ``skip``, nor clauses)."""
    toks = [verb]
    inside = {t.i for t in skip.subtree} if skip is not None else set()
    for c in verb.children:
        if c.is_punct or c.lower_ == "according" or inside & {t.i for t in c.subtree}:
            continue
        if c.dep_ in _FRAME_DEPS or c.dep_ in ("nsubj", "nsubjpass"):
            toks.extend(c.subtree)
    return toks


def _pieces(text: str, spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The spans with surrounding punctuation and quotes trimmed; empty ones dropped."""
    out = []
    for a, b in spans:
        while a < b and text[a] in _EDGE:
            a += 1
        while b > a and text[b - 1] in _EDGE:
            b -= 1
        if b > a and any(ch.isalnum() for ch in text[a:b]):
            out.append((a, b))
    return tuple(out)


def _outside(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    return _pieces(text, [(0, start), (end, len(text))])


def _verb_frame(doc: Any, verb: Any) -> Frame | None:
    """The frame of the reporting verb ``verb`` (its lemma already checked), or None."""
    lemma = verb.lemma_.lower()
    if any(c.dep_ == "neg" for c in verb.children):
        return None  # "the ministry did not say where he was": nothing is asserted
    subj = _subject(verb)
    text = doc.text
    if subj is None:
        return None
    head, by_agent = subj
    relay_head = None
    if lemma in ("quote", "cite"):  # "Tass quoted officials as saying C": the officials speak, Tass relays
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if obj is not None and _content_child(verb) is not None:
            relay_head, head = head, obj
    span = _speaker_span(head)
    if span is None or not plausible_subject(head, text[span[0]:span[1]]):
        return None
    child = _content_child(verb)
    if lemma in STANCE_LEMMAS and child is None:
        return None
    cue_start, cue_end = _cue_span(verb)
    ftoks = _frame_tokens(verb, child)
    if by_agent:
        agent = head.head
        fstart, fend = agent.idx, _span_end(head.right_edge)
        content = _outside(text, fstart, fend) if fend >= len(text.rstrip(" .!\"'\u201d")) - 1 else _pieces(
            text, [(0, len(text))])
        return Frame(text[span[0]:span[1]], span[0], span[1], verb.text, verb.idx, _span_end(verb), lemma, content)
    fstart = min(min(t.idx for t in ftoks), span[0])
    fend = max(max(_span_end(t) for t in ftoks), span[1])
    if child is not None:
        cstart, cend = child.left_edge.idx, _span_end(child.right_edge)
        if child.left_edge.dep_ == "mark" and child.left_edge.lower_ in ("that", "whether", "if"):
            nxt = child.left_edge.nbor() if child.left_edge.i + 1 < len(doc) else None
            cstart = nxt.idx if nxt is not None else cend
        if cstart >= fend:  # "X said on Tuesday that C": the clause after the frame, to the sentence's end
            content = _pieces(text, [(cstart, len(text))])
        elif cend <= fstart:  # "C, X said": before the frame (and a quote that resumes after it)
            after = _pieces(text, [(fend, len(text))])
            rest = [s for s in after if len(text[s[0]:s[1]].split()) >= 2 and any(
                c.dep_ in _CONTENT_DEPS and c.idx >= fend for c in verb.children)]
            content = _pieces(text, [(0, fstart)]) + tuple(rest)
        else:
            content = _outside(text, fstart, fend)
    elif lemma in NOUN_CONTENT_LEMMAS and any(c.dep_ in ("dobj", "oprd") and c.i > verb.i
                                                for c in verb.children):
        content = _pieces(text, [(0, len(text))])  # "X denied any role": the frame is part of the claim
    elif (verb.dep_ == "ROOT" or verb.head.i < verb.i) and not any(c.dep_ == "dobj" for c in verb.children) \
            and not text[fend:].strip(" .!?\"'\u201d\u2019" + BREAK_CHARS):
        # "C," said X / "C," X said (the quote parsed outside the verb): what comes before the closing frame
        content = _pieces(text, [(0, fstart)])
        if not content:
            return None
    else:
        return None
    relay = _speaker_span(relay_head) if relay_head is not None else None
    if relay is not None:
        return Frame(text[span[0]:span[1]], span[0], span[1], text[cue_start:cue_end], cue_start, cue_end, lemma,
                     content, text[relay[0]:relay[1]], relay[0], relay[1])
    return Frame(text[span[0]:span[1]], span[0], span[1], text[cue_start:cue_end], cue_start, cue_end, lemma, content)


def _cut(text: str, content: tuple[tuple[int, int], ...], start: int, end: int) -> tuple[tuple[int, int], ...]:
    """``content`` without the characters ``[start, end)`` (a relay's "according to X")."""
    spans: list[tuple[int, int]] = []
    for a, b in content:
        spans.extend([(a, min(b, start)), (max(a, end), b)] if a < end and start < b else [(a, b)])
    return _pieces(text, [(a, b) for a, b in spans if b > a])


def _according_frame(doc: Any, tok: Any) -> Frame | None:
    """"according to X" anywhere in the sentence: X is the speaker, the rest is the content."""
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None or to.i != tok.i + 1:
        return None
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    span = _speaker_span(obj)
    text = doc.text
    if span is None or not plausible_subject(obj, text[span[0]:span[1]]):
        return None
    content = _outside(text, tok.idx, span[1])
    if not content:
        return None
    return Frame(text[span[0]:span[1]], span[0], span[1], text[tok.idx:_span_end(to)], tok.idx, _span_end(to),
                 "according to", content)


def _at_end(verb: Any, sent: Any) -> bool:
    """The verb's phrase closes its sentence ("..., officials said on Tuesday.")."""
    last = max((t.i for t in sent if not t.is_punct), default=verb.i)
    return verb.right_edge.i >= last


def _candidates(doc: Any) -> list[Any]:
    """Reporting verbs and "according" tokens that can frame a whole sentence, nearest the root first: the root, a
    verb under it as its complement or parenthetical ("C, X said" parsed with C as the root), and "according to"
    attached to either. A text of several sentences (a headline run into the first sentence) is read longest
    sentence first."""
    out: list[Any] = []
    for sent in sorted(doc.sents, key=lambda x: -len(x.text)):
        root = sent.root
        here = [root]
        here.extend(c for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.i > root.i)
        here.extend(c for c in root.children if c.dep_ in ("conj", "advcl") and c.i > root.i and _at_end(c, sent)
                    and c.pos_ == "VERB")
        here.extend(c for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.i < root.i)
        here.extend(t for t in sent if t.dep_ == "acl" and t.lemma_.lower() in SPEECH_LEMMAS and _at_end(t, sent)
                    and t.head.i < t.i)
        near = {t.i for t in here}
        here.extend(t for t in sent if t.lower_ == "according" and (t.head.i in near or t.head.head.i in near))
        out.extend(here)
    return out


def frame_of(doc: Any) -> Frame | None:
    """The attribution frame of a parsed sentence, or None when the outlet asserts it.

    The frame verb is the root (or a clause under it) when its lemma reports speech or a stated position; "according
    to X" frames the sentence when no verb does, and otherwise is kept as the verb frame's relay. A nested report
    ("Reuters reported that officials said ...") is attributed to the inner speaker, the outer kept as ``relay``.
    """
    frame, verb = None, None
    for tok in _candidates(doc):
        if tok.lower_ == "according":
            got = _according_frame(doc, tok)
            if got is not None and (frame is None or frame.lemma in STANCE_LEMMAS):
                return got  # "According to X, signals indicate ...": X, not the signals
            if got is not None and frame is not None and not frame.relay:
                cut = _cut(doc.text, frame.content, tok.idx, got.speaker_end)
                return Frame(frame.speaker, frame.speaker_start, frame.speaker_end, frame.cue, frame.cue_start,
                             frame.cue_end, frame.lemma, cut or frame.content, got.speaker, got.speaker_start,
                             got.speaker_end)
            continue
        lemma = tok.lemma_.lower()
        if frame is None and tok.pos_ in ("VERB", "AUX") and (lemma in SPEECH_LEMMAS or lemma in STANCE_LEMMAS):
            got = _verb_frame(doc, tok)
            if got is not None:
                frame, verb = got, tok
    if frame is None or verb is None:
        return frame
    inner = _content_child(verb)
    relays = frame.lemma in ("report", "publish") or bool(MEDIA.search(frame.speaker))
    if relays and inner is not None and inner.lemma_.lower() in SPEECH_LEMMAS and inner.pos_ in ("VERB", "AUX"):
        nested = _verb_frame(doc, inner)
        if nested is not None:
            content = nested.content
            if nested.lemma in NOUN_CONTENT_LEMMAS and _content_child(inner) is None:
                content = frame.content  # "the Kremlin blamed Kyiv, the paper reported": the inner claim entire
            return Frame(nested.speaker, nested.speaker_start, nested.speaker_end, nested.cue, nested.cue_start,
                         nested.cue_end, nested.lemma, content, frame.speaker, frame.speaker_start, frame.speaker_end)
    return frame


#: Nouns by which an outlet names itself in its own report ("the station reported", "this newspaper has learned").
_SELF_NOUNS = frozenset("""station newspaper paper broadcaster network magazine channel publication website site outlet
    daily weekly tabloid""".split())


def is_self_reference(speaker: str, outlet: str | None) -> bool:
    """True when ``speaker`` is the report's own outlet: its name, or "the station" / "this newspaper" /
    "the news agency" in its own report."""
    norm = " ".join(re.findall(r"[a-z0-9]+", speaker.lower()))
    own = " ".join(re.findall(r"[a-z0-9]+", (outlet or "").lower()))
    bare = re.sub(r"^(?:the|this|our) ", "", norm)
    if own and bare and bare == re.sub(r"^(?:the|this|our) ", "", own):
        return True
    words = norm.split()
    return len(words) == 2 and words[0] in ("the", "this", "our") and (words[1] in _SELF_NOUNS) or norm in (
        "the news agency", "this news agency", "our correspondent", "this outlet")


@dataclass(frozen=True)
class Mention:
    """A noun phrase of an earlier sentence that a later "the ministry" or pronoun can refer to."""

    text: str
    head: str
    plural: bool
    named: bool
    subject: bool
    start: int = -1


def mentions_of(doc: Any) -> list[Mention]:
    """Noun phrases of a parsed sentence that later mentions can resolve to: subjects, and phrases whose head is
    modified by a name or a possessive ("Russia's defence ministry", "the Ministry of Defence")."""
    out = []
    whole = doc.text
    for t in doc:
        if t.pos_ not in ("NOUN", "PROPN") or t.dep_ in ("compound", "poss"):
            continue
        span = _speaker_span(t, whole)
        if span is None:
            continue
        text = whole[span[0]:span[1]]
        if len(text.split()) > 7 or "," in text:
            lefts = [c for c in t.subtree if c.i <= t.i]
            text = whole[lefts[0].idx:_span_end(t)]
        named = t.pos_ == "PROPN" or any(c.pos_ == "PROPN" or c.dep_ == "poss" for c in t.subtree if c.i < t.i)
        subject = t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ in ("ROOT", "ccomp")
        if named or subject:
            out.append(Mention(text, t.lemma_.lower(), t.tag_ in ("NNS", "NNPS"), named, subject, span[0]))
    return out


class Speakers:
    """The speakers a report has named so far, in order, indexed for :func:`resolve_speaker` and
    :func:`resolve_mention`: each lookup reads the few speakers that can answer it, not every earlier one (which
    made extraction quadratic in the length of a report).

    >>> seen = Speakers(["Russia's defence ministry", "Rebel commanders", "Lavrov"])
    >>> seen.last_group(), seen.last_with_word("ministry", other_than="the ministry", min_words=2)
    ('Rebel commanders', "Russia's defence ministry")
    """

    def __init__(self, items: Iterable[str] = ()) -> None:
        self._items: list[str] = []
        self._group: str | None = None
        self._by_word: dict[str, dict[str, None]] = {}  # word -> the speakers with it, last named last
        self._containing: dict[tuple[str, str], tuple[str | None, int]] = {}  # answer, speakers read so far
        for item in items:
            self.append(item)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def append(self, speaker: str) -> None:
        """Add the next speaker of the report."""
        self._items.append(speaker)
        if is_plural(speaker) or ORG_WORDS.search(speaker):
            self._group = speaker
        for word in set(speaker.lower().split()):
            named = self._by_word.setdefault(word, {})
            named.pop(speaker, None)
            named[speaker] = None

    def last_group(self) -> str | None:
        """The last group speaker (plural, or an organisation), or None."""
        return self._group

    def last_with_word(self, word: str, *, other_than: str, min_words: int) -> str | None:
        """The last speaker with the word ``word`` (lower case) of at least ``min_words`` words whose lower case is
        not ``other_than``, or None."""
        for speaker in reversed(self._by_word.get(word, {})):
            if speaker.lower() != other_than and len(speaker.split()) >= min_words:
                return speaker
        return None

    def last_containing(self, part: str, *, other_than: str) -> str | None:
        """The last speaker whose lower case contains ``part`` and is not ``other_than``, or None. The answer is
        kept, so each speaker is read once per question however often it is asked."""
        answer, read = self._containing.get((part, other_than), (None, 0))
        for speaker in reversed(self._items[read:]):
            low = speaker.lower()
            if part in low and low != other_than:
                answer = speaker
                break
        self._containing[(part, other_than)] = (answer, len(self._items))
        return answer


class Mentions:
    """The mentions (:func:`mentions_of`) of a report's earlier sentences, indexed for :func:`resolve_mention`:
    the last singular and plural subjects, and the named mentions by head."""

    def __init__(self, items: Iterable[Mention] = ()) -> None:
        self._subject: dict[bool, Mention] = {}  # plural? -> the last subject
        self._named: dict[str, dict[str, Mention]] = {}  # head -> lower-case text -> its last mention, last named last
        self.extend(items)

    def extend(self, mentions: Iterable[Mention]) -> None:
        """Add the mentions of the next sentence, in order."""
        for m in mentions:
            if m.subject:
                self._subject[m.plural] = m
            if m.named:
                named = self._named.setdefault(m.head, {})
                named.pop(m.text.lower(), None)
                named[m.text.lower()] = m

    def last_subject(self, *, plural: bool) -> Mention | None:
        """The last plural (or singular) subject, or None."""
        return self._subject.get(plural)

    def last_named(self, head: str, *, other_than: str) -> Mention | None:
        """The last named mention with the head ``head`` whose lower-case text is not ``other_than``, or None."""
        for low, m in reversed(self._named.get(head, {}).items()):
            if low != other_than:
                return m
        return None


def resolve_mention(mention: str, *, last_person: str | None, speakers: Sequence[str] | Speakers,
                    earlier: Sequence[Mention] | Mentions, before: Sequence[Mention] = ()) -> str | None:
    """The full name a speaker mention stands for, or None when it cannot be resolved.

    "he"/"she" -> the last person named (else the last singular subject); "they" -> the last group speaker (else
    the last plural subject); "the ministry" -> the last earlier name with the same head ("Russia's defence
    ministry"). Any other mention is returned as it is. The mentions looked at are ``earlier`` and then
    ``before`` (those of the mention's own sentence before it); ``speakers`` and ``earlier`` are best the
    :class:`Speakers` and :class:`Mentions` kept over the report (lists are indexed first).
    """
    low = mention.lower()
    words = mention.split()
    if low not in ("he", "she", "him", "her", "they", "them") and not (low.startswith("the ") and len(words) == 2):
        return mention
    speakers = speakers if isinstance(speakers, Speakers) else Speakers(speakers)
    earlier = earlier if isinstance(earlier, Mentions) else Mentions(earlier)
    if low in ("he", "she", "him", "her", "they", "them"):
        plural = low in ("they", "them")
        if plural and speakers.last_group():
            return speakers.last_group()
        if not plural and last_person:
            return last_person
        subj = next((m for m in reversed(before) if m.subject and m.plural == plural), None)
        subj = subj or earlier.last_subject(plural=plural)
        return subj.text if subj else None
    head = words[-1].lower()
    prev = speakers.last_with_word(head, other_than=low, min_words=2)
    if prev is not None:
        return prev
    named = next((m for m in reversed(before) if m.named and m.head == head and m.text.lower() != low), None)
    named = named or earlier.last_named(head, other_than=low)
    return named.text if named else mention


def quote_state(text: str, open_before: bool) -> bool:
    """Whether a quotation is still open after ``text``, given whether one was open before it: curly quotes open
    and close, a straight double quote toggles."""
    state = open_before
    for ch in text:
        if ch == "\u201c":
            state = True
        elif ch == "\u201d":
            state = False
        elif ch == '"':
            state = not state
    return state
