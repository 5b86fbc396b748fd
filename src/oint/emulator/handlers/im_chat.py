"""Chats: the ``im.chat.*`` methods, and the messenger's checks of a dialog's access.

The chats, their members and messages are the model's (``model/chat.py``); the messages
the server posts on the way (created, invited, removed, renamed...) are
``model/chat_system.py``'s.
"""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, access_error
from ..model.chat import (
    COLORS,
    add_message,
    can_read,
    chat_row,
    color_of,
    create_chat,
    dialog_access,
    dialog_chat_id,
    is_general,
    is_member,
    join,
    last_message_id,
    may_remove,
    members,
    next_chat_id,
    own_group_chat,
    remove_member,
    set_muted,
    update_chat,
)
from ..model.chat_system import (
    COLOR_TITLES,
    announce_change,
    announce_invited,
    announce_removed,
    greet,
)
from ..model.users import user_active
from ._args import chat_target, id_list, intval, require_dialog_id, text
from ._image import decode_base64, image_size
from ._registry import Context, handler

AVATAR_MAX_SIDE = 5000


def no_dialog_access() -> ApiError:
    return ApiError("ACCESS_ERROR", "You do not have access to the specified dialog", 403)


def readable_chat(ctx: Context, dialog: Any) -> int:
    """The chat of a dialog the caller may read, checked in the server's order."""
    dialog = require_dialog_id(dialog)
    if not dialog_access(ctx, dialog):
        raise no_dialog_access()
    chat_id = dialog_chat_id(ctx, dialog)
    if not chat_id:
        raise ApiError("ACCESS_ERROR", "You don't have access to this chat")
    return chat_id


def _avatar(value: Any) -> str | None:
    # im.chat.add keeps a picture only when it is one; anything else is dropped, not an error.
    encoded = text(value)
    data = decode_base64(encoded) if encoded else None
    return encoded if data is not None and image_size(data) is not None else None


@handler("im.chat.add")
def chat_add(ctx: Context, params: dict[str, Any]) -> int:
    # No parameter is required: the caller alone makes a valid closed chat.
    users = id_list(params.get("USERS") or [], "USERS")
    others = [u for u in users if u != ctx.user_id and user_active(ctx, u)]
    chat_type = "OPEN" if text(params.get("TYPE")).upper() == "OPEN" else "CHAT"
    next_id = next_chat_id(ctx)
    color = text(params.get("COLOR")).upper()
    if color not in COLORS:
        color = color_of(next_id)
    title = text(params.get("TITLE")) or _default_title(ctx, color)
    description = text(params.get("DESCRIPTION"))
    entity_type = text(params.get("ENTITY_TYPE"))
    chat_id = create_chat(
        ctx, chat_type=chat_type, title=title, description=description,
        color=color, avatar=_avatar(params.get("AVATAR")),
        entity_type=entity_type, entity_id=text(params.get("ENTITY_ID")),
    )
    join(ctx, chat_id, [ctx.user_id, *others])
    # GroupChat::add's order: the greeting (only for a chat of no entity), the invited,
    # the description as the owner's own message; then CIMChat::Add's first MESSAGE.
    if not entity_type:
        greet(ctx, chat_id)
    announce_invited(ctx, chat_id, dict.fromkeys(others))
    for body in (description, text(params.get("MESSAGE"))):
        if body:
            add_message(ctx, chat_id, ctx.user_id, body)
    return chat_id


def _default_title(ctx: Context, color: str) -> str:
    # IM_CHAT_NAME_FORMAT: the colour's name and how many chats have had it so far.
    number = ctx.store.scalar(
        "SELECT COUNT(*) FROM chats WHERE color = ? AND type != 'PRIVATE'", (color,))
    return f"{COLOR_TITLES[color]} Chat #{int(number) + 1}"


def _not_general(ctx: Context, chat_id: int) -> None:
    chat = chat_row(ctx, chat_id)
    if chat is not None and is_general(chat):
        raise access_error()


@handler("im.chat.user.list")
def chat_user_list(ctx: Context, params: dict[str, Any]) -> list[int]:
    chat_id = chat_target(params)
    _not_general(ctx, chat_id)
    chat = chat_row(ctx, chat_id)
    # Without access the server answers an empty list, not an error.
    if chat is None or not can_read(ctx, chat):
        return []
    return sorted(members(ctx, chat_id))


@handler("im.chat.user.add")
def chat_user_add(ctx: Context, params: dict[str, Any]) -> bool:
    chat_id = chat_target(params)
    _not_general(ctx, chat_id)
    hide = params.get("HIDE_HISTORY")
    # The server's default hides the history; "N" shows it, other values as PHP's (bool).
    hide_history = True if hide is None else (hide not in ("N", "0") and bool(hide))
    chat = own_group_chat(ctx, chat_id)
    if chat is None:
        raise ApiError(
            "WRONG_REQUEST", "You don't have access or user already member in chat"
        )
    # CIMChat::AddUser answers true for a member even when everyone named is in already
    # (the error's "already member" half is older servers'); only newcomers are announced.
    current = set(members(ctx, chat_id))
    wanted = id_list(params.get("USERS") or [], "USERS")
    new = list(dict.fromkeys(u for u in wanted if u not in current and user_active(ctx, u)))
    if new:
        join(ctx, chat_id, new, last_message_id(ctx, chat_id) + 1 if hide_history else 0)
        announce_invited(ctx, chat_id, new)
    return True


@handler("im.chat.user.delete")
def chat_user_delete(ctx: Context, params: dict[str, Any]) -> bool:
    return _remove_member(ctx, params, needs_user=True)


@handler("im.chat.leave")
def chat_leave(ctx: Context, params: dict[str, Any]) -> bool:
    # The same handler on the server: a USER_ID, if given, is removed instead of the caller.
    return _remove_member(ctx, params, needs_user=False)


def _remove_member(ctx: Context, params: dict[str, Any], needs_user: bool) -> bool:
    chat_id = chat_target(params)
    _not_general(ctx, chat_id)
    target = intval(params.get("USER_ID"))
    if needs_user and target <= 0:
        raise ApiError("USER_ID_EMPTY", "User ID can't be empty")
    target = target if target > 0 else ctx.user_id
    chat = own_group_chat(ctx, chat_id)
    if chat is None or not may_remove(ctx, chat, target):
        raise ApiError("WRONG_REQUEST", "You don't have access or user isn't member in chat")
    remove_member(ctx, chat, target)
    announce_removed(ctx, chat_id, target)
    return True


@handler("im.chat.updatetitle")
def chat_update_title(ctx: Context, params: dict[str, Any]) -> bool:
    chat_id = chat_target(params)
    title = text(params.get("TITLE"))
    if not title:
        raise ApiError("TITLE_EMPTY", "Title can't be empty")
    # The server does not check whether the rename took: a non-member gets true, unchanged,
    # and so does the same title again (which posts nothing).
    chat = own_group_chat(ctx, chat_id)
    title = title[:255]
    if chat is not None and chat["title"] != title:
        update_chat(ctx, chat_id, "title", title)
        announce_change(ctx, chat_id, "title", title)
    return True


@handler("im.chat.updatecolor")
def chat_update_color(ctx: Context, params: dict[str, Any]) -> bool:
    chat_id = chat_target(params)
    color = params.get("COLOR")
    if not isinstance(color, str) or color not in COLORS:
        raise ApiError("WRONG_COLOR", "This color currently unavailable")
    chat = own_group_chat(ctx, chat_id)
    if chat is None or chat["color"] == color:
        raise ApiError("WRONG_REQUEST", "This color currently set or chat isn't exists")
    update_chat(ctx, chat_id, "color", color)
    announce_change(ctx, chat_id, "color", color)
    return True


@handler("im.chat.updateavatar")
def chat_update_avatar(ctx: Context, params: dict[str, Any]) -> bool:
    chat_id = chat_target(params)
    if own_group_chat(ctx, chat_id) is None:
        raise ApiError("ACCESS_DENIED", "Access denied")
    encoded = text(params.get("AVATAR"))
    data = decode_base64(encoded) if encoded else None
    size = image_size(data) if data else None
    if size is None:
        raise ApiError("AVATAR_ERROR", "Avatar incorrect type")
    if not all(0 < side <= AVATAR_MAX_SIDE for side in size):
        raise ApiError("AVATAR_ERROR", "Avatar incorrect size (max 5000x5000)")
    update_chat(ctx, chat_id, "avatar", encoded)
    announce_change(ctx, chat_id, "avatar")
    return True


@handler("im.chat.setowner")
def chat_set_owner(ctx: Context, params: dict[str, Any]) -> bool:
    chat_id = chat_target(params)
    user_id = intval(params.get("USER_ID"))
    if user_id <= 0:
        raise ApiError("USER_ID_EMPTY", "User ID can't be empty")
    _not_general(ctx, chat_id)
    chat = own_group_chat(ctx, chat_id)
    if chat is None or chat["owner_id"] != ctx.user_id or not is_member(ctx, chat_id, user_id):
        raise ApiError(
            "WRONG_REQUEST", "Change owner can only owner and user must be member in chat"
        )
    update_chat(ctx, chat_id, "owner_id", user_id)
    return True


@handler("im.chat.mute")
def chat_mute(ctx: Context, params: dict[str, Any]) -> bool:
    chat_id = chat_target(params)
    action = params.get("ACTION", params.get("MUTE"))
    # Muting is the member's own setting: a non-member gets false, not an error.
    return set_muted(ctx, chat_id, action != "N")
