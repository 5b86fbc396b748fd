"""Messages: ``im.message.*``, the structured extras they take (ATTACH, KEYBOARD, MENU),
and a message as the dialog methods show it. Messages are kept by ``model/chat.py``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import phpjson
from ..errors import ApiError
from ..model.chat import (
    add_message,
    chat_row,
    delete_message,
    member_row,
    message_params,
    private_chat_id,
    save_message,
    visible_message,
)
from ..model.users import user_active
from ._args import intval, is_chat_dialog, js_object, require_chat_id, text
from ._registry import Context, handler

ATTACH_MAX_CHARS = 60_000
_ATTACH_BLOCKS = ("MESSAGE", "LINK", "IMAGE", "FILE", "DELIMITER", "GRID", "USER", "HTML",
                  "RICH_LINK")


@dataclass(frozen=True)
class Extra:
    """A structured message parameter: a list of elements, possibly wrapped in a map."""

    key: str
    wrapper: str  # the map key that holds the elements ({"BLOCKS": [...]})
    valid: Callable[[Mapping[str, Any]], bool]
    error: str
    description: str
    max_chars: int | None = None
    wrapped: bool = False  # kept as the server shows it: [{"ID", "BLOCKS", "COLOR"}]

    def parse(self, value: Any) -> list[dict[str, Any]] | None:
        """The valid elements of ``value``; None when there are none (the server's null)."""
        value = js_object(value)
        if isinstance(value, Mapping):
            value = value.get(self.wrapper, list(value.values()))
        if not isinstance(value, list):
            return None
        elements = [dict(e) for e in value if isinstance(e, Mapping) and self.valid(e)]
        return elements or None

    def read(self, value: Any, error: str | None = None) -> list[dict[str, Any]] | None:
        """The value as stored; a bad one raises the server's error (None: nothing given)."""
        elements = self.parse(value)
        if elements is None:
            if value:
                raise ApiError(error or self.error, self.description)
            return None
        if self.wrapped:
            elements = [{"ID": "1", self.wrapper: elements, "COLOR": "transparent"}]
        # What the server could not write back, it does not keep: every message that is
        # kept can be read.
        written = _server_json(elements)
        if self.max_chars is not None and len(written) >= self.max_chars:
            raise ApiError(
                f"{self.key}_OVERSIZE",
                f"You have exceeded the maximum allowable size of {self.key.lower()}",
            )
        return elements


_JSON_ERRORS = {1: "Maximum stack depth exceeded",
                5: "Malformed UTF-8 characters, possibly incorrectly encoded",
                7: "Inf and NaN cannot be JSON encoded"}


def _server_json(value: Any) -> str:
    """``value`` as the server's ``Json::encode`` writes it (unescaped unicode, ``\\/``), or
    the error the REST layer makes of its ``ArgumentException``: 400 ``ERROR_ARGUMENT``."""
    if phpjson.deeper_than(value):
        raise _json_error(1)
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except ValueError as exc:  # a UnicodeEncodeError (a lone surrogate) is one too
        raise _json_error(5 if isinstance(exc, UnicodeEncodeError) else 7) from None
    return text.replace("/", "\\/")


def _json_error(code: int) -> ApiError:
    return ApiError("ERROR_ARGUMENT", f"JSON error: {_JSON_ERRORS[code]} [{code}]",
                    argument="data")


ATTACH = Extra(
    "ATTACH", "BLOCKS", lambda block: any(key in block for key in _ATTACH_BLOCKS),
    "ATTACH_ERROR", "Incorrect attach params", ATTACH_MAX_CHARS, wrapped=True,
)
KEYBOARD = Extra(
    "KEYBOARD", "BUTTONS", lambda button: "TEXT" in button or button.get("TYPE") == "NEWLINE",
    "KEYBOARD_ERROR", "Incorrect keyboard params",
)
MENU = Extra("MENU", "ITEMS", lambda item: "TEXT" in item, "MENU_ERROR", "Incorrect menu params")
EXTRAS = (ATTACH, KEYBOARD, MENU)


def message_json(row: sqlite3.Row, last_read_id: int, viewer: int) -> dict[str, Any]:
    """A message as ``im.dialog.messages.get`` lists it, for ``viewer``."""
    return {
        "id": row["id"],
        "chat_id": row["chat_id"],
        "author_id": row["author_id"],
        "date": row["date"],
        "text": row["text"],
        "unread": row["author_id"] != viewer and row["id"] > last_read_id,
        "uuid": None,
        "replaces": [],
        "params": message_params(row),
        "disappearing_date": None,
    }


def _message_id(params: Mapping[str, Any]) -> int:
    message_id = intval(params.get("MESSAGE_ID", params.get("ID")))
    if message_id <= 0:
        raise ApiError("MESSAGE_ID_ERROR", "Message ID can't be empty")
    return message_id


def _cant_edit() -> ApiError:
    return ApiError(
        "CANT_EDIT_MESSAGE", "Time has expired for modification or you don't have access", 403
    )


# --- im.message.add ---------------------------------------------------------------------


def _new_text(params: Mapping[str, Any]) -> str:
    body = params.get("MESSAGE")
    if body is None:
        if params.get("ATTACH") is None:
            raise ApiError("MESSAGE_EMPTY", "Message can't be empty")
        return ""
    if not isinstance(body, str):
        raise ApiError("MESSAGE_EMPTY", "Wrong message type")
    if not body.strip() and not params.get("ATTACH"):
        raise ApiError("MESSAGE_EMPTY", "Message can't be empty")
    return body.strip()


def _destination(ctx: Context, params: Mapping[str, Any]) -> int:
    """The chat a new message goes to: DIALOG_ID, else USER_ID or CHAT_ID (-1: none yet)."""
    user_id, target = params.get("USER_ID"), params.get("CHAT_ID")
    dialog = params.get("DIALOG_ID")
    if dialog is not None:
        if is_chat_dialog(dialog):
            name = str(dialog).strip().lower()
            target = intval(name[4:]) if name.startswith("chat") else 0
        else:
            user_id = dialog
    if user_id is not None:
        user = intval(user_id)
        if user <= 0:
            raise ApiError("USER_ID_EMPTY", "User ID can't be empty")
        if not user_active(ctx, user):
            raise ApiError("USER_NOT_FOUND", "User not found")
        return private_chat_id(ctx, user)
    if target is not None:
        return require_chat_id(target)
    raise ApiError("PARAMS_ERROR", "Incorrect params")


def _reply_to(ctx: Context, params: Mapping[str, Any], chat_id: int) -> int | None:
    reply_id = intval(params.get("REPLY_ID"))
    if reply_id <= 0:
        return None
    original = visible_message(ctx, reply_id)
    if original is None:
        raise ApiError("REPLY_ACCESS_ERROR", "Action unavailable", 403)
    if original["chat_id"] != chat_id:
        raise ApiError(
            "REPLY_FROM_OTHER_CHAT_ERROR", "You can only reply to a message within the same chat",
            403,
        )
    return reply_id


@handler("im.message.add")
def message_add(ctx: Context, params: dict[str, Any]) -> int:
    body = _new_text(params)
    chat_id = _destination(ctx, params)
    extras: dict[str, Any] = {}
    for extra in EXTRAS:
        elements = extra.read(params.get(extra.key))
        if elements is not None:
            extras[extra.key] = elements
    reply_id = _reply_to(ctx, params, chat_id)
    if reply_id is not None:
        extras["REPLY_ID"] = reply_id
    if member_row(ctx, chat_id, ctx.user_id) is None:
        raise ApiError("PARAMS_ERROR", "Message isn't added")
    return add_message(ctx, chat_id, ctx.user_id, body, extras)


# --- im.message.update, .delete, .like ----------------------------------------------------


def _editable(ctx: Context, message_id: int) -> sqlite3.Row:
    """The caller's own message that is still there, or CANT_EDIT_MESSAGE."""
    message = visible_message(ctx, message_id)
    if message is None or message["author_id"] != ctx.user_id or message_params(message).get(
        "IS_DELETED"
    ) == "Y":
        raise _cant_edit()
    return message


@handler("im.message.update")
def message_update(ctx: Context, params: dict[str, Any]) -> bool:
    message_id = _message_id(params)
    # IS_EDITED=N stores the param's default, which replies leave out (PrepareValues).
    unmarked = params.get("IS_EDITED") == "N"

    def edited(values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if k != "IS_EDITED"} if unmarked else {
            **values, "IS_EDITED": "Y"}

    for extra in EXTRAS:
        if extra.key not in params or params[extra.key] is None:
            continue
        message = _editable(ctx, message_id)
        value = params[extra.key]
        current = message_params(message)
        if not value or value == "N":
            current.pop(extra.key, None)
        else:
            # The server spells the menu's error in lower case here (sic).
            code = "menu_ERROR" if extra is MENU else extra.error
            current[extra.key] = extra.read(value, code)
        save_message(ctx, message_id, edited(current))
    body = params.get("MESSAGE")
    if body is not None:
        message = _editable(ctx, message_id)
        if not text(body):
            # An empty text deletes the message.
            delete_message(ctx, message)
        else:
            save_message(ctx, message_id, edited(message_params(message)), text(body))
    return True


@handler("im.message.delete")
def message_delete(ctx: Context, params: dict[str, Any]) -> bool:
    message = visible_message(ctx, _message_id(params))
    if message is None or message_params(message).get("IS_DELETED") == "Y":
        raise _cant_edit()
    chat = chat_row(ctx, message["chat_id"])
    is_owner = chat is not None and chat["owner_id"] == ctx.user_id
    if message["author_id"] != ctx.user_id and not is_owner:
        raise _cant_edit()
    delete_message(ctx, message)
    return True


@handler("im.message.like")
def message_like(ctx: Context, params: dict[str, Any]) -> bool:
    message_id = _message_id(params)
    action = str(params.get("ACTION") or "").lower()
    message = visible_message(ctx, message_id)
    current = message_params(message) if message is not None else {}
    likes = [int(user) for user in current.get("LIKE", [])]
    liked = ctx.user_id in likes
    if action not in ("plus", "minus"):
        action = "minus" if liked else "plus"
    if message is None or liked == (action == "plus"):
        raise ApiError("WITHOUT_CHANGES", "Action completed without changes")
    likes = [*likes, ctx.user_id] if action == "plus" else [u for u in likes if u != ctx.user_id]
    if likes:
        current["LIKE"] = likes
    else:
        current.pop("LIKE", None)
    save_message(ctx, message_id, current)
    return True
