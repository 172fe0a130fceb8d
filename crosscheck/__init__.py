"""crosscheck: cross-check several reports about the same event.

>>> import crosscheck
>>> sorted(crosscheck.RELATIONS)
['agree', 'contradict', 'disputed', 'related', 'update']
"""

from crosscheck.data import HEDGES, KINDS, RELATIONS, STANCES, Claim, Finding, Quantity, Report, TimeRef, Topic
from crosscheck.errors import CrosscheckError, DatasetError, InputError, ModelNotFoundError, OptionError, ReportError
from crosscheck.pipeline import Checker, check, compare
from crosscheck.result import Result
from crosscheck.scale import EventResults, check_many
from crosscheck.stances import Stance, StanceDetector, stance, stance_many

__version__ = "0.1.0"

__all__ = [
    "HEDGES", "KINDS", "RELATIONS", "STANCES", "Checker", "Claim", "CrosscheckError", "DatasetError", "EventResults",
    "Finding", "InputError", "ModelNotFoundError", "OptionError", "Quantity", "Report", "ReportError", "Result", "Stance",
    "StanceDetector", "TimeRef", "Topic", "check", "check_many", "compare", "stance", "stance_many", "__version__",
]
