"""From a failure to its exit status and the words that introduce it (one table)."""

from __future__ import annotations

from typing import NamedTuple

from ..bitrix24._errors import (
    Bitrix24Error,
    DeadlineError,
    OintError,
    OutcomeUnknownError,
    PortalMovedError,
    ReplyTooLargeError,
    TransportError,
    UsageError,
)
from ._status import ExitStatus

__all__ = ["Failure", "describe_failure"]


class Failure(NamedTuple):
    status: ExitStatus
    prefix: str  # the words that introduce the message on stderr
    code: str  # the "error" a bulk run's JSON line gives when the API gave none


# Most specific first: an outcome-unknown write is a transport failure with its own words.
_FAILURES: tuple[tuple[type[OintError], Failure], ...] = (
    (UsageError, Failure(ExitStatus.USAGE, "", "USAGE_ERROR")),
    (Bitrix24Error, Failure(ExitStatus.API_ERROR, "the API answered an error: ", "")),
    (OutcomeUnknownError, Failure(ExitStatus.UNREACHABLE, "outcome unknown: ", "OUTCOME_UNKNOWN")),
    (DeadlineError, Failure(ExitStatus.UNREACHABLE, "", "DEADLINE_EXCEEDED")),
    (PortalMovedError, Failure(ExitStatus.UNREACHABLE, "", "PORTAL_MOVED")),
    (TransportError, Failure(ExitStatus.UNREACHABLE, "", "TRANSPORT_ERROR")),
    (ReplyTooLargeError, Failure(ExitStatus.UNREACHABLE, "", "REPLY_TOO_LARGE")),
)
_OTHER = Failure(ExitStatus.INTERNAL, "", "USAGE_ERROR")


def describe_failure(error: OintError) -> Failure:
    """How a failure is reported: exit status, message prefix and error code."""
    for kind, failure in _FAILURES:
        if isinstance(error, kind):
            return failure
    return _OTHER
