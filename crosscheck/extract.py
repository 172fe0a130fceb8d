"""Stage 2, claim extraction: sentences into :class:`~crosscheck.data.Claim` objects.

Rule-based and dependency-free: attribution ("X said", "according to X", "X told Y"),
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
import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from crosscheck.data import Claim, Quantity, Report, Sentence, TimeRef
from crosscheck.errors import InputError
from crosscheck.lexicon import REPORTING_VERBS, SENTENCE_NEGATION, SPECULATIVE, UNCERTAIN
from crosscheck.places import Gazetteer

VERBS = REPORTING_VERBS
_VERB_RE = rf"(?:{VERBS})"
_TAIL_ATTR = re.compile(
    rf"^(?P<content>.+?)[,]?[\"'\u201d\u2019]?,?\s+(?P<speaker>[^,\"\u201c\u201d]{{2,90}}?)\s+(?P<verb>{_VERB_RE})"
    rf"(?:(?<=told)\s+(?:[A-Z][\w.'-]*(?:\s+[A-Za-z][\w.'-]*){{0,4}}|reporters|journalists|the \w+(?:\s\w+)?))?"
    rf"(?:\s+on\s+\w+)?\s*[.!]?[\"']?$"
)
_TAIL_ATTR_INV = re.compile(
    r"^(?P<content>.+?)[,]?[\"'\u201d\u2019]?,\s+(?P<verb>said|says|added|wrote)\s+(?P<speaker>[^,]{2,90}?)\s*[.!]?$"
)
_HEAD_ATTR = re.compile(
    rf"^(?:(?:In|in) (?:an?|his|her|their|its) [^,]{{0,60}}?(?:statement|interview|post|message|speech)[^,]{{0,60}},\s+)?"
    rf"(?P<speaker>[A-Z\"'\u201c][^,;:]{{1,90}}?|[a-z][^,;:]{{1,40}}?)\s+(?:(?:has|have|had)\s+)?(?P<verb>{_VERB_RE})"
    rf"(?:(?<=told)\s+(?:[A-Z][\w.'-]*(?:\s+[A-Za-z][\w.'-]*){{0,4}}|reporters|journalists|the \w+(?:\s\w+)?))?"
    rf"(?:\s+on\s+\w+(?:\s+\w+)?)?(?:\s+(?:that|reports that))?[,:]?\s+(?P<content>.+)$"
)
_ACCORDING_HEAD = re.compile(r"^According to (?P<speaker>[^,]{2,90}),\s+(?P<content>.+)$")
_ACCORDING_TAIL = re.compile(r"^(?P<content>.+?),?\s+according to (?P<speaker>[^,.]{2,90})\s*[.!]?$")

#: A one-word reply that opens a sentence ("No. The talks go on.", "Yes, he left."): it answers an
#: earlier question and does not negate or assert what follows, so it is left out of the proposition.
#: "No. 10" (a number) and "No one" are not replies.
_REPLY = re.compile(r"^(?:no|yes)\s*[.,!;:]\s+(?=[^\d\s])", re.IGNORECASE)
_UNKNOWN_PLACE = re.compile(
    r"\b(?:did not (?:say|disclose|reveal|specify) where|(?:whereabouts|location)\s+(?:is|are|was|were|remains?|remained)\s+"
    r"(?:still\s+)?(?:unknown|unclear|not known|a mystery)|(?:unclear|not known|unknown) where|no word on (?:his|her|their) "
    r"whereabouts|not said where)\b", re.IGNORECASE)
_LOCATION_PREP = re.compile(r"\b(?:in|to|at|into|inside|reached|arrived in|(?:and )?then (?:for|to)|(?:left|leave|leaving|headed|bound|flew|fled) (?:for|to))\s+(?:the\s+)?(?:city of\s+)?$",
                            re.IGNORECASE)

_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
              "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
              "thirteen": 13, "fourteen": 14, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
              "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12,
              "a hundred": 100, "a thousand": 1000}
_VAGUE = {"dozens": (24.0, 120.0), "scores": (40.0, 200.0), "hundreds": (200.0, 999.0), "thousands": (2000.0, 9999.0),
          "tens of thousands": (20000.0, 99999.0), "hundreds of thousands": (200000.0, 999999.0),
          "millions": (2e6, 9.99e6)}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "m": 1e6, "bn": 1e9}
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}

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
_DATE_DM = re.compile(r"\b(?P<d>\d{1,2})\s+(?P<m>[A-Z][a-z]{2,8})\.?(?:,?\s+(?P<y>\d{4}))?\b")
_DATE_MD = re.compile(r"\b(?P<m>[A-Z][a-z]{2,8})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?\b")
_DATE_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_DATE_REL = re.compile(r"\b(?:(?P<pre>on|last|this)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
                       r"(?P<rel>today|yesterday|tomorrow|tonight|this morning|this evening|this afternoon|last night))\b",
                       re.IGNORECASE)

_ENTITY = re.compile(
    r"(?:(?<=\s)|(?<=^)|(?<=[\"(\u201c]))(?:[A-Z][\w'\u2019.-]*[\w]|[A-Z])(?:\s+(?:(?:al|el|bin|ibn|de|van|von|der|of|the)-?\s*)?"
    r"[A-Z][\w\u2019'-]*[\w])*")
_TITLES = re.compile(r"^(?:(?:former|ousted|deposed|Syrian|Russian|late)\s+)*(?:President|Prime Minister|Minister|Mr|Mrs|Ms|Dr|"
                     r"General|Gen|Sheikh|King|Queen|Prince|Foreign Minister|Spokesman|Spokeswoman)\.?\s+")
_NOT_ENTITY = frozenset(
    """a an the he she it they we i you his her its their our this that these those there here in on at by for from
    with as but and or if when while after before during since until what who which where why how some many most
    all several one two three no not yes later earlier also then meanwhile however although though because
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
    september october november december today yesterday tomorrow officials rebels state
    did does do is are was were has have had can could would should must""".split())
_ORG_WORDS = re.compile(r"\b(?:Ministry|Kremlin|Government|Army|Forces|Council|Agency|Office|Presidency|Party|Committee|"
                        r"Command|Court|Parliament|Embassy|Reuters|TASS|AFP|News|Times|Press|Group|Front|Observatory|"
                        r"Organisation|Organization|Nations|Union|Bank|Base|University|Media|Television|TV)\b")
#: A sentence that is only a dateline ("STOCKHOLM, June 10. /TASS/."): where and when a story was filed, not a claim.
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'\u2019-]{2,40},\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?\s*[.,:\u2013\u2014-]*\s*"
                       r"(?:[/(]?[A-Z][A-Za-z]+[/)]?)?\s*[.:\u2013\u2014-]*\s*$")
_THEY = re.compile(r"\b(?:they|them|their|theirs)\b", re.IGNORECASE)
#: Plural group nouns a speaker can end with (also when capitalised at the start of a sentence).
_PLURAL_NOUNS = frozenset("""people police men women children staff personnel officials rebels witnesses sources
    residents activists analysts diplomats investigators authorities troops protesters doctors lawyers prosecutors
    organizers organisers researchers scientists experts villagers soldiers militants commanders leaders
    officers ministers negotiators spokesmen""".split())
_PRONOUN = re.compile(r"\b(?:he|him|his|she|her|hers)\b|\bthe (?:former |ousted |deposed |toppled )?(?:president|leader)\b",
                      re.IGNORECASE)


@dataclass(frozen=True)
class _Attribution:
    speaker: str
    verb: str
    content_start: int
    content_end: int


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
        place_re = gaz.pattern()
        claims: list[Claim] = []
        last_person: str | None = None
        speakers_seen: list[str] = []
        outlet = report.source or report.id
        contents: list[str] = []
        for n, sent in enumerate(sentences):
            text = sent.text
            if len(text.strip()) < self.min_chars or not re.search(r"[A-Za-z]{2}", text) or _DATELINE.match(text):
                continue
            reply = _REPLY.match(text)
            after = reply.end() if reply else 0  # "Yes, officials said ...": attribution after the reply word
            attr = _attribution(text[after:])
            if attr is not None:
                content = text[after + attr.content_start:after + attr.content_end]
                speaker = _resolve_speaker(attr.speaker, last_person, speakers_seen)
                speakers_seen.append(speaker)
            else:
                content, speaker = text[after:], outlet
            content = content.strip().strip("\"'\u201c\u201d\u2018\u2019").strip()
            content = _REPLY.sub("", content, count=1)
            places = _unique(gaz.canonical(m.group(0)) for m in place_re.finditer(text))
            loc_places = _unique(gaz.canonical(m.group(0)) for m in place_re.finditer(content)
                                 if _LOCATION_PREP.search(content[:m.start()])
                                 and not re.match(r"['\u2019]s\b", content[m.end():]))
            raw_entities = [e for e in _entities(content) if e not in places]
            persons = [e for e in raw_entities if not _ORG_WORDS.search(e) and gaz.canonical(e) not in places]
            prev_person = last_person
            if attr is not None and _is_person(speaker, places):
                prev_person = _strip_title(speaker)
            proposition = content
            resolved: list[str] = []
            referent = _strip_title(persons[0]) if persons and attr is None else prev_person
            if attr is not None and persons and not prev_person:
                referent = _strip_title(persons[0])
            if self.resolve_pronouns and referent and _PRONOUN.search(content):
                proposition = _substitute(content, referent)
                resolved.append(referent)
            if self.resolve_pronouns and attr is not None and _is_plural(speaker):
                proposition = _substitute_plural(proposition, speaker)
            if attr is not None and speaker != attr.speaker and not _ORG_WORDS.search(speaker):
                resolved.append(speaker)
            if persons:
                last_person = _strip_title(persons[-1])
            elif attr is not None and not _ORG_WORDS.search(speaker) and speaker[:1].isupper():
                last_person = _strip_title(speaker)
            entities = _unique([_strip_title(e) for e in raw_entities] + resolved)
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
                hedge=_hedge(text, content, attr),
                negated=denial,
                quantities=(),  # set below, once the parse says what each number counts
                times=tuple(_times(content, report.published)),
                places=tuple(places),
                entities=tuple(entities),
                location_places=tuple(loc_places),
                unknown_place=bool(_UNKNOWN_PLACE.search(content)),
                source=report.source,
                published=report.published,
            ))
            contents.append(content)
        return [dataclasses.replace(c, negated=c.negated or p.negated, predicate=p.lemma, lemmas=p.lemmas,
                                    quantities=tuple(_quantities(content, p.counts)))
                for c, content, p in zip(claims, contents, self._parse(contents))]


def _unique(items: object) -> list[str]:
    out: list[str] = []
    for x in items:  # type: ignore[attr-defined]
        if x and x not in out:
            out.append(x)
    return out


def _attribution(text: str) -> _Attribution | None:
    body = text.rstrip()
    for rx in (_ACCORDING_HEAD, _ACCORDING_TAIL, _TAIL_ATTR_INV, _TAIL_ATTR, _HEAD_ATTR):
        m = rx.match(body)
        if not m:
            continue
        speaker = m.group("speaker").strip().strip("\"'\u201c\u201d")
        if not _plausible_speaker(speaker):
            continue
        verb = m.groupdict().get("verb") or "according to"
        content_start, content_end = m.span("content")
        if len(body[content_start:content_end].split()) < 3:
            continue
        return _Attribution(speaker, verb.lower(), content_start, content_end)
    return None


def _plausible_speaker(s: str) -> bool:
    words = s.split()
    if not 1 <= len(words) <= 9:
        return False
    if re.search(r"\b(?:and then|which|because|after|before|when|if|not|never|n't|declined|refused|would|did)\b", s):
        return False
    low = s.lower()
    if low in {"it", "this", "that", "there"}:
        return False
    return s[0].isupper() or low.startswith(("a ", "an ", "the ", "two ", "three ", "several ", "some ", "officials",
                                              "rebels", "he", "she", "they", "witnesses", "residents", "sources"))


def _resolve_speaker(speaker: str, last_person: str | None, seen: list[str]) -> str:
    low = speaker.lower()
    if low in {"he", "she"} and last_person:
        return last_person
    if low.startswith("the ") and len(speaker.split()) <= 3:
        head = speaker.split()[-1].lower()
        for prev in reversed(seen):
            if head in prev.lower() and prev.lower() != low:
                return prev
    return speaker


def _is_person(name: str, places: list[str]) -> bool:
    return (name[:1].isupper() and not _ORG_WORDS.search(name) and name not in places
            and name.split()[0].lower() not in {"a", "an", "the", "two", "three", "several"})


def _short_name(person: str) -> str:
    last = person.split()[-1]
    return re.sub(r"^(?:al|el|bin|ibn)-", "", last) if len(person.split()) > 1 else person


def _strip_title(name: str) -> str:
    stripped = _TITLES.sub("", name).strip()
    return stripped or name


def _entities(text: str) -> list[str]:
    out = []
    for m in _ENTITY.finditer(text):
        ent = m.group(0).strip(" .")
        ent = re.sub(r"['\u2019]s$", "", ent)
        words = ent.split()
        while words and words[0].lower() in _NOT_ENTITY:
            words = words[1:]
        if not words:
            continue
        ent = " ".join(words)
        if len(ent) < 2 or ent.lower() in _NOT_ENTITY:
            continue
        out.append(ent)
    return _unique(out)


def _is_plural(speaker: str) -> bool:
    """A group speaker that "they" in its own statement refers to: "Rebel commanders", "officials",
    "two army officers" (a lower-case plural noun last), not "Reuters" or "a Kremlin source"."""
    last = speaker.split()[-1] if speaker.split() else ""
    if last.lower() in _PLURAL_NOUNS:
        return True
    return last[:1].islower() and last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _substitute_plural(content: str, speaker: str) -> str:
    """"they/them" -> the speaker, "their" -> the speaker's: "Rebel commanders said that they had taken
    Damascus" reads "Rebel commanders had taken Damascus" (the model cannot resolve a bare "they")."""
    def repl(m: re.Match[str]) -> str:
        word = speaker + ("'" if m.group(0).lower().startswith("their") else "")
        return word[:1].upper() + word[1:] if m.start() == 0 else word

    return _THEY.sub(repl, content)


def _substitute(content: str, person: str) -> str:
    short = _short_name(person)

    def repl(m: re.Match[str]) -> str:
        w = m.group(0).lower()
        if w in {"his", "hers"}:
            return f"{short}'s"
        if w == "her":
            return short
        return short if w in {"he", "him", "she"} else person

    return _PRONOUN.sub(repl, content)


def _hedge(sentence: str, content: str, attr: _Attribution | None) -> str:
    if attr is not None and attr.verb.startswith("den"):
        return "denied"
    if SPECULATIVE.search(sentence):
        return "speculative"
    if UNCERTAIN.search(content) or _UNKNOWN_PLACE.search(content):
        return "uncertain"
    if attr is not None:
        return "reported"
    return "asserted"


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


def _quantities(text: str, counts: dict[int, Any] | None = None) -> list[Quantity]:
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
        if (m_after and m_after.group(1).lower() in _MONTHS) or (m_before and m_before.group(1).lower() in _MONTHS) \
                or re.match(r"\s*:\d", after):
            continue  # part of a date or a clock time
        if unit in _MONTHS or (not m.group("mod") and 1800 <= value <= 2100 and "," not in num and "." not in num):
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


def _times(text: str, published: dt.datetime | None) -> list[TimeRef]:
    out: list[TimeRef] = []
    base = published.date() if published else None
    for rx in (_DATE_ISO, _DATE_DM, _DATE_MD):
        for m in rx.finditer(text):
            month = m.group("m")
            mnum = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."))
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
