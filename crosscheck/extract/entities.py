"""Named entities of a claim (capitalised spans), person names and their titles."""

from __future__ import annotations

import re
from collections.abc import Iterable

_ENTITY = re.compile(
    r"(?:(?<=\s)|(?<=^)|(?<=[\"(\u201c]))(?:[A-Z][\w'\u2019.-]*[\w]|[A-Z])(?:\s+(?:(?:al|el|bin|ibn|de|van|von|der|of|the)-?\s*)?"
    r"[A-Z][\w\u2019'-]*[\w])*")
_TITLES = re.compile(r"^(?:(?:former|ousted|deposed|Syrian|Russian|late)\s+)*(?:President|Prime Minister|Minister|Mr|Mrs|Ms|Dr|"
                     r"General|Gen|Sheikh|King|Queen|Prince|Foreign Minister|Spokesman|Spokeswoman)\.?\s+")
_NOT_ENTITY = frozenset(
    """a an the he she it they we i you his her its their our this that these those there here in on at by for from
    with as but and or if when while after before during since until what who which where why how some many most
    all several one two three no not yes later earlier also then meanwhile however although though because
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december today yesterday tomorrow officials rebels state
    did does do is are was were has have had can could would should must""".split())
ORG_WORDS = re.compile(r"\b(?:Ministry|Kremlin|Government|Army|Forces|Council|Agency|Office|Presidency|Party|Committee|"
                        r"Command|Court|Parliament|Embassy|Reuters|TASS|AFP|News|Times|Press|Group|Front|Observatory|"
                        r"Organisation|Organization|Nations|Union|Bank|Base|University|Media|Television|TV)\b")


#: A contraction that the capitalised-span reader takes for a name ("I'm", "I’ve").
_CONTRACTION = re.compile(r"^I['\u2019](?:m|ve|d|ll)\b")
#: A lower-case plural noun last: a group, not a person ("news agencies", "officials"; not "Reuters", "press").
_PLURAL_LAST = re.compile(r"\s[a-z][a-z-]*(?<!ss)(?<!us)(?<!is)s$")
#: A time after a name in a speaker phrase ("Ana Ruiz on Monday", "the minister earlier this week").
_TRAILING_TIME = re.compile(r"\s+(?:on|last|this|earlier|late|early)\b.*$|\s+(?:today|yesterday)$")


def unique(items: Iterable[str]) -> list[str]:
    """The non-empty items, each once, in the order they first come (a set of those seen, not a scan of the list:
    a sentence naming thousands of people stays linear)."""
    return list(dict.fromkeys(x for x in items if x))


def is_person(name: str, places: list[str]) -> bool:
    """Whether a capitalised span may name a person: not an organisation, a known place, a counted group, a group
    named by a plural noun ("Harbour port workers", "Coastal news agencies"), a word in capitals ("SOUTH LAKE TAHOE"
    of a dateline, "NTSB") or a contraction ("I'm").

    >>> is_person("Oleksandr Prokudin", []), is_person("SOUTH LAKE TAHOE", []), is_person("I'm", [])
    (True, False, False)
    >>> is_person("Coastal news agencies", []), is_person("Mayor Ana Ruiz", [])
    (False, True)
    """
    return (name[:1].isupper() and not ORG_WORDS.search(name) and name not in places
            and name.split()[0].lower() not in {"a", "an", "the", "two", "three", "several"}
            and not (name.isupper() and len(name) > 1) and not _CONTRACTION.match(name)
            and not _PLURAL_LAST.search(name))


def short_name(person: str) -> str:
    """The name a pronoun is replaced by: the last word of a full name ("Zelensky"), a time after the name left out
    ("Mayor Ana Ruiz on Monday" -> "Ruiz").

    >>> short_name("Port Mayor Ana Ruiz on Monday"), short_name("Lindqvist")
    ('Ruiz', 'Lindqvist')
    """
    person = _TRAILING_TIME.sub("", person) or person
    last = person.split()[-1]
    return re.sub(r"^(?:al|el|bin|ibn)-", "", last) if len(person.split()) > 1 else person


def strip_title(name: str) -> str:
    stripped = _TITLES.sub("", name).strip()
    return stripped or name


def entities_of(text: str) -> list[str]:
    out = []
    for m in _ENTITY.finditer(text):
        ent = m.group(0).strip(" .")
        ent = re.sub(r"['\u2019]s$", "", ent)
        words = ent.split()
        while words and words[0].lower() in _NOT_ENTITY:
            words = words[1:]
        if not words:
            continue
        ent = " ".join(words)
        if len(ent) < 2 or ent.lower() in _NOT_ENTITY:
            continue
        out.append(ent)
    return unique(out)
