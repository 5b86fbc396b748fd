"""Notifications: ``im.notify.personal.add``, ``im.notify.system.add``, ``im.notify.delete``.

A tag is kept only for an OAuth app, prefixed with a key of its client id, as the server
does; a webhook has no client id, so its tags are dropped and it deletes by ID alone.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..errors import ApiError
from ..model.notify import add_notification, delete_by_id, delete_by_tag
from ..model.users import user_active
from ._args import intval, text
from ._registry import Context, handler
from .im_message import ATTACH

_APP_PREFIX = "app:"
_TAG_KEYS = ("TAG", "SUB_TAG")


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
        for key in _TAG_KEYS
    )
    attach = ATTACH.read(params.get("ATTACH"))
    if not user_active(ctx, user_id):
        return False  # CIMNotify::Add's answer for nobody to notify
    return add_notification(ctx, user_id, kind, message, tag=tag, sub_tag=sub_tag,
                            attach=attach)


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
        return delete_by_id(ctx, intval(params["ID"]))
    client_id = _client_id(ctx)
    if client_id is None:
        if not params.get("CLIENT_ID"):
            raise ApiError("ACCESS_DENIED", "Access denied! Client ID not specified", 403)
        client_id = f"custom{params['CLIENT_ID']}"
    for key in _TAG_KEYS:
        if params.get(key):
            return delete_by_tag(ctx, key, _app_tag(client_id, params[key]))
    raise ApiError("PARAMS_ERROR", "Incorrect params")
