"""Chats: the messenger's model (chats, members, messages) and the ``im.chat.*`` methods.

Every dialog is a chat here, as on the server: group chats (``CHAT``, ``OPEN``), the
portal's general chat (id 1, every seeded user a member) and private dialogs between two
users, made on first use. A member's ``last_read_id`` drives the unread counters, and
``start_id`` hides what was said before a member joined with hidden history.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ApiError, access_error
from ..timing import iso
from ._args import chat_target, id_list, intval, is_dialog_id, require_dialog_id, text
from ._image import decode_base64, image_size
from ._registry import Context, handler

GENERAL_CHAT_ID = 1
AVATAR_MAX_SIDE = 5000

SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,  -- CHAT, OPEN or PRIVATE
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL,
    avatar TEXT,
    owner_id INTEGER NOT NULL,
    entity_type TEXT NOT NULL DEFAULT '',
    entity_id TEXT NOT NULL DEFAULT '',
    private_key TEXT UNIQUE,  -- "low:high" user ids of a private dialog
    date_create TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chat_members (
    chat_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    is_manager INTEGER NOT NULL DEFAULT 0,
    muted INTEGER NOT NULL DEFAULT 0,
    last_read_id INTEGER NOT NULL DEFAULT 0,
    start_id INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, user_id)
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    date TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS messages_by_chat ON messages (chat_id, id);
-- The general chat (GENERAL_CHAT_ID): every user of the portal joins it.
INSERT OR IGNORE INTO chats (id, type, title, color, owner_id, entity_type, date_create)
VALUES (1, 'OPEN', 'General chat', 'AZURE', 1, 'GENERAL', '2024-01-01T00:00:00+00:00');
CREATE TRIGGER IF NOT EXISTS general_chat_join AFTER INSERT ON users BEGIN
    INSERT OR IGNORE INTO chat_members (chat_id, user_id) VALUES (1, NEW.id);
END;
"""

# Colour names the chat methods accept, with the HEX that im.dialog.get shows.
COLORS = {
    "RED": "#df532d", "GREEN": "#64a513", "MINT": "#4ba984", "LIGHT_BLUE": "#4ba5c3",
    "DARK_BLUE": "#3e99ce", "PURPLE": "#8474c8", "AQUA": "#1eb4aa", "PINK": "#f76187",
    "LIME": "#58cc47", "BROWN": "#ab7761", "AZURE": "#29619b", "KHAKI": "#728f7a",
    "SAND": "#ba9c7b", "MARENGO": "#556574", "GRAY": "#909090", "GRAPHITE": "#5e5f5e",
}
COLOR_NAMES = tuple(COLORS)
GROUP_TYPES = ("CHAT", "OPEN")


def color_of(number: int) -> str:
    """The automatic colour the server gives chat (or user) ``number``."""
    return COLOR_NAMES[number % len(COLOR_NAMES)]


# --- the model --------------------------------------------------------------------------


def chat_row(ctx: Context, chat_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM chats WHERE id = ?", (chat_id,))


def member_row(ctx: Context, chat_id: int, user_id: int) -> sqlite3.Row | None:
    return ctx.store.row(
        "SELECT * FROM chat_members WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
    )


def is_member(ctx: Context, chat_id: int, user_id: int) -> bool:
    return member_row(ctx, chat_id, user_id) is not None


def is_general(chat: sqlite3.Row) -> bool:
    return bool(chat["entity_type"] == "GENERAL")


def can_read(ctx: Context, chat: sqlite3.Row) -> bool:
    """Members read a chat; anyone reads an open one."""
    return chat["type"] == "OPEN" or is_member(ctx, chat["id"], ctx.user_id)


def members(ctx: Context, chat_id: int) -> list[int]:
    """Member ids in the order they joined."""
    rows = ctx.store.rows(
        "SELECT user_id FROM chat_members WHERE chat_id = ? ORDER BY rowid", (chat_id,)
    )
    return [int(row[0]) for row in rows]


def own_group_chat(ctx: Context, chat_id: int) -> sqlite3.Row | None:
    """The group chat ``chat_id`` if the caller is one of its members."""
    chat = chat_row(ctx, chat_id)
    if chat is None or chat["type"] not in GROUP_TYPES or not is_member(ctx, chat_id, ctx.user_id):
        return None
    return chat


def user_active(ctx: Context, user_id: int) -> bool:
    return bool(ctx.store.scalar("SELECT active FROM users WHERE id = ?", (user_id,)) == 1)


def join(ctx: Context, chat_id: int, user_ids: Iterable[int], start_id: int = 0) -> None:
    ctx.store.db.executemany(
        "INSERT OR IGNORE INTO chat_members (chat_id, user_id, start_id) VALUES (?, ?, ?)",
        [(chat_id, user, start_id) for user in user_ids],
    )


def private_chat_id(ctx: Context, other: int) -> int:
    """The caller's private dialog with user ``other``, made on first use (0: no such user)."""
    if not user_active(ctx, other):
        return 0
    key = f"{min(ctx.user_id, other)}:{max(ctx.user_id, other)}"
    found = ctx.store.scalar("SELECT id FROM chats WHERE private_key = ?", (key,))
    if found is not None:
        return int(found)
    chat_id = ctx.store.insert(
        "INSERT INTO chats (type, title, color, owner_id, private_key, date_create)"
        " VALUES ('PRIVATE', '', ?, ?, ?, ?)",
        (color_of(other), ctx.user_id, key, iso(ctx.now)),
    )
    join(ctx, chat_id, dict.fromkeys((ctx.user_id, other)))
    return chat_id


def dialog_chat_id(ctx: Context, dialog: Any) -> int:
    """The chat a DIALOG_ID names (``chat12``, or a user id for a private dialog); 0 if none."""
    name = str(dialog).strip().lower()
    if name.startswith("chat"):
        chat_id = int(name[4:])
        return chat_id if chat_row(ctx, chat_id) is not None else 0
    if name.isdigit():
        return private_chat_id(ctx, int(name))
    return 0  # sgN: there are no workgroups


def dialog_access(ctx: Context, dialog: Any) -> bool:
    """``Dialog::hasAccess``: a readable chat, or an active user to talk to."""
    if not is_dialog_id(dialog):
        return False
    name = str(dialog).strip().lower()
    if name.isdigit():
        return user_active(ctx, int(name))
    chat = chat_row(ctx, int(name[4:])) if name.startswith("chat") else None
    return chat is not None and can_read(ctx, chat)


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


def last_message_id(ctx: Context, chat_id: int) -> int:
    return int(ctx.store.scalar("SELECT COALESCE(MAX(id), 0) FROM messages WHERE chat_id = ?",
                                (chat_id,)))


def unread_count(ctx: Context, chat_id: int, user_id: int) -> int:
    """Messages of others the member has not read (0 for a non-member)."""
    member = member_row(ctx, chat_id, user_id)
    if member is None:
        return 0
    return int(ctx.store.scalar(
        "SELECT COUNT(*) FROM messages WHERE chat_id = ? AND id > ? AND id >= ?"
        " AND author_id != ?",
        (chat_id, member["last_read_id"], member["start_id"], user_id),
    ))


def mark_read(ctx: Context, chat_id: int, user_id: int, up_to: int | None) -> int:
    """Move the member's read mark forward to ``up_to`` (None: the last message); its value."""
    last = last_message_id(ctx, chat_id)
    target = last if up_to is None else min(up_to, last)
    ctx.store.execute(
        "UPDATE chat_members SET last_read_id = MAX(last_read_id, ?)"
        " WHERE chat_id = ? AND user_id = ?",
        (target, chat_id, user_id),
    )
    member = member_row(ctx, chat_id, user_id)
    return 0 if member is None else int(member["last_read_id"])


def add_message(
    ctx: Context, chat_id: int, author_id: int, body: str, params: Mapping[str, Any] | None = None
) -> int:
    message_id = ctx.store.insert(
        "INSERT INTO messages (chat_id, author_id, text, date, params) VALUES (?, ?, ?, ?, ?)",
        (chat_id, author_id, body, iso(ctx.now), json.dumps(dict(params or {}))),
    )
    # Whoever writes has read the chat up to their own message.
    mark_read(ctx, chat_id, author_id, message_id)
    return message_id


# --- im.chat.* --------------------------------------------------------------------------


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
    next_id = int(ctx.store.scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM chats"))
    color = text(params.get("COLOR")).upper()
    if color not in COLORS:
        color = color_of(next_id)
    title = text(params.get("TITLE")) or f"{color.replace('_', ' ').title()} chat №{next_id}"
    chat_id = ctx.store.insert(
        "INSERT INTO chats (type, title, description, color, avatar, owner_id, entity_type,"
        " entity_id, date_create) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (chat_type, title, text(params.get("DESCRIPTION")), color,
         _avatar(params.get("AVATAR")), ctx.user_id, text(params.get("ENTITY_TYPE")),
         text(params.get("ENTITY_ID")), iso(ctx.now)),
    )
    join(ctx, chat_id, [ctx.user_id, *others])
    message = text(params.get("MESSAGE"))
    if message:
        add_message(ctx, chat_id, ctx.user_id, message)
    return chat_id


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
    current = set(members(ctx, chat_id))
    wanted = id_list(params.get("USERS") or [], "USERS")
    new = [u for u in wanted if u not in current and user_active(ctx, u)]
    if chat is None or not new:
        raise ApiError(
            "WRONG_REQUEST", "You don't have access or user already member in chat"
        )
    join(ctx, chat_id, new, last_message_id(ctx, chat_id) + 1 if hide_history else 0)
    return True


def _may_remove(ctx: Context, chat: sqlite3.Row, target: int) -> bool:
    if not is_member(ctx, chat["id"], target):
        return False
    if target == ctx.user_id:
        return True
    # Someone else goes only by the owner's (or a manager's) hand, and never the owner.
    caller = member_row(ctx, chat["id"], ctx.user_id)
    allowed = chat["owner_id"] == ctx.user_id or (caller is not None and caller["is_manager"])
    return bool(allowed) and target != chat["owner_id"]


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
    if chat is None or not _may_remove(ctx, chat, target):
        raise ApiError("WRONG_REQUEST", "You don't have access or user isn't member in chat")
    ctx.store.execute(
        "DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?", (chat_id, target)
    )
    if target == chat["owner_id"]:
        # A leaving owner hands the chat to the longest-standing member.
        remaining = members(ctx, chat_id)
        successor = remaining[0] if remaining else 0
        ctx.store.execute("UPDATE chats SET owner_id = ? WHERE id = ?", (successor, chat_id))
    return True


@handler("im.chat.updatetitle")
def chat_update_title(ctx: Context, params: dict[str, Any]) -> bool:
    chat_id = chat_target(params)
    title = text(params.get("TITLE"))
    if not title:
        raise ApiError("TITLE_EMPTY", "Title can't be empty")
    # The server does not check whether the rename took: a non-member gets true, unchanged.
    if own_group_chat(ctx, chat_id) is not None:
        ctx.store.execute("UPDATE chats SET title = ? WHERE id = ?", (title, chat_id))
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
    ctx.store.execute("UPDATE chats SET color = ? WHERE id = ?", (color, chat_id))
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
    ctx.store.execute("UPDATE chats SET avatar = ? WHERE id = ?", (encoded, chat_id))
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
    ctx.store.execute("UPDATE chats SET owner_id = ? WHERE id = ?", (user_id, chat_id))
    return True


@handler("im.chat.mute")
def chat_mute(ctx: Context, params: dict[str, Any]) -> bool:
    chat_id = chat_target(params)
    action = params.get("ACTION", params.get("MUTE"))
    # Muting is the member's own setting: a non-member gets false, not an error.
    changed = ctx.store.execute(
        "UPDATE chat_members SET muted = ? WHERE chat_id = ? AND user_id = ?",
        (int(action != "N"), chat_id, ctx.user_id),
    )
    return changed > 0
