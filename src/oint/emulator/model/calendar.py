"""Calendars (the server's "sections"), who may do what with them, and calendar settings.

A section belongs to an owner of a type: a user's calendar (``user``, owner: the user), a
workgroup's (``group``, owner: the group) or the company's (``company_calendar``, owner 0).
What the caller may do with one (its ``PERM``) follows the type:

- a user's calendar: its owner may do everything; every other employee sees only when the
  owner is busy (``view_time``; the default ``ACCESS`` gives ``G2``, all employees, that);
- a workgroup's: the user who made it and the portal's administrators may do everything,
  the others view it;
- the company's: administrators may do everything, the others view it.

A user without calendars gets one (``CCalendarSect::CreateDefault``) when an event needs
it: an invitation to a meeting, an event added without a section. User settings are the
server's defaults (``UserSettings``) with what the user saved over them.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Mapping
from typing import Any

from ..timing import local, portal_zone
from . import Actor, schema
from .calendar_time import zone_name
from .users import user_row

__all__ = [
    "PORTAL_SETTINGS",
    "TYPES",
    "add_section",
    "can",
    "color",
    "delete_section",
    "find_section",
    "meeting_section",
    "php_truthy",
    "section_record",
    "sections_of",
    "set_user_settings",
    "update_section",
    "user_settings",
]

TYPES = ("user", "group", "company_calendar")
SECTION_COLOR = "#E6A469"  # calendar.section.add's defaults
SECTION_TEXT_COLOR = "#000000"
DEFAULT_COLOR = "#9dcf00"  # CCalendar::Color's
DEFAULT_SECTION_NAME = "Мой календарь"  # the recorded portal speaks Russian
# The ACCESS a new section is given, as the recorded portal shows it: all employees (G2)
# see when the owner is busy, the owner has full access. The numbers are the portal's task ids.
VIEW_TIME_TASK = 31
FULL_ACCESS_TASK = 39

_ALL = ("view_time", "view_title", "view_full", "add", "edit", "edit_section", "access")
FULL = dict.fromkeys(_ALL, True)
VIEW = {**dict.fromkeys(_ALL, False), "view_time": True, "view_title": True, "view_full": True}
BUSY_ONLY = {**dict.fromkeys(_ALL, False), "view_time": True}

SCHEMA = schema("calendar", """
CREATE TABLE IF NOT EXISTS calendar_sections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    cal_type TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL,
    text_color TEXT NOT NULL,
    export_allow INTEGER NOT NULL DEFAULT 1,
    export_set TEXT NOT NULL DEFAULT 'all',
    access TEXT,  -- JSON given by the caller; NULL: the default
    created_by INTEGER NOT NULL,
    date_create REAL NOT NULL,
    timestamp_x REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS calendar_sections_owner ON calendar_sections (cal_type, owner_id);
CREATE TABLE IF NOT EXISTS calendar_user_settings (
    user_id INTEGER PRIMARY KEY,
    settings TEXT NOT NULL  -- JSON: what the user saved
);
""")

# calendar.settings.get: the portal's calendar settings, as the recorded portal has them.
PORTAL_SETTINGS: dict[str, Any] = {
    "work_time_start": "9",
    "work_time_end": "19",
    "year_holidays": "1.01,2.01,7.01,23.02,8.03,1.05,9.05,12.06,4.11",
    "year_workdays": "31.12",
    "week_holidays": ["SA", "SU"],
    "week_start": "MO",
    "user_name_template": "#NAME# #LAST_NAME#",
    "sync_by_push": "",
    "user_show_login": "1",
    "path_to_user": "/company/personal/user/#user_id#/",
    "path_to_user_calendar": "/company/personal/user/#user_id#/calendar/",
    "path_to_group": "/workgroups/group/#group_id#/",
    "path_to_group_calendar": "/workgroups/group/#group_id#/calendar/",
    "path_to_vr": "",
    "path_to_rm": "",
    "rm_iblock_type": "",
    "rm_iblock_id": "",
    "dep_manager_sub": "1",
    "denied_superpose_types": [],
    "pathes_for_sites": "",
    "pathes": [],
    "forum_id": "1",
    "rm_for_sites": "1",
    "path_to_type_company_calendar": "/calendar/",
    "path_to_type_events": "",
    "path_to_type_location": "",
}

# UserSettings' defaults, in the order calendar.user.settings.get writes them.
USER_SETTINGS: dict[str, Any] = {
    "view": "month",
    "CalendarSelCont": False,
    "SPCalendarSelCont": False,
    "meetSection": False,
    "crmSection": False,
    "showDeclined": False,
    "denyBusyInvitation": False,
    "collapseOffHours": "Y",
    "showWeekNumbers": "N",
    "showTasks": "Y",
    "syncTasks": "N",
    "showCompletedTasks": "N",
    "lastUsedSection": False,
    "sendFromEmail": False,
    "defaultSections": [],
    "syncPeriodPast": 3,
    "syncPeriodFuture": 12,
    "defaultReminders": {
        "fullDay": {"type": "daybefore", "before": 0, "time": 480},
        "withTime": {"type": "min", "count": 15},
    },
}
_FLAGS = ("showDeclined", "denyBusyInvitation")  # kept as booleans whatever was sent


def php_truthy(value: Any) -> bool:
    """PHP's ``(bool)``: "", "0", 0, null and empty arrays are false; "N" is true."""
    if isinstance(value, str):
        return value not in ("", "0")
    return bool(value)


_NOT_WORD = re.compile(r"[^\d|\w]")


def color(value: Any, default: str | None = DEFAULT_COLOR) -> str:
    """``CCalendar::Color``: six hex-ish characters after dropping the rest (so OPI's
    ``%23000000>`` is ``#230000``), else the default."""
    text = "" if value is None or isinstance(value, (dict, list)) else str(value)
    if text:
        text = _NOT_WORD.sub("", text).strip().lstrip("#")
        text = text[:6] if len(text) >= 6 else ""
    return f"#{text}" if text else (default or "")


# -- sections -----------------------------------------------------------------------------------


def find_section(ctx: Actor, section_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM calendar_sections WHERE id = ?", (section_id,))


def sections_of(ctx: Actor, cal_type: str, owner_id: int) -> list[sqlite3.Row]:
    return ctx.store.rows(
        "SELECT * FROM calendar_sections WHERE cal_type = ? AND owner_id = ? ORDER BY id",
        (cal_type, owner_id))


def _is_admin(ctx: Actor) -> bool:
    row = user_row(ctx, ctx.user_id)
    return bool(row is not None and row["is_admin"])


def permissions(ctx: Actor, section: sqlite3.Row) -> dict[str, bool]:
    """What the caller may do with a section (its ``PERM``)."""
    cal_type, owner = section["cal_type"], int(section["owner_id"])
    if cal_type == "user":
        return dict(FULL if owner == ctx.user_id else BUSY_ONLY)
    if _is_admin(ctx) or (cal_type != "company_calendar"
                          and int(section["created_by"]) == ctx.user_id):
        return dict(FULL)
    return dict(VIEW)


def can(ctx: Actor, section: sqlite3.Row, action: str) -> bool:
    return permissions(ctx, section)[action]


def may_add_section(ctx: Actor, cal_type: str) -> bool:
    """Anyone may add calendars of their own kind; company and group ones need an admin."""
    return cal_type == "user" or (cal_type in TYPES and _is_admin(ctx))


def add_section(ctx: Actor, cal_type: str, owner_id: int, fields: Mapping[str, Any]) -> int:
    """``fields``: NAME, DESCRIPTION, COLOR, TEXT_COLOR, EXPORT (ALLOW, SET), ACCESS."""
    export = fields.get("EXPORT") or {}
    section_id = ctx.store.insert(
        "INSERT INTO calendar_sections (cal_type, owner_id, name, description, color,"
        " text_color, export_allow, export_set, access, created_by, date_create, timestamp_x)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (cal_type, owner_id, fields.get("NAME", ""), fields.get("DESCRIPTION", ""),
         fields.get("COLOR", SECTION_COLOR), fields.get("TEXT_COLOR", SECTION_TEXT_COLOR),
         int(export.get("ALLOW", True)), str(export.get("SET", "all")),
         _json_or_none(fields.get("ACCESS")), ctx.user_id, ctx.now, ctx.now))
    if cal_type == "user":
        _remember_meeting_section(ctx, owner_id, section_id)
    return section_id


def _remember_meeting_section(ctx: Actor, user_id: int, section_id: int) -> None:
    """A user's first calendar becomes where their invitations go (``meetSection``); the
    setting stays when that calendar is deleted, as the server's does."""
    saved = _saved_settings(ctx, user_id)
    if not saved.get("meetSection"):
        _save_settings(ctx, user_id, {**saved, "meetSection": str(section_id)})


def update_section(ctx: Actor, section_id: int, fields: Mapping[str, Any]) -> None:
    columns = {"NAME": "name", "DESCRIPTION": "description", "COLOR": "color",
               "TEXT_COLOR": "text_color"}
    changes = {columns[key]: value for key, value in fields.items() if key in columns}
    if "ACCESS" in fields:
        changes["access"] = _json_or_none(fields["ACCESS"])
    changes["timestamp_x"] = ctx.now
    assignments = ", ".join(f"{column} = ?" for column in changes)
    ctx.store.execute(f"UPDATE calendar_sections SET {assignments} WHERE id = ?",  # noqa: S608
                      (*changes.values(), section_id))


def delete_section(ctx: Actor, section_id: int) -> bool:
    """The section and its events go (the events' schema has the trigger that removes them)."""
    return ctx.store.execute("DELETE FROM calendar_sections WHERE id = ?", (section_id,)) > 0


def _json_or_none(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _stamp(moment: float) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M:%S")


def _export_path(section: sqlite3.Row) -> str:
    owner = section["owner_id"]
    if section["cal_type"] == "user":
        return f"/company/personal/user/{owner}/calendar/"
    if section["cal_type"] == "group":
        return f"/workgroups/group/{owner}/calendar/"
    return "/calendar/"


def _sign(*parts: Any) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def section_record(ctx: Actor, section: sqlite3.Row) -> dict[str, Any]:
    """A section as ``calendar.section.get`` writes it, with the caller's ``PERM``."""
    owner = int(section["owner_id"])
    keeper = owner if section["cal_type"] == "user" else int(section["created_by"])
    access = json.loads(section["access"]) if section["access"] is not None else {
        "G2": VIEW_TIME_TASK, f"U{keeper}": FULL_ACCESS_TASK}
    link = (f"&type={section['cal_type']}&owner={owner}&ncc=1&user={ctx.user_id}"
            f"&sec_id={section['id']}&sign={_sign(section['id'], ctx.user_id)}"
            f"&bx_hit_hash={_sign(section['id'], ctx.user_id, 'hit')}")
    return {
        "ID": str(section["id"]),
        "NAME": section["name"],
        "GAPI_CALENDAR_ID": None,
        "DESCRIPTION": section["description"],
        "COLOR": section["color"],
        "TEXT_COLOR": section["text_color"],
        "EXPORT": {"ALLOW": bool(section["export_allow"]), "PATH": _export_path(section),
                   "LINK": link},
        "CAL_TYPE": section["cal_type"],
        "OWNER_ID": str(owner),
        "CREATED_BY": str(section["created_by"]),
        "DATE_CREATE": _stamp(section["date_create"]),
        "TIMESTAMP_X": _stamp(section["timestamp_x"]),
        "CAL_DAV_CON": None,
        "SYNC_TOKEN": None,
        "PAGE_TOKEN": None,
        "EXTERNAL_TYPE": "local",
        "ACCESS": access,
        "IS_COLLAB": False,
        "PERM": permissions(ctx, section),
    }


def meeting_section(ctx: Actor, user_id: int) -> int:
    """The calendar a user's invitations go to: their ``meetSection`` setting, else their
    first calendar, else a new default one (which becomes the setting)."""
    saved = _saved_settings(ctx, user_id).get("meetSection")
    if saved:
        found = find_section(ctx, int(saved) if str(saved).isdigit() else 0)
        if found is not None and found["cal_type"] == "user" and found["owner_id"] == user_id:
            return int(found["id"])
    own = sections_of(ctx, "user", user_id)
    section_id = int(own[0]["id"]) if own else ctx.store.insert(
        "INSERT INTO calendar_sections (cal_type, owner_id, name, color, text_color,"
        " created_by, date_create, timestamp_x) VALUES ('user', ?, ?, ?, ?, ?, ?, ?)",
        (user_id, DEFAULT_SECTION_NAME, DEFAULT_COLOR, SECTION_TEXT_COLOR, user_id, ctx.now,
         ctx.now))
    _save_settings(ctx, user_id, {**_saved_settings(ctx, user_id),
                                  "meetSection": str(section_id)})
    return section_id


# -- user settings ------------------------------------------------------------------------------


def _saved_settings(ctx: Actor, user_id: int) -> dict[str, Any]:
    saved = ctx.store.scalar("SELECT settings FROM calendar_user_settings WHERE user_id = ?",
                             (user_id,))
    return dict(json.loads(saved)) if saved else {}


def _save_settings(ctx: Actor, user_id: int, settings: Mapping[str, Any]) -> None:
    ctx.store.execute(
        "INSERT INTO calendar_user_settings (user_id, settings) VALUES (?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET settings = excluded.settings",
        (user_id, json.dumps(settings)))


def user_settings(ctx: Actor) -> dict[str, Any]:
    """The caller's settings: the defaults, what they saved, and their time zone."""
    settings = {**USER_SETTINGS, **_saved_settings(ctx, ctx.user_id)}
    zone = portal_zone()
    offset = local(ctx.now).utcoffset()
    return {**settings, "timezoneName": zone_name(zone),
            "timezoneOffsetUTC": int(offset.total_seconds()) if offset else 0,
            "timezoneDefaultName": ""}


def set_user_settings(ctx: Actor, settings: Mapping[str, Any]) -> None:
    """Known keys only, over what was saved (``UserSettings::set``)."""
    saved = _saved_settings(ctx, ctx.user_id)
    for key, value in settings.items():
        if key in USER_SETTINGS:
            saved[key] = (php_truthy(value) and str(value).upper() not in ("N", "FALSE")
                          if key in _FLAGS else value)
    _save_settings(ctx, ctx.user_id, saved)
