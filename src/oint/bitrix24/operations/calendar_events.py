"""Calendar events management: ``calendar.event.*``, ``calendar.meeting.status.*``.

CreateCalendarEvent and UpdateCalendarEvent send the event's fields at the top level of
the body, as OPI does; dates in them may be ``date`` or ``datetime`` values (sent as OPI's
``XMLString`` writes them: ``2026-03-06``, ``2026-03-06T10:00:00``, with the offset of an
aware datetime, which the portal then takes as an instant) or text. GetCalendarEvents
copies from its filter only what OPI copies: ``section`` (as an array) and ``from``/``to``
(as ``YYYY-MM-DD``); other keys are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from .._values import to_array
from .calendars import OWNER, TYPE, a_calendar, day_text, merged, recursive_structure

REGION = "Calendar events management"


class EventRule(TypedDict, total=False):
    FREQ: str  # DAILY, WEEKLY, MONTHLY, YEARLY
    COUNT: int | str
    INTERVAL: int | str
    BYDAY: Sequence[str]  # SU, MO, TU, WE, TH, FR, SA
    UNTIL: str


class EventReminder(TypedDict, total=False):
    type: str  # min, hour, day
    count: int | str


class EventMeeting(TypedDict, total=False):
    notify: str
    reinvite: str
    allow_invite: str
    hide_guests: str


class CalendarEventFields(TypedDict, total=False):
    """What ``calendar.event.add``/``update`` take; see ``get_calendar_events_structure()``.
    ``from``, ``to`` and ``rrule.UNTIL`` may be ``date``/``datetime`` values."""

    type: str
    ownerId: int | str
    section: int | str
    name: str
    description: str
    skip_time: str
    timezone_from: str
    timezone_to: str
    from_ts: int
    to_ts: int
    color: str
    text_color: str
    accessibility: str  # busy, absent, quest, free
    importance: str  # high, normal, low
    private_event: str
    rrule: EventRule
    is_meeting: str
    location: str
    remind: Sequence[EventReminder]
    attendees: Sequence[int | str]
    host: int | str
    meeting: EventMeeting


class CalendarEvent(TypedDict, total=False):
    """An event as ``calendar.event.getbyid`` returns it (``calendar.event.get`` adds
    ``ACTIVE``, ``DT_FROM``, ``DT_TO``, ``TEXT_COLOR``, ``~DATE_FROM``, ``~DATE_TO`` and the
    occurrence's ``RINDEX``). Dates are the portal's culture: ``DD.MM.YYYY HH:MI:SS``."""

    ID: str
    PARENT_ID: str
    CAL_TYPE: str
    OWNER_ID: str
    NAME: str
    DATE_FROM: str
    DATE_TO: str
    TZ_FROM: str | None
    TZ_TO: str | None
    TZ_OFFSET_FROM: str | None
    TZ_OFFSET_TO: str | None
    DATE_FROM_TS_UTC: str
    DATE_TO_TS_UTC: str
    DT_SKIP_TIME: str
    DT_LENGTH: int
    CREATED_BY: str
    DATE_CREATE: str
    TIMESTAMP_X: str
    DESCRIPTION: str
    PRIVATE_EVENT: str
    ACCESSIBILITY: str
    IMPORTANCE: str
    IS_MEETING: bool
    MEETING_STATUS: str  # H (host), Y, N, Q
    MEETING_HOST: str
    MEETING: dict[str, Any]
    LOCATION: str
    REMIND: list[dict[str, Any]]
    COLOR: str
    RRULE: dict[str, Any] | str
    ATTENDEES_CODES: list[str]
    SECTION_ID: str
    ATTENDEE_LIST: list[dict[str, Any]]
    RINDEX: int


EVENT_ID = Param("event_id", "event", Kind.INTEGER, "Event ID", key="id")
FIELDS = Param(
    "fields", "fields", Kind.COLLECTION, "Event fields (JSON or a .json path); see "
    "GetCalendarEventsStructure", annotation="CalendarEventFields | Mapping[str, Any] | str",
)

# OPI's GetCalendarEventsStructure, in its order.
EVENTS_STRUCTURE = {
    "type": "<calendar type: user, group, company_calendar>",
    "ownerId": "<calendar owner identifier>",
    "from": "<event start date and time (as string)>",
    "to": "<event end date (as string)>",
    "from_ts": "<date and time in timestamp format (instead of from)>",
    "to_ts": "<date and time in timestamp format (instead of to)>",
    "section": "<calendar identifier>",
    "name": "<event name>",
    "skip_time": "<pass date value without time in from and to parameters: Y,N>",
    "timezone_from": "<start time zone (default - t.z. of the user)>",
    "timezone_to": "<end time zone (default - t.z. of the user)>",
    "description": "<event description>",
    "color": "<event background colour. Symbol # - in unicode format as %23>",
    "text_color": "<the colour of the event text. Symbol # - in unicode format as %23>",
    "accessibility": "<availability at the time of the event: busy, absent, quest, free>",
    "importance": "<importance: high, normal, low>",
    "private_event": "<private event: Y,N>",
    "rrule": {
        "FREQ": "<repetition rate: DAILY, WEEKLY, MONTHLY, YEARLY>",
        "COUNT": "<number of repetitions>",
        "INTERVAL": "<repetition interval>",
        "BYDAY": ["<days of the week: SU, MO, TU, WE, TH, FR, SA>"],
        "UNTIL": "<repetition end date>",
    },
    "is_meeting": "<flag of meeting with participants: Y,N>",
    "location": "<venue>",
    "remind": [{"type": "<time type: min, hour, day>",
                "count": "<numeric value of the time interval>"}],
    "attendees": "<array of event participant IDs. If is_meeting = Y>",
    "host": "<The identifier of the event organiser. If is_meeting = Y>",
    "meeting": {
        "notify": "<flag for notification of confirmation or cancellation of participants>",
        "reinvite": "<flag for requesting re-confirmation of participation when editing an "
                    "event>",
        "allow_invite": "<flag to allow participants to invite others to the event>",
        "hide_guests": "<flag to hide the list of participants>",
    },
}

FILTER_STRUCTURE = {
    "from": "<selection start date. 3 months before the current default>",
    "to": "<selection end date. 3 months after the current default>",
    "section": "<array of calendar identifiers>",
}


def _events_body(args: dict[str, Any]) -> dict[str, Any]:
    """``type`` and ``ownerId``, then what OPI copies from the filter."""
    body = {"type": args["calendar_type"], "ownerId": args["owner_id"]}
    given: Mapping[str, Any] = args.get("filter") or {}
    for key, value in given.items():
        if key == "section":
            body[key] = to_array(value, "--filter section")
        elif key in ("from", "to"):
            body[key] = day_text(value, f"--filter {key}")
    return body


# -- examples: a meeting as OPI's tests make one ----------------------------------------------

def _meeting_fields(section: int) -> dict[str, Any]:
    return {
        "type": "user", "ownerId": 1, "section": section, "name": "New event",
        "from": "2026-03-06T21:44:17", "to": "2026-03-06T22:44:17", "skip_time": "N",
        "timezone_from": "Europe/Minsk", "timezone_to": "Europe/Minsk",
        "description": "Event description", "color": "%23000000>", "text_color": "%23FFFFFF",
        "accessibility": "quest", "importance": "normal", "private_event": "Y",
        "rrule": {"FREQ": "DAILY", "COUNT": 3, "INTERVAL": 10, "BYDAY": ["SA", "MO"],
                  "UNTIL": "2026-03-16T21:44:17"},
        "is_meeting": "Y", "location": "Office", "remind": [{"type": "day", "count": 1}],
        "attendees": [1, 10], "host": 1,
        "meeting": {"notify": "Y", "reinvite": "Y", "allow_invite": "N", "hide_guests": "N"},
    }


def _new_event(portal: ExamplePortal) -> dict[str, Any]:
    return {"fields": _meeting_fields(a_calendar(portal))}


def _an_event(portal: ExamplePortal) -> dict[str, Any]:
    section = a_calendar(portal)
    return {"event_id": int(portal.call("calendar.event.add", _meeting_fields(section)))}


def _events(portal: ExamplePortal) -> dict[str, Any]:
    section = a_calendar(portal)
    portal.call("calendar.event.add", _meeting_fields(section))
    return {"filter": {"section": [section], "from": "2026-03-01", "to": "2026-03-31"}}


CREATE_CALENDAR_EVENT = Operation(
    "CreateCalendarEvent", REGION, "Create a calendar event", method="calendar.event.add",
    params=(FIELDS,), result="int", build=merged(),
    example=Example(setup=_new_event),
)

UPDATE_CALENDAR_EVENT = Operation(
    "UpdateCalendarEvent", REGION, "Change a calendar event", method="calendar.event.update",
    params=(EVENT_ID, FIELDS), result="int", build=merged(("event_id", "id")),
    example=Example({"fields": {"type": "user", "ownerId": 1, "name": "Changed event",
                                "description": "New event description", "importance": "low",
                                "private_event": "N"}},
                    setup=_an_event),
)

GET_CALENDAR_EVENT = Operation(
    "GetCalendarEvent", REGION, "Get a calendar event by ID", method="calendar.event.getbyid",
    params=(EVENT_ID,), reads=True, result="CalendarEvent | None",
    example=Example(setup=_an_event),
)

GET_CALENDAR_EVENTS = Operation(
    "GetCalendarEvents", REGION,
    "Get the events of an owner's calendars in a period (each occurrence of a repeating one)",
    method="calendar.event.get",
    params=(
        OWNER,
        TYPE,
        Param("filter", "filter", Kind.COLLECTION, "Filter: section, from, to (JSON); see "
              "GetCalendarEventsFilterStructure", required=False),
    ),
    reads=True, result="list[CalendarEvent]", build=_events_body,
    example=Example({"owner_id": 1, "calendar_type": "user"}, setup=_events),
)

DELETE_CALENDAR_EVENT = Operation(
    "DeleteCalendarEvent", REGION, "Delete a calendar event (an invited user declines it)",
    method="calendar.event.delete", params=(EVENT_ID,), result="bool",
    example=Example(setup=_an_event),
)

GET_USER_PARTICIPATION_STATUS = Operation(
    "GetUserParticipationStatus", REGION,
    "Get the current user's answer to an event: Y, N, Q, or H for its host",
    method="calendar.meeting.status.get", params=(EVENT_ID.but(key="eventId"),), reads=True,
    result="str",
    example=Example(setup=_an_event),
)

SET_USER_PARTICIPATION_STATUS = Operation(
    "SetUserParticipationStatus", REGION,
    "Answer an event as the current user: Y (agreed), N (refused), Q (no answer)",
    method="calendar.meeting.status.set",
    params=(EVENT_ID.but(key="eventId"),
            Param("status", "status", Kind.TEXT, "Y, N or Q", key="status")),
    result="bool",
    example=Example({"status": "Y"}, setup=_an_event),
)

GET_CALENDAR_EVENTS_STRUCTURE = recursive_structure(
    "GetCalendarEventsStructure", REGION,
    "Get the structure of event fields for CreateCalendarEvent", EVENTS_STRUCTURE)

GET_CALENDAR_EVENTS_FILTER_STRUCTURE = recursive_structure(
    "GetCalendarEventsFilterStructure", REGION,
    "Get the structure of the filter of GetCalendarEvents", FILTER_STRUCTURE)

OPERATIONS = (
    CREATE_CALENDAR_EVENT,
    UPDATE_CALENDAR_EVENT,
    GET_CALENDAR_EVENT,
    GET_CALENDAR_EVENTS,
    DELETE_CALENDAR_EVENT,
    GET_USER_PARTICIPATION_STATUS,
    SET_USER_PARTICIPATION_STATUS,
    GET_CALENDAR_EVENTS_STRUCTURE,
    GET_CALENDAR_EVENTS_FILTER_STRUCTURE,
)
