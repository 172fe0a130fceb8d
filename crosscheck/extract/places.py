"""Places in a claim and the role each plays: where someone or something is (``at``), a stop on a route
(``origin``, ``via``, ``destination``), somewhere ``near``, an ``actor`` ("Jordan said ...", "Russia's army"), or a
plain ``mention``; and whether the claim says the whereabouts are unknown.

>>> from crosscheck.places import Gazetteer
>>> [(m.name, m.role) for m in place_mentions("He flew from Amman to Paris via Rome.", Gazetteer())]
[('Amman', 'origin'), ('Paris', 'destination'), ('Rome', 'via')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosscheck.lexicon import REPORTING_VERBS
from crosscheck.places import Gazetteer

UNKNOWN_PLACE = re.compile(
    r"\b(?:did not (?:say|disclose|reveal|specify) where|(?:whereabouts|location)\s+(?:is|are|was|were|remains?|remained)\s+"
    r"(?:still\s+)?(?:unknown|unclear|not known|a mystery)|(?:unclear|not known|unknown) where|no word on (?:his|her|their) "
    r"whereabouts|not said where)\b", re.IGNORECASE)
LOCATION_PREP = re.compile(r"\b(?:in|to|at|into|inside|reached|arrived in|(?:and )?then (?:for|to)|(?:left|leave|leaving|headed|bound|flew|fled) (?:for|to))\s+(?:the\s+)?(?:city of\s+)?$",
                            re.IGNORECASE)
#: Roles whose places say where the subject is or ends up (compared between claims).
WHERE_ROLES = ("at", "destination")
#: Roles of the stops of a route (never rival locations of each other).
ROUTE_ROLES = ("origin", "via", "destination")

_FILLER = r"(?:the\s+|central\s+|northern\s+|southern\s+|eastern\s+|western\s+|(?:city|town|port|village|capital)\s+of\s+|" \
          r"downtown\s+|(?:north|south|east|west)(?:ern)?\s+)*"
_CUES = [
    ("via", re.compile(r"\b(?:via|through|by way of|(?:a\s+)?stop(?:ping)?\s*over\s+in|stopp(?:ed|ing)\s+in|transit(?:ed|ing)?\s+"
                       r"(?:in|through)|changed planes in)\s+" + _FILLER + r"$", re.IGNORECASE)),
    ("origin", re.compile(r"\b(?:from|out of|left|leaving|leave|departed|departing|fled|evacuated from)\s+" + _FILLER + r"$",
                          re.IGNORECASE)),
    ("destination", re.compile(r"\b(?:to|into|towards?|for|reached|reaching|arrived\s+(?:in|at)|arriving\s+(?:in|at)|"
                               r"landed\s+(?:in|at)|landing\s+(?:in|at)|en route to|headed for|bound for|returned to)\s+"
                               + _FILLER + r"$", re.IGNORECASE)),
    ("near", re.compile(r"\b(?:near|outside|off|around|close to|north of|south of|east of|west of|"
                        r"(?:km|kilometres|kilometers|miles)\s+(?:from|of))\s+" + _FILLER + r"$", re.IGNORECASE)),
    ("at", re.compile(r"\b(?:in|at|inside|within|on)\s+" + _FILLER + r"$", re.IGNORECASE)),
]
_ACTOR_AFTER = re.compile(r"\s*(?:,[^,]{0,40},\s*)?(?:" + REPORTING_VERBS + r"|has said|had said|will|would|has|had|"
                          r"accused|condemned|urged|called|demanded|denied|rejected|agreed|signed|sent|offered)\b")
_POSSESSIVE = re.compile(r"['\u2019]s?\b")
#: Verbs after which a bare "for" names no destination ("voted for Paris", "waited for London's answer").
_FOR_ROUTE = re.compile(r"\b(?:left|leave|leaves|leaving|departed|departs|sailed|set off|set out|headed|heading|bound|"
                        r"flew|fled|boarded a (?:plane|flight|train|ship|ferry|bus))\b[^.;]{0,60}$", re.IGNORECASE)


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a text: canonical ``name``, offsets of its surface form, and its ``role``."""

    name: str
    start: int
    end: int
    role: str


def place_mentions(text: str, gazetteer: Gazetteer) -> list[PlaceMention]:
    """The places of ``text`` in order, each with its role (see the module doc). In a route ("left A for B",
    "from A to B via C", "in A, then to B") the last ``destination`` is where the subject ends up; earlier ones
    become ``via``. A place the text makes a speaker or a possessor is an ``actor``, not a location."""
    out: list[PlaceMention] = []
    for start, end, name in gazetteer.find(text):
        before = text[max(0, start - 60):start]
        after = text[end:end + 60]
        role, cued = "mention", False
        for r, rx in _CUES:
            m = rx.search(before)
            if m is None:
                continue
            cue = m.group(0).lower()
            if r == "destination" and re.match(r"\s*for\b", cue) and not _FOR_ROUTE.search(before):
                continue
            if r == "origin" and re.match(r"\s*(?:left|leaving|leave|departed|departing|fled)\b", cue) \
                    and not re.match(r"\s*(?:for|to|and|,|\.|$|on|in|at|after|before|with|by|via|early|late)", after):
                continue
            role, cued = r, True
            break
        if role == "at" and re.match(r"\s*on\b", before[-4:]):
            role = "mention"
        if role == "at" and re.search(r"\bon\s+" + _FILLER + r"$", before, re.IGNORECASE):
            role = "mention"  # "talks on Syria", "a report on Kyiv"
        if _POSSESSIVE.match(after) and role not in ("origin", "destination", "via"):
            role = "actor"
        elif not cued and _ACTOR_AFTER.match(after):
            role = "actor"
        out.append(PlaceMention(name, start, end, role))
    dests = [i for i, p in enumerate(out) if p.role == "destination"]
    if dests:  # "in A, then to B": A was a stop on the way
        for i, p in enumerate(out[:dests[-1]]):
            if p.role == "at" and re.search(r"\bthen\b", text[p.end:out[dests[-1]].start]):
                out[i] = PlaceMention(p.name, p.start, p.end, "via")
    for i in dests[:-1]:
        out[i] = PlaceMention(out[i].name, out[i].start, out[i].end, "via")
    if dests:
        last = dests[-1]
        # "arrived in A and then in B": a later "at" after the destination is a later stop, the final one
        later_at = [i for i, p in enumerate(out) if i > last and p.role == "at"]
        if later_at and re.search(r"\bthen\b", text[out[last].end:out[later_at[-1]].start]):
            out[last] = PlaceMention(out[last].name, out[last].start, out[last].end, "via")
            out[later_at[-1]] = PlaceMention(out[later_at[-1]].name, out[later_at[-1]].start, out[later_at[-1]].end,
                                             "destination")
    return out


def location_places(mentions: list[PlaceMention]) -> tuple[str, ...]:
    """The places where the subject is or ends up (``at`` and the final ``destination``), unique, in order."""
    return tuple(dict.fromkeys(m.name for m in mentions if m.role in WHERE_ROLES))


def place_roles(mentions: list[PlaceMention]) -> tuple[tuple[str, str], ...]:
    """``(place, role)`` pairs, unique, in order (what :attr:`crosscheck.data.Claim.place_roles` holds)."""
    return tuple(dict.fromkeys((m.name, m.role) for m in mentions))
