"""Places in a claim: where an unknown whereabouts is said, and which places a location preposition
introduces."""

from __future__ import annotations

import re

UNKNOWN_PLACE = re.compile(
    r"\b(?:did not (?:say|disclose|reveal|specify) where|(?:whereabouts|location)\s+(?:is|are|was|were|remains?|remained)\s+"
    r"(?:still\s+)?(?:unknown|unclear|not known|a mystery)|(?:unclear|not known|unknown) where|no word on (?:his|her|their) "
    r"whereabouts|not said where)\b", re.IGNORECASE)
LOCATION_PREP = re.compile(r"\b(?:in|to|at|into|inside|reached|arrived in|(?:and )?then (?:for|to)|(?:left|leave|leaving|headed|bound|flew|fled) (?:for|to))\s+(?:the\s+)?(?:city of\s+)?$",
                            re.IGNORECASE)
