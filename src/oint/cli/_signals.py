"""SIGINT and SIGTERM during a bulk run: the first stops it cleanly, a second abandons it.

The first signal only raises a flag: no new call is sent, the calls in flight finish (each
within its deadline) and their results are written, and the run exits 130 or 143. If the
signal comes while the run is blocked reading its input, that read is cut short: lines read
but not yet sent are simply not run. A second signal ends the process at once, after saying
which lines were sent and have no result.

Handlers may run at any bytecode of the main thread, even inside a write to stderr, so they
write with ``os.write`` on the descriptor and touch no Python stream.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TextIO

from ._status import ExitStatus

__all__ = ["Interrupted", "Stop", "stopping"]

_STATUS = {signal.SIGINT: ExitStatus.INTERRUPTED, signal.SIGTERM: ExitStatus.TERMINATED}


class Interrupted(BaseException):
    """Raised into a blocking read of the input by the first signal (never escapes)."""


class Stop:
    def __init__(self, stderr: TextIO) -> None:
        self.signal: int | None = None
        self._reading = False
        self._stderr = stderr
        # What a second signal says before the process ends: set by the run.
        self.last_words: Callable[[], str] = lambda: ""

    @property
    def requested(self) -> bool:
        return self.signal is not None

    @property
    def name(self) -> str:
        return signal.Signals(self.signal).name if self.signal is not None else ""

    @property
    def status(self) -> ExitStatus:
        return _STATUS.get(signal.Signals(self.signal or signal.SIGINT), ExitStatus.INTERRUPTED)

    def _say(self, text: str) -> None:
        # A test's stream has no descriptor: it is not told.
        with contextlib.suppress(OSError, AttributeError, ValueError):
            os.write(self._stderr.fileno(), (text + "\n").encode())

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signal is not None:
            self.signal = signum
            self._say(f"oint: {self.name} again: stopping now. {self.last_words()}".rstrip())
            os._exit(self.status)
        self.signal = signum
        self._say(f"oint: {self.name}: stopping: no new calls go out; the results of the "
                  "calls in flight are written first (send it again to abandon them)")
        if self._reading:
            raise Interrupted

    @contextmanager
    def interruptible(self) -> Iterator[None]:
        """A blocking read that the first signal may cut short (raising ``Interrupted``)."""
        self._reading = True
        try:
            yield
        finally:
            self._reading = False


@contextmanager
def stopping(stderr: TextIO) -> Iterator[Stop]:
    stop = Stop(stderr)
    if threading.current_thread() is not threading.main_thread():
        yield stop  # only the main thread receives signals
        return
    previous = {sig: signal.signal(sig, stop._handle) for sig in _STATUS}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
