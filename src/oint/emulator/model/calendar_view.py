"""Calendar events as the REST methods write them: one event, a calendar's events in a
range (a repeating event once per occurrence), and users' busy times.

A list shows each occurrence of a repeating event that meets the range as a copy of the
event with that occurrence's ``DATE_FROM``/``DATE_TO``, its index (``RINDEX``) and the
first occurrence's dates (``~DATE_FROM``/``~DATE_TO``); the UTC stamps stay the series'
(``DATE_TO_TS_UTC`` is where the server counts the series to end), as the server writes them.
Ranges are days on the portal's clock, both ends included.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from ..timing import local, portal_zone
from . import Actor
from .calendar import can, find_section, sections_of
from .calendar_event import EventTimes, rule_of_event, times_of
from .calendar_time import (
    MAX_DATE,
    Rule,
    day_text,
    day_utc,
    js_text,
    occurrences,
    rule_description,
    series_end,
    utc_of,
    wall_text,
    zone,
)

__all__ = ["busy_times", "day_range", "event_record", "list_events"]

# What a private event (or one the caller may only see the time of) is called, in the words
# of the recorded portal: its accessibility.
_HIDDEN_NAMES = {"busy": "Занят", "quest": "Под вопросом", "free": "Свободен",
                 "absent": "Отсутствую"}

_JOINED = ("SELECT en.id AS entry_id, en.event_id, en.cal_type, en.owner_id, en.section_id,"
           " en.status, ev.* FROM calendar_entries en"
           " JOIN calendar_events ev ON ev.id = en.event_id")


def day_range(first: dt.date | None, last: dt.date | None) -> tuple[int | None, int | None]:
    """UTC bounds of whole days on the portal's clock (None: unbounded)."""
    zone_ = portal_zone()

    def start(day: dt.date) -> int:
        return int(dt.datetime.combine(day, dt.time(), zone_).timestamp())

    return (None if first is None else start(first),
            None if last is None else start(last + dt.timedelta(days=1)) - 1)


def _offset(wall: dt.datetime, tz: dt.tzinfo) -> int:
    found = wall.replace(tzinfo=tz).utcoffset()
    return int(found.total_seconds()) if found else 0


def _user_offsets(times: EventTimes) -> tuple[int, int]:
    """``~USER_OFFSET_FROM``/``_TO``: the event's zone against the viewer's (the portal's)."""
    if times.skip_time:
        return 0, 0
    here = portal_zone()
    return (times.offset("from") - _offset(times.wall_from, here),
            times.offset("to") - _offset(times.wall_to, here))


def _rrule(rule: Rule) -> dict[str, Any]:
    until = rule.until or MAX_DATE
    shown: dict[str, Any] = {"FREQ": rule.freq}
    if rule.count is not None:
        shown["COUNT"] = rule.count
    shown["INTERVAL"] = rule.interval
    if rule.byday:
        shown["BYDAY"] = {day: day for day in rule.byday}
    shown.update({"UNTIL": day_text(until),
                  "~UNTIL": "" if rule.until is None else day_text(rule.until),
                  "UNTIL_TS": day_utc(until)})
    return shown


def _attendees(ctx: Actor, event_id: int) -> list[dict[str, Any]]:
    return [{"id": int(row["owner_id"]), "entryId": str(row["id"]), "status": row["status"]}
            for row in ctx.store.rows(
                "SELECT id, owner_id, status FROM calendar_entries WHERE event_id = ?"
                " AND cal_type = 'user' ORDER BY id", (event_id,))]


def _hidden(ctx: Actor, row: sqlite3.Row) -> bool:
    """Whether the caller sees only that the owner is busy: someone else's private event,
    or a calendar whose events they may not see in full."""
    section = find_section(ctx, int(row["section_id"]))
    if section is None or not can(ctx, section, "view_full"):
        return True
    return bool(row["private"]) and not (row["cal_type"] == "user"
                                         and row["owner_id"] == ctx.user_id)


def _stamp(moment: float) -> str:
    return wall_text(local(moment).replace(tzinfo=None))


def event_record(ctx: Actor, row: sqlite3.Row, *, listed: bool = False,
                 occurrence: tuple[int, dt.datetime] | None = None) -> dict[str, Any]:
    """An entry of an event as calendar.event.getbyid writes it, or (``listed``) as one
    occurrence in calendar.event.get."""
    times = times_of(row)
    rule = rule_of_event(row)
    skip = times.skip_time
    index, start = occurrence or (0, times.wall_from)
    end = start + (times.wall_to - times.wall_from)
    hidden = _hidden(ctx, row)
    name = f"[{_HIDDEN_NAMES[row['accessibility']]}]" if hidden else row["name"]
    description = "" if hidden else row["description"]
    entry_id, event_id = str(row["entry_id"]), str(row["event_id"])
    codes = json.loads(row["attendees"])
    meeting = {**json.loads(row["meeting"]), "MAIL_FROM": False}
    user_from, user_to = _user_offsets(times)
    record: dict[str, Any] = {"ID": entry_id, "PARENT_ID": event_id}
    if listed:
        record["ACTIVE"] = "Y"
    record.update({
        "DELETED": "N",
        "CAL_TYPE": row["cal_type"],
        "OWNER_ID": str(row["owner_id"]),
        "NAME": name,
        "DATE_FROM": wall_text(start, skip),
        "DATE_TO": wall_text(end, skip),
        "ORIGINAL_DATE_FROM": None if rule is None else wall_text(times.wall_from, skip),
        "TZ_FROM": times.tz_from,
        "TZ_TO": times.tz_to,
        "TZ_OFFSET_FROM": None if skip else str(times.offset("from")),
        "TZ_OFFSET_TO": None if skip else str(times.offset("to")),
        "DATE_FROM_TS_UTC": str(times.utc_from),
        "DATE_TO_TS_UTC": str(times.utc_to if rule is None else series_end(times.utc_to, rule)),
        "DT_SKIP_TIME": "Y" if skip else "N",
        "DT_LENGTH": times.length,
        "EVENT_TYPE": None,
        "CREATED_BY": str(row["created_by"]),
        "DATE_CREATE": _stamp(row["date_create"]),
        "TIMESTAMP_X": _stamp(row["timestamp_x"]),
        "DESCRIPTION": description,
    })
    if listed:
        record.update({"DT_FROM": None, "DT_TO": None})
    record.update({
        "PRIVATE_EVENT": "1" if row["private"] else "",
        "ACCESSIBILITY": row["accessibility"],
        "IMPORTANCE": row["importance"],
        "IS_MEETING": bool(row["is_meeting"]),
        "MEETING_STATUS": row["status"],
        "MEETING_HOST": str(row["meeting_host"]),
        "MEETING": meeting,
        "LOCATION": "" if hidden else row["location"],
        "REMIND": json.loads(row["remind"]),
        "COLOR": row["color"],
    })
    if listed:
        record["TEXT_COLOR"] = ""
    record.update({
        "RRULE": "" if rule is None else _rrule(rule),
        "EXDATE": "",
        "DAV_XML_ID": row["dav_xml_id"],
        "G_EVENT_ID": "",
        "DAV_EXCH_LABEL": "",
        "CAL_DAV_LABEL": "",
        "VERSION": str(row["version"]),
        "ATTENDEES_CODES": codes,
        "RECURRENCE_ID": None,
        "RELATIONS": "",
        "SECTION_ID": str(row["section_id"]),
        "SYNC_STATUS": None,
        "UF_CRM_CAL_EVENT": False if listed else None,
        "UF_WEBDAV_CAL_EVENT": False if listed else None,
        "SECTION_DAV_XML_ID": None,
        "DATE_FROM_FORMATTED": js_text(start),
        "DATE_TO_FORMATTED": js_text(end),
        "IS_DAYLIGHT_SAVING_TZ": "Y" if _observes_dst(times.tz_from, start) else "N",
        "SECT_ID": str(row["section_id"]),
        "OPTIONS": None,
        "ATTENDEE_LIST": _attendees(ctx, int(row["event_id"])),
        "COLLAB_ID": None,
    })
    if rule is not None:
        record["~RRULE_DESCRIPTION"] = rule_description(rule, times.wall_from.date())
    record["attendeesEntityList"] = [{"entityId": "user", "id": int(code[1:])}
                                     for code in codes if code[1:].isdigit()]
    if listed:
        record.update({"~DATE_FROM": wall_text(times.wall_from, skip),
                       "~DATE_TO": wall_text(times.wall_to, skip), "RINDEX": index})
    else:
        record["~DESCRIPTION"] = description
    record.update({"~USER_OFFSET_FROM": user_from, "~USER_OFFSET_TO": user_to})
    return record


def _observes_dst(name: str | None, wall: dt.datetime) -> bool:
    if not name:
        return False
    tz = zone(name)
    winter, summer = (_offset(dt.datetime(wall.year, month, 1), tz) for month in (1, 7))
    return winter != summer


def entry_row(ctx: Actor, entry_id: int) -> sqlite3.Row | None:
    return ctx.store.row(f"{_JOINED} WHERE en.id = ?", (entry_id,))


def _in_range(row: sqlite3.Row, lo: int | None, hi: int | None,
              ) -> Iterator[tuple[int, dt.datetime]]:
    """The occurrences of an entry's event that meet [lo, hi] (UTC, both included)."""
    times = times_of(row)
    length = times.wall_to - times.wall_from
    for index, start in occurrences(times.wall_from, rule_of_event(row)):
        if times.skip_time:
            here = portal_zone()
            first = utc_of(start, here)
            last = utc_of(start + length + dt.timedelta(days=1), here) - 1
        else:
            first = utc_of(start, zone(times.tz_from))
            last = utc_of(start + length, zone(times.tz_to))
        if hi is not None and first > hi:
            return
        if lo is None or last >= lo:
            yield index, start


def _ordered(rows: Iterable[sqlite3.Row]) -> list[sqlite3.Row]:
    return sorted(rows, key=lambda row: (times_of(row).utc_from, row["entry_id"]))


def list_events(ctx: Actor, cal_type: str, owner_id: int, *, sections: list[int] | None,
                lo: int | None, hi: int | None) -> list[dict[str, Any]]:
    """calendar.event.get: the occurrences in [lo, hi] of the events of the owner's
    calendars the caller may see (only ``sections`` of them, when given)."""
    visible = [int(s["id"]) for s in sections_of(ctx, cal_type, owner_id)
               if can(ctx, s, "view_time")]
    chosen = [i for i in visible if sections is None or i in sections]
    if not chosen:
        return []
    marks = ", ".join("?" for _ in chosen)
    rows = ctx.store.rows(f"{_JOINED} WHERE en.section_id IN ({marks})", chosen)
    return [event_record(ctx, row, listed=True, occurrence=occurrence)
            for row in _ordered(rows) for occurrence in _in_range(row, lo, hi)]


def _busy_record(row: sqlite3.Row, start: dt.datetime) -> dict[str, Any]:
    times = times_of(row)
    rule = rule_of_event(row)
    skip = times.skip_time
    user_from, user_to = _user_offsets(times)
    name = f"[{_HIDDEN_NAMES[row['accessibility']]}]" if row["private"] else row["name"]
    return {
        "ID": str(row["entry_id"]),
        "NAME": name,
        "DATE_FROM": wall_text(start, skip),
        "DATE_TO": wall_text(start + (times.wall_to - times.wall_from), skip),
        "DATE_FROM_TS_UTC": str(times.utc_from),
        "DATE_TO_TS_UTC": str(times.utc_to if rule is None else series_end(times.utc_to, rule)),
        "~USER_OFFSET_FROM": user_from,
        "~USER_OFFSET_TO": user_to,
        "DT_SKIP_TIME": "Y" if skip else "N",
        "TZ_FROM": times.tz_from,
        "TZ_TO": times.tz_to,
        "ACCESSIBILITY": row["accessibility"],
        "IMPORTANCE": row["importance"],
        "EVENT_TYPE": None,
    }


def busy_times(ctx: Actor, users: list[int], lo: int | None, hi: int | None,
               ) -> dict[str, list[dict[str, Any]]]:
    """calendar.accessibility.get: per user, every occurrence in [lo, hi] of the events in
    their own calendars that they have not declined; private ones by accessibility only."""
    busy: dict[str, list[dict[str, Any]]] = {}
    for user_id in users:
        rows = ctx.store.rows(
            f"{_JOINED} WHERE en.cal_type = 'user' AND en.owner_id = ?"
            " AND en.status != 'N'", (user_id,))
        busy[str(user_id)] = [_busy_record(row, start) for row in _ordered(rows)
                              for _, start in _in_range(row, lo, hi)]
    return busy
