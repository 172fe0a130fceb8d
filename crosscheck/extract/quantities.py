"""Numbers in a claim: value, bounds ("at least", "up to", ranges, "dozens"), what they count.

Digits ("1,200", "1.5 million"), number words ("Three hundred", "twenty-five", "a dozen", "two hundred and fifty"),
ranges ("between 20 and 30", "20 to 30", "20-30") and vague amounts ("dozens", "hundreds of") become one
:class:`~crosscheck.data.Quantity` each, an interval ``low <= value <= high``.

>>> [(q.value, q.low, q.high) for q in quantities_of("Three hundred people died and 20-30 were hurt.")]
[(300.0, 300.0, 300.0), (25.0, 20.0, 30.0)]
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from typing import Any

from crosscheck.data import Quantity
from crosscheck.extract.times import MONTHS
from crosscheck.lexicon import ROLE_OF_LEMMA

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
          "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_MULT = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_WORD = "|".join(sorted([*_UNITS, *_TENS, *_MULT, "dozen"], key=len, reverse=True))
#: A run of number words: "three hundred", "twenty-five", "two hundred and fifty", "a dozen", "half a dozen".
_WORDS = (rf"(?:half\s+a\s+dozen|(?:an?\s+)?(?:{_WORD})(?:(?:\s+and\s+|\s*-\s*|\s+)(?:{_WORD}))*)(?![A-Za-z])")
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "m": 1e6, "bn": 1e9, "dozen": 12}
_VAGUE = {"dozens": (24.0, 120.0), "scores": (40.0, 200.0), "hundreds": (200.0, 999.0), "thousands": (2000.0, 9999.0),
          "tens of thousands": (20000.0, 99999.0), "hundreds of thousands": (200000.0, 999999.0),
          "millions": (2e6, 9.99e6)}
_MOD_LOWER = r"at least|more than|over|upwards of|in excess of|no fewer than|no less than|above"
_MOD_UPPER = r"at most|up to|fewer than|less than|under|as many as|no more than"
_MOD_APPROX = r"about|around|approximately|roughly|some|an estimated|nearly|almost|close to|an? ?estimated"
_NUM = rf"(?:{_DIGITS}|{_WORDS})(?:\s*(?:thousand|million|billion|bn|m|dozen)\b)?"
_QUANTITY = re.compile(
    rf"\b(?:(?P<mod>{_MOD_LOWER}|{_MOD_UPPER}|{_MOD_APPROX})\s+)?"
    rf"(?:(?P<between>between|from)\s+(?P<lo1>{_NUM})\s+(?:and|to)\s+(?P<hi1>{_NUM})|"
    rf"(?P<lo2>{_DIGITS})\s*(?:-|\u2013|\u2014|\s+to\s+)\s*(?P<hi2>{_NUM})(?![\d-])|"
    rf"(?P<num>{_NUM}))"
    r"(?:\s+(?P<unit>(?:[a-z]+-)?[a-z]+))?|"
    r"\b(?P<vague>(?:tens of |hundreds of )?thousands|hundreds|dozens|scores|millions)(?:\s+of)?(?:\s+(?P<vunit>[a-z]+))?",
    re.IGNORECASE)
#: What comes before a population figure ("a city of two million people", "home to 40,000 residents").
_POPULATION_BEFORE = re.compile(
    r"\b(?:(?:city|town|village|region|province|country|nation|state|capital|island|district|area|metropolis|"
    r"municipality|port|community)\s+of|home\s+to|population\s+(?:of|is|was|stands\s+at|reached)|"
    r"populated\s+by|inhabited\s+by)\s+(?:about\s+|around\s+|some\s+|nearly\s+|roughly\s+|more\s+than\s+|over\s+|"
    r"almost\s+|an\s+estimated\s+|approximately\s+)?$", re.IGNORECASE)
#: Nouns a number names rather than counts ("Flight 370", "Gate 12", "Category 4").
_NAME_BEFORE = re.compile(r"\b(?:flight|route|highway|apollo|gate|terminal|room|platform|pier|berth|block|building|unit|"
                          r"line|bus|train|chapter|article|section|level|stage|phase|category|grade|ward|bed|lot|sector|"
                          r"zone|reactor|runway|exit|number)\s+$", re.IGNORECASE)
#: A proper name right before a bare number names a thing rather than counting ("the Baltic Link 2 pipeline",
#: "a Boeing 737"): the capitalised word before the number follows an article or another capitalised word that is
#: not a sentence's opening preposition or conjunction ("In Kherson 12 people died" still counts twelve).
_PROPER_BEFORE = re.compile(r"(?:\b(?:[Tt]he|[Aa]n?)\s+|\b(?!(?:In|On|At|By|For|From|With|And|But|Of|To|As|After|Before|"
                            r"Since|During|Near|Across|Then|Now|So|Yet|Also|When|While|If)\s)[A-Z][\w-]+\s+)"
                            r"[A-Z][a-z][\w-]*\s+$")
#: A change verb before "from X to Y": the toll moved from one figure to the other, it is not a range.
#: A date's digit and separator right before a number, a separator and digit right after it ("2024-06-06"), and a
#: hyphenated attribute ("a 948-foot ship").
_DATE_BEFORE = re.compile(r"\d[-/.]$")
_DATE_AFTER = re.compile(r"[-/]\d")
_ATTRIBUTE_AFTER = re.compile(r"-[A-Za-z]")
_CHANGE_BEFORE = re.compile(r"\b(?:rose|risen|rising|climbed|increased|jumped|grew|went up|fell|dropped|declined|"
                            r"decreased|revised|raised|lowered|changed)\s*$", re.IGNORECASE)
_NUMBER_NOUNS = frozenset({*_UNITS, *_TENS, *_MULT, "dozen", "dozens", "hundreds", "thousands", "millions", "scores"})
_POPULATION_UNITS = frozenset({"inhabitant", "resident", "people", "population", "soul"})
_ATTACKER_UNITS = frozenset({"gunman", "attacker", "assailant", "shooter", "militant", "hijacker", "bomber",
                             "raider", "terrorist", "perpetrator"})
#: Roles a population figure's parse may wrongly get from a nearby verb ("the city of 2 million was flooded").
_POPULATION_OVERRIDES = frozenset({None, "death", "injury", "evacuation", "flooding", "missing", "rescue", "arrest"})


def words_to_number(words: str) -> float | None:
    """The value of a run of English number words: "three hundred" -> 300, "twenty-five" -> 25, "a dozen" -> 12,
    "two hundred and fifty thousand" -> 250000; None when ``words`` is not one.

    >>> words_to_number("Three hundred"), words_to_number("twenty-five"), words_to_number("a dozen")
    (300.0, 25.0, 12.0)
    """
    toks = [t for t in re.split(r"[\s-]+", words.lower().strip()) if t and t != "and"]
    if toks[:3] == ["half", "a", "dozen"]:
        return 6.0
    if toks and toks[0] in ("a", "an"):
        toks[0] = "one"
    if not toks:
        return None
    total, current, seen = 0.0, 0.0, False
    for t in toks:
        if t in _UNITS:
            current += _UNITS[t]
        elif t in _TENS:
            current += _TENS[t]
        elif t == "dozen":
            current = (current or 1) * 12
        elif t == "hundred":
            current = (current or 1) * 100
        elif t in _MULT:
            total += (current or 1) * _MULT[t]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def _to_number(num: str) -> float | None:
    """The value of one number expression ("1,200", "1.5 million", "Three hundred", "two dozen")."""
    text = num.strip()
    m = re.fullmatch(rf"({_DIGITS})\s*(thousand|million|billion|bn|m|dozen)?", text, re.IGNORECASE)
    if m:
        try:
            value = float(m.group(1).replace(",", ""))
        except ValueError:
            return None
        return value * _SCALE[m.group(2).lower()] if m.group(2) else value
    return words_to_number(text)


def _has_scale(num: str) -> bool:
    return bool(re.search(r"(?:thousand|million|billion|bn|\dm|\d\s+m|dozen)\s*$", num, re.IGNORECASE))


def quantities_of(text: str, counts: dict[int, Any] | None = None) -> list[Quantity]:
    """The numbers of ``text``. ``counts`` (number token offset -> :class:`crosscheck.parse.Count`, from the parse)
    gives each one its counted noun as unit and its event role, and drops numbers inside names and ages.
    A population figure ("a city of two million people") gets the role ``population``, attackers ("three
    gunmen") the role ``attackers``, whatever verb the parse finds near them."""
    out = []
    ordered = sorted((counts or {}).items())  # once, not once per number: a claim may hold thousands
    positions = [pos for pos, _ in ordered]
    for m in _QUANTITY.finditer(text):
        inside = [c for _, c in ordered[bisect_left(positions, m.start()):bisect_left(positions, m.end())]]
        if inside and not inside[0].count:
            continue
        role = next((c.role for c in inside if c.role), None)
        noun = next((c.noun for c in inside if c.noun and c.noun not in _NUMBER_NOUNS), None)
        if m.group("vague"):
            lo, hi = _VAGUE[m.group("vague").lower()]
            unit = _unit(noun or m.group("vunit"))
            out.append(Quantity(m.group(0), (lo + hi) / 2, lo, hi, unit, True, _role(text, m.start(), unit, role)))
            continue
        start = m.start("num") if m.group("num") else m.start("lo1") if m.group("lo1") else m.start("lo2")
        end = m.end("num") if m.group("num") else m.end("hi1") if m.group("hi1") else m.end("hi2")
        # (the date test reads the three characters before the number, all a match of "\d[-/.]$" can take)
        if _DATE_BEFORE.search(text[max(0, start - 3):start]) or _DATE_AFTER.match(text, end):
            continue  # part of an ISO or numeric date
        if _ATTRIBUTE_AFTER.match(text, end) and not m.group("lo2"):
            continue  # "a 948-foot ship", "a six-lane bridge", "a 10-year-old": an attribute, not a count
        unit = _unit(noun or m.group("unit"))
        before = text[max(0, start - 12):start]
        after = text[end:end + 12]
        m_after = re.match(r"\s*([A-Z][a-z]{2,8})\b", after)
        m_before = re.search(r"\b([A-Z][a-z]{2,8})\.?\s+$", before)
        if (m_after and m_after.group(1).lower() in MONTHS) or (m_before and m_before.group(1).lower() in MONTHS) \
                or re.match(r"\s*:\d", after) or re.match(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|UTC)", after):
            continue  # part of a date or a clock time
        mod = (m.group("mod") or "").lower()
        if m.group("num"):
            num = m.group("num")
            value = _to_number(num)
            if value is None:
                continue
            if unit in MONTHS or (not mod and 1800 <= value <= 2100 and re.fullmatch(r"\d{4}", num)):
                continue  # a year
            if not mod and (re.search(r"[:/]\s*$|\bNo\.?\s*$", before) or _NAME_BEFORE.search(before)):
                continue  # "No. 10", "Flight 370", "Route 66": a number in a name
            if not mod and re.fullmatch(r"\d{1,4}", num) and _PROPER_BEFORE.search(text[max(0, start - 40):start]):
                continue  # "Baltic Link 2", "an Airbus 320": a number in a proper name
            lo = hi = value
        else:
            first = m.group("lo1") or m.group("lo2")
            second = m.group("hi1") or m.group("hi2")
            lo_v, hi_v = _to_number(first), _to_number(second)
            if lo_v is None or hi_v is None:
                continue
            if _has_scale(second) and not _has_scale(first):
                word = re.search(r"(thousand|million|billion|bn|m|dozen)\s*$", second.strip(), re.IGNORECASE)
                scale = _SCALE[word.group(1).lower()] if word else None
                if scale and lo_v * scale <= hi_v:
                    lo_v *= scale  # "between two and three million": both ends are millions
            if m.group("lo2") and (re.fullmatch(r"\d{4}", first) and 1800 <= lo_v <= 2100):
                continue  # "2019-2021" is a span of years
            if lo_v > hi_v:
                continue
            lo, hi = lo_v, hi_v
            value = (lo + hi) / 2
            if m.group("between") and m.group("between").lower() == "from" and _CHANGE_BEFORE.search(
                    text[max(0, m.start() - 40):m.start()]):
                lo = value = hi  # "the toll rose from 40 to 52": the figure now is 52
        approximate = False
        if m.group("num"):
            if re.fullmatch(_MOD_LOWER, mod):
                hi = math.inf
            elif re.fullmatch(_MOD_UPPER, mod):
                lo = 0.0
            elif mod in {"nearly", "almost", "close to"}:
                lo, approximate = value * 0.85, True
            elif mod:
                lo, hi, approximate = value * 0.9, value * 1.1, True
        elif re.fullmatch(_MOD_LOWER, mod):
            hi = math.inf
        elif re.fullmatch(_MOD_UPPER, mod):
            lo = 0.0
        if role is None and counts:  # a parse was given (the legacy sentence mode reads units only)
            role = _clause_role(text, m.start(), m.end())
        out.append(Quantity(m.group(0).strip(), value, lo, hi, unit, approximate, _role(text, m.start(), unit, role)))
    return out


def _lexical_role(words: list[str]) -> str | None:
    """The event role named by the first role word of ``words`` ("injured", "died", "missing"), or None."""
    for w in words:
        for form in (w, w[:-1], w[:-2], w[:-3], w[:-3] + "e" if w.endswith("ing") else w):
            if len(form) >= 3 and form in ROLE_OF_LEMMA:
                return ROLE_OF_LEMMA[form]
    return None


def _clause_start(text: str, end: int) -> int:
    """Where the clause that ``text[:end]`` ends in starts: after its last ",;:.()\u2014" (the last piece of
    ``re.split(r"[,;:.()\u2014]", text[:end])``), read back from ``end`` over that clause only."""
    while end > 0 and text[end - 1] not in ",;:.()\u2014":
        end -= 1
    return end


def _clause_role(text: str, start: int, end: int) -> str | None:
    """A role word close to a figure in its own clause, where the parse found none: up to four words after it
    ("Thirty workers were injured") or, for a toll's change, before it ("the number of missing climbed from 8 to
    11")."""
    after = re.split(r"[,;:.()\u2014]|\b(?:and|but|while|when|after|as)\b", text[end:], maxsplit=1)[0]
    role = _lexical_role(re.findall(r"[a-z]+", after.lower())[:4])
    if role is None and _CHANGE_BEFORE.search(text[max(0, start - 40):start]):
        before = text[_clause_start(text, start):start]
        role = _lexical_role(re.findall(r"[a-z]+", before.lower())[-6:])
    return role


def _role(text: str, start: int, unit: str | None, role: str | None) -> str | None:
    """The event role of a figure: the parse's, unless the wording makes it a population or the attackers."""
    if role in _POPULATION_OVERRIDES and _POPULATION_BEFORE.search(text[max(0, start - 60):start]) \
            and (unit is None or unit in _POPULATION_UNITS):
        return "population"
    if unit == "inhabitant":
        return "population"
    if unit in _ATTACKER_UNITS:
        return "attackers"
    return role


def _unit(word: str | None) -> str | None:
    if not word:
        return None
    w = word.lower()
    if w in {"and", "or", "of", "to", "in", "on", "at", "the", "a", "per", "were", "was", "are", "is", "had", "have",
             "who", "that", "which", "more", "from", "by", "with", "as"}:
        return None
    if w in ("people", "persons"):
        return "people"
    if w in ("men", "women", "children"):
        return {"men": "man", "women": "woman", "children": "child"}[w]
    if w.endswith("men") and len(w) > 5:
        return w[:-3] + "man"  # gunmen, firemen, fishermen
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w
