"""The workday: ``timeman.open/close/pause/status/settings`` (the model is
``model/timeman.py``).

Opening an open day changes nothing and pausing a day that is not open neither: both
answer the status, as the server does. Closing a day that is not open is the error
``WD_NOT_OPEN``. A time given by hand (``TIME``) must be ISO 8601 with an offset
(``2025-03-27T08:00:01+02:00``; a ``Z`` is not accepted) on the day in question.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from ..errors import ApiError
from ..model import timeman
from ..model.tasks import is_admin, user_exists
from ._args import intval
from ._registry import Context, handler

# DateTime::ATOM, the one format the server reads TIME in.
_ATOM = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


def _user(ctx: Context, params: Mapping[str, Any]) -> int:
    if "USER_ID" not in params or intval(params["USER_ID"]) == ctx.user_id:
        return ctx.user_id
    if not is_admin(ctx, ctx.user_id):
        raise ApiError("ACCESS_DENIED", "Access denied! User does not have access to managing "
                                        "other users work time", 403)
    user_id = intval(params["USER_ID"])
    if not user_exists(ctx, user_id):
        raise ApiError("", "User not found")
    return user_id


def _moment(value: Any) -> dt.datetime:
    text = str(value)
    if not _ATOM.match(text):
        raise ApiError("WRONG_DATETIME_FORMAT", "Wrong datetime format")
    return dt.datetime.fromisoformat(text)


def _coordinate(params: Mapping[str, Any], key: str) -> float:
    try:
        return float(params.get(key) or 0)
    except (TypeError, ValueError):
        return 0.0


@handler("timeman.open")
def day_open(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    user_id = _user(ctx, params)
    day = timeman.last_day(ctx, user_id)
    action = timeman.open_action(ctx, day)
    if action == "OPEN":
        moment = None
        if "TIME" in params:
            given = _moment(params["TIME"])
            today = dt.datetime.fromtimestamp(ctx.now, given.tzinfo).date()
            if given.date() != today:
                raise ApiError("WRONG_DATETIME",
                               "Day open date should correspond to the current date")
            moment = given.timestamp()
        timeman.open_day(ctx, user_id, moment, _coordinate(params, "LAT"),
                         _coordinate(params, "LON"))
    elif action == "REOPEN":
        if "TIME" in params:
            raise ApiError("ERROR_ARGUMENT", "Unable to set time, work day is paused",
                           argument="TIME")
        assert day is not None
        timeman.reopen_day(ctx, day)
    return timeman.status(ctx, user_id)


@handler("timeman.close")
def day_close(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    user_id = _user(ctx, params)
    day = timeman.last_day(ctx, user_id)
    moment = None
    if "TIME" in params:
        given = _moment(params["TIME"])
        if day is None or given.astimezone(dt.timezone.utc).date().isoformat() != day["day"]:
            raise ApiError("WRONG_DATETIME",
                           "Day close date should correspond to the day open date")
        moment = given.timestamp()
    if day is None or not (day["time_finish"] is None or day["paused"] == "Y"):
        # The server's exception has a text and no code.
        raise ApiError("", "WD_NOT_OPEN")
    if timeman.open_action(ctx, day) == "REOPEN":
        timeman.reopen_day(ctx, day)
    if timeman.state(ctx, day) == "EXPIRED" and moment is None:
        raise ApiError("WD_EXPIRED", "Workday is expired")
    current = timeman.last_day(ctx, user_id)
    assert current is not None
    timeman.close_day(ctx, current, moment, _coordinate(params, "LAT"),
                      _coordinate(params, "LON"))
    return timeman.status(ctx, user_id)


@handler("timeman.pause")
def day_pause(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    user_id = _user(ctx, params)
    day = timeman.last_day(ctx, user_id)
    if day is not None and day["time_finish"] is None:
        timeman.pause_day(ctx, day)
    return timeman.status(ctx, user_id)


@handler("timeman.status")
def day_status(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return timeman.status(ctx, _user(ctx, params))


@handler("timeman.settings")
def day_settings(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    user_id = _user(ctx, params)
    settings: dict[str, Any] = dict(timeman.SETTINGS)
    if user_id == ctx.user_id:
        settings["ADMIN"] = is_admin(ctx, ctx.user_id)
    return settings
