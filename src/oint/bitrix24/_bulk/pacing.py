"""How many of a plan's requests go out now: what the bucket admits, up to a cap.

A fixed number in flight either idles the budget (a portal 0.3 to 1 s away answers two
requests a second when two are in flight, while its bucket would take fifty at once) or
overruns it. So a driver starts as many requests as the bucket has free slots *now* (the
burst at the start, then one each time the drain frees one), never more than ``cap`` in
flight or waiting to go, and only one at a time for a method that its operating window is
slowing down. The cap bounds memory: each request in flight may come back as a large reply
(a walk's batch holds 2,500 records), and replies are handed on in order, so a slow one
holds the later ones until it arrives.

The slots are taken here (``Bucket.take``), so each started request must run under
``limits.prepaid()``: its first attempt then does not take a second slot. ``Pacer`` does
no I/O; the clients' ``_drive`` loops send, wait and sleep.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from .._errors import OintError, UsageError
from .._reliability.limits import Limiter
from .._response import Response
from .._spec import ApiRequest
from .plans import Plan

__all__ = ["Pacer"]

T = TypeVar("T")

# A bucket slot computed to free in a few microseconds is not worth a busy loop.
_MIN_PAUSE = 0.001


class Pacer(Generic[T]):
    """The pacing of one plan. Per turn: ``launch()``, then wait for the oldest request's
    reply at most ``pause`` seconds (forever when None), and ``accept`` it if it came."""

    def __init__(self, plan: Plan[T], limiter: Limiter | None, cap: int) -> None:
        if cap < 1:
            raise UsageError(f"window is the most requests in flight: at least 1, not {cap}")
        self._plan = plan
        self._limiter = limiter
        self._cap = cap
        self._queued: deque[ApiRequest] = deque()  # planned, waiting for a bucket slot
        self.in_flight = 0
        self.pause: float | None = None

    @property
    def finished(self) -> bool:
        return not self.in_flight and not self._queued

    def launch(self) -> list[ApiRequest]:
        """The requests to start now, in the plan's order; their slots are taken."""
        cap = min(self._cap, self._plan.max_in_flight or self._cap)
        room = cap - self.in_flight - len(self._queued)
        if room > 0:
            self._queued.extend(self._plan.next_requests(room))
        self.pause = None
        if not self._queued:
            return []
        count = len(self._queued)
        if self._limiter is not None:
            first = self._queued[0]
            if self._limiter.throttled(first.method, first.params):
                count = 0 if self.in_flight else 1
            if count:
                count, pause = self._limiter.bucket.take(count)
                if count < len(self._queued):
                    self.pause = max(pause, _MIN_PAUSE)
        started = [self._queued.popleft() for _ in range(count)]
        self.in_flight += count
        return started

    def accept(self, reply: Response[Any] | OintError) -> Sequence[T]:
        """The oldest request's reply; the items it completes."""
        self.in_flight -= 1
        return self._plan.accept(reply)
