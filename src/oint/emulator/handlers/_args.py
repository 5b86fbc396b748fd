"""Reading parameters the way the PHP handlers do (``intval``, ``CUtil::JsObjectToPhp``)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ..errors import ApiError

__all__ = ["chat_id_from", "flag", "id_list", "intval"]

_LEADING_INT = re.compile(r"^\s*[+-]?\d+")


def intval(value: Any) -> int:
    """PHP's intval: leading digits of text, 0 for anything else."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        match = _LEADING_INT.match(value)
        return int(match.group(0)) if match else 0
    return 0


def _js_object(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        try:
            return json.loads(text.replace("'", '"'))
        except ValueError:
            return text


def id_list(value: Any, name: str) -> list[int]:
    """An id array given as a list, a map, a JSON string or one scalar; empty ids dropped."""
    if isinstance(value, str):
        value = _js_object(value)
    if isinstance(value, Mapping):
        value = list(value.values())
    if not isinstance(value, list):
        value = [value]
    ids: list[int] = []
    for item in value:
        if isinstance(item, (Mapping, list)):
            raise ApiError("INVALID_FORMAT", f"Parameter {name} has wrong type")
        number = intval(item)
        if number > 0 and number not in ids:
            ids.append(number)
    return ids


def flag(value: Any, default: bool) -> bool:
    """A ``Y``/``N`` parameter (true/false and 1/0 also read as the server reads them)."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().upper() in ("Y", "TRUE", "1")


def chat_id_from(params: Mapping[str, Any]) -> int:
    """CHAT_ID, or DIALOG_ID in its ``chatN`` form (0 when neither names a chat)."""
    if params.get("CHAT_ID") not in (None, ""):
        raw = params["CHAT_ID"]
        return intval(raw) if str(raw).strip().lstrip("+-").isdigit() else 0
    dialog = str(params.get("DIALOG_ID") or "")
    if dialog.lower().startswith("chat") and dialog[4:].isdigit():
        return int(dialog[4:])
    return 0
