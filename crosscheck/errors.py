"""The exception hierarchy of crosscheck: every error is a :class:`CrosscheckError`.

Messages start with a stable code in brackets (``[E101]``) so that scripts and
issue reports can refer to them.
"""

from __future__ import annotations


class CrosscheckError(Exception):
    """Root of every error raised by crosscheck."""


class ReportError(CrosscheckError, ValueError):
    """A report is unusable: empty or non-string text, bad date, bad id, unreadable file."""

    def __init__(self, message: str, *, report_id: str | None = None) -> None:
        self.report_id = report_id
        prefix = f"report {report_id!r}: " if report_id is not None else ""
        super().__init__(prefix + message)


class InputError(CrosscheckError, ValueError):
    """The set of reports or an option is invalid (too few reports, duplicate ids, bad parameter)."""


class ModelNotFoundError(CrosscheckError, ImportError):
    """A model package or a local model directory is missing."""


class DatasetError(CrosscheckError, FileNotFoundError):
    """An evaluation data set is missing or malformed."""
