"""The workday (``timeman.*``) through the Python API: opened, paused, reopened and closed,
with its durations, times set by hand, other users' days and every reachable error.

The rules are ``CTimeManUser``'s and the REST methods' (the timeman module's source):
opening an open day and pausing a day that is not open change nothing; a pause or a close
today is undone by opening again, and the time in between is a break when it is over two
minutes; the duration is counted at the close. ``TIME`` is read as DateTime::ATOM only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from clients import portal_of_users
from oint.bitrix24 import Bitrix24Error, Client
from shapes import assert_shape, recorded


@dataclass
class World:
    admin: Client
    two: Client
    three: Client


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with portal_of_users(2, 3) as (_, clients):
        yield World(clients[1], clients[2], clients[3])


def _error(call: Any) -> tuple[Any, str, int | None]:
    with pytest.raises(Bitrix24Error) as caught:
        call()
    return caught.value.payload, caught.value.description, caught.value.status


def _at(hour: int, minute: int = 0, second: int = 0, days: int = 0) -> str:
    moment = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=minute, second=second, microsecond=0).isoformat()


def _seconds(clock: str) -> int:
    hours, minutes, seconds = (int(part) for part in clock.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def test_a_day_opened_paused_reopened_and_closed(world: World) -> None:
    b24 = world.two
    assert b24.get_timekeeping_status().result == {"STATUS": "CLOSED"}
    opened = b24.start_timekeeping()
    assert_shape(opened.json(), "StartTimekeeping")
    day = opened.result
    assert (day["STATUS"], day["TIME_FINISH"], day["DURATION"], day["ACTIVE"]) == (
        "OPENED", None, "00:00:00", True)
    assert day["TIME_START"][:10] == dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert b24.start_timekeeping().result["TIME_START"] == day["TIME_START"]  # still open
    paused = b24.pause_timekeeping()
    assert_shape(paused.json(), "PauseTimekeeping")
    assert paused.result["STATUS"] == "PAUSED" and paused.result["TIME_FINISH"] is not None
    assert_shape(b24.get_timekeeping_status().json(), "GetTimekeepingStatus")
    reopened = b24.start_timekeeping().result
    # The same day goes on; a pause of under two minutes is not a break.
    assert (reopened["STATUS"], reopened["TIME_START"], reopened["TIME_FINISH"],
            reopened["TIME_LEAKS"]) == ("OPENED", day["TIME_START"], None, "00:00:00")
    closed = b24.stop_timekeeping().result
    assert closed["STATUS"] == "CLOSED" and _seconds(closed["DURATION"]) < 60
    assert b24.pause_timekeeping().result["STATUS"] == "CLOSED"  # nothing to pause
    # Closing a day that is not open: the server's exception has a text and no code.
    assert _error(b24.stop_timekeeping) == (
        {"error": "", "error_description": "WD_NOT_OPEN"}, "WD_NOT_OPEN", 400)


def test_times_set_by_hand(world: World) -> None:
    b24 = world.three
    opened = b24.start_timekeeping(time=_at(0, 0, 1), report="Forgot to open it").result
    assert opened["TIME_START"] == _at(0, 0, 1)
    assert opened["ACTIVE"] is (abs(dt.datetime.now(dt.timezone.utc) - dt.datetime.fromisoformat(
        _at(0, 0, 1))) <= dt.timedelta(minutes=15))  # a change by hand waits for approval
    closed = b24.stop_timekeeping(time=_at(8, 0, 1), report="Left at eight").result
    assert (closed["STATUS"], closed["TIME_FINISH"], closed["DURATION"]) == (
        "CLOSED", _at(8, 0, 1), "08:00:00")
    # Opened again the same day: the time since the close is a break.
    now = dt.datetime.now(dt.timezone.utc)
    reopened = b24.start_timekeeping().result
    since = now.hour * 3600 + now.minute * 60 + now.second - 8 * 3600 - 1
    leaks = _seconds(reopened["TIME_LEAKS"])
    assert leaks == 0 if since <= 120 else abs(leaks - since) <= 5
    # A day closed (or paused) today is reopened, never opened anew at another time.
    b24.stop_timekeeping()
    refused = _error(lambda: b24.start_timekeeping(time=_at(9)))
    assert refused == ({"error": "ERROR_ARGUMENT", "argument": "TIME",
                        "error_description": "Unable to set time, work day is paused"},
                       "Unable to set time, work day is paused", 400)


def test_times_the_portal_does_not_read(world: World) -> None:
    b24 = world.admin
    # OPI's StopTimekeeping sends the time with a Z: the portal refuses it, as recorded.
    refused = _error(lambda: b24.stop_timekeeping(time=_at(18).replace("+00:00", "Z")))
    assert refused[0] == recorded("StopTimekeeping") and refused[2] == 400
    assert _error(lambda: b24.start_timekeeping(time="2025-03-27T08:00:01"))[1] == \
        "Wrong datetime format"
    assert _error(lambda: b24.start_timekeeping(time=_at(8, days=-1)))[0] == {
        "error": "WRONG_DATETIME",
        "error_description": "Day open date should correspond to the current date"}
    b24.start_timekeeping()
    assert _error(lambda: b24.stop_timekeeping(time=_at(18, days=1)))[0] == {
        "error": "WRONG_DATETIME",
        "error_description": "Day close date should correspond to the day open date"}
    b24.stop_timekeeping()


def test_other_users_days(world: World) -> None:
    refused = _error(lambda: world.two.get_timekeeping_status(3))
    assert refused == ({"error": "ACCESS_DENIED", "error_description": "Access denied! User "
                        "does not have access to managing other users work time"},
                       "Access denied! User does not have access to managing other users "
                       "work time", 403)
    assert _error(lambda: world.admin.get_timekeeping_settings(999))[0] == {
        "error": "", "error_description": "User not found"}
    # An administrator manages everyone's day; ADMIN is told to the user about themselves.
    assert world.admin.pause_timekeeping(3).result["STATUS"] in ("CLOSED", "OPENED", "PAUSED")
    settings = world.admin.get_timekeeping_settings()
    assert_shape(settings.json(), "GetTimekeepingSettings")
    assert settings.result == recorded("GetTimekeepingSettings")["result"]
    assert "ADMIN" not in world.admin.get_timekeeping_settings(2).result
    assert world.two.get_timekeeping_settings().result["ADMIN"] is False
