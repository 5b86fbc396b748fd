"""PHP's value rules that the server's code leans on, for the model and the handlers alike."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["intval"]

_LEADING_INT = re.compile(r"^\s*[+-]?\d+")


def intval(value: Any) -> int:
    """PHP's intval: leading digits of text, 0 for anything else."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        match = _LEADING_INT.match(value)
        return int(match.group(0)) if match else 0
    return 0
