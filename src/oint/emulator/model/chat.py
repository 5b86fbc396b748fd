"""The messenger: chats, their members and messages.

Every dialog is a chat here, as on the server: group chats (``CHAT``, ``OPEN``), the
portal's general chat (id 1, every user a member) and private dialogs between two users,
made on first use. A member's ``last_read_id`` drives the unread counters, and ``start_id``
hides what was said before a member joined with hidden history.

A message's extras live in its ``params`` (JSON), kept as ``im.dialog.messages.get``
writes them: ATTACH, KEYBOARD, MENU, IS_EDITED, IS_DELETED, LIKE (user ids), FILE_ID (disk
ids), REPLY_ID, and the system messages' CODE, NOTIFY and COMPONENT_ID. A deleted message
keeps its id and its place, with IS_DELETED and the server's placeholder text.

The messages the server posts itself (author 0) are ``model/chat_system.py``'s. A message
that is not ``counted`` (the greeting of a new chat) raises nobody's unread counter.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from ..php import intval
from ..store import Store
from ..timing import iso
from . import Actor, schema
from .users import user_active

__all__ = [
    "COLORS",
    "COLOR_NAMES",
    "DELETED_TEXT",
    "GENERAL_CHAT_ID",
    "GROUP_TYPES",
    "add_message",
    "can_read",
    "chat_row",
    "color_of",
    "create_chat",
    "delete_message",
    "dialog_access",
    "dialog_chat_id",
    "entity_chat_id",
    "first_unread_id",
    "is_chat_dialog",
    "is_dialog_id",
    "is_general",
    "is_member",
    "join",
    "last_message_id",
    "managers",
    "mark_all_read",
    "mark_read",
    "mark_unread_from",
    "may_remove",
    "member_row",
    "members",
    "message_count",
    "message_page",
    "message_params",
    "muted_members",
    "next_chat_id",
    "own_group_chat",
    "private_chat_id",
    "readers",
    "remove_member",
    "save_message",
    "set_muted",
    "stored_avatar",
    "unread_count",
    "update_chat",
    "visible_message",
]

GENERAL_CHAT_ID = 1
DELETED_TEXT = "This message has been deleted."  # IM_MESSAGE_DELETED (lang/en)

SCHEMA = schema("chat", """
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
-- Messages that raise nobody's unread counter (the server's SKIP_COUNTER_INCREMENTS).
CREATE TABLE IF NOT EXISTS quiet_messages (message_id INTEGER PRIMARY KEY);
CREATE INDEX IF NOT EXISTS messages_by_chat ON messages (chat_id, id);
-- The general chat (GENERAL_CHAT_ID): every user of the portal joins it.
INSERT OR IGNORE INTO chats (id, type, title, color, owner_id, entity_type, date_create)
VALUES (1, 'OPEN', 'General chat', 'AZURE', 1, 'GENERAL', '2024-01-01T00:00:00+00:00');
CREATE TRIGGER IF NOT EXISTS general_chat_join AFTER INSERT ON users BEGIN
    INSERT OR IGNORE INTO chat_members (chat_id, user_id) VALUES (1, NEW.id);
END;
""")

# Colour names the chat methods accept, with the HEX that im.dialog.get shows.
COLORS = {
    "RED": "#df532d", "GREEN": "#64a513", "MINT": "#4ba984", "LIGHT_BLUE": "#4ba5c3",
    "DARK_BLUE": "#3e99ce", "PURPLE": "#8474c8", "AQUA": "#1eb4aa", "PINK": "#f76187",
    "LIME": "#58cc47", "BROWN": "#ab7761", "AZURE": "#29619b", "KHAKI": "#728f7a",
    "SAND": "#ba9c7b", "MARENGO": "#556574", "GRAY": "#909090", "GRAPHITE": "#5e5f5e",
}
COLOR_NAMES = tuple(COLORS)
GROUP_TYPES = ("CHAT", "OPEN")
_CHAT_COLUMNS = frozenset({"title", "color", "avatar", "owner_id"})

# Bitrix\Im\Common::isDialogId and isChatId: a user id, chatN, or a workgroup's sgN.
_DIALOG = re.compile(r"^(\d+|chat\d+|sg\d+)$", re.IGNORECASE)
_CHAT_DIALOG = re.compile(r"^(chat\d+|sg\d+)$", re.IGNORECASE)


def is_dialog_id(value: Any) -> bool:
    # PHP tests the value for truth first, so "0" is no dialog either.
    return value not in (None, "", "0", 0) and bool(_DIALOG.match(str(value).strip()))


def is_chat_dialog(value: Any) -> bool:
    return value not in (None, "") and bool(_CHAT_DIALOG.match(str(value).strip()))


def color_of(number: int) -> str:
    """The automatic colour the server gives chat (or user) ``number``: one of the first ten
    by its last digit, 1 the first and 0 the tenth (``Color::getCodeByNumber``), so user 1
    is RED and user 10 BROWN, as on a real portal."""
    return COLOR_NAMES[(number - 1) % 10]


# --- chats and members --------------------------------------------------------------------


def stored_avatar(store: Store, chat_id: int) -> str | None:
    """A chat's picture as it was given (base64), or None; for the URL that serves it."""
    found = store.scalar("SELECT avatar FROM chats WHERE id = ?", (chat_id,))
    return None if found is None else str(found)


def chat_row(ctx: Actor, chat_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM chats WHERE id = ?", (chat_id,))


def member_row(ctx: Actor, chat_id: int, user_id: int) -> sqlite3.Row | None:
    return ctx.store.row(
        "SELECT * FROM chat_members WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
    )


def is_member(ctx: Actor, chat_id: int, user_id: int) -> bool:
    return member_row(ctx, chat_id, user_id) is not None


def is_general(chat: sqlite3.Row) -> bool:
    return bool(chat["entity_type"] == "GENERAL")


def can_read(ctx: Actor, chat: sqlite3.Row) -> bool:
    """Members read a chat; anyone reads an open one."""
    return chat["type"] == "OPEN" or is_member(ctx, chat["id"], ctx.user_id)


def members(ctx: Actor, chat_id: int) -> list[int]:
    """Member ids in the order they joined."""
    rows = ctx.store.rows(
        "SELECT user_id FROM chat_members WHERE chat_id = ? ORDER BY rowid", (chat_id,)
    )
    return [int(row[0]) for row in rows]


def managers(ctx: Actor, chat_id: int) -> list[int]:
    rows = ctx.store.rows(
        "SELECT user_id FROM chat_members WHERE chat_id = ? AND is_manager = 1", (chat_id,))
    return [int(row[0]) for row in rows]


def muted_members(ctx: Actor, chat_id: int) -> list[int]:
    rows = ctx.store.rows(
        "SELECT user_id FROM chat_members WHERE chat_id = ? AND muted = 1", (chat_id,))
    return [int(row[0]) for row in rows]


def readers(ctx: Actor, chat_id: int) -> list[sqlite3.Row]:
    """Other members who read something, with their names and read marks, as they joined."""
    return ctx.store.rows(
        "SELECT m.user_id, m.last_read_id, u.name, u.last_name FROM chat_members m"
        " JOIN users u ON u.id = m.user_id"
        " WHERE m.chat_id = ? AND m.user_id != ? AND m.last_read_id > 0 ORDER BY m.rowid",
        (chat_id, ctx.user_id),
    )


def own_group_chat(ctx: Actor, chat_id: int) -> sqlite3.Row | None:
    """The group chat ``chat_id`` if the caller is one of its members."""
    chat = chat_row(ctx, chat_id)
    if chat is None or chat["type"] not in GROUP_TYPES or not is_member(ctx, chat_id, ctx.user_id):
        return None
    return chat


def create_chat(ctx: Actor, *, chat_type: str, title: str, description: str, color: str,
                avatar: str | None, entity_type: str, entity_id: str) -> int:
    """A group chat owned by the caller (who is not yet a member: see :func:`join`)."""
    return ctx.store.insert(
        "INSERT INTO chats (type, title, description, color, avatar, owner_id, entity_type,"
        " entity_id, date_create) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (chat_type, title, description, color, avatar, ctx.user_id, entity_type, entity_id,
         iso(ctx.now)),
    )


def entity_chat_id(ctx: Actor, entity_type: str, entity_id: str) -> int | None:
    """The first chat bound to an entity (a CRM deal, a task...), if any."""
    found = ctx.store.scalar(
        "SELECT MIN(id) FROM chats WHERE entity_type = ? AND entity_id = ?",
        (entity_type, entity_id))
    return None if found is None else int(found)


def next_chat_id(ctx: Actor) -> int:
    """The id the next chat gets (its default title and colour name it)."""
    return int(ctx.store.scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM chats"))


def update_chat(ctx: Actor, chat_id: int, column: str, value: Any) -> None:
    if column not in _CHAT_COLUMNS:
        raise ValueError(f"a chat has no settable {column}")
    ctx.store.execute(f"UPDATE chats SET {column} = ? WHERE id = ?", (value, chat_id))  # noqa: S608


def join(ctx: Actor, chat_id: int, user_ids: Iterable[int], start_id: int = 0) -> None:
    ctx.store.db.executemany(
        "INSERT OR IGNORE INTO chat_members (chat_id, user_id, start_id) VALUES (?, ?, ?)",
        [(chat_id, user, start_id) for user in user_ids],
    )


def may_remove(ctx: Actor, chat: sqlite3.Row, target: int) -> bool:
    if not is_member(ctx, chat["id"], target):
        return False
    if target == ctx.user_id:
        return True
    # Someone else goes only by the owner's (or a manager's) hand, and never the owner.
    caller = member_row(ctx, chat["id"], ctx.user_id)
    allowed = chat["owner_id"] == ctx.user_id or (caller is not None and caller["is_manager"])
    return bool(allowed) and target != chat["owner_id"]


def remove_member(ctx: Actor, chat: sqlite3.Row, target: int) -> None:
    chat_id = int(chat["id"])
    ctx.store.execute(
        "DELETE FROM chat_members WHERE chat_id = ? AND user_id = ?", (chat_id, target)
    )
    if target == chat["owner_id"]:
        # A leaving owner hands the chat to the longest-standing member.
        remaining = members(ctx, chat_id)
        update_chat(ctx, chat_id, "owner_id", remaining[0] if remaining else 0)


def set_muted(ctx: Actor, chat_id: int, muted: bool) -> bool:
    """The caller's own setting; False when the caller is no member."""
    return ctx.store.execute(
        "UPDATE chat_members SET muted = ? WHERE chat_id = ? AND user_id = ?",
        (int(muted), chat_id, ctx.user_id),
    ) > 0


def private_chat_id(ctx: Actor, other: int) -> int:
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


def dialog_chat_id(ctx: Actor, dialog: Any) -> int:
    """The chat a DIALOG_ID names (``chat12``, or a user id for a private dialog); 0 if none."""
    name = str(dialog).strip().lower()
    if name.startswith("chat"):
        chat_id = intval(name[4:])
        return chat_id if chat_row(ctx, chat_id) is not None else 0
    if name.isdigit():
        return private_chat_id(ctx, intval(name))
    return 0  # sgN: there are no workgroups


def dialog_access(ctx: Actor, dialog: Any) -> bool:
    """``Dialog::hasAccess``: a readable chat, or an active user to talk to."""
    if not is_dialog_id(dialog):
        return False
    name = str(dialog).strip().lower()
    if name.isdigit():
        return user_active(ctx, intval(name))
    chat = chat_row(ctx, intval(name[4:])) if name.startswith("chat") else None
    return chat is not None and can_read(ctx, chat)


# --- reading marks ------------------------------------------------------------------------


def last_message_id(ctx: Actor, chat_id: int) -> int:
    return int(ctx.store.scalar("SELECT COALESCE(MAX(id), 0) FROM messages WHERE chat_id = ?",
                                (chat_id,)))


def message_count(ctx: Actor, chat_id: int, start_id: int = 0) -> int:
    """Messages of the chat from ``start_id`` on: what a member who joined with hidden
    history counts (the server subtracts the messages before their start)."""
    return int(ctx.store.scalar(
        "SELECT COUNT(*) FROM messages WHERE chat_id = ? AND id >= ?", (chat_id, start_id)))


def first_unread_id(ctx: Actor, chat_id: int, read_id: int) -> int:
    """The first counted message of others after ``read_id`` (0: none)."""
    found = ctx.store.scalar(
        "SELECT MIN(id) FROM messages WHERE chat_id = ? AND id > ? AND author_id != ?"
        " AND id NOT IN (SELECT message_id FROM quiet_messages)",
        (chat_id, read_id, ctx.user_id),
    )
    return int(found or 0)


def unread_count(ctx: Actor, chat_id: int, user_id: int) -> int:
    """Messages of others the member has not read (0 for a non-member)."""
    member = member_row(ctx, chat_id, user_id)
    if member is None:
        return 0
    return int(ctx.store.scalar(
        "SELECT COUNT(*) FROM messages WHERE chat_id = ? AND id > ? AND id >= ?"
        " AND author_id != ? AND id NOT IN (SELECT message_id FROM quiet_messages)",
        (chat_id, member["last_read_id"], member["start_id"], user_id),
    ))


def mark_read(ctx: Actor, chat_id: int, user_id: int, up_to: int | None) -> int:
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


def mark_unread_from(ctx: Actor, chat_id: int, message_id: int) -> None:
    """The caller has not read this message and the later ones."""
    ctx.store.execute(
        "UPDATE chat_members SET last_read_id = MIN(last_read_id, ?)"
        " WHERE chat_id = ? AND user_id = ?",
        (message_id - 1, chat_id, ctx.user_id),
    )


def mark_all_read(ctx: Actor) -> None:
    """The caller has read every chat up to its last message."""
    ctx.store.execute(
        "UPDATE chat_members SET last_read_id = MAX(last_read_id, COALESCE("
        "(SELECT MAX(id) FROM messages WHERE messages.chat_id = chat_members.chat_id), 0))"
        " WHERE user_id = ?",
        (ctx.user_id,),
    )


# --- messages -----------------------------------------------------------------------------


def add_message(
    ctx: Actor, chat_id: int, author_id: int, body: str, params: Mapping[str, Any] | None = None,
    *, counted: bool = True,
) -> int:
    """A message of ``author_id`` (0: the server's own, posted on the caller's action)."""
    message_id = ctx.store.insert(
        "INSERT INTO messages (chat_id, author_id, text, date, params) VALUES (?, ?, ?, ?, ?)",
        (chat_id, author_id, body, iso(ctx.now), json.dumps(dict(params or {}))),
    )
    if not counted:
        ctx.store.execute("INSERT INTO quiet_messages (message_id) VALUES (?)", (message_id,))
    # Whoever writes has read the chat up to their own message; a system message is read
    # by the member whose action posted it, as the server clears their counter up to it.
    mark_read(ctx, chat_id, author_id or ctx.user_id, message_id)
    return message_id


def message_params(row: sqlite3.Row) -> dict[str, Any]:
    value = json.loads(row["params"])
    return value if isinstance(value, dict) else {}


def visible_message(ctx: Actor, message_id: int) -> sqlite3.Row | None:
    """The message, if the caller may read it (a member since before it, or an open chat)."""
    message = ctx.store.row("SELECT * FROM messages WHERE id = ?", (message_id,))
    if message is None:
        return None
    member = member_row(ctx, message["chat_id"], ctx.user_id)
    if member is not None:
        return message if message["id"] >= member["start_id"] else None
    chat = chat_row(ctx, message["chat_id"])
    return message if chat is not None and chat["type"] == "OPEN" else None


def save_message(ctx: Actor, message_id: int, params: Mapping[str, Any],
                 body: str | None = None) -> None:
    """Store a message's params, and its text when given."""
    if body is None:
        ctx.store.execute("UPDATE messages SET params = ? WHERE id = ?",
                          (json.dumps(dict(params)), message_id))
    else:
        ctx.store.execute("UPDATE messages SET text = ?, params = ? WHERE id = ?",
                          (body, json.dumps(dict(params)), message_id))


def delete_message(ctx: Actor, message: sqlite3.Row) -> None:
    save_message(ctx, message["id"], {"IS_DELETED": "Y"}, DELETED_TEXT)


def message_page(ctx: Actor, chat_id: int, start_id: int, limit: int, *,
                 after: int | None = None, before: int = 0) -> list[sqlite3.Row]:
    """Oldest first above ``after`` when given, else newest first below ``before`` (0: the
    newest); never what the member's ``start_id`` hides."""
    if after is not None:
        return ctx.store.rows(
            "SELECT * FROM messages WHERE chat_id = ? AND id > ? AND id >= ? ORDER BY id"
            " LIMIT ?", (chat_id, after, start_id, limit))
    return ctx.store.rows(
        "SELECT * FROM messages WHERE chat_id = ? AND (? = 0 OR id < ?) AND id >= ?"
        " ORDER BY id DESC LIMIT ?", (chat_id, before, before, start_id, limit))
