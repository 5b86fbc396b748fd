"""The workday (``timeman.*``): each user's days, opened, paused, reopened and closed.

As on the server (``CTimeManUser``): the last day decides the state (OPENED while it has no
finish, PAUSED when its finish is a pause, EXPIRED when either was not closed on the day it
began, CLOSED otherwise); reopening a paused day, or a day closed today, adds the time in
between to its breaks (``TIME_LEAKS``) when it is over two minutes; the duration is
counted when the day closes: finish - start - breaks. Times are kept in seconds since the
day began, in UTC, the emulated portal's time zone.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from . import Actor, schema

__all__ = ["SETTINGS", "close_day", "last_day", "open_action", "open_day", "pause_day",
           "reopen_day", "state", "status"]

SCHEMA = schema("timeman", """
CREATE TABLE IF NOT EXISTS timeman_days (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    time_start INTEGER NOT NULL,
    time_finish INTEGER,
    finish_day TEXT,
    duration INTEGER NOT NULL DEFAULT 0,
    time_leaks INTEGER NOT NULL DEFAULT 0,
    paused TEXT NOT NULL DEFAULT 'N',
    active TEXT NOT NULL DEFAULT 'Y',
    lat_open REAL NOT NULL DEFAULT 0,
    lon_open REAL NOT NULL DEFAULT 0,
    lat_close REAL NOT NULL DEFAULT 0,
    lon_close REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS timeman_days_by_user ON timeman_days (user_id, id);
""")

ALLOWED_DELTA = 120  # seconds of a pause that do not count as a break (two minutes)
# The schedule every user has: tracking on, a fixed day of 8 hours starting by 9:15.
SETTINGS = {"UF_TIMEMAN": True, "UF_TM_FREE": False, "UF_TM_MAX_START": "09:15:00",
            "UF_TM_MIN_FINISH": "17:45:00", "UF_TM_MIN_DURATION": "08:00:00",
            "UF_TM_ALLOWED_DELTA": "00:15:00"}
_RECOMMENDED_FINISH = 18 * 3600


def _day_and_seconds(moment: float) -> tuple[str, int]:
    when = dt.datetime.fromtimestamp(moment, dt.timezone.utc)
    return when.date().isoformat(), when.hour * 3600 + when.minute * 60 + when.second


def last_day(ctx: Actor, user_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM timeman_days WHERE user_id = ? ORDER BY id DESC LIMIT 1",
                         (user_id,))


def _today(ctx: Actor) -> str:
    return _day_and_seconds(ctx.now)[0]


def state(ctx: Actor, day: sqlite3.Row | None) -> str:
    if day is None:
        return "CLOSED"
    is_open = day["time_finish"] is None
    paused = not is_open and day["paused"] == "Y"
    if (is_open or paused) and day["day"] != _today(ctx):
        return "EXPIRED"
    return "OPENED" if is_open else "PAUSED" if paused else "CLOSED"


def open_action(ctx: Actor, day: sqlite3.Row | None) -> str | None:
    """What opening does now: ``OPEN`` a new day, ``REOPEN`` today's, or None (it is open)."""
    if day is None:
        return "OPEN"
    if day["time_finish"] is None:
        return None
    return "REOPEN" if day["day"] == _today(ctx) else "OPEN"


def open_day(ctx: Actor, user_id: int, moment: float | None, lat: float, lon: float) -> None:
    """A new day from now, or from ``moment`` (a time set by hand waits for approval)."""
    day, seconds = _day_and_seconds(ctx.now if moment is None else moment)
    manual = moment is not None and abs(moment - ctx.now) > 15 * 60
    ctx.store.insert("INSERT INTO timeman_days (user_id, day, time_start, active, lat_open,"
                     " lon_open) VALUES (?, ?, ?, ?, ?, ?)",
                     (user_id, day, seconds, "N" if manual else "Y", lat, lon))


def reopen_day(ctx: Actor, day: sqlite3.Row) -> None:
    """Continue today's paused or closed day; the time since its finish is a break."""
    _, now = _day_and_seconds(ctx.now)
    leak = now - int(day["time_finish"] or now)
    leaks = int(day["time_leaks"]) + (leak if leak > ALLOWED_DELTA else 0)
    ctx.store.execute("UPDATE timeman_days SET time_finish = NULL, finish_day = NULL,"
                      " duration = 0, paused = 'N', time_leaks = ? WHERE id = ?",
                      (leaks, day["id"]))


def pause_day(ctx: Actor, day: sqlite3.Row) -> None:
    finish_day, seconds = _day_and_seconds(ctx.now)
    ctx.store.execute("UPDATE timeman_days SET time_finish = ?, finish_day = ?, paused = 'Y'"
                      " WHERE id = ?", (seconds, finish_day, day["id"]))


def close_day(ctx: Actor, day: sqlite3.Row, moment: float | None, lat: float, lon: float
              ) -> None:
    finish_day, seconds = _day_and_seconds(ctx.now if moment is None else moment)
    duration = max(seconds - int(day["time_start"]) - int(day["time_leaks"]), 0)
    active = "N" if moment is not None and abs(moment - ctx.now) > 15 * 60 else day["active"]
    ctx.store.execute("UPDATE timeman_days SET time_finish = ?, finish_day = ?, paused = 'N',"
                      " duration = ?, active = ?, lat_close = ?, lon_close = ? WHERE id = ?",
                      (seconds, finish_day, duration, active, lat, lon, day["id"]))


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def status(ctx: Actor, user_id: int) -> dict[str, Any]:
    """timeman.status's reply for the user's last day."""
    day = last_day(ctx, user_id)
    current = state(ctx, day)
    result: dict[str, Any] = {"STATUS": current}
    if day is None:
        return result
    result.update({
        "TIME_START": f"{day['day']}T{_clock(day['time_start'])}+00:00",
        "TIME_FINISH": None if day["time_finish"] is None else
        f"{day['finish_day']}T{_clock(day['time_finish'])}+00:00",
        "DURATION": _clock(day["duration"]), "TIME_LEAKS": _clock(day["time_leaks"]),
        "ACTIVE": day["active"] == "Y", "IP_OPEN": "", "IP_CLOSE": "",
        "LAT_OPEN": _number(day["lat_open"]), "LON_OPEN": _number(day["lon_open"]),
        "LAT_CLOSE": _number(day["lat_close"]), "LON_CLOSE": _number(day["lon_close"]),
        "TZ_OFFSET": 0,
    })
    if current == "EXPIRED":
        start = int(day["time_start"])
        finish = _RECOMMENDED_FINISH if start <= _RECOMMENDED_FINISH else \
            start + int(day["time_leaks"]) + 300
        result["TIME_FINISH_DEFAULT"] = f"{day['day']}T{_clock(finish)}+00:00"
    return result
