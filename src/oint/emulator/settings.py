"""The emulated portal's configuration: limits, token lifetime, initial faults and its time
zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .faults import Faults

__all__ = ["DEFAULT_OPERATING", "Settings", "parse_operating", "parse_timezone"]

# Bitrix24's documented example: 480 s of server time per method in 10 minutes.
DEFAULT_OPERATING = (480.0, 600.0)
TOKEN_LIFETIME = 3600.0  # an access token lives an hour
CODE_LIFETIME = 30.0  # an authorization code, 30 s
MAX_BODY = 64 * 1024 * 1024  # bytes of a request's body (the cloud takes up to 2 GB)
BODY_TIMEOUT = 60.0  # seconds for a request's body to arrive: the cloud's request limit


@dataclass(frozen=True)
class Settings:
    rate: tuple[float, int] | None = None  # (drain per second, burst); None: no bucket
    operating: tuple[float, float] | None = DEFAULT_OPERATING  # (budget, window) seconds
    token_lifetime: float = TOKEN_LIFETIME
    code_lifetime: float = CODE_LIFETIME
    max_body: int = MAX_BODY
    body_timeout: float = BODY_TIMEOUT
    faults: Faults = field(default_factory=Faults)


def parse_operating(text: str) -> tuple[float, float] | None:
    """``BUDGET/WINDOW`` in seconds (``480/600``), or ``off``."""
    if text.lower() == "off":
        return None
    budget, sep, window = text.partition("/")
    try:
        values = (float(budget), float(window))
    except ValueError:
        values = (0.0, 0.0)
    if not sep or values[0] <= 0 or values[1] <= 0:
        raise ValueError("--operating-limit must look like BUDGET/WINDOW in seconds "
                         "(e.g. 480/600) or be off")
    return values


def parse_timezone(text: str) -> dt.tzinfo:
    """An IANA time zone name (``Europe/Berlin``) or ``UTC``, as the portal's zone."""
    name = text.strip()
    if name.upper() == "UTC":
        return dt.timezone.utc  # needs no tz data, so a machine without it still starts
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    hint = "" if zoneinfo.available_timezones() else (
        "; this machine has no time zone data: pip install tzdata")
    raise ValueError(f"--timezone: unknown time zone {name!r}; give an IANA name such as "
                     f"Europe/Berlin, or UTC{hint}")
