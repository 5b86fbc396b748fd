"""Exit codes of ``oint`` (documented in the README)."""

from __future__ import annotations

import enum

__all__ = ["ExitStatus"]


class ExitStatus(enum.IntEnum):
    SUCCESS = 0
    UNKNOWN_LIBRARY = 1
    USAGE = 2  # unknown method or option, missing option, unreadable JSON or path
    API_ERROR = 3  # the API answered with an error; its JSON is printed
    UNREACHABLE = 4  # no answer from the portal, or the outcome of a write is unknown
    INTERNAL = 5  # a bug in oint
    INTERRUPTED = 130
