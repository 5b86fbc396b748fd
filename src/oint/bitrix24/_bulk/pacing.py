"""How many of a plan's requests go out now: what the bucket admits, up to a cap.

A fixed number in flight either idles the budget (a portal 0.3 to 1 s away answers two
requests a second when two are in flight, while its bucket would take fifty at once) or
overruns it. So a driver starts as many requests as the bucket has free slots *now* (the
burst at the start, then one each time the drain frees one), never more than ``cap`` in
flight or waiting to go, and only one at a time for a method that its operating window is
slowing down. The cap bounds memory: each request in flight may come back as a large reply
(a walk's batch holds 2,500 records), and replies are handed on in order, so a slow one
holds the later ones until it arrives.

A portal that answers at once is the exception (a real one takes 0.3 to 1 s), and there
many requests at once cost more than they bring: each needs a connection of its own (a TLS
handshake) and a thread, while the server answers them one after another anyway. So a plan
starts with ``Near.window`` in flight, and takes what the bucket admits once its first
request has been out ``Near.seconds`` (the portal is far or slow, and concurrency pays); a
first reply faster than that keeps the short pipeline for the whole plan.

The slots are taken here (``Bucket.take``), so each started request must run under
``limits.prepaid()``: its first attempt then does not take a second slot. ``Pacer`` does
no I/O; the clients' ``_drive`` loops send, wait and sleep.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .._errors import OintError, UsageError
from .._reliability.limits import Limiter
from .._response import Response
from .._spec import ApiRequest
from .plans import Plan

__all__ = ["NEAR", "Near", "Pacer"]

T = TypeVar("T")

# A bucket slot computed to free in a few microseconds is not worth a busy loop.
_MIN_PAUSE = 0.001


@dataclass(frozen=True)
class Near:
    """A portal whose first reply comes within ``seconds`` gets ``window`` requests at once."""

    # Twice as quick as the quickest real portal, three times slower than the cold first
    # reply of a local emulator (0.05 s).
    seconds: float = 0.15
    window: int = 4


NEAR = Near()


class Pacer(Generic[T]):
    """The pacing of one plan. Per turn: ``launch()``, then wait for the oldest request's
    reply at most ``pause`` seconds (forever when None), and ``accept`` it if it came."""

    def __init__(self, plan: Plan[T], limiter: Limiter | None, cap: int, *,
                 near: Near | None = NEAR,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if cap < 1:
            raise UsageError(f"window is the most requests in flight: at least 1, not {cap}")
        self._plan = plan
        self._limiter = limiter
        self._cap = cap
        self._queued: deque[ApiRequest] = deque()  # planned, waiting for a bucket slot
        # Until the first reply (or a long wait for it) settles how near the portal is, the
        # rule to judge by, and when the first request left; then the cap near portals get.
        self._probe = near
        self._first_sent_at: float | None = None
        self._near_window = near.window if near is not None else None
        self._clock = clock
        self.in_flight = 0
        self.pause: float | None = None

    @property
    def finished(self) -> bool:
        return not self.in_flight and not self._queued

    def launch(self) -> list[ApiRequest]:
        """The requests to start now, in the plan's order; their slots are taken."""
        now = self._clock()
        if self._first_out_long(now):
            self._settle(far=True)
        cap = min(self._cap, self._plan.max_in_flight or self._cap,
                  self._near_window or self._cap)
        room = cap - self.in_flight - len(self._queued)
        if room > 0:
            self._queued.extend(self._plan.next_requests(room))
        self.pause = None
        if not self._queued:
            self._wake_to_settle(now)
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
        if count and self._first_sent_at is None:
            self._first_sent_at = now
        self._wake_to_settle(now)
        return started

    def _first_out_long(self, now: float) -> bool:
        """Whether the first request, still probing, has been out long enough to prove the
        portal far."""
        return (self._probe is not None and self._first_sent_at is not None
                and now - self._first_sent_at >= self._probe.seconds)

    def _settle(self, *, far: bool) -> None:
        self._probe = None
        if far:
            self._near_window = None

    def _wake_to_settle(self, now: float) -> None:
        """Wake the driver when the first request would prove the portal far."""
        if self._probe is None or self._first_sent_at is None:
            return
        due = max(self._probe.seconds - (now - self._first_sent_at), _MIN_PAUSE)
        self.pause = due if self.pause is None else min(self.pause, due)

    def accept(self, reply: Response[Any] | OintError) -> Sequence[T]:
        """The oldest request's reply; the items it completes."""
        self.in_flight -= 1
        if self._probe is not None:  # the first reply: it came soon, or it proves far
            self._settle(far=self._first_out_long(self._clock()))
        return self._plan.accept(reply)
