"""crosscheck: cross-check several reports about the same event.

>>> import crosscheck
>>> sorted(crosscheck.RELATIONS)
['agree', 'contradict', 'disputed', 'related', 'update']

``import crosscheck`` loads none of the public names' modules (nor spaCy, the model runtimes or pandas): each
name below is imported from its module on first access (PEP 562), and so is a submodule reached as an attribute
(``crosscheck.pipeline``).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crosscheck.data import HEDGES, KINDS, RELATIONS, STANCES, Claim, Finding, Quantity, Report, TimeRef, Topic
    from crosscheck.errors import (
        CrosscheckError,
        DatasetError,
        InputError,
        ModelNotFoundError,
        OptionError,
        ReportError,
    )
    from crosscheck.pipeline import Checker, check, compare
    from crosscheck.result import Result
    from crosscheck.scale import EventResults, check_many
    from crosscheck.stances import Stance, StanceDetector, stance, stance_many

__version__ = "0.1.0"

#: The module each public name is imported from on first access.
_MODULE_OF: dict[str, str] = {
    **dict.fromkeys(("HEDGES", "KINDS", "RELATIONS", "STANCES", "Claim", "Finding", "Quantity", "Report", "TimeRef",
                     "Topic"), "crosscheck.data"),
    **dict.fromkeys(("CrosscheckError", "DatasetError", "InputError", "ModelNotFoundError", "OptionError",
                     "ReportError"), "crosscheck.errors"),
    **dict.fromkeys(("Checker", "check", "compare"), "crosscheck.pipeline"),
    "Result": "crosscheck.result",
    **dict.fromkeys(("EventResults", "check_many"), "crosscheck.scale"),
    **dict.fromkeys(("Stance", "StanceDetector", "stance", "stance_many"), "crosscheck.stances"),
}

__all__ = [
    "HEDGES", "KINDS", "RELATIONS", "STANCES", "Checker", "Claim", "CrosscheckError", "DatasetError", "EventResults",
    "Finding", "InputError", "ModelNotFoundError", "OptionError", "Quantity", "Report", "ReportError", "Result", "Stance",
    "StanceDetector", "TimeRef", "Topic", "check", "check_many", "compare", "stance", "stance_many", "__version__",
]

_HERE = Path(__file__).parent


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first access and kept; else a submodule of that name."""
    module = _MODULE_OF.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
    if not name.startswith("_") and ((_HERE / f"{name}.py").is_file() or (_HERE / name / "__init__.py").is_file()):
        return importlib.import_module(f"{__name__}.{name}")  # the import binds it here too
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
