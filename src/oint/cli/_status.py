"""Exit codes of ``oint`` (documented in the README)."""

from __future__ import annotations

import enum

__all__ = ["ExitStatus"]


class ExitStatus(enum.IntEnum):
    SUCCESS = 0
    UNKNOWN_LIBRARY = 1
    # unknown method or option, missing option, unreadable JSON or path, and faults of the
    # environment: a closed stdin or stdout, an --out file that cannot be written
    USAGE = 2
    API_ERROR = 3  # the API answered with an error; its JSON is printed
    UNREACHABLE = 4  # no answer from the portal, or the outcome of a write is unknown
    INTERNAL = 5  # a bug in oint
    INTERRUPTED = 130  # SIGINT (128 + 2), as a shell reports it
    BROKEN_PIPE = 141  # the reader of stdout went away (128 + SIGPIPE): a quiet stop
    TERMINATED = 143  # SIGTERM (128 + 15)
