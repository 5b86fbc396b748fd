"""The streams and environment a command runs with (tests pass their own), and ``--out``."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections.abc import Mapping
from contextlib import ExitStack
from typing import Any, TextIO

__all__ = ["Console", "OutFile", "open_out", "to_json"]


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


class OutFile:
    """``--out PATH``, written so that PATH never holds a half result and a failed run
    leaves it as it was.

    The text goes to a temporary file beside PATH, renamed over it at the end; nothing is
    renamed if nothing was written (a bad option, an unreachable portal). Creating that file
    first proves the directory writable before any call is sent. If a write fails (a full
    disk), the rest goes to stdout, stderr says so, and PATH gets the whole lines written
    before. A PATH that is not a regular file (``/dev/stdout``, a pipe) is written directly.
    Writes are unbuffered, so what the file holds is always whole lines.
    """

    def __init__(self, path: str, console: Console) -> None:
        import tempfile  # only --out needs it: not on every command's start-up

        from ..bitrix24._errors import UsageError

        self.path = path
        self.failed = False
        self._console = console
        self._target = os.path.realpath(path)  # through a symlink, which stays
        self._temp: str | None = None
        self._written = 0
        self._closed = False
        try:
            existing: os.stat_result | None = os.stat(self._target)
        except OSError:
            existing = None
        try:
            if existing is not None and not stat.S_ISREG(existing.st_mode):
                self._fd = os.open(path, os.O_WRONLY)
                return
            self._fd, self._temp = tempfile.mkstemp(
                dir=os.path.dirname(self._target),
                prefix=f".{os.path.basename(self._target)}.", suffix=".tmp",
            )
        except OSError as exc:
            raise UsageError(f"cannot write --out {path}: {exc.strerror}") from None
        # mkstemp makes it 0600; the result gets the mode PATH had, or a new file's.
        self._mode = stat.S_IMODE(existing.st_mode) if existing else _new_file_mode()

    def write(self, text: str) -> None:
        """``text`` and a newline, in the file or (after a failed write) on stdout."""
        if not self.failed:
            data = (text + "\n").encode()
            try:
                done = 0
                while done < len(data):
                    done += os.write(self._fd, data[done:])
                self._written += len(data)
                return
            except OSError as exc:
                self._fail(exc, "the result is on stdout instead")
                if self._temp is not None:
                    with contextlib.suppress(OSError):
                        os.ftruncate(self._fd, self._written)  # whole lines only
        self._console.out(text)

    def _fail(self, exc: OSError, where: str) -> None:
        self.failed = True
        self._console.err(f"oint: cannot write --out {self.path} ({exc.strerror}); {where}")

    def close(self) -> None:
        """Put what was written in place (or leave PATH as it was if nothing was)."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._temp is not None and self._written:
                os.fsync(self._fd)
            os.close(self._fd)
            if self._temp is None:
                return
            if not self._written:
                os.unlink(self._temp)
                return
            os.chmod(self._temp, self._mode)
            os.replace(self._temp, self._target)
        except OSError as exc:
            self._fail(exc, f"what was written is in {self._temp}")

    def abandon(self) -> None:
        """For a signal handler (no Python stream touched): what the file holds goes in
        place."""
        if self._temp is not None and self._written and not self._closed:
            try:
                os.chmod(self._temp, self._mode)
                os.replace(self._temp, self._target)
            except OSError:
                pass


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def open_out(path: str | None, console: Console, stack: ExitStack) -> OutFile | None:
    """The ``--out`` file, set up before the call so that a path that cannot be written
    fails before anything is sent; it is put in place when ``stack`` closes."""
    if path is None:
        return None
    out = OutFile(path, console)
    stack.callback(out.close)
    return out
