"""Negation pairs derived from NLI training rows (a training-data augmentation).

The shipped NLI model misses negation inside longer sentences ("The bank's president did
not resign on Monday." -> "The president of the bank resigned over the loan scandal."
gets entailment 0.90). This module makes pairs that teach it, from rows whose label
logically fixes the label of the negated pair:

* premise P entails H, so P contradicts not-H: ``(P, not H)`` and, contradiction being
  symmetric, ``(not H, P)`` are contradictions (the second is the failing pattern: a
  negated short sentence against a longer affirmative one);
* P neither entails nor contradicts H, so it neither entails nor contradicts not-H:
  ``(P, not H)`` stays neutral. These pairs keep the model from learning "a negation
  on one side means contradiction". Only single-clause hypotheses are used here (no comma,
  "and", "which", ...): P could entail a second clause, and H with that clause kept and the
  other negated would then contradict P.

* P contradicts H, so P entails not-H: ``(P, not H)`` is an entailment (single-clause
  hypotheses only: P contradicting "A and B" only says one of them is false). These
  pairs, with the neutrals, teach that a negation on one side alone does not make a
  contradiction; without them (run v3, commit e4ff395) the model learned exactly that.
  In SNLI's one-scene reading, "A man is sleeping" contradicts "A man is running" because
  both describe the same man, who then is not running; in VitaminC a refuted claim's
  negation is what the evidence supports.

:func:`negate` only handles the safe case, a declarative sentence with an auxiliary
verb ("is", "was", "can", "has been", ...) and no negation yet; it returns ``None`` for
anything else, so a row is skipped rather than turned into bad English.

>>> negate("A man is playing a guitar.")
'A man is not playing a guitar.'
>>> negate("The minister has resigned.")
'The minister has not resigned.'
>>> negate("Nobody is home.") is None
True
"""

from __future__ import annotations

import re
from typing import Any

from crosscheck.lexicon import TRAINING_NEGATION

__all__ = ["negate", "negation_pairs", "NEGATION_SOURCE"]

#: ``source`` value of derived rows (the original source is kept in ``genre``).
NEGATION_SOURCE = "negation_aug"
#: Columns of derived rows (those of the training file).
DERIVED_COLUMNS = ("premise", "hypothesis", "label", "source", "genre", "license", "orig_split")

_AUXILIARIES = frozenset({"am", "is", "are", "was", "were", "can", "could", "will", "would", "should", "may",
                          "might", "must", "shall"})
_PERFECT = frozenset({"has", "have", "had"})
_NEGATED = TRAINING_NEGATION
_WORD = re.compile(r"\S+")
#: Clause links: a hypothesis with one of these may hold a second clause. Negating one clause
#: then fixes no label for neutral and contradiction rows (the premise may entail or deny the other).
_CLAUSE_LINK = re.compile(r"[,;:]|\b(?:and|but|or|which|who|whom|whose|that|while|because|although|though|when|"
                          r"where|if|after|before|since|until|as)\b", re.IGNORECASE)
_PLAIN = re.compile(r"[a-z]+")


def negate(sentence: str) -> str | None:
    """The sentence with "not" after its first auxiliary verb, or ``None`` when that is not safe.

    Safe means: no negation word already, not a question, an auxiliary (``is``, ``are``,
    ``was``, ``can``, ``will``, ...) that is not the first word and is followed by a
    lower-case word (so "a can of soda" and "in May" are left alone), or ``has/have/had``
    followed by "been" or a word of five or more letters ending in "-ed".
    """
    if "?" in sentence or _NEGATED.search(sentence):
        return None
    tokens = list(_WORD.finditer(sentence))
    for i in range(1, len(tokens) - 1):
        word, following = tokens[i].group(), tokens[i + 1].group().rstrip(".,;:!")
        if not _PLAIN.fullmatch(following) or following == "of":
            continue
        if word in _AUXILIARIES or (
            word in _PERFECT and (following == "been" or (following.endswith("ed") and len(following) >= 5))
        ):
            end = tokens[i].end()
            return sentence[:end] + " not" + sentence[end:]
    return None


def negation_pairs(frame: Any, *, n: int, seed: int, single_clause: bool = False) -> Any:
    """Up to ``n`` derived pairs from a frame of NLI rows (premise, hypothesis, label, source, license).

    A quarter are ``(P, not H)`` contradictions and a quarter their swapped ``(not H, P)``
    copies, both from entailment rows; a quarter are ``(P, not H)`` entailments from
    contradiction rows and the rest ``(P, not H)`` neutrals from neutral rows, both with a
    single-clause hypothesis. ``single_clause=True`` takes single-clause hypotheses for the
    contradictions too: otherwise a negated clause inside a longer sentence only ever appears
    as a contradiction, and the model learns that (v5 in docs/nli-model.md).

    Rows are a seeded sample among those whose hypothesis :func:`negate` can negate; ``n=0``
    or fewer eligible rows give fewer pairs, never repeats. Derived rows have ``source`` =
    :data:`NEGATION_SOURCE`, ``genre`` = the original source, the original licence, and
    ``orig_split`` = ``"derived"``.
    """
    import pandas as pd

    if n <= 0 or frame.empty:
        return pd.DataFrame(columns=list(DERIVED_COLUMNS))
    negated = frame.hypothesis.map(negate)
    usable = frame.assign(negated=negated)[negated.notna()]
    single = ~usable.hypothesis.str.contains(_CLAUSE_LINK)
    entail = usable[(usable.label == "entailment") & (single | (not single_clause))]
    contra = usable[(usable.label == "contradiction") & single]
    neutral = usable[(usable.label == "neutral") & single]
    n_contra = min(n // 4, len(entail))
    n_entail = min(n // 4, len(contra))
    n_neutral = min(n - 2 * n_contra - n_entail, len(neutral))
    entail = entail.sample(n=n_contra, random_state=seed)
    contra = contra.sample(n=n_entail, random_state=seed)
    neutral = neutral.sample(n=n_neutral, random_state=seed)

    def rows(part: Any, premise: Any, hypothesis: Any, label: str) -> Any:
        return derived_rows(part, premise, hypothesis, label, source=NEGATION_SOURCE)

    return pd.concat([
        rows(entail, entail.premise, entail.negated, "contradiction"),
        rows(entail, entail.negated, entail.premise, "contradiction"),
        rows(contra, contra.premise, contra.negated, "entailment"),
        rows(neutral, neutral.premise, neutral.negated, "neutral"),
    ], ignore_index=True)


def derived_rows(part: Any, premise: Any, hypothesis: Any, label: Any, *, source: str) -> Any:
    """Training rows derived from the rows of ``part``: ``genre`` keeps the original source,
    ``license`` the original licence, ``orig_split`` is ``"derived"``."""
    import pandas as pd

    return pd.DataFrame({"premise": list(premise), "hypothesis": list(hypothesis), "label": label,
                         "source": source, "genre": list(part.source), "license": list(part.license),
                         "orig_split": "derived"}, columns=list(DERIVED_COLUMNS))
