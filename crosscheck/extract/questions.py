"""The recurring questions a claim answers (who is responsible, how many died, what caused it, where someone is, ...).

Claims about one question are often worded far apart: an accusation and the other side's denial, an early count of
the missing and a later count of the bodies recovered. Their sentence embeddings are then not close, so the aligner
(:class:`crosscheck.align.HybridAligner`) also pairs claims that answer the same question. The cues are in
:data:`crosscheck.lexicon.QUESTION_CUES`.

>>> question_types("Kyiv blamed Moscow for the blast that killed 12 people.")
('responsibility', 'casualties')
>>> question_types("He lied to the court about the Suez deal.")
()
"""

from __future__ import annotations

import re

from crosscheck.lexicon import QUESTION_CUES


def _pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for cue in sorted(cues, key=len, reverse=True):
        prefix = cue.endswith("*")
        body = r"\s+".join(re.escape(w) for w in cue.rstrip("*").split())
        start = r"(?<![\w$])" if cue[:1].isalnum() else ""
        parts.append(start + body + ("" if prefix or not cue[-1:].isalnum() else r"\b"))
    return re.compile("|".join(parts), re.IGNORECASE)


_PATTERNS = {name: _pattern(cues) for name, cues in QUESTION_CUES.items()}
#: The question names, in the order :func:`question_types` reports them.
QUESTIONS = tuple(QUESTION_CUES)


def question_types(text: str) -> tuple[str, ...]:
    """The questions ``text`` answers, in :data:`QUESTIONS` order (empty when none of the cues occurs)."""
    return tuple(name for name, pattern in _PATTERNS.items() if pattern.search(text))
