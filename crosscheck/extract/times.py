"""Dates in a claim, resolved against the report's publication time, each tied to the event it dates.

Written dates ("6 June 2023", "June 6", "2024-06-06"), months and years ("in June 2023", "in 2019"), numeric dates
("8/12/2024", read with ``dateparser``; day-month and month-day readings are both kept unless one lies after the
publication), and relative ones ("two days ago" with ``dateparser``; not "a day earlier", which counts from another event; "yesterday", "on Tuesday", "last week", "last
month"). A :class:`~crosscheck.data.TimeRef` is a span of days ``date .. until``; its ``anchor`` is the word it
modifies in the parse and ``main`` says whether that is the claim's own event (not "the dam, built in 1956", not "a
photo taken in 2019").

A date that cannot be resolved has ``date`` None ("no resolved date"): without a publication time, and where the
resolution leaves the calendar (``datetime.date``'s years 1 to 9999: "tomorrow" in a report published on
31 December 9999, "yesterday" on 1 January of year 1, "in June 0000", "February 29" of a year that has none). Such
a date is kept as written and never compared; no date raises.

>>> late = dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone.utc)
>>> [(t.text, t.date) for t in times_of("The talks resume tomorrow, not today.", late, anchors=False)]
[('tomorrow', None), ('today', '9999-12-31')]

>>> import datetime as dt
>>> pub = dt.datetime(2024, 6, 12, 9, tzinfo=dt.timezone.utc)  # a Wednesday
>>> [(t.text, t.date, t.until) for t in times_of("The bridge closed two days ago.", pub, anchors=False)]
[('two days ago', '2024-06-10', None)]
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from crosscheck.data import TimeRef

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
_MONTH_RX = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
             r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)")
_DATE_DM = re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH_RX})\.?(?:,?\s+(?P<y>\d{{4}}))?\b")
_DATE_MD = re.compile(rf"\b(?P<m>{_MONTH_RX})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y>\d{{4}}))?\b")
_DATE_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_DATE_NUM = re.compile(r"(?<![\d/.])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4}|\d{2})(?![\d/])")
_MONTH_YEAR = re.compile(rf"\b(?:in\s+|since\s+|during\s+)?(?P<m>{_MONTH_RX})\.?,?\s+(?P<y>\d{{4}})\b")
_YEAR = re.compile(r"\b(?:in|since|during|from|until|by|of)\s+(?P<y>1[89]\d\d|20\d\d)\b(?![-/]\d)")
_NUM_WORD = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_AGO = re.compile(r"\b(?P<n>\d{1,3}|one|a|an|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
                  r"(?P<u>day|week|month|year)s?\s+ago\b", re.IGNORECASE)
_DATE_REL = re.compile(r"\b(?:(?P<pre>on|last|this|early|late)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
                       r"(?P<rel>today|yesterday|tomorrow|tonight|this morning|this evening|this afternoon|last night|"
                       r"overnight|last week|this week|last month|this month|earlier this month|earlier this week|"
                       r"last year|this year|earlier this year))\b",
                       re.IGNORECASE)


def _shift(day: dt.date, days: int) -> dt.date | None:
    """``day`` moved by ``days`` days, or None where that leaves the calendar (before year 1, after 9999)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _dateparse(text: str, base: dt.date | None, order: str | None = None) -> dt.date | None:
    """``dateparser``'s reading of ``text`` relative to ``base`` (None when it has none, or when the reading leaves
    the calendar)."""
    import dateparser

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day, 12)
    if order:
        settings["DATE_ORDER"] = order
    try:
        got = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    except (OverflowError, ValueError):  # "2 days ago" from 1 January of year 1
        return None
    return got.date() if got else None


def _month_span(year: int, month: int) -> tuple[str | None, str | None]:
    """The first and last day of a month, or ``(None, None)`` for a year outside the calendar."""
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None, None
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1).isoformat(), dt.date(year, month, last).isoformat()


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e or start < e and s < end for s, e in spans)


def times_of(text: str, published: dt.datetime | None, *, anchors: bool = True) -> list[TimeRef]:
    """The dates of ``text`` (in order of appearance), resolved against ``published``. With ``anchors`` each one
    is tied to the word it modifies in spaCy's parse (:func:`crosscheck.parse.date_anchor`)."""
    found: list[tuple[int, int, TimeRef]] = []
    spans: list[tuple[int, int]] = []
    base = published.date() if published else None

    def add(m: re.Match[str], date: str | None, until: str | None = None) -> None:
        spans.append((m.start(), m.end()))
        found.append((m.start(), m.end(), TimeRef(m.group(0), date, None if until == date else until)))

    for rx in (_DATE_ISO, _DATE_DM, _DATE_MD):
        for m in rx.finditer(text):
            if _covered(spans, m.start(), m.end()):
                continue
            month = m.group("m")
            mnum = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
            if not mnum:
                continue
            year = int(m.group("y")) if m.group("y") else (base.year if base else None)
            try:
                day = dt.date(year, mnum, int(m.group("d"))) if year else None
            except ValueError:
                continue
            limit = _shift(base, 31) if day is not None and base is not None and not m.group("y") else None
            if day is not None and limit is not None and day > limit:
                day = _last_year(day)  # "December 30" in a January report is last year's
            add(m, day.isoformat() if day else None)
    for m in _DATE_NUM.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        readings = {d for d in (_dateparse(m.group(0), base, "MDY") if a <= 12 else None,
                                _dateparse(m.group(0), base, "DMY") if b <= 12 else None) if d}
        limit = _shift(base, 1) if base is not None else None
        if limit is not None and len(readings) > 1:
            readings = {d for d in readings if d <= limit} or readings
        if readings:
            add(m, min(readings).isoformat(), max(readings).isoformat())
    for m in _MONTH_YEAR.finditer(text):
        if not _covered(spans, m.start(), m.end()):
            add(m, *_month_span(int(m.group("y")), MONTHS[m.group("m").lower().rstrip(".")]))
    for m in _YEAR.finditer(text):
        if not _covered(spans, m.start(), m.end()):
            y = int(m.group("y"))
            add(m, f"{y}-01-01", f"{y}-12-31")
    for m in _AGO.finditer(text):
        if base is None:
            add(m, None)
            continue
        n = m.group("n").lower()
        count = int(n) if n.isdigit() else _NUM_WORD[n]
        day = _dateparse(f"{count} {m.group('u').lower()}s ago", base)
        add(m, day.isoformat() if day else None)
    for m in _DATE_REL.finditer(text):
        if _covered(spans, m.start(), m.end()):
            continue
        if base is None:
            add(m, None)
            continue
        if m.group("wd"):
            back = (base.weekday() - _WEEKDAYS[m.group("wd").lower()]) % 7
            if back == 0 and m.group("pre").lower() == "last":
                back = 7  # "last Wednesday" in a Wednesday report is a week ago
            day = _shift(base, -back)
            add(m, day.isoformat() if day else None)
            continue
        add(m, *_relative(m.group("rel").lower(), base))
    found.sort(key=lambda f: f[0])
    if anchors and found:
        from crosscheck.parse import date_anchor

        found = [(s, e, TimeRef(t.text, t.date, t.until, *date_anchor(text, s, e))) for s, e, t in found]
    return [t for _, _, t in found]


def _last_year(day: dt.date) -> dt.date | None:
    """The same day a year earlier, or None where there is none (29 February, or before year 1)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return None


def _relative(rel: str, base: dt.date) -> tuple[str | None, str | None]:
    """The span of days of a relative expression ("yesterday", "last week", "earlier this month"); ``(None, None)``
    where the span leaves the calendar ("tomorrow" on 31 December 9999)."""
    try:
        return _relative_span(rel, base)
    except (OverflowError, ValueError):
        return None, None


def _relative_span(rel: str, base: dt.date) -> tuple[str | None, str | None]:
    week0 = base - dt.timedelta(days=base.weekday())
    if rel in ("last week",):
        return (week0 - dt.timedelta(days=7)).isoformat(), (week0 - dt.timedelta(days=1)).isoformat()
    if rel in ("this week", "earlier this week"):
        return week0.isoformat(), base.isoformat()
    if rel == "last month":
        prev = base.replace(day=1) - dt.timedelta(days=1)
        return _month_span(prev.year, prev.month)
    if rel in ("this month", "earlier this month"):
        return base.replace(day=1).isoformat(), base.isoformat()
    if rel == "last year":
        return dt.date(base.year - 1, 1, 1).isoformat(), dt.date(base.year - 1, 12, 31).isoformat()
    if rel in ("this year", "earlier this year"):
        return base.replace(month=1, day=1).isoformat(), base.isoformat()
    shift = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(rel, 0)
    if rel == "overnight":
        return (base - dt.timedelta(days=1)).isoformat(), base.isoformat()
    return (base + dt.timedelta(days=shift)).isoformat(), None
