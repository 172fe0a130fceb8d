"""Numbers in a claim: value, bounds ("at least", "up to", ranges, "dozens"), what they count."""

from __future__ import annotations

import math
import re
from typing import Any

from crosscheck.data import Quantity
from crosscheck.extract.times import MONTHS

_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
              "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
              "thirteen": 13, "fourteen": 14, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
              "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12,
              "a hundred": 100, "a thousand": 1000}
_VAGUE = {"dozens": (24.0, 120.0), "scores": (40.0, 200.0), "hundreds": (200.0, 999.0), "thousands": (2000.0, 9999.0),
          "tens of thousands": (20000.0, 99999.0), "hundreds of thousands": (200000.0, 999999.0),
          "millions": (2e6, 9.99e6)}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "m": 1e6, "bn": 1e9}
_MOD_LOWER = r"at least|more than|over|upwards of|in excess of|no fewer than|no less than"
_MOD_UPPER = r"at most|up to|fewer than|less than|under|as many as|no more than"
_MOD_APPROX = r"about|around|approximately|roughly|some|an estimated|nearly|almost|close to|an? ?estimated"
_NUMBER = (r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
           + "(?:" + "|".join(sorted(_NUM_WORDS, key=len, reverse=True)) + r")(?![A-Za-z]))"
           r"(?:\s*(?P<scale>thousand|million|billion|bn|m)\b)?")
_QUANTITY = re.compile(
    rf"\b(?:(?P<mod>{_MOD_LOWER}|{_MOD_UPPER}|{_MOD_APPROX})\s+)?(?:between\s+(?P<lo>\d[\d,.]*)\s+and\s+)?{_NUMBER}"
    r"(?:\s+(?P<unit>(?:[a-z]+-)?[a-z]+))?|\b(?P<vague>(?:tens of |hundreds of )?thousands|hundreds|dozens|scores|millions)"
    r"(?:\s+of)?(?:\s+(?P<vunit>[a-z]+))?",
    re.IGNORECASE)


def _to_number(num: str, scale: str | None) -> float | None:
    low = num.lower()
    if low in _NUM_WORDS:
        value = float(_NUM_WORDS[low])
    else:
        try:
            value = float(num.replace(",", ""))
        except ValueError:
            return None
    if scale:
        value *= _SCALE[scale.lower()]
    return value


def quantities_of(text: str, counts: dict[int, Any] | None = None) -> list[Quantity]:
    """The numbers of ``text``. ``counts`` (number token offset -> :class:`crosscheck.parse.Count`, from the parse)
    gives each one its counted noun as unit and its event role, and drops numbers inside names and ages."""
    out = []
    for m in _QUANTITY.finditer(text):
        count = next((c for pos, c in (counts or {}).items() if m.start() <= pos < m.end()), None)
        if count is not None and not count.count:
            continue
        role = count.role if count is not None else None
        if m.group("vague"):
            lo, hi = _VAGUE[m.group("vague").lower()]
            unit = _unit(count.noun if count is not None and count.noun else m.group("vunit"))
            out.append(Quantity(m.group(0), (lo + hi) / 2, lo, hi, unit, True, role))
            continue
        if re.search(r"\d-$", text[:m.start()]) or re.match(r"-\d", text[m.end():]):
            continue  # part of an ISO date or a range written with hyphens
        num, scale = m.group("num"), m.group("scale")
        value = _to_number(num, scale)
        if value is None:
            continue
        unit = _unit(count.noun if count is not None and count.noun else m.group("unit"))
        after = text[m.end("num"):m.end("num") + 12]
        before = text[max(0, m.start("num") - 12):m.start("num")]
        m_after = re.match(r"\s*([A-Z][a-z]{2,8})\b", after)
        m_before = re.search(r"\b([A-Z][a-z]{2,8})\.?\s+$", before)
        if (m_after and m_after.group(1).lower() in MONTHS) or (m_before and m_before.group(1).lower() in MONTHS) \
                or re.match(r"\s*:\d", after):
            continue  # part of a date or a clock time
        if unit in MONTHS or (not m.group("mod") and 1800 <= value <= 2100 and "," not in num and "." not in num):
            continue
        if not m.group("mod") and re.search(r"[:/]\s*$|\bNo\.?\s*$", before):
            continue
        mod = (m.group("mod") or "").lower()
        lo = hi = value
        approximate = False
        if m.group("lo"):
            first = _to_number(m.group("lo").rstrip(".,"), None)
            if first is not None:
                lo = first
        elif re.fullmatch(_MOD_LOWER, mod):
            hi = math.inf
        elif re.fullmatch(_MOD_UPPER, mod):
            lo = 0.0
        elif mod in {"nearly", "almost", "close to"}:
            lo, approximate = value * 0.85, True
        elif mod:
            lo, hi, approximate = value * 0.9, value * 1.1, True
        out.append(Quantity(m.group(0).strip(), value, lo, hi, unit, approximate, role))
    return out


def _unit(word: str | None) -> str | None:
    if not word:
        return None
    w = word.lower()
    if w in {"and", "or", "of", "to", "in", "on", "at", "the", "a", "percent", "per"} and w != "percent":
        return None
    if w == "people" or w == "persons":
        return "people"
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w
