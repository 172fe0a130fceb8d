"""Stage 1, segmentation: a report's text into sentences with exact character offsets.

>>> from crosscheck.data import Report
>>> r = Report("a", "MOSCOW (Reuters) - Mr. Lavrov spoke. The U.N. said 3.5 million fled.")
>>> [s.text for s in RuleSegmenter()(r)]
['Mr. Lavrov spoke.', 'The U.N. said 3.5 million fled.']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from crosscheck.data import Report, Sentence

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt sgt sen rep gov pres st jr sr vs etc inc ltd co corp no nos
    jan feb mar apr jun jul aug sep sept oct nov dec approx dept est fig mt ft u.s u.n u.k e.g i.e a.m p.m
    al""".split()
)

_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_BULLET_LINE = re.compile(r"\n[ \t]*(?=(?:[-*\u2022\u2013]|\d{1,2}[.)])\s)")
_BOUNDARY = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f])")
_DATELINE = re.compile(r"[A-Z][A-Z .,'\u2019-]{1,40}(?:\([^)\n]{1,40}\))?\s*[-\u2013\u2014]{1,2}\s+(?=\S)")
_BULLET_MARK = re.compile(r"(?:[-*\u2022\u2013]|\d{1,2}[.)])\s+")


class RuleSegmenter:
    """Split text into sentences; handles quotes, abbreviations, decimals, datelines, bullets.

    Parameters are keyword-only settings; the work happens in :meth:`__call__`.

    Args:
        strip_datelines: drop a leading "CITY (Agency) -" from the first sentence of a paragraph.
        min_chars: sentences shorter than this (after trimming) are kept but merged into the next one.
    """

    def __init__(self, *, strip_datelines: bool = True, min_chars: int = 3) -> None:
        self.strip_datelines = strip_datelines
        self.min_chars = min_chars

    def __repr__(self) -> str:
        return f"RuleSegmenter(strip_datelines={self.strip_datelines}, min_chars={self.min_chars})"

    def __call__(self, report: Report) -> list[Sentence]:
        """Return the sentences of ``report`` in order, each with ``report.text[start:end] == text``."""
        text = report.text
        out: list[Sentence] = []
        for b_start, b_end in self._blocks(text):
            first = True
            for s, e in self._sentences(text, b_start, b_end):
                s, e = _trim(text, s, e)
                if first and self.strip_datelines:
                    m = _DATELINE.match(text, s, e)
                    if m and m.end() < e:
                        s = m.end()
                first = False
                m = _BULLET_MARK.match(text, s, e)
                if m and m.end() < e:
                    s = m.end()
                s, e = _trim(text, s, e)
                if e - s <= 0:
                    continue
                out.append(Sentence(report.id, s, e, text[s:e]))
        return self._merge_short(report, out)

    def _merge_short(self, report: Report, sents: list[Sentence]) -> list[Sentence]:
        merged: list[Sentence] = []
        carry: Sentence | None = None
        for s in sents:
            if carry is not None:
                s = Sentence(report.id, carry.start, s.end, report.text[carry.start:s.end])
                carry = None
            if len(s.text) < self.min_chars:
                carry = s
                continue
            merged.append(s)
        if carry is not None:
            if merged:
                last = merged.pop()
                merged.append(Sentence(report.id, last.start, carry.end, report.text[last.start:carry.end]))
            else:
                merged.append(carry)
        return merged

    @staticmethod
    def _blocks(text: str) -> Iterator[tuple[int, int]]:
        pos = 0
        cuts = sorted({m.start() for m in _PARAGRAPH.finditer(text)} | {m.start() for m in _BULLET_LINE.finditer(text)})
        for c in cuts:
            if c > pos:
                yield pos, c
            pos = c
        if pos < len(text):
            yield pos, len(text)

    @staticmethod
    def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
        pos = start
        for m in _BOUNDARY.finditer(text, start, end):
            cut = m.end()
            if _is_abbreviation(text, start, m.start()):
                continue
            yield pos, cut
            pos = cut
        if pos < end:
            yield pos, end


def _is_abbreviation(text: str, block_start: int, dot: int) -> bool:
    if text[dot] != ".":
        return False
    i = dot
    while i > block_start and not text[i - 1].isspace() and text[i - 1] not in "(\"'\u201c":
        i -= 1
    word = text[i:dot].lower()
    if word in ABBREVIATIONS:
        return True
    # Initials such as "J." or "U.N." and single capital letters.
    return bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", word)) and len(word) <= 5 and text[i:dot][:1].isupper()


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
