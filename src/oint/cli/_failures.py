"""From a failure to its exit status and the words that introduce it (one table)."""

from __future__ import annotations

from ..bitrix24._errors import (
    Bitrix24Error,
    OintError,
    OutcomeUnknownError,
    TransportError,
    UsageError,
)
from ._status import ExitStatus

__all__ = ["describe_failure"]

# Most specific first: an outcome-unknown write is a transport failure with its own words.
_FAILURES: tuple[tuple[type[OintError], ExitStatus, str], ...] = (
    (UsageError, ExitStatus.USAGE, ""),
    (Bitrix24Error, ExitStatus.API_ERROR, "the API answered an error: "),
    (OutcomeUnknownError, ExitStatus.UNREACHABLE, "outcome unknown: "),
    (TransportError, ExitStatus.UNREACHABLE, ""),
)


def describe_failure(error: OintError) -> tuple[ExitStatus, str]:
    """The exit status of a failure and the words that introduce its message."""
    for kind, status, prefix in _FAILURES:
        if isinstance(error, kind):
            return status, prefix
    return ExitStatus.INTERNAL, ""
