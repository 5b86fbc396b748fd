"""The streams and environment a command runs with (tests pass their own)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from contextlib import ExitStack
from typing import Any, TextIO

__all__ = ["Console", "open_out", "to_json"]


def to_json(data: Any) -> str:
    # OPI prints results with a one-space indent and no escaping of non-ASCII text.
    return json.dumps(data, ensure_ascii=False, indent=1)


class Console:
    """Where a command reads and writes: the process's streams unless a test gives its own."""

    def __init__(
        self, stdout: TextIO | None = None, stderr: TextIO | None = None,
        environ: Mapping[str, str] | None = None, stdin: TextIO | None = None,
    ) -> None:
        self.stdout = stdout if stdout is not None else sys.stdout
        self.stderr = stderr if stderr is not None else sys.stderr
        self.environ = environ if environ is not None else os.environ
        self.stdin = stdin if stdin is not None else sys.stdin

    def out(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def err(self, text: str) -> None:
        self.stderr.write(text + "\n")
        self.stderr.flush()


def open_out(path: str | None, stack: ExitStack) -> TextIO | None:
    """The ``--out`` file, opened before the call so that a result is never lost to a path
    that cannot be written."""
    if path is None:
        return None
    try:
        return stack.enter_context(open(path, "w", encoding="utf-8"))
    except OSError as exc:
        from ..bitrix24._errors import UsageError

        raise UsageError(f"cannot write --out {path}: {exc.strerror}") from None
