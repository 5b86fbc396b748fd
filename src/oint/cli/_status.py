"""Exit codes of ``oint`` (documented in the README)."""

from __future__ import annotations

import enum

from ..bitrix24._errors import (
    Bitrix24Error,
    OintError,
    OutcomeUnknownError,
    TransportError,
    UsageError,
)

__all__ = ["ExitStatus", "describe_failure"]


class ExitStatus(enum.IntEnum):
    SUCCESS = 0
    UNKNOWN_LIBRARY = 1
    USAGE = 2  # unknown method or option, missing option, unreadable JSON or path
    API_ERROR = 3  # the API answered with an error; its JSON is printed
    UNREACHABLE = 4  # no answer from the portal, or the outcome of a write is unknown
    INTERNAL = 5  # a bug in oint
    INTERRUPTED = 130


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
