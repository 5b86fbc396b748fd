"""Users in the messenger: their data as the im methods show it, and ``im.user.*``."""

from __future__ import annotations

import sqlite3
from typing import Any

from ..errors import ApiError
from ..images import BLANK_PATH
from ..model.chat import COLORS, color_of
from ..model.users import full_name, set_status, user_departments, user_row, user_status
from ..timing import iso
from ._args import js_object, positive_ids
from ._registry import Context, handler

# CIMStatus::$AVAILABLE_STATUSES; the server compares them as given, without lowercasing.
STATUSES = ("online", "dnd", "away")


def user_json(ctx: Context, row: sqlite3.Row, contacts: bool = True) -> dict[str, Any]:
    """``User::getArray(['JSON' => 'Y'])``; message lists leave out the contacts."""
    data: dict[str, Any] = {
        "id": row["id"],
        "active": bool(row["active"]),
        "name": full_name(row),
        "first_name": row["name"],
        "last_name": row["last_name"],
        "work_position": row["work_position"],
        "color": COLORS[color_of(int(row["id"]))],
        # No photo: avatar is empty, avatar_hr the portal's blank image (an absolute URL).
        "avatar": "",
        "avatar_hr": f"{ctx.origin}{BLANK_PATH}",
        "gender": "F" if row["gender"] == "F" else "M",
        "birthday": "",
        "extranet": row["user_type"] == "extranet",
        "network": False,
        "bot": row["user_type"] == "bot",
        "connector": False,
        "external_auth_id": "socservices",
        "status": row["status"],
        "idle": False,
        "last_activity_date": iso(ctx.now),
        "mobile_last_date": False,
        "desktop_last_date": False,
        "absent": False,
        "departments": user_departments(ctx, int(row["id"])),
        "phones": False,
        "bot_data": None,
        "type": row["user_type"] if row["user_type"] in ("bot", "extranet") else "user",
    }
    if contacts:
        data["website"] = ""
        data["email"] = row["email"]
    return data


@handler("im.user.list.get")
def user_list_get(ctx: Context, params: dict[str, Any]) -> Any:
    # Unlike USERS elsewhere, ID must be an array: one bare id is a wrong format.
    value = js_object(params.get("ID"))
    items = value.values() if isinstance(value, dict) else value
    ids = positive_ids(items) if isinstance(value, (list, dict)) else []
    if not ids:
        raise ApiError("INVALID_FORMAT", "A wrong format for the ID field is passed")
    # Keyed by id (a JSON object); an unknown id maps to null.
    result: dict[str, Any] = {}
    for user_id in ids:
        row = user_row(ctx, user_id)
        result[str(user_id)] = None if row is None else user_json(ctx, row)
    if str(params.get("RESULT_TYPE", "")).lower() == "array":
        return list(result.values())
    return result


@handler("im.user.status.get")
def user_status_get(ctx: Context, params: dict[str, Any]) -> Any:
    return user_status(ctx) or False


@handler("im.user.status.set")
def user_status_set(ctx: Context, params: dict[str, Any]) -> bool:
    status = params.get("STATUS")
    if status not in STATUSES:
        raise ApiError("STATUS_ERROR", "Status is not available")
    set_status(ctx, status)
    return True
