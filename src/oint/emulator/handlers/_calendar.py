"""What the calendar's REST methods share: their errors and how they read parameters.

``CCalendarRestService`` throws ``RestException`` with a message only: the ``error`` is
empty and the status 400. The texts are the calendar module's English ones
(``lang/en/classes/general/calendar_restservice.php``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..errors import ApiError
from ..model.calendar_time import Moment, parse_moment
from ..php import intval
from ..timing import local

__all__ = [
    "access_denied",
    "empty",
    "failed",
    "invalid",
    "missing",
    "moments",
    "positive_ids",
    "require",
    "type_and_owner",
]


def failed(text: str) -> ApiError:
    return ApiError("", text)


def missing(name: str, method: str) -> ApiError:
    return failed(f'The mandatory parameter "{name}" is not specified for the method '
                  f'"{method}"')


def invalid(name: str) -> ApiError:
    return failed(f'Invalid parameter value for "{name}"')


def access_denied() -> ApiError:
    return failed("Access denied")


def empty(value: Any) -> bool:
    """PHP's ``empty``: null, false, 0, "", "0" and empty arrays."""
    if value is None or value is False or value in ("", "0"):
        return True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == 0
    return isinstance(value, (dict, list)) and not value


def require(params: Mapping[str, Any], names: tuple[str, ...], method: str,
            zero_ok: tuple[str, ...] = ()) -> None:
    """Each parameter (REST name) must not be ``empty``; those in ``zero_ok`` may be 0."""
    for name in names:
        value = params.get(name.upper())
        if empty(value) and not (name in zero_ok and value is not None):
            raise missing(name, method)


def type_and_owner(user_id: int, params: Mapping[str, Any], method: str) -> tuple[str, int]:
    """``type`` and ``ownerId`` of the section methods: an owner is needed unless the type
    is ``user`` (then it is the caller)."""
    cal_type = params.get("TYPE")
    if cal_type is None:
        raise missing("type", method)
    owner = params.get("OWNERID")
    if owner is not None:
        return str(cal_type), intval(owner)
    if cal_type == "user":
        return "user", user_id
    raise missing("ownerId", method)


def positive_ids(value: Any) -> list[int]:
    """An id array (a list, a map's values or one scalar) as positive ints, once each."""
    if isinstance(value, Mapping):
        value = list(value.values())
    items = value if isinstance(value, list) else [value]
    return list(dict.fromkeys(n for n in (intval(item) for item in items) if n > 0))


def _moment(params: Mapping[str, Any], key: str, skip_time: bool,
            zones: dict[str, Any]) -> dt.datetime | None:
    value = params.get(key)
    if value is None:
        stamp = params.get(f"{key}_TS")
        # from_ts / to_ts: a timestamp, put on the portal's clock (CCalendar::Date).
        return None if stamp is None else local(intval(stamp)).replace(tzinfo=None)
    found: Moment | None = parse_moment(value)
    if found is None:
        return None
    if not skip_time and found.instant:
        zones[f"TIMEZONE_{key}"] = None  # a date with its offset overrides the zone given
    return found.wall


def moments(params: Mapping[str, Any], skip_time: bool,
            ) -> tuple[dt.datetime | None, dt.datetime | None, dict[str, Any]]:
    """``from`` and ``to`` of an event (or ``from_ts``/``to_ts``) as wall-clock times, and
    the zones that still apply (``TIMEZONE_FROM``/``_TO``; none for whole-day events)."""
    zones: dict[str, Any] = {} if skip_time else {
        key: params.get(key) for key in ("TIMEZONE_FROM", "TIMEZONE_TO")}
    start = _moment(params, "FROM", skip_time, zones)
    end = _moment(params, "TO", skip_time, zones)
    return start, end, zones
