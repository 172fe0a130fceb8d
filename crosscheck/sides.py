"""Which country's side a speaker speaks for: "Ukrainian officials", "the Kremlin", "Britain's defence ministry".

Two speakers of one side (a government and its spokesman, a ministry and its minister) are not rivals: when the rules
find their claims in conflict it is usually two details of one position, or a misread negation, so the judge does not
call it ``disputed`` (:class:`crosscheck.judge.RuleJudge`). A side is a country, read from the speaker phrase: a
demonym or short form (:data:`~crosscheck.lexicon.DEMONYMS`), a seat of power or a well-known office holder
(:data:`~crosscheck.lexicon.SEATS_OF_POWER`), else the outermost container of the first place the gazetteer finds
("Moscow" -> Russia). None when nothing in the phrase names one (an outlet, "officials", "a source").

>>> speaker_side("Kremlin spokesman Dmitry Peskov"), speaker_side("Ukrainian President Volodymyr Zelensky")
('Russia', 'Ukraine')
>>> speaker_side("the regional governor") is None
True
"""

from __future__ import annotations

import re
from functools import lru_cache

from crosscheck.lexicon import DEMONYMS, SEATS_OF_POWER
from crosscheck.places import Gazetteer

_WORDS = {**DEMONYMS, **SEATS_OF_POWER}
_PATTERN = re.compile(r"(?<![\w.])(" + "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True))
                      + r")(?![\w])")


def speaker_side(speaker: str, gazetteer: Gazetteer | None = None) -> str | None:
    """The country ``speaker`` speaks for, or None (see the module docstring)."""
    return _side(speaker, gazetteer or _gazetteer())


@lru_cache(maxsize=4096)
def _side(speaker: str, gazetteer: Gazetteer) -> str | None:
    if not speaker:
        return None
    m = _PATTERN.search(speaker)
    if m is not None:
        return _WORDS[m.group(1)]
    for _, _, name in gazetteer.find(speaker):
        return gazetteer.ancestors(name)[-1]
    return None


@lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    return Gazetteer()


def same_side(a: str, b: str, gazetteer: Gazetteer | None = None) -> bool:
    """True when both speakers are known to speak for the same country."""
    sa, sb = speaker_side(a, gazetteer), speaker_side(b, gazetteer)
    return sa is not None and sa == sb


def rival_sides(a: str, b: str, gazetteer: Gazetteer | None = None) -> bool:
    """True when both speakers' sides are known and differ ("Ukraine said", "Russia said")."""
    sa, sb = speaker_side(a, gazetteer), speaker_side(b, gazetteer)
    return sa is not None and sb is not None and sa != sb
