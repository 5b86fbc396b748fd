"""Reading parameters the way the PHP handlers do (``intval``, ``CUtil::JsObjectToPhp``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ApiError
from ..model.chat import is_chat_dialog, is_dialog_id
from ..php import intval

__all__ = [
    "chat_target",
    "flag",
    "id_list",
    "intval",
    "is_chat_dialog",
    "is_dialog_id",
    "js_object",
    "positive_ids",
    "require_chat_id",
    "require_dialog_id",
    "text",
]


def text(value: Any) -> str:
    """A text parameter, trimmed; arrays and maps read as empty."""
    return "" if value is None or isinstance(value, (dict, list)) else str(value).strip()


def js_object(value: Any) -> Any:
    """``CUtil::JsObjectToPhp``: text holding JSON (single quotes too) becomes its value."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except RecursionError:
        return value  # nested past what the parser takes: text, as PHP's parser leaves it
    except ValueError:
        try:
            return json.loads(value.replace("'", '"'))
        except (ValueError, RecursionError):
            return value


def positive_ids(items: Iterable[Any]) -> list[int]:
    """The positive ``intval`` of each item, once each, in order."""
    ids: dict[int, None] = {}  # a dict keeps the order and finds repeats at once
    for item in items:
        number = intval(item)
        if number > 0:
            ids[number] = None
    return list(ids)


def id_list(value: Any, name: str) -> list[int]:
    """An id array given as a list, a map, a JSON string or one scalar; empty ids dropped."""
    value = js_object(value)
    if isinstance(value, Mapping):
        value = list(value.values())
    if not isinstance(value, list):
        value = [value]
    if any(isinstance(item, (Mapping, list)) for item in value):
        raise ApiError("INVALID_FORMAT", f"Parameter {name} has wrong type")
    return positive_ids(value)


def flag(value: Any, default: bool) -> bool:
    """A ``Y``/``N`` parameter (true/false and 1/0 also read as the server reads them)."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().upper() in ("Y", "TRUE", "1")


def require_dialog_id(value: Any) -> str:
    """A DIALOG_ID the server accepts (``47``, ``chat12``, ``sg3``), or DIALOG_ID_EMPTY."""
    if not is_dialog_id(value):
        raise ApiError("DIALOG_ID_EMPTY", "Dialog ID can't be empty")
    return str(value).strip()


def require_chat_id(value: Any) -> int:
    """A positive CHAT_ID (PHP's intval of it), or CHAT_ID_EMPTY."""
    number = intval(value)
    if number <= 0:
        raise ApiError("CHAT_ID_EMPTY", "Chat ID can't be empty")
    return number


def chat_target(params: Mapping[str, Any]) -> int:
    """The chat of an ``im.chat.*`` call, checked in the server's order.

    A DIALOG_ID, when given, wins and must name a chat (``chatN``); then CHAT_ID must be a
    positive number. A workgroup dialog (``sgN``) names no chat here: there are no workgroups.
    """
    target = params.get("CHAT_ID")
    dialog = params.get("DIALOG_ID")
    if dialog is not None:
        if not is_chat_dialog(dialog):
            raise ApiError("DIALOG_ID_EMPTY", "Dialog ID can't be empty")
        name = str(dialog).strip().lower()
        target = intval(name[4:]) if name.startswith("chat") else 0
    return require_chat_id(target)
