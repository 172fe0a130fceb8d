"""Attribution pairs derived from NLI training rows (a training-data augmentation).

News reports relay most claims through a speaker: "The minister resigned on Friday, his
office said." In crosscheck the *speaker* is the rules' business (the extractor's ``speaker``
and ``hedge``, the judge's ``disputed`` relation); the NLI model judges the *content*. So the model
should read an attribution as transparent: "X, officials said." against Y gets the label
that X against Y has. NLI training sets hardly hold reported speech, and a model trained
with negation pairs alone (v4, see docs/nli-model.md) started to see a contradiction
between a claim and its quoted restatement. This module derives, from rows whose label is
known, the same pair with a reporting clause on one side and the label kept:

* ``(P, attributed H)`` and ``(attributed P, H)``, for all three labels;
* rows derived by :mod:`crosscheck.training.negation` are rows like any other here, so a
  negated hypothesis with a speaker ("The man is not sleeping, witnesses said.") keeps its
  contradiction when the input frame holds them.

The reporting clause is appended ("..., police said.") or, when the sentence starts with a
determiner or number whose case can be lowered safely, put in front ("According to police,
a man is ..."). :func:`attribute` returns ``None`` for questions, exclamations and
sentences that already report speech, so such rows are skipped.

>>> attribute("A man is playing a guitar.", "witnesses said")
'A man is playing a guitar, witnesses said.'
>>> attribute("The minister has resigned.", "witnesses said", front=True)
'According to witnesses, the minister has resigned.'
>>> attribute("Is he home?", "police said") is None
True
"""

from __future__ import annotations

import random
import re
from typing import Any

from crosscheck.training.negation import DERIVED_COLUMNS, derived_rows

__all__ = ["attribute", "attribution_pairs", "ATTRIBUTION_SOURCE", "SPEAKERS"]

#: ``source`` value of derived rows (the original source is kept in ``genre``).
ATTRIBUTION_SOURCE = "attribution_aug"

#: Reporting clauses, as appended ("..., police said."); the front form is "According to police, ...".
SPEAKERS: tuple[str, ...] = (
    "officials said", "police said", "witnesses said", "a spokesman said", "a spokeswoman said",
    "the ministry said", "the agency reported", "local media reported", "sources said", "the government said",
    "reporters said", "the statement said", "he said", "she said", "they told reporters",
)
#: First words whose lower-case form is still right after "According to X, ".
_LOWERABLE = frozenset({"A", "An", "The", "Two", "Three", "Four", "Five", "Several", "Some", "Many", "One", "This",
                        "These", "Those", "There", "Most", "All"})
_REPORTED = re.compile(r"\b(?:said|says|say|told|reported|according|claimed|stated|announced)\b", re.IGNORECASE)
_FRONT = re.compile(r"^(?P<who>.+?) (?:said|reported)$")


def attribute(sentence: str, speaker: str, *, front: bool = False) -> str | None:
    """The sentence relayed by ``speaker`` (a reporting clause from :data:`SPEAKERS`), or ``None``.

    ``front=False`` appends the clause ("X, police said."); ``front=True`` writes "According
    to police, x" and needs a first word in a small set of determiners and numbers (else
    ``None``). Questions, exclamations and sentences that already report speech give ``None``.
    """
    text = sentence.strip()
    if not text or text[-1] in "?!" or _REPORTED.search(text):
        return None
    body = text[:-1] if text.endswith(".") else text
    if not front:
        return f"{body}, {speaker}."
    match = _FRONT.match(speaker)
    first, _, rest = body.partition(" ")
    if match is None or first not in _LOWERABLE or not rest:
        return None
    return f"According to {match.group('who')}, {first.lower()} {rest}."


def attribution_pairs(frame: Any, *, n: int, seed: int) -> Any:
    """Up to ``n`` derived pairs from a frame of NLI rows, each with the original label.

    Half put a reporting clause on the hypothesis, half on the premise (:func:`attribute`,
    a seeded choice of speaker and of appended or front form). Rows are a seeded sample
    without repeats among those the clause can be added to; ``n=0`` or fewer eligible rows
    give fewer pairs. Derived rows have ``source`` = :data:`ATTRIBUTION_SOURCE`, ``genre`` =
    the original source, the original licence, and ``orig_split`` = ``"derived"``.
    """
    import pandas as pd

    if n <= 0 or frame.empty:
        return pd.DataFrame(columns=list(DERIVED_COLUMNS))
    rng = random.Random(seed)
    order = list(range(len(frame)))
    rng.shuffle(order)
    premises, hypotheses, labels, used = [], [], [], []
    for i in order:
        if len(used) >= n:
            break
        row = frame.iloc[i]
        on_premise = len(used) % 2 == 1
        speaker = rng.choice(SPEAKERS)
        original = row.premise if on_premise else row.hypothesis
        front = rng.random() < 0.3
        text = attribute(original, speaker, front=front) or (attribute(original, speaker) if front else None)
        if text is None:
            continue
        premises.append(text if on_premise else row.premise)
        hypotheses.append(row.hypothesis if on_premise else text)
        labels.append(row.label)
        used.append(i)
    return derived_rows(frame.iloc[used], premises, hypotheses, labels, source=ATTRIBUTION_SOURCE)
