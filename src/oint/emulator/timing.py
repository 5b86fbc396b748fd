"""The portal's clock: its time zone, the dates it writes, and the ``time`` block of every
success reply with a real per-method operating meter.

A portal has a time zone (``oint emulator --timezone``, UTC by default): every date the
emulator writes is in it, through :func:`iso` (ISO 8601 with the portal's offset, as PHP's
``date('c')``) or :func:`local` (the portal's wall clock, for the formats of its culture).
The zone is held in a context variable that the server's tasks inherit, so it is set once
at start (:func:`use_zone`) and every handler, batch command and seeding step sees it.

Bitrix24 sums each method's execution time per app or webhook in ten one-minute baskets;
``operating`` is that sum and ``operating_reset_at`` is when the oldest basket drops (the
first call of that minute plus 600 s). The window is configurable for tests (always ten
baskets), and so is the budget: once a method's ``operating`` is over it, the next call of
that method is refused with 429 ``OPERATION_TIME_LIMIT``.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from contextvars import ContextVar
from dataclasses import dataclass, field

__all__ = ["OperatingMeter", "iso", "local", "portal_zone", "time_block", "use_zone"]

WINDOW_SECONDS = 600
BASKETS = 10

_ZONE: ContextVar[dt.tzinfo] = ContextVar("portal_zone", default=dt.timezone.utc)


def use_zone(zone: dt.tzinfo) -> None:
    """Make ``zone`` the portal's time zone here and in every task started from here."""
    _ZONE.set(zone)


def portal_zone() -> dt.tzinfo:
    return _ZONE.get()


def local(moment: float) -> dt.datetime:
    """A moment on the portal's wall clock (an aware datetime in its zone)."""
    return dt.datetime.fromtimestamp(moment, _ZONE.get())


def iso(moment: float) -> str:
    """A moment as the portal writes dates: ISO 8601 with its offset, to the second."""
    return local(moment).isoformat(timespec="seconds")


def _php_number(value: float) -> float | int:
    # The server's own counters are PHP integers when nothing was measured (a start taken
    # from the request's whole-second time, a processing of 0): json_encode writes 0, not 0.0.
    return int(value) if float(value).is_integer() else value


@dataclass
class _Basket:
    minute: int
    first_call: float
    seconds: float = 0.0


@dataclass
class OperatingMeter:
    window: float = WINDOW_SECONDS
    _baskets: dict[tuple[str, str], deque[_Basket]] = field(default_factory=dict)

    def _live(self, key: tuple[str, str], now: float) -> deque[_Basket]:
        baskets = self._baskets.setdefault(key, deque())
        while baskets and baskets[0].first_call + self.window <= now:
            baskets.popleft()
        return baskets

    def charge(self, caller: str, method: str, now: float, seconds: float) -> None:
        baskets = self._live((caller, method), now)
        minute = int(now // (self.window / BASKETS))
        if not baskets or baskets[-1].minute != minute:
            baskets.append(_Basket(minute, now))
        baskets[-1].seconds += seconds

    def usage(self, caller: str, method: str, now: float) -> tuple[float, int]:
        """(operating seconds, operating_reset_at) for this caller and method."""
        baskets = self._live((caller, method), now)
        if not baskets:
            return 0.0, int(now + self.window)
        return sum(b.seconds for b in baskets), int(baskets[0].first_call + self.window)


def time_block(
    start: float, finish: float, processing: float, operating: float, reset_at: int
) -> dict[str, float | int | str]:
    return {
        "start": _php_number(start),
        "finish": finish,
        "duration": finish - start,
        "processing": _php_number(processing),
        "date_start": iso(start),
        "date_finish": iso(finish),
        "operating_reset_at": reset_at,
        "operating": _php_number(operating),
    }
