"""Lay character spans over a text as nested HTML elements (the claims, their speakers and cues).

Spans nest when one lies inside another; a span that crosses the boundary of one already open cannot be an element
of its own inside the text: :func:`layout` returns it apart (the views list such claims under the text).

>>> text = "Officials said ten people died."
>>> spans = [Span(0, 31, "<mark>", "</mark>", 0), Span(0, 9, "<b>", "</b>", 1)]
>>> tree, crossing = layout(spans)
>>> render(text, 0, len(text), tree)
'<mark><b>Officials</b> said ten people died.</mark>'
>>> crossing
[]
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field


@dataclass
class Span:
    """A span ``[start, end)`` of the text and the markup around it; ``rank`` orders spans with equal offsets
    (lower is outer). ``after`` is markup written right after the closing tag (outside the span's text)."""

    start: int
    end: int
    open: str
    close: str
    rank: int
    after: str = ""
    children: list[Span] = field(default_factory=list)


def layout(spans: list[Span]) -> tuple[list[Span], list[Span]]:
    """The spans as a forest of properly nested spans, and those that cross another's boundary (in input order)."""
    roots: list[Span] = []
    stack: list[Span] = []
    crossing: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end, s.rank)):
        while stack and stack[-1].end <= s.start:
            stack.pop()
        if stack and s.end > stack[-1].end:
            crossing.append(s)
            continue
        (stack[-1].children if stack else roots).append(s)
        stack.append(s)
    return roots, crossing


def render(text: str, start: int, end: int, spans: list[Span]) -> str:
    """``text[start:end]`` escaped, with each span of the forest ``spans`` (all inside it) wrapped in its markup."""
    out: list[str] = []
    pos = start
    for s in spans:
        out.append(html.escape(text[pos:s.start]))
        out.append(s.open + render(text, s.start, s.end, s.children) + s.close + s.after)
        pos = s.end
    out.append(html.escape(text[pos:end]))
    return "".join(out)
