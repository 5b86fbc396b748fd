"""The portal's rate limit: a leaky bucket per source address.

Every request adds one; the level drains ``drain`` per second; a request that would lift it
above ``burst`` is answered 503 ``QUERY_LIMIT_EXCEEDED`` and adds nothing. A ``batch`` is one
HTTP request, so it is counted once, however many commands it carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import ApiError

__all__ = ["PLANS", "RateBucket", "operation_time_limit", "parse_rate", "query_limit_exceeded"]

# drain per second, burst: Enterprise, and every other plan (the docs' table).
PLANS = {"standard": (2.0, 50), "enterprise": (5.0, 250)}


def parse_rate(text: str) -> tuple[float, int]:
    """``DRAIN/BURST`` (``2/50``) or a plan name (``standard``, ``enterprise``)."""
    if text.lower() in PLANS:
        return PLANS[text.lower()]
    drain, sep, burst = text.partition("/")
    try:
        rate = (float(drain), int(burst))
    except ValueError:
        rate = (0.0, 0)
    if not sep or rate[0] <= 0 or rate[1] < 1:
        raise ValueError(
            "--rate-limit must look like DRAIN/BURST (e.g. 2/50) or name a plan: "
            + ", ".join(PLANS)
        )
    return rate


@dataclass
class RateBucket:
    drain: float
    burst: int
    _levels: dict[str, tuple[float, float]] = field(default_factory=dict)

    def admit(self, source: str, now: float) -> bool:
        level, at = self._levels.get(source, (0.0, now))
        level = max(0.0, level - (now - at) * self.drain)
        if level + 1.0 > self.burst:
            self._levels[source] = (level, now)
            return False
        self._levels[source] = (level + 1.0, now)
        return True


def query_limit_exceeded() -> ApiError:
    return ApiError("QUERY_LIMIT_EXCEEDED", "Too many requests", 503)


def operation_time_limit() -> ApiError:
    return ApiError("OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.", 429)
