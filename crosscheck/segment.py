r"""Stage 1, segmentation: a report's text into sentences with exact character offsets and a kind.

Each :class:`~crosscheck.data.Sentence` says what it is (:data:`~crosscheck.data.SENTENCE_KINDS`): ``body`` (the
story), ``headline`` (a first single line followed by a paragraph break), or a line around the story that asserts
nothing about the event: ``byline`` ("By Jane Smith"), ``dateline`` ("Published 3 hours ago", "Updated: ...",
"Location: ..."), ``caption`` (photo captions and credits) or ``boilerplate`` ("Share this article", "Read more",
"Advertisement"). Such lines are cut out of the paragraph they stand in even without a full stop, so that they do
not glue onto the claim next to them; the extractor makes claims of body and headline sentences only.

>>> from crosscheck.data import Report
>>> r = Report("a", "MOSCOW (Reuters) - Mr. Lavrov spoke. The U.N. said 3.5 million fled.")
>>> [s.text for s in RuleSegmenter()(r)]
['Mr. Lavrov spoke.', 'The U.N. said 3.5 million fled.']
>>> r = Report("b", "Floods reach the delta\n\nBy Ana Ruiz\nThe river rose two metres overnight.")
>>> [(s.kind, s.text) for s in RuleSegmenter()(r)]
[('headline', 'Floods reach the delta'), ('byline', 'By Ana Ruiz'), ('body', 'The river rose two metres overnight.')]
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

#: One line break, whichever way it is written: ``\r\n`` (atomic, so never read as two breaks), ``\n``, ``\r``, and the
#: Unicode line and paragraph separators U+2028 and U+2029. The segmenter reads them all alike.
LINE_BREAK = re.compile(r"(?>\r\n|[\n\r\u2028\u2029])")
_BR = LINE_BREAK.pattern
#: The characters a line break is written with.
BREAK_CHARS = "\n\r\u2028\u2029"
_NOT_BR = r"\n\r\u2028\u2029"  # the same, for character classes
_REST = rf"[^{_NOT_BR}]*"  # the rest of a line (where "." would stop at "\n" only)
_PARAGRAPH = re.compile(rf"{_BR}[ \t]*{_BR}\s*")
_BULLET_LINE = re.compile(rf"{_BR}[ \t]*(?=(?:[-*\u2022\u2013]|\d{{1,2}}[.)])\s)")
# Possessive quantifiers and a match that starts a run of stops only: a long run of ".", "!" or "?" that no capital
# follows is read once, not once per character (which made the search quadratic in the run's length).
_BOUNDARY = re.compile(r"(?<![.!?])[.!?]++[\"'\u201d\u2019)\]]*+(?=\s++[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f])")
_DATELINE = re.compile(rf"[A-Z][A-Z .,'\u2019-]{{1,40}}(?:\([^){_NOT_BR}]{{1,40}}\))?\s*[-\u2013\u2014]{{1,2}}\s+(?=\S)")
_BULLET_MARK = re.compile(r"(?:[-*\u2022\u2013]|\d{1,2}[.)])\s+")
_LINE = re.compile(rf"[^{_NOT_BR}]+")
_FINAL_STOP = re.compile(r"[.!?][\"'\u201d\u2019)]*$")

# ---- lines that are not the story ----------------------------------------------------------------------------------
_NAME = r"[A-Z][\w.'\u2019-]*"
_BYLINE = re.compile(
    rf"(?:By|BY)\s+{_NAME}(?:(?:\s+|\s*,\s*|\s+(?:and|&|of|the|in|for)\s+){_NAME}){{0,11}}"  # By Jane Smith and ..., Reuters
    rf"|\(?(?:Additional\s+)?(?:Reporting|Writing|Editing|Compiled)\s+by\s+{_NAME}"  # wire credits
    rf"(?:(?:\s+|\s*[,;]\s*|\s+(?:and|&|in|by)\s+|\s*[,;]?\s*(?:[Ww]riting|[Ee]diting)\s+by\s+){_NAME}){{0,20}}\s*\.?\)?"
    rf"|(?:Published|Written|Posted)\s+by(?:\s+{_NAME}){{0,4}}"
    rf"|{_NAME}(?:\s+{_NAME}){{1,3}}\s*\|\s*[A-Z][\w &.,'\u2019-]{{1,60}}"  # Jane Smith | Reporter
    rf"|{_NAME}(?:\s+{_NAME}){{1,3}},?\s+(?:Contributor|Reporter|Correspondent|Staff\s+Writer|Editor|Columnist)"
    rf"(?:\s+{_NAME}){{0,3}}")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
          r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE_BITS = re.compile(
    rf"(?:\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|\b{_MONTH},?\s+\d{{4}}|\b\d{{4}}-\d{{2}}-\d{{2}}(?:T[\d:.]+(?:Z|[+-]\d{{2}}:?\d{{2}})?)?|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}"
    rf"|\b\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*[ap]\.?m\.?)?|\b\d+\s*(?:mins?|minutes?|hrs?|hours?|days?|weeks?)\s+ago)(?!\w)",
    re.IGNORECASE)
_DATE_FILLER = re.compile(r"\b(?:published|updated|posted|last|first|on|at|ago|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
                          r"|(?:mon|tue|wed|thu|fri|sat|sun)|[ap]\.?m|et|est|edt|cst|cdt|pst|pdt|gmt|utc|bst|cet|cest|msk|ist)"
                          r"\b\.?", re.IGNORECASE)
_STAMP = re.compile(rf"(?:(?:last\s+)?updated|(?:first\s+)?published|posted)\b(?:\s*:|(?:\s+(?:on|at))?\s+(?:\d|{_MONTH}\s*\d)|\s*$)"
                    r"|location\s*:", re.IGNORECASE)
_CREDIT = re.compile(
    r"(?:^|[.!?)\]]\s*|\(|\|\s*)(?:Photo(?:graph)?|Picture|Image|Video|Photo\s+credit|Credit)s?\s*(?::|by\s+[A-Z])"
    r"|\((?:photo|picture|image)(?:\s+credit)?\s*:"
    rf"|\([^(){_NOT_BR}]*(?:\bvia\s+[A-Z]|\b(?:Photo|Pool|File|FILE|Getty|Handout|HANDOUT|VIA)\b)[^(){_NOT_BR}]*\)$"
    r"|^(?:FILE\s*[-\u2013\u2014:]|FILE PHOTO\b|Image caption\b|Image source\b|Caption\s*:)"
    r"|^(?:Getty Images|AFP|AP|Reuters|EPA|PA|Shutterstock|AP Photo)(?:\s*/\s*[A-Z][\w ]*)?$")
_BOILERPLATE = re.compile(
    rf"(?:share(?:\s+(?:this|the)\s+(?:article|story|page))?(?:\s+on\s+\w+)?|read\s+more\b{_REST}|also\s+read\b{_REST}"
    rf"|(?:related|more)(?:\s+(?:articles?|stories|news|coverage|content))?\s*:?|\(?related\s*:{_REST}|recommended(?:\s+for\s+you)?"
    rf"|sign\s+up\b{_REST}|subscribe\b{_REST}|newsletter\b{_REST}|advertisement|sponsored(?:\s+content)?|skip\s+to\s+(?:main\s+)?content"
    rf"|back\s+to\s+top{_REST}|most\s+(?:popular|read|viewed)|up\s+next|tags?\s*:{_REST}|topics?\s*:{_REST}|font\s+size\s*:?"
    rf"|follow\s+us\b{_REST}|click\s+here\b{_REST}|listen\s+to\s+this\s+article{_REST}|more\s+in\s+[\w &]{{1,30}}:|more\s+on\s+this\s+story"
    rf"|latest(?:\s+(?:news|stories|podcast|videos?))?|story\s+code\s*:{_REST}|comments?|print|email|copy\s+link"
    r"|(?:open\s+|close\s+)?menu|all\s+news|home|search|log\s*in|sign\s+in|(?:#[\w-]+\s*){3,}"
    rf"|(?:\u00a9|copyright\s*(?:\u00a9|\(c\)|\d{{4}})){_REST}|all\s+rights\s+reserved\.?|https?://\S+|www\.\S+|-?\s*read\s+more\s+on\s*:?)",
    re.IGNORECASE)
#: A boilerplate line that heads a list of links: the unpunctuated lines right under it are boilerplate too.
_LIST_HEAD = re.compile(r"(?:read\s+more|also\s+read|related(?:\s+\w+)?|more\s+in\s+[\w &]{1,30}|more\s+on\s+this\s+story"
                        r"|most\s+(?:popular|read|viewed)|latest(?:\s+\w+)?|recommended(?:\s+for\s+you)?|up\s+next"
                        r"|-?\s*read\s+more\s+on)\s*:?", re.IGNORECASE)


def line_kind(line: str) -> str:
    """What a stripped line (or sentence) of a report is: ``"body"`` unless it is a byline, a dateline or
    publication stamp, a photo caption or credit, or site boilerplate.

    >>> [line_kind(t) for t in ("By Jane Smith and John Doe, Reuters", "Published 3 hours ago", "Share this article")]
    ['byline', 'dateline', 'boilerplate']
    >>> line_kind("By Tuesday the water had fallen by a metre.")
    'body'
    """
    line = _BULLET_MARK.sub("", line.strip(), count=1) if _BULLET_MARK.match(line.strip()) else line.strip()
    if not line or len(line) > 400:
        return "body"
    if len(line) <= 120:
        if _BOILERPLATE.fullmatch(line):
            return "boilerplate"
        if _BYLINE.fullmatch(line):
            return "byline"
        if _STAMP.match(line) or _is_date_line(line):
            return "dateline"
    if _CREDIT.search(line):
        return "caption"
    return "body"


def _is_date_line(line: str) -> bool:
    """A line that is only a date or time, give or take a few capitalised words (agency, section, author)."""
    if not _DATE_BITS.search(line):
        return False
    rest = _DATE_FILLER.sub(" ", _DATE_BITS.sub(" ", line))
    words = re.findall(r"[^\W_][\w.'\u2019&-]*", rest)
    return len(words) <= 4 and all(w[0].isupper() or w[0].isdigit() for w in words)


class RuleSegmenter:
    """Split text into sentences; handles quotes, abbreviations, decimals, datelines, bullets; marks each sentence's kind.

    Parameters are keyword-only settings; the work happens in :meth:`__call__`.

    Args:
        strip_datelines: drop a leading "CITY (Agency) -" from the first sentence of a paragraph.
        min_chars: sentences shorter than this (after trimming) are kept but merged into the next one of their kind.
        mark_kinds: mark headlines, bylines, datelines, captions and boilerplate (:func:`line_kind`) and cut such
            lines out of their paragraph; ``False`` calls every sentence ``"body"``.
    """

    def __init__(self, *, strip_datelines: bool = True, min_chars: int = 3, mark_kinds: bool = True) -> None:
        self.strip_datelines = strip_datelines
        self.min_chars = min_chars
        self.mark_kinds = mark_kinds

    def __repr__(self) -> str:
        return (f"RuleSegmenter(strip_datelines={self.strip_datelines}, min_chars={self.min_chars}, "
                f"mark_kinds={self.mark_kinds})")

    def get_params(self) -> dict[str, object]:
        """The constructor's settings, by name."""
        return {"strip_datelines": self.strip_datelines, "min_chars": self.min_chars, "mark_kinds": self.mark_kinds}

    def __call__(self, report: Report) -> list[Sentence]:
        """Return the sentences of ``report`` in order, each with ``report.text[start:end] == text`` and a kind."""
        text = report.text
        meta = _meta_lines(text) if self.mark_kinds else {}
        blocks = [(s, e, meta.get(_trim(text, s, e)[0], "body")) for s, e in self._blocks(text, meta)]
        headline = _headline_block(text, blocks) if self.mark_kinds else None
        out: list[Sentence] = []
        for n, (b_start, b_end, kind) in enumerate(blocks):
            if n == headline:
                kind = "headline"
            first = True
            for s, e in self._sentences(text, b_start, b_end):
                s, e = _trim(text, s, e)
                if first and self.strip_datelines and kind == "body":
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
                own = line_kind(text[s:e]) if kind == "body" and self.mark_kinds else kind
                out.append(Sentence(report.id, s, e, text[s:e], own))
        return self._merge_short(report, out)

    def _merge_short(self, report: Report, sents: list[Sentence]) -> list[Sentence]:
        merged: list[Sentence] = []
        carry: Sentence | None = None
        for s in sents:
            if carry is not None:
                if carry.kind == s.kind:
                    s = Sentence(report.id, carry.start, s.end, report.text[carry.start:s.end], s.kind)
                else:
                    merged.append(carry)
                carry = None
            if len(s.text) < self.min_chars:
                carry = s
                continue
            merged.append(s)
        if carry is not None:
            if merged and merged[-1].kind == carry.kind:
                last = merged.pop()
                merged.append(Sentence(report.id, last.start, carry.end, report.text[last.start:carry.end], last.kind))
            else:
                merged.append(carry)
        return merged

    @staticmethod
    def _blocks(text: str, meta: dict[int, str]) -> Iterator[tuple[int, int]]:
        """Paragraphs and bullet items, with each non-body line (``meta``: line start -> kind) a block of its own."""
        pos = 0
        cuts = {m.start() for m in _PARAGRAPH.finditer(text)} | {m.start() for m in _BULLET_LINE.finditer(text)}
        for line_start in meta:
            cuts.add(line_start)
            line_end = LINE_BREAK.search(text, line_start)
            cuts.add(len(text) if line_end is None else line_end.start())
        for c in sorted(cuts):
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


def _meta_lines(text: str) -> dict[int, str]:
    """Non-body lines of ``text``: the offset of each line's first non-space character -> its kind.

    A list of links under a heading such as "Read more:" or "Related" (its unpunctuated lines up to the next blank
    line) is boilerplate too, and so is a later copy of the first line (a repeated headline).
    """
    out: dict[int, str] = {}
    lines = [(m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.group(0).strip()) for m in _LINE.finditer(text)]
    lines = [(s, t) for s, t in lines if t]
    first = lines[0][1] if lines else ""
    in_list = False
    prev_end = 0
    for n, (start, line) in enumerate(lines):
        blank_before = len(LINE_BREAK.findall(text, prev_end, start)) >= 2
        prev_end = start + len(line)
        kind = line_kind(line)
        if kind == "body" and n > 0 and line == first and len(line) <= 200:
            kind = "boilerplate"
        if kind == "body" and in_list and not blank_before and len(line) <= 150 and not _FINAL_STOP.search(line):
            kind = "boilerplate"
        else:
            in_list = kind == "boilerplate" and bool(_LIST_HEAD.fullmatch(_BULLET_MARK.sub("", line, count=1)))
        if kind != "body":
            out[start] = kind
    return out


def _headline_block(text: str, blocks: list[tuple[int, int, str]]) -> int | None:
    """Index of the headline block: the first body block, when it is one short line and one sentence without a final
    full stop (or comma, colon, semicolon) that a paragraph break or a non-body line follows, and body text comes
    later."""
    body = [n for n, (s, e, kind) in enumerate(blocks) if kind == "body" and text[s:e].strip()]
    if len(body) < 2:
        return None
    n = body[0]
    s, e = _trim(text, blocks[n][0], blocks[n][1])
    line = text[s:e]
    if (len(list(RuleSegmenter._sentences(text, s, e))) != 1 or LINE_BREAK.search(line) or len(line) > 200 or not 3 <= len(line.split()) <= 30 or line[-1] in ".,;:"
            or not re.search(r"[A-Za-z]{2}", line)):
        return None
    following = blocks[n + 1][2] if n + 1 < len(blocks) else "body"
    if _PARAGRAPH.match(text, e + len(text[e:e + 200]) - len(text[e:e + 200].lstrip(" \t"))) or following != "body":
        return n
    return None


def last_line_break(text: str, start: int = 0, end: int | None = None) -> int:
    """Index of the last line break character in ``text[start:end]`` (the ``\\n`` of a ``\\r\\n``, any of
    :data:`LINE_BREAK`'s characters), or -1: ``str.rfind("\\n")`` for every way of writing a line break.

    >>> last_line_break("Police say\\r\\nPolice said"), last_line_break("one\\u2028two"), last_line_break("none")
    (11, 3, -1)
    """
    end = len(text) if end is None else end
    return max(text.rfind(ch, start, end) for ch in BREAK_CHARS)


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
