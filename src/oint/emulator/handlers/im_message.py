"""Messages: im.message.*.

Only a minimal ``im.message.add`` to chats lives here for now (the reliability suite counts
stored messages); the messenger work replaces it with the full family.
"""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, access_error
from ._args import chat_id_from
from ._registry import Context, handler
from .im_chat import add_message, is_member


@handler("im.message.add")
def message_add(ctx: Context, params: dict[str, Any]) -> int:
    chat_id = chat_id_from(params)
    if chat_id <= 0:
        raise ApiError("PARAMS_ERROR", "Incorrect params")
    text = params.get("MESSAGE")
    if not isinstance(text, (str, int, float)) or not str(text).strip():
        raise ApiError("MESSAGE_EMPTY", "Message can't be empty")
    if not is_member(ctx, chat_id, ctx.user_id):
        raise access_error()
    return add_message(ctx, chat_id, ctx.user_id, str(text))
