"""Stage 2, claim extraction: sentences into :class:`~crosscheck.data.Claim` objects.

Rule-based: attribution ("X said", "according to X", "X told Y"),
hedging, negation, numbers with bounds, dates resolved against the publication time,
places (with a gazetteer), named entities, and pronoun resolution ("he" -> the last
person named).

>>> from crosscheck.data import Report
>>> from crosscheck.segment import RuleSegmenter
>>> r = Report("a", "At least 300 people died, officials said.", published="2024-12-08T10:00:00+00:00")
>>> c = RuleExtractor()(r, RuleSegmenter()(r))[0]
>>> c.speaker, c.hedge, c.quantities[0].low, c.quantities[0].high
('officials', 'reported', 300.0, inf)
"""


from __future__ import annotations

import dataclasses
import re
from typing import Any

from crosscheck.data import Claim, Report, Sentence
from crosscheck.errors import InputError
from crosscheck.extract.attribution import (
    PRONOUN,
    REPLY,
    attribution_of,
    hedge_of,
    is_plural,
    resolve_speaker,
    substitute,
    substitute_plural,
)
from crosscheck.extract.entities import ORG_WORDS, entities_of, is_person, strip_title, unique
from crosscheck.extract.places import UNKNOWN_PLACE, location_places, place_mentions, place_roles
from crosscheck.extract.quantities import quantities_of
from crosscheck.extract.times import times_of
from crosscheck.lexicon import SENTENCE_NEGATION
from crosscheck.places import Gazetteer

__all__ = ["RuleExtractor"]

#: A sentence that is only a dateline ("STOCKHOLM, June 10. /TASS/."): where and when a story was filed, not a claim.
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'\u2019-]{2,40},\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?\s*[.,:\u2013\u2014-]*\s*"
                       r"(?:[/(]?[A-Z][A-Za-z]+[/)]?)?\s*[.:\u2013\u2014-]*\s*$")


class RuleExtractor:
    """Turn sentences into claims (one claim per sentence) with attribution, hedges, numbers, dates, places.

    Args:
        gazetteer: place table used for places and containment.
        resolve_pronouns: replace "he"/"his"/"the president" in the proposition by the last person named,
            and "they"/"their" in a group speaker's own statement by the speaker.
        min_chars: sentences shorter than this are not claims (headings, bylines).
        negation: ``"parse"`` (default): a claim is negated when its main predicate is (spaCy's dependency parse,
            :mod:`crosscheck.parse`), and ``Claim.predicate`` holds that predicate's lemma; ``"sentence"``: any
            negation cue anywhere in the claim's content (the rule the bundled stance head was trained with; no
            parser needed, ``predicate`` left empty). A denial verb ("X denied that ...") negates in both modes.
    """

    def __init__(self, *, gazetteer: Gazetteer | None = None, resolve_pronouns: bool = True,
                 min_chars: int = 12, negation: str = "parse") -> None:
        self.gazetteer = gazetteer
        self.resolve_pronouns = resolve_pronouns
        self.min_chars = min_chars
        self.negation = negation

    def __repr__(self) -> str:
        return (f"RuleExtractor(resolve_pronouns={self.resolve_pronouns}, min_chars={self.min_chars}, "
                f"negation={self.negation!r})")

    def _parse(self, contents: list[str]) -> list[Any]:
        """The :class:`crosscheck.parse.Predicate` of each claim content, by the ``negation`` mode (the sentence mode
        reads no parse: any cue negates, and numbers keep the word after them as their unit)."""
        from crosscheck.parse import Predicate, main_predicates

        if self.negation == "sentence":
            return [Predicate("", bool(SENTENCE_NEGATION.search(c))) for c in contents]
        if self.negation == "parse":
            return main_predicates(contents)
        raise InputError(f"[E034] negation must be 'parse' or 'sentence', got {self.negation!r}")

    def __call__(self, report: Report, sentences: list[Sentence]) -> list[Claim]:
        """Extract the claims of ``report`` from its ``sentences`` (offsets into ``report.text``)."""
        gaz = self.gazetteer or Gazetteer()
        claims: list[Claim] = []
        last_person: str | None = None
        speakers_seen: list[str] = []
        outlet = report.source or report.id
        contents: list[str] = []
        for n, sent in enumerate(sentences):
            text = sent.text
            if len(text.strip()) < self.min_chars or not re.search(r"[A-Za-z]{2}", text) or _DATELINE.match(text):
                continue
            reply = REPLY.match(text)
            after = reply.end() if reply else 0  # "Yes, officials said ...": attribution after the reply word
            attr = attribution_of(text[after:])
            if attr is not None:
                content = text[after + attr.content_start:after + attr.content_end]
                speaker = resolve_speaker(attr.speaker, last_person, speakers_seen)
                speakers_seen.append(speaker)
            else:
                content, speaker = text[after:], outlet
            content = content.strip().strip("\"'\u201c\u201d\u2018\u2019").strip()
            content = REPLY.sub("", content, count=1)
            places = unique(name for _, _, name in gaz.find(text))
            mentions = place_mentions(content, gaz)
            loc_places = list(location_places(mentions))
            raw_entities = [e for e in entities_of(content) if e not in places]
            persons = [e for e in raw_entities if not ORG_WORDS.search(e) and gaz.canonical(e) not in places]
            prev_person = last_person
            if attr is not None and is_person(speaker, places):
                prev_person = strip_title(speaker)
            proposition = content
            resolved: list[str] = []
            referent = strip_title(persons[0]) if persons and attr is None else prev_person
            if attr is not None and persons and not prev_person:
                referent = strip_title(persons[0])
            if self.resolve_pronouns and referent and PRONOUN.search(content):
                proposition = substitute(content, referent)
                resolved.append(referent)
            if self.resolve_pronouns and attr is not None and is_plural(speaker):
                proposition = substitute_plural(proposition, speaker)
            if attr is not None and speaker != attr.speaker and not ORG_WORDS.search(speaker):
                resolved.append(speaker)
            if persons:
                last_person = strip_title(persons[-1])
            elif attr is not None and not ORG_WORDS.search(speaker) and speaker[:1].isupper():
                last_person = strip_title(speaker)
            entities = unique([strip_title(e) for e in raw_entities] + resolved)
            denial = attr is not None and attr.verb.startswith("den")
            claims.append(Claim(
                id=f"{report.id}:{n}",
                report_id=report.id,
                start=sent.start,
                end=sent.end,
                text=text,
                proposition=proposition,
                speaker=speaker,
                attributed=attr is not None,
                hedge=hedge_of(text, content, attr),
                negated=denial,
                quantities=(),  # set below, once the parse says what each number counts
                times=tuple(times_of(content, report.published)),
                places=tuple(places),
                entities=tuple(entities),
                location_places=tuple(loc_places),
                place_roles=place_roles(mentions),
                unknown_place=bool(UNKNOWN_PLACE.search(content)),
                source=report.source,
                published=report.published,
            ))
            contents.append(content)
        return [dataclasses.replace(c, negated=c.negated or p.negated, predicate=p.lemma, lemmas=p.lemmas,
                                    quantities=tuple(quantities_of(content, p.counts)))
                for c, content, p in zip(claims, contents, self._parse(contents))]
