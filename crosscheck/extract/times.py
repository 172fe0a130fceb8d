"""Dates in a claim, resolved against the report's publication time."""

from __future__ import annotations

import datetime as dt
import re

from crosscheck.data import TimeRef

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
_DATE_DM = re.compile(r"\b(?P<d>\d{1,2})\s+(?P<m>[A-Z][a-z]{2,8})\.?(?:,?\s+(?P<y>\d{4}))?\b")
_DATE_MD = re.compile(r"\b(?P<m>[A-Z][a-z]{2,8})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?\b")
_DATE_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_DATE_REL = re.compile(r"\b(?:(?P<pre>on|last|this)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
                       r"(?P<rel>today|yesterday|tomorrow|tonight|this morning|this evening|this afternoon|last night))\b",
                       re.IGNORECASE)



def times_of(text: str, published: dt.datetime | None) -> list[TimeRef]:
    out: list[TimeRef] = []
    base = published.date() if published else None
    for rx in (_DATE_ISO, _DATE_DM, _DATE_MD):
        for m in rx.finditer(text):
            month = m.group("m")
            mnum = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
            if not mnum:
                continue
            year = int(m.group("y")) if m.group("y") else (base.year if base else None)
            try:
                date = dt.date(year, mnum, int(m.group("d"))).isoformat() if year else None
            except ValueError:
                continue
            out.append(TimeRef(m.group(0), date))
    for m in _DATE_REL.finditer(text):
        date = None
        if base is not None:
            if m.group("wd"):
                back = (base.weekday() - _WEEKDAYS[m.group("wd").lower()]) % 7
                if back == 0 and m.group("pre").lower() == "last":
                    back = 7  # "last Wednesday" in a Wednesday report is a week ago
                date = (base - dt.timedelta(days=back)).isoformat()
            else:
                rel = m.group("rel").lower()
                shift = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(rel, 0)
                date = (base + dt.timedelta(days=shift)).isoformat()
        out.append(TimeRef(m.group(0), date))
    return out
