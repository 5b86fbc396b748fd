"""Calendars: ``calendar.section.*``, the calendar settings and users' busy times
(``calendar.accessibility.get``); the model is ``model/calendar`` and ``model/calendar_view``.

Parameters are read as ``CCalendarRestService`` reads them, in its order; the errors are
its own (``handlers/_calendar``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model.calendar import (
    PORTAL_SETTINGS,
    SECTION_COLOR,
    SECTION_TEXT_COLOR,
    add_section,
    can,
    color,
    delete_section,
    find_section,
    may_add_section,
    php_truthy,
    section_record,
    sections_of,
    set_user_settings,
    update_section,
    user_settings,
)
from ..model.calendar_time import parse_day
from ..model.calendar_view import busy_times, day_range
from ..php import intval
from ._calendar import (
    access_denied,
    failed,
    invalid,
    missing,
    positive_ids,
    require,
    type_and_owner,
)
from ._registry import Context, handler


def _texts(params: Mapping[str, Any]) -> None:
    """``name`` and ``description``, when given, must be text."""
    for key in ("NAME", "DESCRIPTION"):
        if key in params and params[key] is not None and not isinstance(params[key], str):
            raise invalid(key.lower())


def _section_id(params: Mapping[str, Any]) -> int:
    section_id = intval(params.get("ID"))
    if section_id <= 0:
        raise failed("Section ID is not specified")
    return section_id


def _editable(ctx: Context, section_id: int, cal_type: str, owner: int) -> None:
    """The section must be the owner's, of that type, and the caller's to change."""
    section = find_section(ctx, section_id)
    if section is None or section["cal_type"] != cal_type or section["owner_id"] != owner \
            or not can(ctx, section, "edit_section"):
        raise access_denied()


_SECTION_COLORS = {"COLOR": SECTION_COLOR, "TEXT_COLOR": SECTION_TEXT_COLOR}


def _colors(params: Mapping[str, Any], on_add: bool) -> dict[str, str]:
    """``color`` and ``text_color`` through ``CCalendar::Color``; a new section gets the
    defaults for those not given (or not colours)."""
    found = {}
    for key, default in _SECTION_COLORS.items():
        given = params.get(key)
        if given is not None:
            found[key] = color(given, default) if on_add else color(given)
        elif on_add:
            found[key] = default
    return found


@handler("calendar.section.get")
def section_get(ctx: Context, params: dict[str, Any]) -> list[dict[str, Any]]:
    cal_type, owner = type_and_owner(ctx.user_id, params, "calendar.section.get")
    return [section_record(ctx, section) for section in sections_of(ctx, cal_type, owner)]


@handler("calendar.section.add")
def section_add(ctx: Context, params: dict[str, Any]) -> int:
    cal_type, owner = type_and_owner(ctx.user_id, params, "calendar.section.add")
    if not isinstance(params.get("NAME"), str):
        raise invalid("name")
    _texts(params)
    if not may_add_section(ctx, cal_type):
        raise access_denied()
    fields: dict[str, Any] = {
        "NAME": params["NAME"].strip(),
        "DESCRIPTION": str(params.get("DESCRIPTION") or "").strip(),
        **_colors(params, on_add=True),
    }
    export = params.get("EXPORT")
    if isinstance(export, Mapping) and export.get("ALLOW") is not None \
            and export.get("SET") is not None:
        fields["EXPORT"] = {"ALLOW": php_truthy(export["ALLOW"]), "SET": export["SET"]}
    if isinstance(params.get("ACCESS"), Mapping):
        fields["ACCESS"] = params["ACCESS"]
    return add_section(ctx, cal_type, owner, fields)


@handler("calendar.section.update")
def section_update(ctx: Context, params: dict[str, Any]) -> int:
    cal_type, owner = type_and_owner(ctx.user_id, params, "calendar.section.update")
    section_id = _section_id(params)
    _texts(params)
    _editable(ctx, section_id, cal_type, owner)
    fields: dict[str, Any] = {
        key: params[key].strip() for key in ("NAME", "DESCRIPTION")
        if isinstance(params.get(key), str) and params[key].strip()}
    fields.update(_colors(params, on_add=False))
    if isinstance(params.get("ACCESS"), Mapping):
        fields["ACCESS"] = params["ACCESS"]
    update_section(ctx, section_id, fields)
    return section_id


@handler("calendar.section.delete")
def section_delete(ctx: Context, params: dict[str, Any]) -> bool:
    cal_type, owner = type_and_owner(ctx.user_id, params, "calendar.section.delete")
    section_id = _section_id(params)
    _editable(ctx, section_id, cal_type, owner)
    if not delete_section(ctx, section_id):
        raise failed("Error while deleting section")
    return True


@handler("calendar.settings.get")
def settings_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return dict(PORTAL_SETTINGS)


@handler("calendar.user.settings.get")
def user_settings_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return user_settings(ctx)


@handler("calendar.user.settings.set")
def user_settings_set(ctx: Context, params: dict[str, Any]) -> bool:
    settings = params.get("SETTINGS")
    if settings is None:
        raise missing("settings", "calendar.user.settings.set")
    if isinstance(settings, Mapping):
        set_user_settings(ctx, settings)
    return True


@handler("calendar.accessibility.get")
def accessibility_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    require(params, ("from", "to", "users"), "calendar.accessibility.get")
    lo, hi = day_range(parse_day(params["FROM"]), parse_day(params["TO"]))
    return busy_times(ctx, positive_ids(params["USERS"]), lo, hi)
