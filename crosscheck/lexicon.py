"""Word lists in one place: negation, denial, hedging and reporting words.

Every stage that looks for a negation or a reporting verb reads it from here. The regular expressions are frozen
on purpose, because trained models depend on them: :data:`SENTENCE_NEGATION` and :data:`STANCE_NEGATION` define
features of the bundled stance head, and :data:`TRAINING_NEGATION` is how the NLI training generator recognises an
already negated sentence. The parse-based scope (:mod:`crosscheck.parse`) uses the word lists.

>>> bool(SENTENCE_NEGATION.search("He did not resign.")), bool(SENTENCE_NEGATION.search("He resigned."))
(True, False)
"""

from __future__ import annotations

import re

#: Words that negate the predicate they attach to.
NEGATION_WORDS = ("not", "never", "no", "none", "neither", "nor", "without", "cannot", "nobody", "nothing",
                  "nowhere")
#: Verbs whose object or complement is asserted not to be so ("denied that X", "rejected the claim").
DENIAL_VERBS = ("deny", "reject", "refute", "dismiss")
#: Subjects that negate the whole clause ("Nobody was hurt", "No one was on board").
NEGATIVE_SUBJECTS = ("nobody", "nothing", "none", "no one", "neither")

#: Any negation cue anywhere in a claim's content: the extractor's ``negation="sentence"`` mode (the rule the
#: bundled stance head was trained with, so it stays as it is).
SENTENCE_NEGATION = re.compile(
    r"\b(?:not|never|no|none|neither|nor|without|cannot)\b|n't\b|\b(?:denied|denies|deny|refused|rejected)\b",
    re.IGNORECASE)
#: The cue list the bundled stance head was trained with (a feature: do not change without retraining it).
STANCE_NEGATION = re.compile(r"\b(?:not|no|never|without|nobody|nothing)\b|n't", re.IGNORECASE)
#: The training generator's test for a sentence that is already negated (changing it changes the derived pairs).
TRAINING_NEGATION = re.compile(r"\b(?:not|no|never|none|nobody|nothing|nowhere|neither|nor|without|cannot)\b|n't",
                               re.IGNORECASE)
#: The judge's test that a denial is worded as one ("denied", "not"), used for speaker relations.
DENIAL_WORDING = re.compile(r"\b(?:not|never|no|without|denied|denies|deny|refused|rejected)\b|n't", re.IGNORECASE)

#: Reporting verbs of attribution ("X said", "X told Reuters").
REPORTING_VERBS = ("said|says|say|told|tells|announced|announces|stated|states|claimed|claims|confirmed|confirms|"
                   "added|declared|declares|insisted|insists|reported|reports|wrote|noted|explained|denied|denies|"
                   "acknowledged|warned|alleged|tweeted|posted")
#: Words that make a claim uncertain.
UNCERTAIN = re.compile(
    r"\b(?:may|might|could|possibly|perhaps|reportedly|allegedly|apparently|probably|likely|unconfirmed|"
    r"believed to|thought to|appears? to|seems? to|is said to|are said to)\b", re.IGNORECASE)
#: Words that make a claim speculative.
SPECULATIVE = re.compile(r"\b(?:speculat\w*|rumou?r\w*|unverified)\b", re.IGNORECASE)

#: What a number counts, by the lemmas around it ("five people died" -> death, "35 people missing" -> missing).
#: Two figures are compared only when they count the same event (or, without any role, the same unit).
EVENT_ROLES = {
    "death": ("die", "dead", "kill", "death", "toll", "fatality", "body", "perish", "drown", "life", "casualty"),
    "injury": ("injure", "injured", "wound", "wounded", "hurt", "injury", "hospitalize", "hospitalise", "hospital"),
    "missing": ("missing", "miss", "unaccounted", "disappear"),
    "evacuation": ("evacuate", "evacuation", "evacuee", "flee", "displace", "relocate"),
    "rescue": ("rescue", "save", "survivor", "survive"),
    "arrest": ("arrest", "detain", "detention", "custody"),
    "flooding": ("flood", "inundate", "submerge", "underwater"),
}
ROLE_OF_LEMMA = {lemma: role for role, lemmas in EVENT_ROLES.items() for lemma in lemmas}
#: Units that count people: under one event role they are the same count ("30 injured", "25 people injured").
PERSON_UNITS = frozenset("""people person resident civilian worker passenger soldier child adult woman man victim
    crew employee member villager migrant patient survivor evacuee injured wounded dead killed missing""".split())
#: Person units that say nothing about which people ("35 people", "the dead"): any of them counts the same people as
#: another generic one. A specific unit ("three crew", "ten passengers", "six workers") counts a group that may be
#: only part of the total, so it is compared only with the same unit.
GENERIC_PERSON_UNITS = frozenset("people person individual resident inhabitant victim dead killed missing injured wounded".split())

#: Function words and reporting words that say nothing about what a claim is about (alignment's keys skip them).
STOPWORDS = frozenset(
    """a an the of in on at to for from by with and or but as is are was were be been being has have had do does did
    that this these those it its he she his her they them their we our you not never no nor without said says say
    told would will could may might can also after before then than into over under about against while when where
    who which what there here so such more most some any all been just only very there their theirs ours according
    since until during other another each every both either neither says saying tuesday monday wednesday thursday
    friday saturday sunday""".split())

#: Verbs whose subject is the speaker of what they report, whatever the content: a clause ("said that ..."), a quote,
#: or, for :data:`NOUN_CONTENT_LEMMAS`, a noun phrase ("denied any role").
SPEECH_LEMMAS = frozenset("""say tell announce state claim confirm add declare insist report write note explain deny
    acknowledge warn allege tweet post accuse blame describe call dismiss reject rebuff refute criticize criticise argue
    assert echo admit concede reveal disclose stress emphasize emphasise urge vow pledge promise reiterate repeat
    complain testify recall inform brief quote cite predict publish identify""".split())
#: Verbs of finding or believing: an attribution only with a clause as content ("experts believe the dam was hit").
STANCE_LEMMAS = frozenset("""believe find think conclude suggest estimate discover learn show indicate assess fear
    determine""".split())
#: Reporting verbs whose noun-phrase object is already a claim ("denied any involvement", "blamed Kyiv for the
#: blast"): the content is then the whole sentence, frame included.
NOUN_CONTENT_LEMMAS = frozenset("""accuse blame deny dismiss reject rebuff refute criticize criticise announce confirm
    describe call identify report""".split())

#: What a claim can be about, for the recurring questions of news coverage: words and phrases, where a trailing ``*``
#: matches any ending (``"accus*"`` matches "accused" and "accusation"). A claim can answer several; claims that answer the same question are aligned
#: even when they share few words ("Kyiv blamed Moscow for the blast" and "the Kremlin called it sabotage by
#: Ukraine"): see :func:`crosscheck.extract.questions.question_types`.
QUESTION_CUES: dict[str, tuple[str, ...]] = {
    # who did it, and the denials and rebuttals of that
    "responsibility": ("blam*", "accus*", "responsib*", "behind", "sabotag*", "blew up", "blown up", "blow up", "terroris*",
                       "involv*", "culprit*", "perpetrat*", "order*", "shot down", "downed", "deliberat*", "provocat*",
                       "lie", "lies", "deny", "denied", "denies", "denial*", "fault*", "neglect*", "guilt*", "hand in",
                       "carried out", "plot*", "assassinat*", "fiction*", "false*", "preposterous*", "dismiss*", "reject*",
                       "attack*", "alleg*", "speculat*", "absurd*", "nothing to do", "propaganda*", "disinformation*",
                       "revenge*", "retaliat*", "blew out", "blown out"),
    # how many died, were hurt, are missing, were found
    "casualties": ("kill*", "dead", "death*", "died", "die", "toll*", "bodies", "body", "fatalit*", "victim*", "lives",
                   "perish*", "missing*", "presumed*", "recover*", "rescu*", "surviv*", "injur*", "wound*", "casualt*"),
    # why it happened and what the inquiry found
    "cause": ("cause*", "caused", "causes", "causing", "investigat*", "probe*", "inquir*", "examin*", "evidence*", "theor*",
              "possib*", "error*", "malfunction*", "failur*", "failed", "outage*", "impact*", "confirm*", "indicat*",
              "explan*", "explain*", "blackout*", "fault*"),
    # floods and water levels
    "flooding": ("flood*", "water*", "recede*", "receding*", "level*", "submerg*", "inundat*"),
    # people moved out, shelters
    "evacuation": ("evacuat*", "displac*", "flee", "fled", "homeless*", "shelter*", "relocat*"),
    # who was there: passengers, crew, identities
    "identity": ("on board", "onboard", "aboard", "passenger*", "identit*", "identif*", "manifest*", "dna", "genetic*"),
    # where someone is or went
    "whereabouts": ("where", "whereabouts", "arrived", "arrive", "located", "fled to", "left the country", "asylum*",
                    "staying in", "hiding*"),
    # condolences, funerals, mourning
    "reaction": ("condolen*", "mourn*", "sympath*", "tribute*", "grief*", "funeral*", "buried", "burial*", "memorial*"),
    # what it costs and who pays
    "cost": ("$", "dollar*", "euro*", "cost*", "compensat*", "insur*", "lawsuit*", "damages", "liabil*", "sue", "sued",
             "billion*", "million*"),
}
#: The questions whose answer changes as an event unfolds: a toll rises, water recedes, people are moved, a cost
#: estimate grows, someone travels. Only on these may a later report supersede an earlier one (``update``); who caused
#: it, who was aboard and how people reacted are fixed, so rival answers to them stay ``disputed`` however far apart
#: they are published.
TIME_VARYING_QUESTIONS = frozenset({"casualties", "flooding", "evacuation", "whereabouts", "cost"})
#: The number roles (:data:`EVENT_ROLES`) that count something that changes over time: tolls, the missing, evacuees.
TIME_VARYING_ROLES = frozenset({"death", "injury", "missing", "evacuation", "rescue", "arrest", "flooding"})

#: Adjectives and short forms that name a country's side in a speaker ("Ukrainian officials", "U.S. officials",
#: "UK defence sources"): see :func:`crosscheck.sides.speaker_side`.
DEMONYMS: dict[str, str] = {
    "Russian": "Russia", "Ukrainian": "Ukraine", "American": "United States", "U.S.": "United States",
    "US": "United States", "USA": "United States", "British": "United Kingdom", "UK": "United Kingdom",
    "U.K.": "United Kingdom", "German": "Germany", "French": "France", "Swedish": "Sweden", "Danish": "Denmark",
    "Norwegian": "Norway", "Finnish": "Finland", "Polish": "Poland", "Chinese": "China", "Belarusian": "Belarus",
    "Syrian": "Syria", "Israeli": "Israel", "Palestinian": "Palestine", "Iranian": "Iran", "Turkish": "Turkey",
    "Italian": "Italy", "Spanish": "Spain", "Dutch": "Netherlands", "Belgian": "Belgium", "Japanese": "Japan",
    "Indian": "India", "Pakistani": "Pakistan", "Saudi": "Saudi Arabia", "Egyptian": "Egypt", "Lebanese": "Lebanon",
    "Iraqi": "Iraq", "Jordanian": "Jordan", "Qatari": "Qatar", "Emirati": "United Arab Emirates",
    "Canadian": "Canada", "Australian": "Australia", "Brazilian": "Brazil", "Mexican": "Mexico",
    "Venezuelan": "Venezuela", "Georgian": "Georgia", "Armenian": "Armenia", "Azerbaijani": "Azerbaijan",
    "Hungarian": "Hungary", "Romanian": "Romania", "Estonian": "Estonia", "Latvian": "Latvia",
    "Lithuanian": "Lithuania", "Greek": "Greece", "Serbian": "Serbia", "Korean": "South Korea",
    "North Korean": "North Korea", "Taiwanese": "Taiwan", "Afghan": "Afghanistan", "Libyan": "Libya",
    "Sudanese": "Sudan", "Ethiopian": "Ethiopia", "Nigerian": "Nigeria", "Kenyan": "Kenya",
}
#: Seats of power and institutions that stand for a country's government in attributions ("the Kremlin said",
#: "the Pentagon said"); capitals are found through the gazetteer.
SEATS_OF_POWER: dict[str, str] = {
    "Kremlin": "Russia", "Pentagon": "United States", "White House": "United States", "State Department":
    "United States", "Downing Street": "United Kingdom", "Whitehall": "United Kingdom", "Elysee": "France",
    "Élysée": "France", "Bundeswehr": "Germany", "Knesset": "Israel", "IDF": "Israel", "Rosaviatsia": "Russia",
    "FSB": "Russia", "SBU": "Ukraine", "Verkhovna Rada": "Ukraine", "Zelensky": "Ukraine", "Zelenskyy": "Ukraine",
    "Putin": "Russia", "Peskov": "Russia", "Lavrov": "Russia", "Zakharova": "Russia", "Biden": "United States",
}
