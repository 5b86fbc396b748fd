"""Notifications: ``im.notify.personal.add``, ``im.notify.system.add``, ``im.notify.delete``.

A tag is kept only for an OAuth app, prefixed with a key of its client id, as the server
does; a webhook has no client id, so its tags are dropped and it deletes by ID alone.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..errors import ApiError
from ..timing import iso
from ._args import intval, text
from ._registry import Context, handler
from .im_chat import user_active
from .im_message import ATTACH

SCHEMA = """
CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    to_user_id INTEGER NOT NULL,
    from_user_id INTEGER NOT NULL,  -- 0 for a system notification
    type TEXT NOT NULL,  -- USER or SYSTEM
    message TEXT NOT NULL,
    tag TEXT,
    sub_tag TEXT,
    attach TEXT,
    date TEXT NOT NULL
);
"""

_APP_PREFIX = "app:"
_DELETE_BY = {
    "TAG": "DELETE FROM notifications WHERE tag = ?",
    "SUB_TAG": "DELETE FROM notifications WHERE sub_tag = ?",
}


def _client_id(ctx: Context) -> str | None:
    # Context.caller is "app:<client id>" for a token, "webhook:..." for a webhook.
    return ctx.caller[len(_APP_PREFIX):] if ctx.caller.startswith(_APP_PREFIX) else None


def _app_tag(client_id: str, tag: Any) -> str:
    key = hashlib.md5(client_id.encode(), usedforsecurity=False).hexdigest()[:5]
    return f"MP|{key}|{tag}"


def _add(ctx: Context, params: dict[str, Any], kind: str) -> int | bool:
    user_id = intval(params.get("TO", params.get("USER_ID")))
    if user_id <= 0:
        raise ApiError("USER_ID_EMPTY", "User ID can't be empty")
    message = text(params.get("MESSAGE"))
    if not message:
        raise ApiError("MESSAGE_EMPTY", "Message can't be empty")
    client_id = _client_id(ctx)
    tag, sub_tag = (
        _app_tag(client_id, params[key]) if client_id and params.get(key) else None
        for key in ("TAG", "SUB_TAG")
    )
    attach = ATTACH.read(params.get("ATTACH"))
    if not user_active(ctx, user_id):
        return False  # CIMNotify::Add's answer for nobody to notify
    if tag is not None:
        # A newer notification with the same tag replaces the older one.
        ctx.store.execute("DELETE FROM notifications WHERE tag = ?", (tag,))
    return ctx.store.insert(
        "INSERT INTO notifications (to_user_id, from_user_id, type, message, tag, sub_tag,"
        " attach, date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (user_id, ctx.user_id if kind == "USER" else 0, kind, message, tag, sub_tag,
         json.dumps(attach) if attach else None, iso(ctx.now)),
    )


@handler("im.notify.personal.add")
def notify_personal_add(ctx: Context, params: dict[str, Any]) -> int | bool:
    return _add(ctx, params, "USER")


@handler("im.notify.system.add")
def notify_system_add(ctx: Context, params: dict[str, Any]) -> int | bool:
    return _add(ctx, params, "SYSTEM")


@handler("im.notify.delete")
def notify_delete(ctx: Context, params: dict[str, Any]) -> bool:
    if params.get("ID") is not None:
        # Only the recipient deletes a notification by its id; anyone else gets false.
        return ctx.store.execute(
            "DELETE FROM notifications WHERE id = ? AND to_user_id = ?",
            (intval(params["ID"]), ctx.user_id),
        ) > 0
    client_id = _client_id(ctx)
    if client_id is None:
        if not params.get("CLIENT_ID"):
            raise ApiError("ACCESS_DENIED", "Access denied! Client ID not specified", 403)
        client_id = f"custom{params['CLIENT_ID']}"
    for key, statement in _DELETE_BY.items():
        if params.get(key):
            return ctx.store.execute(statement, (_app_tag(client_id, params[key]),)) > 0
    raise ApiError("PARAMS_ERROR", "Incorrect params")
