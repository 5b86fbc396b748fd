"""The disk: folders and files in one storage, the messenger's chat folders among them.

Each chat's files folder is a folder of this disk tied to its chat (``chat_id``), made on
first use; only the chat's members may put files in it. Files keep their bytes
(``content``), so sizes and checksums are real.
"""

from __future__ import annotations

import hashlib
import sqlite3

from ..timing import iso
from . import Actor, schema
from .chat import chat_row, is_member

__all__ = [
    "DOWNLOAD_PATH",
    "STORAGE_ID",
    "add_file",
    "chat_folder_id",
    "copy_file",
    "existing_folder_id",
    "file_row",
    "folder_row",
    "may_upload",
    "object_row",
    "unique_code",
]

SCHEMA = schema("disk", """
CREATE TABLE IF NOT EXISTS disk_objects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,  -- folder or file
    name TEXT NOT NULL,
    parent_id INTEGER NOT NULL DEFAULT 0,
    chat_id INTEGER NOT NULL DEFAULT 0,  -- set on a chat's files folder
    size INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    content BLOB
);
CREATE UNIQUE INDEX IF NOT EXISTS chat_folders ON disk_objects (chat_id) WHERE chat_id > 0;
""")

STORAGE_ID = 1  # the one storage, which holds the chats' folders
DOWNLOAD_PATH = "/bitrix/services/main/ajax.php?action=disk.api.file.download&SITE_ID=s1&humanRE=1"


def object_row(ctx: Actor, object_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM disk_objects WHERE id = ?", (object_id,))


def file_row(ctx: Actor, file_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM disk_objects WHERE id = ? AND type = 'file'", (file_id,))


def folder_row(ctx: Actor, folder_id: int) -> sqlite3.Row | None:
    return ctx.store.row(
        "SELECT * FROM disk_objects WHERE id = ? AND type = 'folder'", (folder_id,))


def chat_folder_id(ctx: Actor, chat_id: int) -> int:
    """The chat's files folder, made on first use."""
    found = existing_folder_id(ctx, chat_id)
    if found:
        return found
    return ctx.store.insert(
        "INSERT INTO disk_objects (type, name, chat_id, created_by, created_at)"
        " VALUES ('folder', ?, ?, ?, ?)",
        (f"chat{chat_id}", chat_id, ctx.user_id, iso(ctx.now)),
    )


def existing_folder_id(ctx: Actor, chat_id: int) -> int:
    """The chat's files folder, or 0 if nobody asked for it yet."""
    found = ctx.store.scalar("SELECT id FROM disk_objects WHERE chat_id = ?", (chat_id,))
    return 0 if found is None else int(found)


def may_upload(ctx: Actor, folder: sqlite3.Row) -> bool:
    """A chat's folder takes files from the chat's members only."""
    chat = chat_row(ctx, int(folder["chat_id"]))
    return chat is None or is_member(ctx, chat["id"], ctx.user_id)


def add_file(ctx: Actor, folder_id: int, name: str, data: bytes) -> int:
    """A new file of the caller's in the folder."""
    return ctx.store.insert(
        "INSERT INTO disk_objects (type, name, parent_id, size, created_by, created_at, content)"
        " VALUES ('file', ?, ?, ?, ?, ?, ?)",
        (name, folder_id, len(data), ctx.user_id, iso(ctx.now), data),
    )


def copy_file(ctx: Actor, row: sqlite3.Row, folder_id: int) -> int:
    """A copy of the file, the caller's, in the folder."""
    return add_file(ctx, folder_id, str(row["name"]), bytes(row["content"] or b""))


def unique_code(object_id: int) -> str:
    """The object's code in its unified link (``/disk/file/<code>``)."""
    return hashlib.sha1(f"disk{object_id}".encode(), usedforsecurity=False).hexdigest()[:20]
