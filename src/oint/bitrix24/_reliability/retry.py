"""Which failures a call may be repeated after, and how long to wait first.

The rule (DESIGN.md, reliability rules): repeat only what surely did not run, or what is
safe to run twice.

- 503 ``QUERY_LIMIT_EXCEEDED`` and 429 ``OPERATION_TIME_LIMIT`` are answered before the
  method runs: any call may be repeated, a 429 only after the method's basket drops.
- A connection that failed before the request was sent: any call.
- A timeout, a reset or a 5xx after sending: only calls that read. A write whose reply was
  lost is an ``OutcomeUnknownError`` and is never repeated: it may have run.
- ``OVERLOAD_LIMIT`` is a block set by hand; waiting does not lift it, so it is never retried.

``Retry.delay`` is a pure decision (the attempt, the error, the clock and a random number in,
seconds or None out); the client's coordinator does the sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._errors import (
    OintError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
    TimeLimitError,
    TransportError,
)

__all__ = ["Retry"]


@dataclass(frozen=True)
class Retry:
    """Bounded attempts with exponential backoff and jitter.

    ``attempts`` counts the first try; a call whose connection failed or (for reads) whose
    reply was lost is tried at most ``network_attempts`` times, since a host that refuses
    connections is more often misconfigured than briefly away. The n-th retry waits
    ``backoff * multiplier**(n-1)`` seconds, at most ``max_backoff``, less a random share of
    up to ``jitter`` (so clients that failed together do not return together). A 429 waits
    until the method's ``operating_reset_at`` when the portal reported one, else
    ``time_limit_wait``; a wait longer than ``max_wait`` is not worth blocking the caller
    for, and the error is raised.
    """

    attempts: int = 6
    network_attempts: int = 3
    backoff: float = 0.5
    multiplier: float = 2.0
    max_backoff: float = 30.0
    jitter: float = 0.5
    time_limit_wait: float = 10.0
    max_wait: float = 600.0

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.network_attempts < 1:
            raise ValueError("Retry attempts count the first try: they are at least 1")
        if self.backoff < 0 or self.multiplier < 1 or self.max_backoff < 0:
            raise ValueError("Retry needs backoff >= 0, multiplier >= 1 and max_backoff >= 0")
        if not 0 <= self.jitter <= 1:
            raise ValueError("Retry.jitter is a share: 0 <= jitter <= 1")

    @classmethod
    def bulk(cls) -> Retry:
        """For long unattended jobs: more attempts and longer pauses before giving up."""
        return cls(attempts=10, network_attempts=5, max_backoff=60.0)

    def retryable(self, error: OintError, *, reads: bool) -> bool:
        """Whether this error allows another attempt at all (the attempt count aside)."""
        if isinstance(error, (RateLimitError, TimeLimitError)):
            return True
        if isinstance(error, OutcomeUnknownError):
            return False
        if isinstance(error, TransportError):
            return reads or not error.sent
        if isinstance(error, ServerError):
            # A crash (5xx) may pass; a module's refusal with 400 (ERROR_CORE "TASKS_ERROR_...")
            # answers the same every time.
            return reads and (error.status is None or error.status >= 500)
        return False

    def backoff_for(self, retry: int, random: float) -> float:
        """The pause before the ``retry``-th retry (1-based); ``random`` is in [0, 1)."""
        pause = min(self.max_backoff, self.backoff * self.multiplier ** (retry - 1))
        return pause * (1.0 - self.jitter * random)

    def delay(
        self,
        error: OintError,
        *,
        attempt: int,
        reads: bool,
        until_reset: float | None = None,
        random: float = 0.0,
    ) -> float | None:
        """Seconds to wait before attempt ``attempt + 1``, or None to raise ``error``.

        ``until_reset`` is how far ahead the method's ``operating_reset_at`` lies, if known.
        """
        limit = self.network_attempts if isinstance(error, TransportError) else self.attempts
        if attempt >= min(limit, self.attempts) or not self.retryable(error, reads=reads):
            return None
        if isinstance(error, TimeLimitError):
            # operating_reset_at is rounded down to the second: one more keeps us past it.
            wait = until_reset + 1.0 if until_reset is not None else self.time_limit_wait
            wait += self.backoff_for(1, random) * self.jitter
            return wait if wait <= self.max_wait else None
        return self.backoff_for(attempt, random)
