"""Client-side limits: the portal's leaky bucket and each method's operating-time window.

Both are deciders: they answer "how long to wait before this call" and never sleep. The
client's coordinator (``_flow``) does the waiting, so the sync and async clients share them.
One ``Limiter`` belongs to one client and is shared by all its threads and tasks; its lock
is held only to update numbers, never while waiting, so it is safe in an event loop too.
``RedisLimits`` (``redis_limits``) keeps the same two in Redis, for many processes.

The client's bucket runs a little below the portal's (``HEADROOM_SECONDS`` of the burst
and ``DRAIN_HEADROOM`` of the drain). The portal starts draining when the first request of
a burst *arrives*; if that one was slower on its way than a later one (a new connection's
handshake, a busy thread), the portal's level is higher than the client's by that
difference times the drain, and a client running exactly at the edge earns a 503.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "DRAIN_HEADROOM",
    "HEADROOM_SECONDS",
    "Bucket",
    "Clock",
    "LeakyBucket",
    "Limiter",
    "Limits",
    "OperatingWindow",
    "SystemClock",
    "prepaid",
    "spend_prepaid",
]

# Arrival jitter the client's bucket absorbs: at 2 requests a second one request of the
# burst is kept free, at 10 a second five.
HEADROOM_SECONDS = 0.5
# A share of the drain kept free, so that a slow drift (a clock, a growing network delay)
# cannot eat the burst's headroom over a long run.
DRAIN_HEADROOM = 0.01


class Clock(Protocol):
    """Where the limiters read the time (injectable, so deciders are testable alone)."""

    def monotonic(self) -> float: ...

    def time(self) -> float: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()


@dataclass(frozen=True)
class Limits:
    """The portal's limits as the client mirrors them.

    ``drain`` requests per second leave the bucket and it holds ``burst``: Bitrix24 answers
    503 ``QUERY_LIMIT_EXCEEDED`` above that. Each method may spend ``operating_budget``
    seconds of server time per ``operating_window``; from ``slow_at`` (a share of the
    budget) on, the client spaces that method's calls out, and at the budget it waits for
    ``operating_reset_at`` instead of earning a 429.
    """

    drain: float = 2.0
    burst: int = 50
    operating_budget: float = 480.0
    operating_window: float = 600.0
    slow_at: float = 0.8

    def __post_init__(self) -> None:
        if self.drain <= 0 or self.burst < 1:
            raise ValueError("Limits need drain > 0 and burst >= 1")
        if self.operating_budget <= 0 or self.operating_window <= 0:
            raise ValueError("Limits need a positive operating budget and window")
        if not 0 < self.slow_at <= 1:
            raise ValueError("Limits.slow_at is a share of the budget: 0 < slow_at <= 1")

    @classmethod
    def standard(cls) -> Limits:
        """Every plan but Enterprise: 2 requests a second, bursts of 50 (the default)."""
        return cls()

    @classmethod
    def enterprise(cls) -> Limits:
        """Enterprise plans: 5 requests a second, bursts of 250."""
        return cls(drain=5.0, burst=250)

    @property
    def client_drain(self) -> float:
        """The drain the client keeps to: the portal's, less ``DRAIN_HEADROOM``."""
        return self.drain * (1.0 - DRAIN_HEADROOM)

    @property
    def client_burst(self) -> float:
        """The burst the client keeps to: the portal's, less ``HEADROOM_SECONDS`` of drain
        (at least one request stays available)."""
        margin = math.ceil(HEADROOM_SECONDS * self.drain)
        return float(max(1, self.burst - margin))

    def build(self, clock: Clock) -> tuple[Bucket, OperatingWindow]:
        """The bucket and the operating window that enforce these limits in this process
        (``RedisLimits`` builds ones kept in Redis)."""
        return (LeakyBucket(self.client_drain, self.client_burst, clock),
                OperatingWindow(self, clock))


# A driver of many requests (``_bulk.pacing``) takes bucket slots itself, so that it starts
# only what the bucket admits now; the call flow then takes a slot before each attempt, and
# must not take a second one for such a request's first attempt. The mark travels with the
# thread or task that runs the request, which the flow does not know about.
_PREPAID: ContextVar[bool] = ContextVar("oint_prepaid_slot", default=False)


@contextmanager
def prepaid() -> Iterator[None]:
    """Within this block, the first ``reserve`` of the current thread or task is free: its
    slot was taken already (``Bucket.take``)."""
    token = _PREPAID.set(True)
    try:
        yield
    finally:
        _PREPAID.reset(token)


def spend_prepaid() -> bool:
    """Whether the slot for this reservation was taken already (it is, once)."""
    if _PREPAID.get():
        _PREPAID.set(False)
        return True
    return False


class Bucket(Protocol):
    """What the call flow and the bulk drivers ask of a bucket, in-process or shared."""

    drain: float

    def reserve(self) -> float:
        """Take a slot; seconds to wait before using it."""

    def take(self, wanted: int) -> tuple[int, float]:
        """Up to ``wanted`` slots free right now (never one that needs a wait), and the
        seconds until the next one frees."""

    def saturate(self) -> None:
        """The portal said its bucket is full."""


class LeakyBucket:
    """The server's counter, mirrored: +1 per request, draining ``drain`` per second.

    ``reserve`` takes a slot and says how long to wait before using it. Slots are handed
    out in order even when they lie in the future, so many threads queue up fairly instead
    of all waking at once and overrunning the portal's bucket together.
    """

    def __init__(self, drain: float, burst: float, clock: Clock) -> None:
        self.drain = drain
        self.burst = burst
        self._clock = clock
        self._level = 0.0
        self._at = clock.monotonic()
        self._lock = threading.Lock()

    def _drained(self, now: float) -> float:
        return max(0.0, self._level - (now - self._at) * self.drain)

    def reserve(self) -> float:
        if spend_prepaid():
            return 0.0
        with self._lock:
            now = self._clock.monotonic()
            self._level = self._drained(now) + 1.0
            self._at = now
            over = self._level - self.burst
            return over / self.drain if over > 0 else 0.0

    def take(self, wanted: int) -> tuple[int, float]:
        with self._lock:
            now = self._clock.monotonic()
            level = self._drained(now)
            taken = max(0, min(wanted, math.floor(self.burst - level + 1e-9)))
            self._level = level + taken
            self._at = now
            return taken, max(0.0, self._level + 1.0 - self.burst) / self.drain

    def saturate(self) -> None:
        """The portal said its bucket is full (it is shared per portal and IP with other
        apps): from now on the client spends no burst it does not have."""
        with self._lock:
            now = self._clock.monotonic()
            self._level = max(self._drained(now), float(self.burst))
            self._at = now

    @property
    def level(self) -> float:
        with self._lock:
            return self._drained(self._clock.monotonic())


class OperatingWindow:
    """Each method's server time as the portal last reported it (``time.operating`` and
    ``operating_reset_at``), and the delay that keeps the method under its budget.

    The usage lives in this process; ``_save`` and ``_load`` are where a shared store
    (Redis) plugs in.
    """

    def __init__(self, limits: Limits, clock: Clock) -> None:
        self._limits = limits
        self._clock = clock
        self._usage: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def _save(self, usages: Mapping[str, tuple[float, float]]) -> None:
        with self._lock:
            self._usage.update(usages)

    def _load(self, method: str) -> tuple[float, float] | None:
        with self._lock:
            return self._usage.get(method)

    def record(self, method: str, timing: Mapping[str, Any]) -> None:
        usage = _usage(timing)
        if usage is not None:
            self._save({method.lower(): usage})

    def record_reply(
        self, method: str, params: Mapping[str, Any], envelope: Mapping[str, Any]
    ) -> None:
        usages: dict[str, tuple[float, float]] = {}
        if method.lower() == "batch":
            # Commands run in order, so a method's last command carries its latest usage.
            for command, timing in batch_timings(params, envelope.get("result")):
                usage = _usage(timing)
                if usage is not None:
                    usages[command.lower()] = usage
        elif isinstance(envelope.get("time"), Mapping):
            usage = _usage(envelope["time"])
            if usage is not None:
                usages[method.lower()] = usage
        if usages:
            self._save(usages)

    def reset_at(self, method: str) -> float | None:
        """When the method's oldest basket drops, if the portal told us and it is ahead."""
        usage = self._load(method.lower())
        if usage is None or usage[1] <= self._clock.time():
            return None
        return usage[1]

    def delay(self, method: str) -> float:
        usage = self._load(method.lower())
        if usage is None:
            return 0.0
        return operating_delay(usage[0], usage[1] - self._clock.time(), self._limits)


def _usage(timing: Mapping[str, Any]) -> tuple[float, float] | None:
    operating, reset_at = timing.get("operating"), timing.get("operating_reset_at")
    # Self-hosted portals send neither; inventing a 0 would pass for "nothing used".
    if not isinstance(operating, (int, float)) or not isinstance(reset_at, (int, float)):
        return None
    return float(operating), float(reset_at)


def operating_delay(operating: float, until_reset: float, limits: Limits) -> float:
    """The wait before the next call of a method that has used ``operating`` seconds.

    Below ``slow_at`` nothing; at the budget the server would answer 429, so wait for the
    oldest basket to drop (plus a second: ``operating_reset_at`` is rounded down); in
    between, a share of the time left that grows linearly with the usage.
    """
    if until_reset <= 0:
        return 0.0
    budget = limits.operating_budget
    if operating >= budget:
        return until_reset + 1.0
    start = budget * limits.slow_at
    if operating <= start:
        return 0.0
    return until_reset * (operating - start) / (budget - start)


def _commands(params: Mapping[str, Any]) -> Mapping[str, Any]:
    commands = params.get("cmd")
    if isinstance(commands, (list, tuple)):
        return {str(index): command for index, command in enumerate(commands)}
    return commands if isinstance(commands, Mapping) else {}


def batch_methods(params: Mapping[str, Any]) -> set[str]:
    return {c.split("?", 1)[0] for c in _commands(params).values() if isinstance(c, str)}


def batch_timings(
    params: Mapping[str, Any], result: Any
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(method, time block) of each command of a batch reply: the server charges every
    command to its own method and the outer ``batch`` to none."""
    times = result.get("result_time") if isinstance(result, Mapping) else None
    if not isinstance(times, Mapping):
        return
    commands = _commands(params)
    for key, timing in times.items():
        command = commands.get(key)
        if isinstance(command, str) and isinstance(timing, Mapping):
            yield command.split("?", 1)[0], timing


class Limiter:
    """The limits of one client: its bucket and its operating window."""

    def __init__(self, limits: Limits, clock: Clock | None = None) -> None:
        self.limits = limits
        self.bucket, self.operating = limits.build(clock or SystemClock())

    def operating_delay(self, method: str, params: Mapping[str, Any]) -> float:
        """A batch waits for the most loaded of its commands' methods."""
        if method.lower() != "batch":
            return self.operating.delay(method)
        return max((self.operating.delay(name) for name in batch_methods(params)), default=0.0)

    def throttled(self, method: str, params: Mapping[str, Any]) -> bool:
        """Whether the method is past ``slow_at``: its calls are spaced out, so a driver
        must not put several of them in flight (they would all wait, then all go)."""
        return self.operating_delay(method, params) > 0
