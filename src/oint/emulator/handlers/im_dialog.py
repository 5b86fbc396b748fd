"""Dialogs: ``im.dialog.*``, the methods that take a DIALOG_ID (``47`` or ``chat12``)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from typing import Any

from ..errors import ApiError, access_error
from ..images import chat_avatar_path
from ..model.chat import (
    COLORS,
    chat_row,
    color_of,
    dialog_access,
    dialog_chat_id,
    entity_chat_id,
    first_unread_id,
    is_general,
    last_message_id,
    managers,
    mark_all_read,
    mark_read,
    mark_unread_from,
    member_row,
    members,
    message_count,
    message_page,
    message_params,
    muted_members,
    readers,
    unread_count,
)
from ..model.disk import existing_folder_id, object_row
from ..model.users import user_row
from ._args import intval, require_chat_id, require_dialog_id
from ._registry import Context, Reply, handler
from .im_chat import readable_chat
from .im_disk import file_json
from .im_message import message_json
from .im_user import user_json

MESSAGES_DEFAULT, MESSAGES_MAX = 20, 50
USERS_DEFAULT, USERS_MAX = 50, 200
_DIGITS = re.compile(r"^\d+$")
_TYPES = {"CHAT": ("chat", "C"), "OPEN": ("open", "O"), "PRIVATE": ("private", "P")}
_RESTRICTIONS = ("avatar", "rename", "extend", "call", "mute", "leave", "leave_owner", "send",
                 "user_list")
_PERMISSIONS = {
    "manage_users_add": "member", "manage_users_delete": "manager", "manage_ui": "member",
    "manage_settings": "owner", "manage_messages": "member", "can_post": "member",
}


def _limit(params: Mapping[str, Any], default: int, most: int) -> int:
    if params.get("LIMIT") is None:
        return default
    return max(0, min(intval(params["LIMIT"]), most))


def _role(ctx: Context, chat: sqlite3.Row, member: sqlite3.Row | None) -> str:
    if chat["owner_id"] == ctx.user_id:
        return "owner"
    if member is None:
        return "guest"
    return "manager" if member["is_manager"] else "member"


def _readers(ctx: Context, chat_id: int) -> list[dict[str, Any]]:
    return [
        {"user_id": row["user_id"], "user_name": f"{row['name']} {row['last_name']}",
         "message_id": row["last_read_id"], "date": None}
        for row in readers(ctx, chat_id)
    ]


def dialog_json(ctx: Context, chat: sqlite3.Row, dialog: str) -> dict[str, Any]:
    """``im.dialog.get``'s view of a chat, for the caller."""
    chat_id = int(chat["id"])
    member = member_row(ctx, chat_id, ctx.user_id)
    last_id = last_message_id(ctx, chat_id)
    read_id = int(member["last_read_id"]) if member is not None else 0
    first_unread = first_unread_id(ctx, chat_id, read_id) if member is not None else 0
    kind, message_type = _TYPES.get(chat["type"], ("chat", "C"))
    private = chat["type"] == "PRIVATE"
    # A private dialog has no managers and no description, and shows its partner's colour.
    managing = [] if private else [chat["owner_id"], *managers(ctx, chat_id)]
    start_id = int(member["start_id"]) if member is not None else 0
    return {
        "id": chat_id,
        "parent_chat_id": 0,
        "parent_message_id": 0,
        "name": chat["title"],
        "description": None if private else chat["description"],
        "owner": chat["owner_id"],
        "extranet": False,
        "avatar": f"{ctx.origin}{chat_avatar_path(chat_id)}" if chat["avatar"] else "",
        "color": COLORS.get(_partner_color(ctx, chat_id) if private else chat["color"],
                            COLORS["GRAY"]),
        "type": "general" if is_general(chat) else kind,
        "counter": unread_count(ctx, chat_id, ctx.user_id),
        # The server keeps no member count for a private dialog (its recording shows 0).
        "user_counter": 0 if private else len(members(ctx, chat_id)),
        "message_count": message_count(ctx, chat_id, start_id),
        "unread_id": first_unread,
        "restrictions": dict.fromkeys(_RESTRICTIONS, True),
        "last_message_id": last_id,
        "last_id": read_id,
        "marked_id": 0,
        "disk_folder_id": existing_folder_id(ctx, chat_id),
        "entity_type": chat["entity_type"],
        "entity_id": chat["entity_id"],
        "entity_data_1": "",
        "entity_data_2": "",
        "entity_data_3": "",
        "mute_list": muted_members(ctx, chat_id),
        "date_create": chat["date_create"],
        "message_type": message_type,
        "public": "",
        "role": _role(ctx, chat, member),
        "entity_link": {"type": "", "url": "", "id": ""},
        "text_field_enabled": True,
        "background_id": None,
        "permissions": dict(_PERMISSIONS),
        "is_new": False,
        "readed_list": _readers(ctx, chat_id),
        "manager_list": list(dict.fromkeys(m for m in managing if m)),
        "last_message_views": {"message_id": last_id, "first_viewers": [],
                               "count_of_viewers": 0},
        "dialog_id": dialog,
    }


def _partner_color(ctx: Context, chat_id: int) -> str:
    others = [user for user in members(ctx, chat_id) if user != ctx.user_id]
    return color_of(others[0] if others else ctx.user_id)


@handler("im.dialog.get")
def dialog_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return _dialog(ctx, params)


def _dialog(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = readable_chat(ctx, params.get("DIALOG_ID"))
    chat = chat_row(ctx, chat_id)
    if chat is None:
        raise ApiError("ACCESS_ERROR", "You don't have access to this chat")
    return dialog_json(ctx, chat, str(params["DIALOG_ID"]))


def _php_filled(value: Any) -> bool:
    # PHP's !empty(): "" and "0" are empty, and so is anything falsy.
    return bool(value) and value != "0"


@handler("im.chat.get")
def chat_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any] | None:
    """A DIALOG_ID gets im.dialog.get's answer (the same handler on the server); otherwise
    ``{"ID": ...}`` of the first chat bound to ENTITY_TYPE and ENTITY_ID, or null."""
    if "DIALOG_ID" in params:
        return _dialog(ctx, params)
    entity_type, entity_id = params.get("ENTITY_TYPE"), params.get("ENTITY_ID")
    if not (_php_filled(entity_type) and _php_filled(entity_id)):
        return None
    found = entity_chat_id(ctx, str(entity_type), str(entity_id))
    return None if found is None else {"ID": found}


def _id_param(params: Mapping[str, Any], key: str, code: str, description: str) -> int:
    value = params[key]
    if isinstance(value, bool) or not _DIGITS.match(str(value)):
        raise ApiError(code, description)
    return intval(value)


def _page(ctx: Context, chat_id: int, params: Mapping[str, Any], start_id: int
          ) -> list[sqlite3.Row]:
    """Newest first below LAST_ID, or oldest first above FIRST_ID (which wins)."""
    limit = _limit(params, MESSAGES_DEFAULT, MESSAGES_MAX)
    if params.get("FIRST_ID") is not None:
        first = _id_param(params, "FIRST_ID", "FIRST_ID_STRING", "First ID can't be string")
        return message_page(ctx, chat_id, start_id, limit, after=first)
    last = 0
    if params.get("LAST_ID") is not None:
        last = _id_param(params, "LAST_ID", "LAST_ID_STRING", "Last ID can't be string")
    return message_page(ctx, chat_id, start_id, limit, before=last)


@handler("im.dialog.messages.get")
def dialog_messages_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    if intval(params.get("CHAT_ID")) > 0:
        params = {**params, "DIALOG_ID": f"chat{intval(params['CHAT_ID'])}"}
    chat_id = readable_chat(ctx, params.get("DIALOG_ID"))
    member = member_row(ctx, chat_id, ctx.user_id)
    start_id = int(member["start_id"]) if member is not None else 0
    read_id = int(member["last_read_id"]) if member is not None else 0
    rows = _page(ctx, chat_id, params, start_id)
    authors = sorted({int(row["author_id"]) for row in rows if row["author_id"]})
    file_ids = [file_id for row in rows for file_id in message_params(row).get("FILE_ID", [])]
    users = [user_json(ctx, found, contacts=False)
             for found in (user_row(ctx, author) for author in authors) if found is not None]
    files = [file_json(ctx, found, chat_id) for found in (
        object_row(ctx, file_id) for file_id in file_ids) if found is not None]
    return {
        "chat_id": chat_id,
        "messages": [message_json(row, read_id, ctx.user_id) for row in rows],
        "users": users,
        "files": files,
    }


@handler("im.dialog.users.list")
def dialog_users_list(ctx: Context, params: dict[str, Any]) -> Any:
    chat_id = readable_chat(ctx, params.get("DIALOG_ID"))
    limit = _limit(params, USERS_DEFAULT, USERS_MAX)
    active = [user for user in members(ctx, chat_id)
              if (row := user_row(ctx, user)) is not None and row["active"]]
    if params.get("LAST_ID") is not None and intval(params["LAST_ID"]) >= 0:
        after = intval(params["LAST_ID"])
        page = [user for user in active if user > after][:limit]
        return [user_json(ctx, row) for user in page if (row := user_row(ctx, user))]
    offset = max(0, intval(params.get("OFFSET")))
    page = active[offset:offset + limit]
    result = [user_json(ctx, row) for user in page if (row := user_row(ctx, user))]
    more = offset + len(page) < len(active)
    return Reply(result, total=len(active), next=offset + limit if more else None)


@handler("im.dialog.read")
def dialog_read(ctx: Context, params: dict[str, Any]) -> Any:
    up_to = intval(params.get("LAST_ID", params.get("MESSAGE_ID")))
    dialog = params.get("DIALOG_ID")
    if dialog != "notify":
        dialog = require_dialog_id(dialog)
    # Reading notifications through "notify" is not emulated; without access the result is false.
    if dialog == "notify" or not dialog_access(ctx, dialog):
        return False
    chat_id = dialog_chat_id(ctx, dialog)
    if member_row(ctx, chat_id, ctx.user_id) is None:
        return False
    last_id = mark_read(ctx, chat_id, ctx.user_id, up_to if up_to > 0 else None)
    name = str(dialog).strip()
    return {
        "dialogId": int(name) if name.isdigit() else name,
        "chatId": chat_id,
        "lastId": last_id,
        "counter": unread_count(ctx, chat_id, ctx.user_id),
    }


@handler("im.dialog.unread")
def dialog_unread(ctx: Context, params: dict[str, Any]) -> bool:
    message_id = intval(params.get("MESSAGE_ID"))
    if message_id <= 0:
        raise ApiError("MESSAGE_ID_ERROR", "First unread message id can't be empty")
    dialog = require_dialog_id(params.get("DIALOG_ID"))
    # Marks this message and the later ones unread; the server answers true either way.
    if dialog_access(ctx, dialog):
        mark_unread_from(ctx, dialog_chat_id(ctx, dialog), message_id)
    return True


@handler("im.dialog.read.all")
def dialog_read_all(ctx: Context, params: dict[str, Any]) -> bool:
    mark_all_read(ctx)
    return True


@handler("im.dialog.writing")
def dialog_writing(ctx: Context, params: dict[str, Any]) -> bool:
    dialog = params.get("DIALOG_ID")
    if dialog is not None:
        dialog = require_dialog_id(dialog)
    elif params.get("CHAT_ID") is not None:
        dialog = f"chat{require_chat_id(params['CHAT_ID'])}"
    # Writing needs a chat one belongs to, or another active user; nothing else is kept.
    name = str(dialog or "").strip().lower()
    if name.startswith("chat"):
        allowed = member_row(ctx, intval(name[4:]), ctx.user_id) is not None
    else:
        allowed = name.isdigit() and intval(name) != ctx.user_id and dialog_access(ctx, name)
    if not allowed:
        raise access_error()
    return True
