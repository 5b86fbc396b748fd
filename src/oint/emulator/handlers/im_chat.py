"""Group chats: ``im.chat.add`` and ``im.chat.user.list``."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any

from ..errors import ApiError
from ._args import chat_id_from, id_list
from ._registry import Context, handler

SCHEMA = """
CREATE TABLE IF NOT EXISTS chats (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL,
    avatar TEXT,
    owner_id INTEGER NOT NULL,
    entity_type TEXT NOT NULL DEFAULT '',
    entity_id TEXT NOT NULL DEFAULT '',
    date_create TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chat_members (
    chat_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    is_manager INTEGER NOT NULL DEFAULT 0,
    muted INTEGER NOT NULL DEFAULT 0,
    last_read_id INTEGER NOT NULL DEFAULT 0,
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
"""

# Colour names im.chat.add accepts, with the HEX that im.dialog.get shows.
COLORS = {
    "RED": "#df532d", "GREEN": "#64a513", "MINT": "#4ba984", "LIGHT_BLUE": "#4ba5c3",
    "DARK_BLUE": "#3e99ce", "PURPLE": "#8474c8", "AQUA": "#1eb4aa", "PINK": "#f76187",
    "LIME": "#58cc47", "BROWN": "#ab7761", "AZURE": "#29619b", "KHAKI": "#728f7a",
    "SAND": "#ba9c7b", "MARENGO": "#556574", "GRAY": "#909090", "GRAPHITE": "#5e5f5e",
}
_COLOR_NAMES = tuple(COLORS)


def iso(moment: float) -> str:
    return dt.datetime.fromtimestamp(moment, dt.timezone.utc).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value).strip()


def _avatar(value: Any) -> str | None:
    # im.chat.add keeps a picture only when it decodes; a bad one is dropped, not an error.
    text = _text(value)
    if not text:
        return None
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return text


def add_message(ctx: Context, chat_id: int, author_id: int, text: str) -> int:
    return ctx.store.insert(
        "INSERT INTO messages (chat_id, author_id, text, date) VALUES (?, ?, ?, ?)",
        (chat_id, author_id, text, iso(ctx.now)),
    )


def is_member(ctx: Context, chat_id: int, user_id: int) -> bool:
    return (
        ctx.store.scalar(
            "SELECT 1 FROM chat_members WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
        )
        is not None
    )


@handler("im.chat.add")
def chat_add(ctx: Context, params: dict[str, Any]) -> int:
    # No parameter is required: the caller alone makes a valid closed chat.
    users = id_list(params.get("USERS") or [], "USERS")
    members = [ctx.user_id] + [u for u in users if u != ctx.user_id and ctx.store.user_exists(u)]
    chat_type = "OPEN" if _text(params.get("TYPE")).upper() == "OPEN" else "CHAT"
    next_id = int(ctx.store.scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM chats"))
    color = _text(params.get("COLOR")).upper()
    if color not in COLORS:
        color = _COLOR_NAMES[next_id % len(_COLOR_NAMES)]
    title = _text(params.get("TITLE"))
    if not title:
        title = f"{color.replace('_', ' ').title()} chat №{next_id}"
    chat_id = ctx.store.insert(
        "INSERT INTO chats (type, title, description, color, avatar, owner_id, entity_type,"
        " entity_id, date_create) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (chat_type, title, _text(params.get("DESCRIPTION")), color,
         _avatar(params.get("AVATAR")), ctx.user_id, _text(params.get("ENTITY_TYPE")),
         _text(params.get("ENTITY_ID")), iso(ctx.now)),
    )
    ctx.store.db.executemany(
        "INSERT INTO chat_members (chat_id, user_id) VALUES (?, ?)",
        [(chat_id, user) for user in members],
    )
    message = _text(params.get("MESSAGE"))
    if message:
        add_message(ctx, chat_id, ctx.user_id, message)
    return chat_id


@handler("im.chat.user.list")
def chat_user_list(ctx: Context, params: dict[str, Any]) -> list[int]:
    chat_id = chat_id_from(params)
    if chat_id <= 0:
        raise ApiError("CHAT_ID_EMPTY", "Chat ID can't be empty")
    # Without access the server answers an empty list, not an error.
    if not is_member(ctx, chat_id, ctx.user_id):
        return []
    return [
        int(row[0])
        for row in ctx.store.rows(
            "SELECT user_id FROM chat_members WHERE chat_id = ? ORDER BY user_id", (chat_id,)
        )
    ]
