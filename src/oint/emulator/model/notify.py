"""Notifications: personal (from a user) and system ones, with their tags."""

from __future__ import annotations

import json
from typing import Any

from ..timing import iso
from . import Actor, schema

__all__ = ["add_notification", "delete_by_id", "delete_by_tag"]

SCHEMA = schema("notify", """
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
""")

_DELETE_BY = {
    "TAG": "DELETE FROM notifications WHERE tag = ?",
    "SUB_TAG": "DELETE FROM notifications WHERE sub_tag = ?",
}


def add_notification(ctx: Actor, user_id: int, kind: str, message: str, *, tag: str | None,
                     sub_tag: str | None, attach: list[dict[str, Any]] | None) -> int:
    """A ``USER`` notification from the caller, or a ``SYSTEM`` one; a newer notification
    with the same tag replaces the older one."""
    if tag is not None:
        ctx.store.execute("DELETE FROM notifications WHERE tag = ?", (tag,))
    return ctx.store.insert(
        "INSERT INTO notifications (to_user_id, from_user_id, type, message, tag, sub_tag,"
        " attach, date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (user_id, ctx.user_id if kind == "USER" else 0, kind, message, tag, sub_tag,
         json.dumps(attach) if attach else None, iso(ctx.now)),
    )


def delete_by_id(ctx: Actor, notification_id: int) -> bool:
    """Only the recipient deletes a notification by its id, and not one they sent
    themselves: a real portal answers false to both (OPI's recordings delete a personal
    notification sent to oneself, by webhook and by token, and get false)."""
    return ctx.store.execute(
        "DELETE FROM notifications WHERE id = ? AND to_user_id = ? AND from_user_id != ?",
        (notification_id, ctx.user_id, ctx.user_id),
    ) > 0


def delete_by_tag(ctx: Actor, key: str, tag: str) -> bool:
    """Delete by ``TAG`` or ``SUB_TAG`` (``key``)."""
    return ctx.store.execute(_DELETE_BY[key], (tag,)) > 0
