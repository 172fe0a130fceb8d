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
from typing import TYPE_CHECKING, NamedTuple

from crosscheck.lexicon import DEMONYMS, SEATS_OF_POWER, STOPWORDS
from crosscheck.places import Gazetteer

if TYPE_CHECKING:
    from crosscheck.data import Claim

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


# ---- who a claim holds responsible ------------------------------------------------------------------------------

#: Words that accuse: a claim that holds a side responsible names it next to one of them ("blamed Kyiv", "sabotage by
#: Ukraine", "Russian forces blew up", "on Putin's orders"). Broader responsibility cues ("attack", "killed") name the
#: act, not who is accused of it.
_ACCUSING = re.compile(
    r"\b(?:blam\w*|accus\w*|responsib\w*|behind|sabotag\w*|saboteur\w*|bl[eo]wn? (?:it |them )?(?:up|out)|blowing up|"
    r"terroris[tm]\w*|terror attack|culprit\w*|perpetrat\w*|orchestrat\w*|mastermind\w*|orders|ordered|"
    r"hand in|involvement|involved in|shelled|shelling|fired (?:on|upon|at)|missile attack|shot down|"
    r"assassinat\w*|plot\w*|guilt\w*|fault\w*|did it)\b", re.IGNORECASE)
#: Wording that rejects an accusation outright ("a lie", "absurd", "nothing to do with").
_REJECTING = re.compile(
    r"\b(?:(?:lie|lies)(?! with| in | on )|lying|false\w*|fiction\w*|preposterous|absurd\w*|nonsense|baseless|groundless|unfounded|"
    r"nothing to do with|propaganda|disinformation|slander\w*|fabricat\w*|rejects?|rejected|denies|denied|deny|"
    r"denial\w*|refut\w*|dismiss\w*|rebuff\w*|untrue|stupid\w*|ridicul\w*|rubbish)\b", re.IGNORECASE)
#: Where a claim goes on to another statement of its speaker ("..., adding that Moscow saw profits rise"): who is
#: blamed is read before it.
_ADDING = re.compile(r",\s+(?:adding|and added|he added|she added)\b.*$", re.IGNORECASE | re.DOTALL)
#: A rejection of the accusation as such ("denied the claims", "called the allegations a lie", "this is fiction"):
#: it answers any accusation of that side. A rejection that names an act ("denies targeting civilians") answers only
#: an accusation that shares a word with it.
_GENERIC_REJECTION = re.compile(
    r"\b(?:claims?|allegations?|accusations?|suggestions?|speculation|version|reports?|this|idea|involvement|"
    r"responsibility|role)\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:not|never|no)\b|n't\b", re.IGNORECASE)
#: Negations that reject nothing: "not surprised", "does not have evidence proving it" (a hedge on the
#: accusation beside it, not its denial).
_NOT_A_DENIAL = re.compile(
    r"\b(?:not|n't)\s+(?:at all\s+|really\s+)?(?:surprised|shocked|astonished)\b|"
    r"\b(?:did not|didn't|does not|doesn't)\s+have\s+(?:any\s+)?(?:information|evidence|proof)\s+"
    r"(?:verifying|to verify|confirming|to confirm|proving|to prove)\b[^,;.]*", re.IGNORECASE)
#: A claim that takes no position on who did it ("too early to say", "declined to say whether").
_NO_POSITION = re.compile(
    r"\b(?:(?:don't|do not|does not|did not) know|not yet (?:said|known|clear|determined)|too early|unclear|"
    r"declined to (?:say|comment|speculate)|no information|not sure|remains? unknown|"
    r"(?:did not|didn't|has not|hasn't|have not|could not|not) (?:immediately )?(?:comment|respond|reply)|"
    r"(?:did not|didn't|does not|doesn't) (?:make clear|say|specify|explain) (?:how|what|whether|who|why|which))\b",
    re.IGNORECASE)
#: A side named as the one who speaks ("Moscow has blamed", "Russian claims that", "the EU and NATO suspect"): not the
#: one accused.
_SPEAKS_AFTER = re.compile(
    r"(?:['’]s)?,?\s*(?:(?:[A-Z][\w.-]*|spokes\w+|officials?|government|ministry|authorities|forces|media|leaders?|"
    r"president|among|others|and)[,]?\s+){0,3}?(?:has |have |had |also |repeatedly |has repeatedly )?(?:said|says|say|suspects?|"
    r"suspected|accus\w+|blam\w+|claim\w*|believ\w+|alleg\w+|called|calls|described|describes|denied|denies|"
    r"rejected|rejects|insist\w*|argued|warned|told|stated|states|reported|rebuffed|label\w*)\b", re.IGNORECASE)
#: A side that describes a speaker ("Swedish economist", "Russian President", "UK defence sources") or the source of
#: a rejected story ("a function of Russian disinformation"): not accused.
_SPEAKER_NOUN = re.compile(
    r"\s+(?:economists?|experts?|analysts?|advis[eo]rs?|president|prime minister|ministers?|spokes\w+|sources?|"
    r"media|news|journalists?|officials?|investigators?|diplomats?|ambassadors?|envoys?|lawmakers?|politicians?|"
    r"leaders?|authorities|prosecutors?|disinformation|propaganda|narratives?)\b", re.IGNORECASE)
#: A side that names what was hit ("two Russian gas pipelines", "the Russian Black Sea Fleet"): not accused.
_TARGET_NOUN = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:pipelines?|gas|oil|dam|fleet|territor\w+|cit(?:y|ies)|positions?|ships?|vessels?|"
    r"plane|aircraft|embassy|soil)\b", re.IGNORECASE)
#: The act itself ("the blast", "blew up", "the crash", "sabotage"): two accusations answer one another only when both
#: name an act, or share a word ("accused Russia of using gas as a weapon" answers no one's "blew up the pipelines").
_ACT = re.compile(
    r"\b(?:blast\w*|explo\w+|bl[eo]wn? (?:it |them )?(?:up|out)|blowing up|attack\w*|sabotag\w*|breach\w*|"
    r"destr\w+|detonat\w+|bomb\w*|crash\w*|shot down|shoot\w* down|downed|killing|killed|death|leaks?|mined|"
    r"mining|strikes?|struck|shell\w+|missiles?|assassinat\w*|incident|tragedy|collapse\w*|disaster|it)\b",
    re.IGNORECASE)
#: Words right before a side that make it the one accused, whatever follows ("blaming the collapse on Russia, X
#: said", "sabotage by Ukraine").
_ACCUSED_BEFORE = re.compile(r"\b(?:on|by|of|against|at|blamed|blames|blaming|accused|accuses|accusing)\s+(?:the\s+)?$",
                             re.IGNORECASE)
#: Words right after a side that make it the one accused ("the West was to blame", "Kyiv is responsible", "the
#: Russians did it").
_ACCUSED_AFTER = re.compile(r"\s+(?:(?:was|is|were|are|had been)\s+(?:to blame|responsible|behind|guilty)|"
                            r"(?:had |have |has )?(?:did it|blew (?:it |them )?up|sabotaged))\b", re.IGNORECASE)
#: Both sides accused in one claim: a report of the mutual blame, not one side's accusation.
_MUTUAL = re.compile(r"\b(?:each other|one another|both sides|traded (?:blame|accusations))\b", re.IGNORECASE)
#: Names of alliances in accusations, with the countries each stands for.
ALLIANCES: dict[str, frozenset[str]] = {
    "Anglo-Saxon": frozenset({"United States", "United Kingdom"}),
    "Anglo-Saxons": frozenset({"United States", "United Kingdom"}),
    "the West": frozenset({"United States", "United Kingdom", "West"}),
    "the west": frozenset({"United States", "United Kingdom", "West"}),
    "Western": frozenset({"United States", "United Kingdom", "West"}),
    "NATO": frozenset({"United States", "United Kingdom", "West"}),
}
#: Capitals that stand for their governments in accusations ("Moscow blew up the dam", "Kyiv's sabotage").
CAPITALS: dict[str, str] = {
    "Moscow": "Russia", "Kyiv": "Ukraine", "Kiev": "Ukraine", "Washington": "United States", "London": "United Kingdom",
    "Minsk": "Belarus", "Warsaw": "Poland", "Berlin": "Germany", "Paris": "France", "Beijing": "China",
    "Tehran": "Iran", "Stockholm": "Sweden", "Copenhagen": "Denmark", "Oslo": "Norway",
}
_COUNTRIES = {name: name for name in {*DEMONYMS.values(), *SEATS_OF_POWER.values()}}
_SIDE_WORDS: dict[str, frozenset[str]] = {
    **{w: frozenset({s}) for w, s in {**_COUNTRIES, **DEMONYMS, **SEATS_OF_POWER, **CAPITALS}.items()},
    **{f"{d}s": frozenset({s}) for d, s in DEMONYMS.items() if d.endswith("an")},  # "the Russians did it"
    "Britain": frozenset({"United Kingdom"}), "America": frozenset({"United States"}), **ALLIANCES,
}
_SIDE_PATTERN = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(w) for w in sorted(_SIDE_WORDS, key=len, reverse=True))
                           + r")(?![\w-])")
#: Countries that accusations treat as one camp ("the West", "the Anglo-Saxons", "the US and Britain").
_WEST = frozenset({"United States", "United Kingdom", "West", "Germany", "France", "Poland", "Canada", "Sweden",
                   "Denmark", "Norway", "Netherlands", "Italy"})
#: How far (characters) a side may stand from the accusing word to be the one accused.
_NEAR = 60


class Blame(NamedTuple):
    """Who a claim holds responsible for the event (``sides``: countries), and whether it rejects that (``denied``:
    "the Kremlin called the accusation a lie" holds Russia responsible, denied)."""

    sides: frozenset[str]
    denied: bool


def _side_mentions(text: str) -> list[tuple[int, int, frozenset[str]]]:
    return [(m.start(), m.end(), _SIDE_WORDS[m.group(1)]) for m in _SIDE_PATTERN.finditer(text)]


@lru_cache(maxsize=65536)
def blame(claim: Claim) -> Blame | None:
    """The :class:`Blame` of a claim that answers who is responsible, or None when it accuses nobody it names.

    The claim's content, its speaker phrase taken out, must hold an accusing word (:data:`_ACCUSING`) or a rejection
    ("a lie", "denied"). The side accused is the one named nearest an accusing word (a demonym, a seat of power, a
    capital or an alliance such as "the Anglo-Saxons"), other than the speaker's own side. A rejection that names no
    side rejects the accusation against the speaker's own side ("the Kremlin dismissed the claims"). None for a claim
    about mutual blame ("Kyiv and Moscow blamed each other") and for one whose speaker names rival sides.

    >>> from crosscheck.data import Claim
    >>> c = Claim("a:0", "a", 0, 40, "Kyiv said Russian troops had sabotaged the dam",
    ...           "Russian troops had sabotaged the dam", "Ukraine", True, "reported", False, questions=("responsibility",))
    >>> blame(c)
    Blame(sides=frozenset({'Russia'}), denied=False)
    """
    if ("responsibility" not in claim.questions or _MUTUAL.search(claim.text)
            or _NO_POSITION.search(claim.proposition)):
        return None
    content = _ADDING.sub("", claim.proposition)
    own = None
    if claim.attributed and claim.speaker:
        content = content.replace(claim.speaker, " " * len(claim.speaker))
        in_speaker = {s for _, _, ss in _side_mentions(claim.speaker) for s in ss}
        if len(in_speaker) > 1:
            return None  # "Ukraine and Russia said ..."
        own = speaker_side(claim.speaker)
    content = _NOT_A_DENIAL.sub(lambda m: " " * len(m.group(0)), content)
    # a negation read from the parse counts when a negation word is left in the content: not when it was only "not
    # surprised", "no proof confirming it", or a word such as "nothing" that the rejecting words judge instead
    negated = claim.negated and bool(_NEGATED.search(content))
    denied = bool(negated or claim.hedge == "denied" or _REJECTING.search(content))
    if not denied and _NEGATED.search(content):
        return None
    found = _side_mentions(content)
    speaking = {sides for start, end, sides in found
                if _SPEAKS_AFTER.match(content, end) and not _ACCUSED_BEFORE.search(content, 0, start)
                and not _ACCUSED_AFTER.match(content, end)}
    if not denied and any(own is None or sides != frozenset({own}) for sides in speaking):
        return None  # another side's account inside the claim ("..., while Moscow says Kyiv fired on it")
    # a rejection may name the accuser ("London denied Russian claims that ..."): it still rejects for its own side
    mentions = [m for m in found if not _SPEAKER_NOUN.match(content, m[1]) and not _TARGET_NOUN.match(content, m[1])
                and m[2] not in speaking]
    if denied and own is None:
        # "a plain lie; everyone knows the Ruritanians did it": a rejection that names the culprit accuses it
        culprits = {sides for _, end, sides in mentions if _ACCUSED_AFTER.match(content, end)}
        if len(culprits) == 1:
            return Blame(next(iter(culprits)), False)
    if denied:
        # a rejection rejects the accusation against the speaker's own side, and names no other side; a speaker of
        # no known side rejects the one side it names ("any suggestion of a US role is absurd")
        named = {sides for _, _, sides in mentions}
        if own is not None and named <= {frozenset({own})}:
            return Blame(frozenset({own}), True)
        if own is None and len(named) == 1:
            return Blame(next(iter(named)), True)
        return None
    accused: set[str] = set()
    for cue in _ACCUSING.finditer(content):
        near = [(max(cue.start() - end, start - cue.end(), 0), sides) for start, end, sides in mentions
                if own is None or sides != frozenset({own})]
        near = [n for n in near if n[0] <= _NEAR]
        if near:
            accused |= min(near, key=lambda n: n[0])[1]
    if not accused or len(accused - _WEST) > 1 or (accused - _WEST and accused & _WEST):
        return None  # nobody named, or rival sides accused in one claim
    return Blame(frozenset(accused), False)


def blame_clash(a: Claim, b: Claim) -> tuple[Blame, Blame] | None:
    """The two claims' blames when they are incompatible: each holds a different side responsible, or one holds a
    side responsible that the other says is not. None otherwise: two rejections, one side accused twice, or two
    speakers of one side (a government and its spokesman do not dispute; a clash between them is a misreading)."""
    ba, bb = blame(a), blame(b)
    if ba is None or bb is None or (ba.denied and bb.denied):
        return None
    if a.attributed and b.attributed and same_side(a.speaker, b.speaker):
        return None
    if not ba.denied and not bb.denied:
        if ba.sides & bb.sides:
            return None
        both_acts = _ACT.search(a.proposition) and _ACT.search(b.proposition)
        one_act = _ACT.search(a.proposition) or _ACT.search(b.proposition)
        # a shared word makes two accusations answer one another only when one of them names the act at all
        return (ba, bb) if both_acts or (one_act and _words(a) & _words(b)) else None
    if not ba.sides & bb.sides:
        return None
    rejection, accusation = (a, b) if ba.denied else (b, a)
    if _words(rejection) & _words(accusation):
        return ba, bb
    rejected_acts, accused_acts = _acts(rejection.proposition), _acts(accusation.proposition)
    if rejected_acts and not accused_acts and not _ACT.search(accusation.proposition):
        return None  # "denied it attacked the pipelines" does not answer "accused it of using gas as a weapon"
    if rejected_acts and accused_acts:
        # a rejection of a named act answers an accusation of that kind of act only ("denied claims that its divers
        # blew up the pipeline" does not answer "directed the drone attacks")
        return (ba, bb) if rejected_acts & accused_acts else None
    if not _GENERIC_REJECTION.search(rejection.text):
        return None  # "Russia denies targeting civilians" does not answer "Russia blew up the dam"
    return ba, bb


#: Kinds of act, so that two wordings of one act meet ("the killing" / "his death" / "the crash"; "blew up" / "the
#: blast").
_ACT_FAMILIES = {
    "kill": re.compile(r"\b(?:kill\w*|death|dead|died|murder\w*|assassinat\w*|crash\w*|shot down|shoot\w* down|"
                       r"downed)\b", re.IGNORECASE),
    "explode": re.compile(r"\b(?:blast\w*|explo\w+|bl[eo]wn? (?:it |them )?(?:up|out)|blowing up|detonat\w+|bomb\w*|"
                          r"sabotag\w*)\b", re.IGNORECASE),
    "attack": re.compile(r"\b(?:attack\w*|strikes?|struck|shell\w+|missiles?|drones?|fired)\b", re.IGNORECASE),
    "target": re.compile(r"\b(?:target\w*|civilians?)\b", re.IGNORECASE),
}


def _acts(text: str) -> set[str]:
    """The kinds of act (:data:`_ACT_FAMILIES`) a text names."""
    return {name for name, pattern in _ACT_FAMILIES.items() if pattern.search(text)}


#: An accusation in a side clause ("the blast, which Lima says was the work of Chile, ..."; "a flood that they pin
#: on the rebels"): background to the claim, whose own point is something else.
_SIDE_CLAUSE = re.compile(r"(?:\bwhich\b[^,;.]{0,40}|\b(?:that|which) (?:it|they|he|she) (?:has |have |had )?)$",
                          re.IGNORECASE)


def _accuses_in_main_clause(claim: Claim) -> bool:
    cue = _ACCUSING.search(claim.proposition)
    return cue is None or not _SIDE_CLAUSE.search(claim.proposition, 0, cue.start())


def blame_agreement(a: Claim, b: Claim) -> Blame | None:
    """The blame two claims share, or None: both hold the same sides responsible (or both reject that) for one act
    (both name an act, or they share a word), each in its main clause; or both report that the sides blame each
    other (then a :class:`Blame` with no sides).

    >>> from crosscheck.data import Claim
    >>> def claim(i, text, speaker):
    ...     return Claim(f"{i}:0", i, 0, len(text), text, text, speaker, True, "reported", False,
    ...                  questions=("responsibility",))
    >>> blame_agreement(claim("a", "Russian forces blew up the dam", "Kyiv"),
    ...                 claim("b", "the dam was blown up by Russian troops", "Ukraine's army"))
    Blame(sides=frozenset({'Russia'}), denied=False)
    >>> blame_agreement(claim("a", "Russian forces blew up the dam", "Kyiv"),
    ...                 claim("b", "Ukraine sabotaged the dam", "the Kremlin")) is None
    True
    """
    if "responsibility" not in a.questions or "responsibility" not in b.questions:
        return None
    if _MUTUAL.search(a.text) and _MUTUAL.search(b.text):
        return Blame(frozenset(), False)
    ba, bb = blame(a), blame(b)
    if ba is None or ba != bb or not (_accuses_in_main_clause(a) and _accuses_in_main_clause(b)):
        return None
    if not (_ACT.search(a.proposition) and _ACT.search(b.proposition)) and not _words(a) & _words(b):
        return None
    return ba


def _words(claim: Claim) -> set[str]:
    """The content words of a claim's proposition (four letters or more, no side names), cut to six letters."""
    text = _SIDE_PATTERN.sub(" ", claim.proposition)
    return {w.lower()[:6] for w in re.findall(r"[A-Za-z]{4,}", text)} - _STOP


_STOP = frozenset(w[:6] for w in (*STOPWORDS, "said", "says", "denies", "denied", "deny", "rejected", "claims"))
