"""Calendar events: ``calendar.event.*`` and ``calendar.meeting.status.*`` (the model is
``model/calendar_event`` and ``model/calendar_view``).

``calendar.event.add``/``update`` read their parameters as ``CCalendarRestService`` does,
in its order: whole-day events drop the zones; a date with an offset names an instant (its
zone parameter is dropped) and one without names a wall-clock time in ``timezone_from``/
``timezone_to``, which default to the caller's zone (the portal's) even on update; an
update always says whether the event is a whole-day one. ``meeting`` flags are PHP
``(bool)`` casts, so ``"N"`` is true, as on the server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..model.calendar import can, color, find_section, meeting_section, php_truthy, sections_of
from ..model.calendar_event import (
    delete_event,
    entry_of,
    event_of,
    may_edit,
    meeting_status,
    save_event,
    set_meeting_status,
)
from ..model.calendar_time import parse_day, rule_of, zone, zone_name
from ..model.calendar_view import day_range, entry_row, event_record, list_events
from ..model.users import full_name, user_row
from ..php import intval
from ..timing import local, portal_zone
from ._calendar import (
    access_denied,
    empty,
    failed,
    invalid,
    missing,
    moments,
    positive_ids,
    require,
)
from ._registry import Context, handler

NEW_EVENT_NAME = "New event"  # EC_T_NEW_EVENT, for an update that blanks the name
LANGUAGE_ID = "ru"  # the recorded portal's


def _skip_time(params: Mapping[str, Any]) -> bool:
    skip = params.get("SKIP_TIME") == "Y"
    return params.get("SKIPTIME") == "Y" if "SKIPTIME" in params else skip


def _zones(given: Mapping[str, Any]) -> dict[str, str]:
    """``processTimezone``: ``timezone_to``, else ``timezone_from``, else the caller's zone
    (an unknown name is the caller's zone too)."""
    def known(value: Any) -> str | None:
        return zone_name(zone(str(value))) if value else None

    start, end = known(given.get("TIMEZONE_FROM")), known(given.get("TIMEZONE_TO"))
    mine = zone_name(portal_zone())
    return {"TZ_FROM": start or mine, "TZ_TO": end or start or mine}


def _texts(params: Mapping[str, Any]) -> None:
    for key in ("NAME", "DESCRIPTION"):
        if params.get(key) is not None and not isinstance(params[key], str):
            raise invalid(key.lower())


def _checked_section(ctx: Context, section_id: Any, cal_type: str, owner: int) -> int:
    """A section given to an event: the owner's, of that type, and the caller's to add to."""
    section = find_section(ctx, intval(section_id))
    if section is None or section["cal_type"] != cal_type or section["owner_id"] != owner:
        raise failed("You have specified an invalid calendar section ID or the current user "
                     "does not have access to it")
    if not can(ctx, section, "edit"):
        raise access_denied()
    return int(section["id"])


def _crm_fields(params: Mapping[str, Any]) -> None:
    if "CRM_FIELDS" not in params:
        return
    links = params["CRM_FIELDS"]
    if not isinstance(links, list):
        raise failed("Event to CRM association list must be an array.")
    if any(not isinstance(link, str) or not link for link in links):
        raise invalid("crm_fields")


def _details(params: Mapping[str, Any]) -> dict[str, Any]:
    """The plain fields both add and update take as given."""
    fields: dict[str, Any] = {}
    if params.get("DESCRIPTION") is not None:
        fields["DESCRIPTION"] = params["DESCRIPTION"].strip()
    if params.get("COLOR") is not None:
        fields["COLOR"] = color(params["COLOR"])
    for key in ("ACCESSIBILITY", "IMPORTANCE", "REMIND"):
        if params.get(key) is not None:
            fields[key] = params[key]
    if params.get("LOCATION") is not None:
        fields["LOCATION"] = str(params["LOCATION"])
    if params.get("PRIVATE_EVENT") is not None:
        fields["PRIVATE_EVENT"] = params["PRIVATE_EVENT"] == "Y"
    if params.get("RRULE") is not None:
        fields["RRULE"] = rule_of(params["RRULE"])
    if params.get("IS_MEETING") is not None:
        fields["IS_MEETING"] = params["IS_MEETING"] == "Y"
    return fields


def _meeting(ctx: Context, params: Mapping[str, Any], host: int, default: int,
             attendees: list[int] | None) -> dict[str, Any]:
    """ATTENDEES, their codes, MEETING_HOST and MEETING of a meeting."""
    given = params.get("MEETING")
    flags: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    fields: dict[str, Any] = {"MEETING_HOST": host, "MEETING": {
        "HOST_NAME": _name(ctx, host),
        "NOTIFY": php_truthy(flags.get("notify")),
        "REINVITE": php_truthy(flags.get("reinvite")),
        "ALLOW_INVITE": php_truthy(flags.get("allow_invite")),
        "HIDE_GUESTS": php_truthy(flags.get("hide_guests")),
        "MEETING_CREATOR": host,
        "LANGUAGE_ID": LANGUAGE_ID,
    }}
    if attendees is not None:
        chosen = attendees or [default]
        fields["ATTENDEES"] = chosen
        fields["ATTENDEES_CODES"] = list(dict.fromkeys(f"U{a}" for a in chosen))
    return fields


def _name(ctx: Context, user_id: int) -> str:
    row = user_row(ctx, user_id)
    return full_name(row) if row is not None else ""


def _attendees(params: Mapping[str, Any]) -> list[int] | None:
    """``attendees`` when it is an array (PHP's: a list, or a map by index); else None."""
    given = params.get("ATTENDEES")
    if isinstance(given, Mapping):
        given = list(given.values())
    return [intval(a) for a in given] if isinstance(given, list) else None


@handler("calendar.event.add")
def event_add(ctx: Context, params: dict[str, Any]) -> int:
    method = "calendar.event.add"
    skip = _skip_time(params)
    start, end, zones = moments(params, skip)
    for name, value in (("from", start), ("to", end)):
        if value is None:
            raise missing(name, method)
    needed: tuple[str, ...] = ("name", "ownerId", "type")
    if params.get("AUTO_DETECT_SECTION") not in (None, "Y"):
        needed += ("section",)
    require(params, needed, method, zero_ok=("ownerId",))
    if not isinstance(params["NAME"], str):
        raise invalid("name")
    _texts(params)
    cal_type, owner = str(params["TYPE"]), intval(params["OWNERID"])
    section = intval(params.get("SECTION"))
    if section > 0:
        section = _checked_section(ctx, section, cal_type, owner)
    fields: dict[str, Any] = {"CAL_TYPE": cal_type, "OWNER_ID": owner,
                              "NAME": params["NAME"].strip(), "DATE_FROM": start,
                              "DATE_TO": end, "SKIP_TIME": skip, **_details(params)}
    if not skip:
        fields.update(_zones(zones))
    default = owner or ctx.user_id
    if fields.get("IS_MEETING"):
        host = intval(params["HOST"]) if params.get("HOST") is not None else default
        fields.update(_meeting(ctx, params, host, default, _attendees(params) or []))
    else:
        fields.update(_meeting(ctx, {}, default, default, []))
    _crm_fields(params)
    fields["SECTION"] = section if section > 0 else _default_section(ctx, cal_type, owner)
    return save_event(ctx, fields)


def _default_section(ctx: Context, cal_type: str, owner: int) -> int:
    """Where an event without a section goes: the owner's meeting calendar, or the first
    calendar of a group or the company; the caller must be allowed to add to it."""
    if cal_type == "user":
        if user_row(ctx, owner) is None:
            raise failed("Error while creating event")
        section_id = meeting_section(ctx, owner)
    else:
        found = sections_of(ctx, cal_type, owner)
        if not found:
            raise failed("Error while creating event")
        section_id = int(found[0]["id"])
    section = find_section(ctx, section_id)
    if section is None or not can(ctx, section, "edit"):
        raise failed("Error while creating event")
    return section_id


@handler("calendar.event.update")
def event_update(ctx: Context, params: dict[str, Any]) -> int:
    method = "calendar.event.update"
    require(params, ("id", "ownerId", "type"), method, zero_ok=("ownerId",))
    _texts(params)
    event_id, cal_type, owner = intval(params["ID"]), str(params["TYPE"]), \
        intval(params["OWNERID"])
    skip = _skip_time(params)
    start, end, zones = moments(params, skip)
    fields: dict[str, Any] = {"SKIP_TIME": skip, **_details(params)}
    if start is not None:
        fields["DATE_FROM"] = start
    if end is not None:
        fields["DATE_TO"] = end
    if not skip:
        fields.update(_zones(zones))
    if params.get("NAME") is not None:
        fields["NAME"] = params["NAME"].strip() or NEW_EVENT_NAME
    if params.get("SECTION") is not None:
        fields["SECTION"] = _checked_section(ctx, params["SECTION"], cal_type, owner)
    mode = params.get("RECURRENCE_MODE")
    if mode and mode not in ("this", "next", "all"):
        raise failed("Invalid edit type for recurring event.")
    if mode in ("this", "next") and empty(params.get("CURRENT_DATE_FROM")):
        raise invalid("current_date_from")
    if fields.get("IS_MEETING"):
        host = intval(params["HOST"]) if params.get("HOST") is not None else ctx.user_id
        fields.update(_meeting(ctx, params, host, owner or ctx.user_id, _attendees(params)))
    elif "IS_MEETING" in fields:  # no longer a meeting: the invited lose their entries
        fields.update({"ATTENDEES": [], "ATTENDEES_CODES": [f"U{owner or ctx.user_id}"]})
    _crm_fields(params)
    entry = entry_of(ctx, event_id)
    current = event_of(ctx, event_id) if entry is not None else None
    if entry is None or current is None or not may_edit(ctx, entry):
        raise failed("Error while editing event")
    return save_event(ctx, fields, current)


@handler("calendar.event.delete")
def event_delete(ctx: Context, params: dict[str, Any]) -> bool:
    event_id = intval(params.get("ID"))
    if event_id <= 0:
        raise failed("Event ID is not specified")
    if not delete_event(ctx, event_id):
        raise failed("Error while deleting event")
    return True


@handler("calendar.event.getbyid")
def event_get_by_id(ctx: Context, params: dict[str, Any]) -> dict[str, Any] | None:
    require(params, ("id",), "calendar.event.getbyid")
    row = entry_row(ctx, intval(params["ID"]))
    if row is None:
        return None
    section = find_section(ctx, int(row["section_id"]))
    if section is None or not can(ctx, section, "view_time"):
        return None
    return event_record(ctx, row)


def _range(params: Mapping[str, Any], now: float) -> tuple[int | None, int | None]:
    """From and to days; without either, a month back and three months on; with a start
    only, no end."""
    first = parse_day(params["FROM"]) if params.get("FROM") is not None else None
    last = parse_day(params["TO"]) if params.get("TO") is not None else None
    if first is None and last is None:
        today = local(now).date()
        return day_range(today - dt.timedelta(days=30), today + dt.timedelta(days=90))
    return day_range(first, last)


def _sections(value: Any) -> list[int] | None:
    if isinstance(value, (list, Mapping)):
        return positive_ids(value)
    return [intval(value)] if intval(value) > 0 else None


@handler("calendar.event.get")
def event_get(ctx: Context, params: dict[str, Any]) -> list[dict[str, Any]]:
    require(params, ("type",), "calendar.event.get")
    lo, hi = _range(params, ctx.now)
    return list_events(ctx, str(params["TYPE"]), intval(params.get("OWNERID")),
                       sections=_sections(params.get("SECTION")), lo=lo, hi=hi)


@handler("calendar.meeting.status.get")
def meeting_status_get(ctx: Context, params: dict[str, Any]) -> str:
    require(params, ("eventId",), "calendar.meeting.status.get")
    status = meeting_status(ctx, intval(params["EVENTID"]))
    if status is None:
        raise failed("Error while retrieving status")
    return status


@handler("calendar.meeting.status.set")
def meeting_status_set(ctx: Context, params: dict[str, Any]) -> bool:
    require(params, ("eventId", "status"), "calendar.meeting.status.set")
    status = str(params["STATUS"]).upper()
    if status not in ("Y", "N", "Q"):
        raise invalid("status")
    set_meeting_status(ctx, intval(params["EVENTID"]), status)
    return True
