"""Calendars management: ``calendar.section.*``, ``calendar.settings.get``,
``calendar.user.settings.*``, ``calendar.accessibility.get``.

CreateCalendar and UpdateCalendar send the fields at the top level of the body, as OPI
does (``calendar.section.add`` takes ``type``, ``ownerId``, ``name``, ... there, not under
``fields``). GetUserBusy sends its dates as ``YYYY-MM-DD`` (OPI's ``DF=yyyy-MM-dd``): a
``date``, a ``datetime`` or ISO text is accepted. The local structures are OPI's exactly;
``--empty`` clears them as OPI's ``ClearCollectionRecursively`` does (every value blanked,
nested ones too, lists keeping their length).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypedDict

from .._errors import UsageError
from .._spec import Example, ExamplePortal, Kind, Operation, Param
from ._common import EMPTY_PARAM

__all__ = [
    "DATE",
    "OWNER",
    "TYPE",
    "CalendarFields",
    "CalendarSection",
    "UserBusyTime",
    "a_calendar",
    "clear_recursively",
    "day_text",
    "merged",
    "recursive_structure",
    "xml_dates",
]

REGION = "Calendars management"


class CalendarExport(TypedDict, total=False):
    ALLOW: bool | str
    SET: str


class CalendarFields(TypedDict, total=False):
    """What ``calendar.section.add``/``update`` take; see ``get_calendar_structure()``."""

    type: str  # user, group, company_calendar
    ownerId: int | str
    name: str
    description: str
    color: str
    text_color: str
    export: CalendarExport
    access: Mapping[str, int]


class CalendarSection(TypedDict, total=False):
    """A calendar as ``calendar.section.get`` returns it."""

    ID: str
    NAME: str
    GAPI_CALENDAR_ID: str | None
    DESCRIPTION: str
    COLOR: str
    TEXT_COLOR: str
    EXPORT: dict[str, Any]
    CAL_TYPE: str
    OWNER_ID: str
    CREATED_BY: str
    DATE_CREATE: str
    TIMESTAMP_X: str
    CAL_DAV_CON: str | None
    SYNC_TOKEN: str | None
    PAGE_TOKEN: str | None
    EXTERNAL_TYPE: str
    ACCESS: dict[str, int]
    IS_COLLAB: bool
    PERM: dict[str, bool]


class UserBusyTime(TypedDict, total=False):
    """One event occurrence in ``calendar.accessibility.get``'s reply (per user id)."""

    ID: str
    NAME: str
    DATE_FROM: str
    DATE_TO: str
    DATE_FROM_TS_UTC: str
    DATE_TO_TS_UTC: str
    DT_SKIP_TIME: str
    TZ_FROM: str | None
    TZ_TO: str | None
    ACCESSIBILITY: str
    IMPORTANCE: str
    EVENT_TYPE: str | None


# -- what the calendar regions share ----------------------------------------------------------


def clear_recursively(value: Any) -> Any:
    """OPI's ``ClearCollectionRecursively``: maps and lists keep their shape, every other
    value becomes ``""``."""
    if isinstance(value, Mapping):
        return {key: clear_recursively(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clear_recursively(item) for item in value]
    return ""


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


def recursive_structure(name: str, region: str, summary: str, structure: Mapping[str, Any],
                        ) -> Operation:
    """A local Get*Structure operation whose structure OPI clears recursively; each call
    gets a fresh copy."""

    def run(args: dict[str, Any]) -> Any:
        return (clear_recursively if args.get("empty") else _copy)(structure)

    return Operation(name, region, summary, params=(EMPTY_PARAM,), reads=True,
                     result="dict[str, Any]", local=run, example=Example())


_DAY = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")


# Dates reach the declarations as text (a date or datetime is written as it prints), and
# are formatted here: OPI sends these days only, in one form.
DATE = "datetime.date | str"


def day_text(value: Any, what: str) -> str:
    """A date as OPI formats it with ``DF=yyyy-MM-dd``: from a date, a datetime or text
    that starts with an ISO date (``2025-10-30T20:25:56.6716941`` too)."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    match = _DAY.match(str(value)) if isinstance(value, str) else None
    if match is not None:
        try:
            return dt.date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            pass
    raise UsageError(f"{what} must be a date such as 2025-10-30, got {str(value)[:40]!r}")


def xml_dates(value: Any) -> Any:
    """A structure with its dates as OPI writes them (``XMLString``): ``YYYY-MM-DD`` for a
    date, ``YYYY-MM-DDTHH:MM:SS`` (and the offset of an aware one) for a datetime."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: xml_dates(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return [xml_dates(item) for item in value]
    return value


def merged(*keys: tuple[str, str]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A body of some parameters under their keys, then the ``fields`` structure spread
    over it (OPI inserts each field into its request parameters)."""

    def build(args: dict[str, Any]) -> dict[str, Any]:
        body = {key: args[name] for name, key in keys if name in args}
        body.update(xml_dates(args["fields"]))
        return body

    return build


# -- examples ----------------------------------------------------------------------------------

# A calendar as OPI's tests make one.
_CALENDAR = {
    "type": "user",
    "ownerId": 1,
    "name": "New calendar",
    "description": "My new calendar",
    "color": "#FFFFFF",
    "text_color": "#000000",
    "export": {"ALLOW": "True", "SET": "all"},
}


def a_calendar(portal: ExamplePortal) -> int:
    """A new calendar of the example's user; its id."""
    return int(portal.call("calendar.section.add", _CALENDAR))


def _calendar(portal: ExamplePortal) -> dict[str, Any]:
    return {"calendar_id": a_calendar(portal)}


def _calendars(portal: ExamplePortal) -> dict[str, Any]:
    a_calendar(portal)
    return {}


def _busy(portal: ExamplePortal) -> dict[str, Any]:
    section = a_calendar(portal)
    portal.call("calendar.event.add", {
        "type": "user", "ownerId": 1, "section": section, "name": "Busy",
        "from": "2026-03-06T10:00:00", "to": "2026-03-06T11:00:00",
        "accessibility": "busy", "importance": "high",
    })
    return {}


# -- declarations ------------------------------------------------------------------------------

OWNER = Param("owner_id", "owner", Kind.INTEGER, "Calendar owner ID (0 for the company's)",
              key="ownerId")
TYPE = Param("calendar_type", "type", Kind.TEXT,
             "Calendar type: user, group, company_calendar", key="type")
CALENDAR_ID = Param("calendar_id", "calendar", Kind.INTEGER, "Calendar ID", key="id")
FIELDS = Param(
    "fields", "fields", Kind.COLLECTION, "Calendar fields (JSON or a .json path); see "
    "GetCalendarStructure", annotation="CalendarFields | Mapping[str, Any] | str",
)

# OPI's GetCalendarStructure, in its order.
CALENDAR_STRUCTURE = {
    "type": "<calendar type: user, group)>",
    "ownerId": "<owner identifier>",
    "name": "<calendars name>",
    "description": "<calendar description>",
    "color": "<calendar color>",
    "text_color": "<calendar text color>",
    "export": {
        "ALLOW": "<calendar export permission (bool)>",
        "SET": "<export period: all, 3_9 (example: 3 months before and 9 after)>",
    },
}

# OPI's GetCalednarCustomSettingsStructure: one reminder description under both keys.
_REMINDER = {"type": "<reminder time type: min, hour, day>",
             "count": "<numeric value of the time interval>"}
CUSTOM_SETTINGS_STRUCTURE = {
    "view": "<standard presentation: day, week, month, list>",
    "meetSection": "<invitation calendar>",
    "crmSection": "<calendar for CRM>",
    "showDeclined": "<show rejected events>",
    "denyBusyInvitation": "<disallow invitations to an event if the time is full>",
    "collapseOffHours": "<hide off hours: Y,N>",
    "showWeekNumbers": "<show week number: Y,N>",
    "showTasks": "<display tasks: Y,N>",
    "syncTasks": "<synchronise the task calendar: Y,N>",
    "showCompletedTasks": "<display completed tasks: Y,N>",
    "lastUsedSection": "<default event calendar>",
    "sendFromEmail": "<E-mail for sending invitations>",
    "defaultSections": "<preset calendar settings>",
    "syncPeriodPast": "<number of months to synchronise in the past period>",
    "syncPeriodFuture": "<number of months to synchronise in the future period>",
    "defaultReminders": {"fullDay": [_REMINDER], "withTime": [_REMINDER]},
}


def _busy_body(args: dict[str, Any]) -> dict[str, Any]:
    return {"users": args["users"], "from": day_text(args["start"], "--from"),
            "to": day_text(args["end"], "--to")}


GET_CALENDAR_LIST = Operation(
    "GetCalendarList", REGION, "Get the calendars of an owner", method="calendar.section.get",
    params=(OWNER, TYPE), reads=True, result="list[CalendarSection]",
    example=Example({"owner_id": 1, "calendar_type": "user"}, setup=_calendars),
)

CREATE_CALENDAR = Operation(
    "CreateCalendar", REGION, "Create a calendar", method="calendar.section.add",
    params=(FIELDS,), result="int", build=merged(),
    example=Example({"fields": _CALENDAR}),
)

UPDATE_CALENDAR = Operation(
    "UpdateCalendar", REGION, "Change a calendar", method="calendar.section.update",
    params=(CALENDAR_ID, FIELDS), result="int", build=merged(("calendar_id", "id")),
    example=Example({"fields": {"type": "user", "ownerId": 1, "name": "New calendar name",
                                "description": "This calendar has been changed"}},
                    setup=_calendar),
)

DELETE_CALENDAR = Operation(
    "DeleteCalendar", REGION, "Delete a calendar (and its events)",
    method="calendar.section.delete", params=(CALENDAR_ID, OWNER, TYPE), result="bool",
    example=Example({"owner_id": 1, "calendar_type": "user"}, setup=_calendar),
)

GET_USER_BUSY = Operation(
    "GetUserBusy", REGION, "Get the events that keep users busy in a period",
    method="calendar.accessibility.get",
    params=(
        Param("users", "users", Kind.ARRAY, "User IDs, or one user ID"),
        Param("start", "from", Kind.TEXT, "Start of the period: a date (YYYY-MM-DD)",
              annotation=DATE),
        Param("end", "to", Kind.TEXT, "End of the period: a date (YYYY-MM-DD)",
              annotation=DATE),
    ),
    reads=True, result="dict[str, list[UserBusyTime]]", build=_busy_body,
    example=Example({"users": [1], "start": "2026-03-01", "end": "2026-03-31"}, setup=_busy),
)

GET_CUSTOM_CALENDAR_SETTINGS = Operation(
    "GetCustomCalendarSettings", REGION, "Get the current user's calendar settings",
    method="calendar.user.settings.get", reads=True, result="dict[str, Any]",
    example=Example(),
)

SET_CUSTOM_CALENDAR_SETTINGS = Operation(
    "SetCustomCalendarSettings", REGION, "Change the current user's calendar settings",
    method="calendar.user.settings.set",
    params=(Param("settings", "settings", Kind.COLLECTION,
                  "Settings (JSON or a .json path); see GetCalednarCustomSettingsStructure",
                  key="settings"),),
    result="bool",
    example=Example({"settings": {"view": "month", "showDeclined": "Y",
                                  "collapseOffHours": "N", "showCompletedTasks": "N"}}),
)

GET_CALENDAR_SETTINGS_STRUCTURE = Operation(
    "GetCalendarSettingsStructure", REGION, "Get the portal's calendar settings",
    method="calendar.settings.get", reads=True, result="dict[str, Any]",
    example=Example(),
)

GET_CALEDNAR_CUSTOM_SETTINGS_STRUCTURE = recursive_structure(
    "GetCalednarCustomSettingsStructure", REGION,
    "Get the structure of user calendar settings for SetCustomCalendarSettings",
    CUSTOM_SETTINGS_STRUCTURE)

GET_CALENDAR_STRUCTURE = recursive_structure(
    "GetCalendarStructure", REGION, "Get the structure of calendar fields for CreateCalendar",
    CALENDAR_STRUCTURE)

OPERATIONS = (
    GET_CALENDAR_LIST,
    CREATE_CALENDAR,
    UPDATE_CALENDAR,
    DELETE_CALENDAR,
    GET_USER_BUSY,
    GET_CUSTOM_CALENDAR_SETTINGS,
    SET_CUSTOM_CALENDAR_SETTINGS,
    GET_CALENDAR_SETTINGS_STRUCTURE,
    GET_CALEDNAR_CUSTOM_SETTINGS_STRUCTURE,
    GET_CALENDAR_STRUCTURE,
)
