"""PHP's value rules that the server's code leans on, for the model and the handlers alike."""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = ["INT_MAX", "INT_MIN", "intval"]

INT_MAX = (1 << 63) - 1  # PHP_INT_MAX on the server's 64-bit build
INT_MIN = -(1 << 63)
_INT_DIGITS = len(str(INT_MAX))
# PHP's leading-numeric prefix of a string (ASCII digits only; "1e3" is a number).
_LEADING_NUMBER = re.compile(r"[ \t\n\r\v\f]*([+-]?)(?:([0-9]+)(\.[0-9]*)?|(\.[0-9]+))"
                             r"([eE][+-]?[0-9]+)?")


def intval(value: Any) -> int:
    """PHP's intval: always a 64-bit integer, so that no value a caller sends can be too
    large for the store.

    Text: its leading number, saturated at PHP_INT_MAX/MIN ("99999999999999999999",
    "1e308"), 0 without one. A float: truncated, 0 when not finite, wrapped modulo 2**64
    when out of range (PHP 7 and 8 on 64-bit). An integer out of range is what
    ``json_decode`` made a float of.
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value if INT_MIN <= value <= INT_MAX else _from_float(_as_float(value))
    if isinstance(value, float):
        return _from_float(value)
    if isinstance(value, str):
        return _from_text(value)
    return 0


def _as_float(value: int) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf


def _from_float(number: float) -> int:
    if not math.isfinite(number):
        return 0
    whole = int(number)
    if INT_MIN <= whole <= INT_MAX:
        return whole
    wrapped = whole % (1 << 64)
    return wrapped - (1 << 64) if wrapped > INT_MAX else wrapped


def _from_text(text: str) -> int:
    match = _LEADING_NUMBER.match(text)
    if match is None:
        return 0
    sign, digits, fraction, _, exponent = match.groups()
    if digits is not None and fraction is None and exponent is None:
        significant = digits.lstrip("0") or "0"
        if len(significant) <= _INT_DIGITS:
            number = -int(significant) if sign == "-" else int(significant)
            if INT_MIN <= number <= INT_MAX:
                return number
        return INT_MIN if sign == "-" else INT_MAX
    number_f = float(match.group(0))
    if not math.isfinite(number_f):
        return 0
    if not INT_MIN <= number_f < 2.0**63:
        return INT_MIN if number_f < 0 else INT_MAX
    return int(number_f)
