"""Calendar events and meetings: how they are saved, changed, answered and deleted.

An event is one row of ``calendar_events`` (what it is: name, times, rule, meeting) and one
*entry* per calendar it shows in (``calendar_entries``: whose calendar, which section, the
owner's answer). The event's id is its host entry's; each invited user gets an entry of
their own in their meeting calendar, with an id of its own, as the server makes a child
event per attendee (``PARENT_ID`` is the event's id, ``ATTENDEE_LIST`` names each entry).
An invited user answers for their entry only (``Y``, ``N``, ``Q``); the host's entry stays
``H``. Deleting one's own entry of someone else's meeting declines it.

``save_event`` takes the fields as the REST layer prepared them (the server's ``arFields``:
``DATE_FROM`` and ``DATE_TO`` as wall-clock times, ``TZ_FROM``/``TZ_TO``, ``SKIP_TIME``,
``RRULE`` as a :class:`Rule`, the meeting's ``ATTENDEES``, ``MEETING_HOST`` and
``MEETING``) and normalises them as ``CCalendarEvent::CheckFields`` does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from ..php import intval
from . import Actor, schema
from .calendar import can, color, find_section, meeting_section
from .calendar_time import DAY, Rule, day_utc, rounded, utc_of, zone
from .users import user_active

__all__ = [
    "EventTimes",
    "delete_event",
    "entry_of",
    "event_of",
    "meeting_status",
    "save_event",
    "set_meeting_status",
    "times_of",
]

SCHEMA = schema("calendar_event", """
CREATE TABLE IF NOT EXISTS calendar_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL,  -- the event's id: its host entry's
    cal_type TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    section_id INTEGER NOT NULL,
    status TEXT NOT NULL  -- MEETING_STATUS: H (host), Y, N, Q
);
CREATE INDEX IF NOT EXISTS calendar_entries_section ON calendar_entries (section_id);
CREATE INDEX IF NOT EXISTS calendar_entries_event ON calendar_entries (event_id);
CREATE INDEX IF NOT EXISTS calendar_entries_owner ON calendar_entries (cal_type, owner_id);
CREATE TABLE IF NOT EXISTS calendar_events (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    date_from TEXT NOT NULL,  -- wall clock in tz_from, ISO; a day at 00:00 for whole days
    date_to TEXT NOT NULL,
    tz_from TEXT,  -- NULL for whole-day events
    tz_to TEXT,
    skip_time INTEGER NOT NULL DEFAULT 0,
    private INTEGER NOT NULL DEFAULT 0,
    accessibility TEXT NOT NULL DEFAULT 'busy',
    importance TEXT NOT NULL DEFAULT 'normal',
    is_meeting INTEGER NOT NULL DEFAULT 0,
    meeting_host INTEGER NOT NULL,
    meeting TEXT NOT NULL,  -- JSON: MEETING
    attendees TEXT NOT NULL,  -- JSON: ATTENDEES_CODES
    location TEXT NOT NULL DEFAULT '',
    remind TEXT NOT NULL DEFAULT '[]',  -- JSON
    color TEXT NOT NULL DEFAULT '',
    rrule TEXT,  -- JSON of a Rule; NULL: no repetition
    created_by INTEGER NOT NULL,
    date_create REAL NOT NULL,
    timestamp_x REAL NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    dav_xml_id TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS calendar_section_deleted AFTER DELETE ON calendar_sections
BEGIN
    DELETE FROM calendar_events WHERE id IN (
        SELECT event_id FROM calendar_entries WHERE section_id = OLD.id AND id = event_id);
    DELETE FROM calendar_entries
        WHERE section_id = OLD.id OR event_id NOT IN (SELECT id FROM calendar_events);
END;
""")

_ACCESSIBILITY = ("busy", "quest", "free", "absent")
_IMPORTANCE = ("high", "normal", "low")
DAV_HOST = "oint.emulator"


class EventTimes:
    """An event's first occurrence: its wall-clock times, zones and UTC instants."""

    __slots__ = ("length", "skip_time", "tz_from", "tz_to", "utc_from", "utc_to", "wall_from",
                 "wall_to")

    def __init__(self, wall_from: dt.datetime, wall_to: dt.datetime, skip_time: bool,
                 tz_from: str | None, tz_to: str | None) -> None:
        if skip_time:
            wall_from = dt.datetime.combine(wall_from.date(), dt.time())
            wall_to = dt.datetime.combine(wall_to.date(), dt.time())
            self.utc_from, self.utc_to = day_utc(wall_from.date()), day_utc(wall_to.date())
            tz_from = tz_to = None
        else:
            wall_from, wall_to = rounded(wall_from), rounded(wall_to)
            self.utc_from = utc_of(wall_from, zone(tz_from))
            self.utc_to = utc_of(wall_to, zone(tz_to))
        if self.utc_from > self.utc_to:  # an end before the start: the start, in its zone
            wall_to, tz_to, self.utc_to = wall_from, tz_from, self.utc_from
        self.wall_from, self.wall_to = wall_from, wall_to
        self.skip_time, self.tz_from, self.tz_to = skip_time, tz_from, tz_to
        self.length = self.utc_to - self.utc_from + (DAY if skip_time else 0)

    def offset(self, which: str) -> int:
        """``TZ_OFFSET_FROM``/``_TO``: the zone's UTC offset at that moment, in seconds."""
        wall, name = (self.wall_from, self.tz_from) if which == "from" else (
            self.wall_to, self.tz_to)
        found = wall.replace(tzinfo=zone(name)).utcoffset()
        return int(found.total_seconds()) if found else 0


def times_of(event: sqlite3.Row) -> EventTimes:
    return EventTimes(dt.datetime.fromisoformat(event["date_from"]),
                      dt.datetime.fromisoformat(event["date_to"]), bool(event["skip_time"]),
                      event["tz_from"], event["tz_to"])


def rule_of_event(event: sqlite3.Row) -> Rule | None:
    return None if event["rrule"] is None else Rule.from_json(json.loads(event["rrule"]))


def entry_of(ctx: Actor, entry_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM calendar_entries WHERE id = ?", (entry_id,))


def event_of(ctx: Actor, event_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM calendar_events WHERE id = ?", (event_id,))


def _choice(value: Any, allowed: tuple[str, ...], default: str) -> str:
    text = str(value or "").strip().lower()
    return text if text in allowed else default


def _remind(value: Any) -> list[dict[str, Any]]:
    items = list(value.values()) if isinstance(value, Mapping) else value
    items = items if isinstance(items, list) else []
    return [{"type": str(item.get("type", "")), "count": intval(item.get("count"))}
            for item in items if isinstance(item, Mapping)]


def _dav_xml_id(times: EventTimes, seed: str) -> str:
    stamp = dt.datetime.fromtimestamp(times.utc_from, dt.timezone.utc)
    return f"{stamp:%Y%m%dT%H%M%SZ}-{hashlib.sha256(seed.encode()).hexdigest()[:32]}@{DAV_HOST}"


def save_event(ctx: Actor, fields: Mapping[str, Any], current: sqlite3.Row | None = None,
               ) -> int:
    """Add an event (``current`` None) or change one; its id.

    A new event needs ``CAL_TYPE``, ``OWNER_ID`` and ``SECTION`` (a section the caller may
    add to: the handlers check); a change keeps what ``fields`` leaves out, except that
    ``SKIP_TIME`` and the zones are always given, as calendar.event.update gives them.
    """
    was: dict[str, Any] = dict(current) if current is not None else {}
    wall = times_of(current) if current is not None else None
    times = EventTimes(
        fields.get("DATE_FROM") or (wall.wall_from if wall else fields["DATE_FROM"]),
        fields.get("DATE_TO") or (wall.wall_to if wall else fields["DATE_FROM"]),
        bool(fields.get("SKIP_TIME")), fields.get("TZ_FROM"), fields.get("TZ_TO"))
    rule = fields["RRULE"] if "RRULE" in fields else (
        rule_of_event(current) if current is not None else None)
    row = {
        "name": fields.get("NAME", was.get("name", "")),
        "description": fields.get("DESCRIPTION", was.get("description", "")),
        "date_from": times.wall_from.isoformat(),
        "date_to": times.wall_to.isoformat(),
        "tz_from": times.tz_from,
        "tz_to": times.tz_to,
        "skip_time": int(times.skip_time),
        "private": int(fields.get("PRIVATE_EVENT", bool(was.get("private")))),
        "accessibility": _choice(fields.get("ACCESSIBILITY", was.get("accessibility")),
                                 _ACCESSIBILITY, "busy"),
        "importance": _choice(fields.get("IMPORTANCE", was.get("importance")), _IMPORTANCE,
                              "normal"),
        "is_meeting": int(fields.get("IS_MEETING", bool(was.get("is_meeting")))),
        "meeting_host": int(fields.get("MEETING_HOST", was.get("meeting_host", ctx.user_id))),
        "meeting": json.dumps(fields["MEETING"]) if "MEETING" in fields else was["meeting"],
        "attendees": json.dumps(fields["ATTENDEES_CODES"]) if "ATTENDEES_CODES" in fields
        else was["attendees"],
        "location": fields.get("LOCATION", was.get("location", "")),
        "remind": json.dumps(_remind(fields["REMIND"])) if "REMIND" in fields
        else was.get("remind", "[]"),
        "color": color(fields["COLOR"], None) if "COLOR" in fields else was.get("color", ""),
        "rrule": None if rule is None else json.dumps(rule.as_json()),
        "timestamp_x": ctx.now,
    }
    if current is None:
        event_id = ctx.store.insert(
            "INSERT INTO calendar_entries (event_id, cal_type, owner_id, section_id, status)"
            " VALUES (0, ?, ?, ?, 'H')",
            (fields["CAL_TYPE"], int(fields["OWNER_ID"]), int(fields["SECTION"])))
        ctx.store.execute("UPDATE calendar_entries SET event_id = id WHERE id = ?", (event_id,))
        row.update(id=event_id, created_by=ctx.user_id, date_create=ctx.now, version=1,
                   dav_xml_id=_dav_xml_id(times, f"{event_id}:{ctx.now}"))
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        ctx.store.execute(f"INSERT INTO calendar_events ({names}) VALUES ({marks})",  # noqa: S608
                          tuple(row.values()))
    else:
        event_id = int(current["id"])
        if "SECTION" in fields:
            ctx.store.execute("UPDATE calendar_entries SET section_id = ? WHERE id = ?",
                              (int(fields["SECTION"]), event_id))
        assignments = ", ".join(f"{name} = ?" for name in row)
        ctx.store.execute(
            f"UPDATE calendar_events SET {assignments}, version = version + 1"  # noqa: S608
            " WHERE id = ?", (*row.values(), event_id))
    if "ATTENDEES" in fields:
        meeting = fields.get("MEETING") or {}
        _invite(ctx, event_id, [int(a) for a in fields["ATTENDEES"]] if row["is_meeting"]
                else [], is_new=current is None, reinvite=bool(meeting.get("REINVITE")))
    return event_id


def _invite(ctx: Actor, event_id: int, attendees: list[int], *, is_new: bool,
            reinvite: bool) -> None:
    """Give each attendee an entry in their meeting calendar, and take it from those no
    longer invited (``CCalendarEvent::CreateChildEvents``)."""
    host = entry_of(ctx, event_id)
    assert host is not None
    event = event_of(ctx, event_id)
    assert event is not None
    creator = int(json.loads(event["meeting"]).get("MEETING_CREATOR") or event["created_by"])
    wanted = [a for a in dict.fromkeys(attendees) if user_active(ctx, a)
              and not (host["cal_type"] == "user" and host["owner_id"] == a)]
    have = {int(row["owner_id"]): row for row in ctx.store.rows(
        "SELECT * FROM calendar_entries WHERE event_id = ? AND id != event_id", (event_id,))}
    for gone in set(have) - set(wanted):
        ctx.store.execute("DELETE FROM calendar_entries WHERE id = ?", (have[gone]["id"],))
    for attendee in wanted:
        answered = attendee in (int(event["created_by"]), creator) and is_new
        status = "Y" if answered else "Q"
        if attendee in have:
            if reinvite and have[attendee]["status"] != "H":
                ctx.store.execute("UPDATE calendar_entries SET status = 'Q' WHERE id = ?",
                                  (have[attendee]["id"],))
            continue
        ctx.store.execute(
            "INSERT INTO calendar_entries (event_id, cal_type, owner_id, section_id, status)"
            " VALUES (?, 'user', ?, ?, ?)",
            (event_id, attendee, meeting_section(ctx, attendee), status))


def may_edit(ctx: Actor, entry: sqlite3.Row) -> bool:
    """Only the event itself changes (not an attendee's copy), by whoever may edit its
    calendar."""
    if entry["id"] != entry["event_id"]:
        return False
    section = find_section(ctx, int(entry["section_id"]))
    return section is not None and can(ctx, section, "edit")


def delete_event(ctx: Actor, entry_id: int) -> bool:
    """The event and every attendee's entry, for whoever may edit it; an attendee deleting
    their own entry declines instead. False: not found, or not theirs to delete."""
    entry = entry_of(ctx, entry_id)
    if entry is None:
        return False
    if entry["id"] != entry["event_id"]:
        if entry["cal_type"] != "user" or entry["owner_id"] != ctx.user_id:
            return False
        ctx.store.execute("UPDATE calendar_entries SET status = 'N' WHERE id = ?", (entry_id,))
        return True
    if not may_edit(ctx, entry):
        return False
    ctx.store.execute("DELETE FROM calendar_entries WHERE event_id = ?", (entry_id,))
    ctx.store.execute("DELETE FROM calendar_events WHERE id = ?", (entry_id,))
    return True


def _own_entry(ctx: Actor, event_id: int) -> sqlite3.Row | None:
    """The caller's entry of the event that ``event_id`` names (the event or any entry)."""
    named = entry_of(ctx, event_id)
    if named is None:
        return None
    return ctx.store.row(
        "SELECT * FROM calendar_entries WHERE event_id = ? AND cal_type = 'user'"
        " AND owner_id = ? ORDER BY id LIMIT 1", (named["event_id"], ctx.user_id))


def meeting_status(ctx: Actor, event_id: int) -> str | None:
    """The caller's answer to the event (``H`` for its host); None: not invited."""
    entry = _own_entry(ctx, event_id)
    return None if entry is None else str(entry["status"])


def set_meeting_status(ctx: Actor, event_id: int, status: str) -> None:
    """Answer for the caller's own entry; the host's stays ``H``, strangers change nothing."""
    entry = _own_entry(ctx, event_id)
    if entry is not None and entry["status"] != "H":
        ctx.store.execute("UPDATE calendar_entries SET status = ? WHERE id = ?",
                          (status, entry["id"]))
