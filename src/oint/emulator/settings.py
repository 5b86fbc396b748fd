"""The emulated portal's configuration: limits, token lifetime and initial faults."""

from __future__ import annotations

from dataclasses import dataclass, field

from .faults import Faults

__all__ = ["DEFAULT_OPERATING", "Settings", "parse_operating"]

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
