"""Attribution: who a sentence's claim is from ("X said", "according to X", "X told Y"), its hedge, and
pronoun resolution inside the attributed content."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosscheck.extract.entities import short_name
from crosscheck.extract.places import UNKNOWN_PLACE
from crosscheck.lexicon import REPORTING_VERBS, SPECULATIVE, UNCERTAIN

VERBS = REPORTING_VERBS
_VERB_RE = rf"(?:{VERBS})"
_TAIL_ATTR = re.compile(
    rf"^(?P<content>.+?)[,]?[\"'\u201d\u2019]?,?\s+(?P<speaker>[^,\"\u201c\u201d]{{2,90}}?)\s+(?P<verb>{_VERB_RE})"
    rf"(?:(?<=told)\s+(?:[A-Z][\w.'-]*(?:\s+[A-Za-z][\w.'-]*){{0,4}}|reporters|journalists|the \w+(?:\s\w+)?))?"
    rf"(?:\s+on\s+\w+)?\s*[.!]?[\"']?$"
)
_TAIL_ATTR_INV = re.compile(
    r"^(?P<content>.+?)[,]?[\"'\u201d\u2019]?,\s+(?P<verb>said|says|added|wrote)\s+(?P<speaker>[^,]{2,90}?)\s*[.!]?$"
)
_HEAD_ATTR = re.compile(
    rf"^(?:(?:In|in) (?:an?|his|her|their|its) [^,]{{0,60}}?(?:statement|interview|post|message|speech)[^,]{{0,60}},\s+)?"
    rf"(?P<speaker>[A-Z\"'\u201c][^,;:]{{1,90}}?|[a-z][^,;:]{{1,40}}?)\s+(?:(?:has|have|had)\s+)?(?P<verb>{_VERB_RE})"
    rf"(?:(?<=told)\s+(?:[A-Z][\w.'-]*(?:\s+[A-Za-z][\w.'-]*){{0,4}}|reporters|journalists|the \w+(?:\s\w+)?))?"
    rf"(?:\s+on\s+\w+(?:\s+\w+)?)?(?:\s+(?:that|reports that))?[,:]?\s+(?P<content>.+)$"
)
_ACCORDING_HEAD = re.compile(r"^According to (?P<speaker>[^,]{2,90}),\s+(?P<content>.+)$")
_ACCORDING_TAIL = re.compile(r"^(?P<content>.+?),?\s+according to (?P<speaker>[^,.]{2,90})\s*[.!]?$")

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
        speaker = m.group("speaker").strip().strip("\"'\u201c\u201d")
        if not plausible_speaker(speaker):
            continue
        verb = m.groupdict().get("verb") or "according to"
        content_start, content_end = m.span("content")
        if len(body[content_start:content_end].split()) < 3:
            continue
        return Attribution(speaker, verb.lower(), content_start, content_end)
    return None


def plausible_speaker(s: str) -> bool:
    words = s.split()
    if not 1 <= len(words) <= 9:
        return False
    if re.search(r"\b(?:and then|which|because|after|before|when|if|not|never|n't|declined|refused|would|did)\b", s):
        return False
    low = s.lower()
    if low in {"it", "this", "that", "there"}:
        return False
    return s[0].isupper() or low.startswith(("a ", "an ", "the ", "two ", "three ", "several ", "some ", "officials",
                                              "rebels", "he", "she", "they", "witnesses", "residents", "sources"))


def resolve_speaker(speaker: str, last_person: str | None, seen: list[str]) -> str:
    low = speaker.lower()
    if low in {"he", "she"} and last_person:
        return last_person
    if low.startswith("the ") and len(speaker.split()) <= 3:
        head = speaker.split()[-1].lower()
        for prev in reversed(seen):
            if head in prev.lower() and prev.lower() != low:
                return prev
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


def hedge_of(sentence: str, content: str, attr: Attribution | None) -> str:
    if attr is not None and attr.verb.startswith("den"):
        return "denied"
    if SPECULATIVE.search(sentence):
        return "speculative"
    if UNCERTAIN.search(content) or UNKNOWN_PLACE.search(content):
        return "uncertain"
    if attr is not None:
        return "reported"
    return "asserted"
