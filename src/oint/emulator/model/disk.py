"""The disk: storages, and in each a tree of folders and files.

Storages: one per user (made when first needed), the common storage, a group's, one per
application (made when the application first asks), and the messenger's, whose folders are
the chats' files folders (one per chat, made on first use; only the chat's members may see
or add to it). Each storage has a root folder; ``parent_id`` links the tree.

Names are unique within a folder, the trash included: as on the server, a trashed object
stays where it was (``deleted_type`` 3), with a suffix on its stored name that keeps the
name free, and what it holds goes with it (``deleted_type`` 4). Restoring brings the
subtree back, and any trashed folder above it, under a free name. A file's bytes are
``disk_content``'s; what the tree holds of a file is its stored copy (``file_id``).

What changes the tree is ``disk_tree.py``; its rules raise :class:`Refused` with a reason,
and the handlers word the server's errors.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import sqlite3
import time
from collections.abc import Iterator

from ..timing import iso
from . import Actor, schema
from .chat import is_member
from .disk_content import CONTENT_TABLES, content_head
from .entity import NUMBER, Entity, Field

__all__ = [
    "BAD_NAME",
    "CYCLE",
    "DELETED_CHILD",
    "DELETED_NONE",
    "DELETED_ROOT",
    "EMPTY_NAME",
    "LONG_NAME",
    "NON_UNIQUE",
    "OBJECTS",
    "STORAGES",
    "Refused",
    "ancestors",
    "app_storage",
    "descendants",
    "ensure_user_storages",
    "existing_folder_id",
    "file_content_key",
    "file_head",
    "file_md5",
    "file_row",
    "folder_row",
    "is_admin",
    "may_access",
    "object_path",
    "object_row",
    "rename_storage",
    "secret",
    "shown_name",
    "sign",
    "storage_of",
    "storage_row",
    "unique_code",
]

DELETED_NONE, DELETED_ROOT, DELETED_CHILD = 0, 3, 4
NON_UNIQUE, EMPTY_NAME, BAD_NAME, LONG_NAME, CYCLE = (
    "non_unique", "empty_name", "bad_name", "long_name", "cycle")
_TRASH_SUFFIX = re.compile(r"i\d+i$")

OBJECTS_TABLE = """
CREATE TABLE IF NOT EXISTS disk_objects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,  -- folder or file
    name TEXT NOT NULL,  -- as stored: a trashed root's carries the trash suffix
    code TEXT,
    storage_id INTEGER NOT NULL DEFAULT 0,
    parent_id INTEGER NOT NULL DEFAULT 0,  -- 0: a storage's root folder
    chat_id INTEGER NOT NULL DEFAULT 0,  -- set on a chat's files folder
    file_id INTEGER,  -- a file's stored copy (disk_files)
    size INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    deleted_type INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL,
    updated_by INTEGER NOT NULL DEFAULT 0,
    deleted_by INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT '',
    deleted_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS chat_folders ON disk_objects (chat_id) WHERE chat_id > 0;
CREATE INDEX IF NOT EXISTS disk_children ON disk_objects (parent_id, name);
"""

OTHER_TABLES = """
CREATE TABLE IF NOT EXISTS disk_storages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    code TEXT,
    module_id TEXT NOT NULL DEFAULT 'disk',
    entity_type TEXT NOT NULL,  -- user, common, group, restapp or im
    entity_id TEXT NOT NULL,
    root_id INTEGER NOT NULL DEFAULT 0,
    UNIQUE (entity_type, entity_id)
);
CREATE TABLE IF NOT EXISTS disk_links (
    hash TEXT PRIMARY KEY,
    object_id INTEGER NOT NULL,
    created_by INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS disk_secret (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value TEXT NOT NULL  -- signs the upload and download links
);
"""

# Version 1 kept a file's bytes in its row and had one storage; its chat folders move into
# the messenger's storage (the seed finds them a parent) and its bytes into disk_contents.
_FROM_VERSION_1 = "".join(("""
ALTER TABLE disk_objects RENAME TO disk_objects_v1;
DROP INDEX IF EXISTS chat_folders;
""", OBJECTS_TABLE, CONTENT_TABLES, """
INSERT INTO disk_objects (id, type, name, parent_id, chat_id, file_id, size, created_by,
                          updated_by, created_at, updated_at)
    SELECT id, type, name, parent_id, chat_id, CASE WHEN type = 'file' THEN id END, size,
           created_by, created_by, created_at, created_at FROM disk_objects_v1;
INSERT INTO disk_contents (key, data)
    SELECT 'v1-' || id, COALESCE(content, X'') FROM disk_objects_v1 WHERE type = 'file';
INSERT INTO disk_files (id, content, size, md5)
    SELECT id, 'v1-' || id, size, NULL FROM disk_objects_v1 WHERE type = 'file';
DROP TABLE disk_objects_v1;
"""))

# (entity type, entity id, name, module): the storages every portal has besides its users'.
# Thirty workgroups: with the users', the list of storages runs over a page, as a real
# portal's does, so paging through it is something a client meets here too.
_FIXED_STORAGES = (
    ("common", "shared_files_s1", "Shared drive", "disk"),
    *(("group", str(number), f"Workgroup {number}", "disk") for number in range(1, 31)),
    ("im", "im", "Messenger", "im"),
)


def _add_storage(db: sqlite3.Connection, entity_type: str, entity_id: str, name: str, *,
                 module: str = "disk", owner: int = 1) -> int:
    """A storage with its root folder."""
    now = iso(time.time())
    storage_id = int(db.execute(
        "INSERT INTO disk_storages (name, module_id, entity_type, entity_id)"
        " VALUES (?, ?, ?, ?)", (name, module, entity_type, entity_id)).lastrowid or 0)
    root = int(db.execute(
        "INSERT INTO disk_objects (type, name, storage_id, created_by, updated_by, created_at,"
        " updated_at) VALUES ('folder', ?, ?, ?, ?, ?, ?)",
        (name, storage_id, owner, owner, now, now)).lastrowid or 0)
    db.execute("UPDATE disk_storages SET root_id = ? WHERE id = ?", (root, storage_id))
    return storage_id


def _add_user_storages(db: sqlite3.Connection) -> None:
    for user_id, first, last in db.execute(
            "SELECT id, name, last_name FROM users WHERE CAST(id AS TEXT) NOT IN"
            " (SELECT entity_id FROM disk_storages WHERE entity_type = 'user') ORDER BY id"
    ).fetchall():
        _add_storage(db, "user", str(user_id), f"{first} {last}".strip(), owner=user_id)


def _seed(db: sqlite3.Connection) -> None:
    db.execute("INSERT OR IGNORE INTO disk_secret (id, value) VALUES (1, ?)",
               (os.urandom(32).hex(),))
    _add_user_storages(db)
    known = {(row[0], row[1]) for row in db.execute(
        "SELECT entity_type, entity_id FROM disk_storages")}
    for entity_type, entity_id, name, module in _FIXED_STORAGES:
        if (entity_type, entity_id) not in known:
            _add_storage(db, entity_type, entity_id, name, module=module)
    # Chat folders of a version 1 file: into the messenger's storage.
    storage, root = db.execute(
        "SELECT id, root_id FROM disk_storages WHERE entity_type = 'im'").fetchone()
    db.execute("UPDATE disk_objects SET storage_id = ? WHERE storage_id = 0", (storage,))
    db.execute("UPDATE disk_objects SET parent_id = ? WHERE parent_id = 0 AND chat_id > 0",
               (root,))


SCHEMA = schema("disk", OBJECTS_TABLE + CONTENT_TABLES + OTHER_TABLES, version=2,
                migrations={1: _FROM_VERSION_1}, seed=_seed)

# The fields of a folder's children, as disk.folder.getfields describes them: ``filter``
# marks those the server takes in a filter (the others it drops from one).
OBJECTS = Entity("disk_objects", (
    Field("ID", "integer", column="id", kind=NUMBER, extra={"filter": True}),
    Field("NAME", "string", column="name", extra={"filter": True}),
    Field("TYPE", "enum", column="type", extra={"filter": True}),
    Field("CODE", "string", column="code", extra={"filter": True}),
    Field("STORAGE_ID", "integer", column="storage_id", extra={"filter": True}),
    Field("REAL_OBJECT_ID", "integer", sql="id", extra={"filter": False}),
    Field("PARENT_ID", "integer", column="parent_id", extra={"filter": True}),
    Field("CREATE_TIME", "datetime", column="created_at", extra={"filter": True}),
    Field("UPDATE_TIME", "datetime", column="updated_at", extra={"filter": True}),
    Field("DELETE_TIME", "datetime", column="deleted_at", extra={"filter": True}),
    Field("CREATED_BY", "integer", column="created_by", extra={"filter": False}),
    Field("UPDATED_BY", "integer", column="updated_by", extra={"filter": False}),
    Field("DELETED_BY", "integer", column="deleted_by", extra={"filter": False}),
    Field("DELETED_TYPE", "enum", column="deleted_type", kind=NUMBER,
          extra={"filter": True}),
), filters={name: (lambda prefix, value: None)
            for name in ("REAL_OBJECT_ID", "CREATED_BY", "UPDATED_BY", "DELETED_BY")})

STORAGES = Entity("disk_storages", (
    Field("ID", "integer", column="id"),
    Field("NAME", "string", column="name"),
    Field("CODE", "string", column="code"),
    Field("MODULE_ID", "string", column="module_id"),
    Field("ENTITY_TYPE", "string", column="entity_type"),
    Field("ENTITY_ID", "string", column="entity_id"),
    Field("ROOT_OBJECT_ID", "integer", column="root_id"),
))


class Refused(Exception):
    """A rule of the disk said no: ``reason`` is one of NON_UNIQUE, EMPTY_NAME, BAD_NAME,
    LONG_NAME, CYCLE."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- reading ---------------------------------------------------------------------------------

def storage_row(ctx: Actor, storage_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM disk_storages WHERE id = ?", (storage_id,))


def object_row(ctx: Actor, object_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM disk_objects WHERE id = ?", (object_id,))


def _of_type(ctx: Actor, object_id: int, kind: str) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM disk_objects WHERE id = ? AND type = ?",
                         (object_id, kind))


def file_row(ctx: Actor, file_id: int) -> sqlite3.Row | None:
    return _of_type(ctx, file_id, "file")


def folder_row(ctx: Actor, folder_id: int) -> sqlite3.Row | None:
    return _of_type(ctx, folder_id, "folder")


def storage_of(ctx: Actor, row: sqlite3.Row) -> sqlite3.Row:
    found = storage_row(ctx, int(row["storage_id"]))
    assert found is not None, "every object is in a storage"
    return found


def shown_name(row: sqlite3.Row) -> str:
    """An object's name as replies give it: a trashed root's without the trash suffix."""
    name = str(row["name"])
    return _TRASH_SUFFIX.sub("", name) if row["deleted_type"] == DELETED_ROOT else name


def ancestors(ctx: Actor, row: sqlite3.Row) -> list[sqlite3.Row]:
    """The folders above an object, nearest first, its storage's root last."""
    found: list[sqlite3.Row] = []
    parent = int(row["parent_id"])
    while parent:
        above = object_row(ctx, parent)
        if above is None:
            break
        found.append(above)
        parent = int(above["parent_id"])
    return found


def object_path(ctx: Actor, row: sqlite3.Row) -> list[str]:
    """The stored names from below the storage's root down to the object."""
    if not row["parent_id"]:
        return []
    return [str(r["name"]) for r in reversed(ancestors(ctx, row)[:-1])] + [str(row["name"])]


def descendants(ctx: Actor, folder_id: int) -> Iterator[sqlite3.Row]:
    for child in ctx.store.rows("SELECT * FROM disk_objects WHERE parent_id = ? ORDER BY id",
                                (folder_id,)):
        yield child
        if child["type"] == "folder":
            yield from descendants(ctx, int(child["id"]))


def file_md5(ctx: Actor, row: sqlite3.Row) -> str:
    """A file's etag: the MD5 of its bytes."""
    stored = ctx.store.row("SELECT content, md5 FROM disk_files WHERE id = ?",
                           (row["file_id"],))
    if stored is None:
        return hashlib.md5(b"", usedforsecurity=False).hexdigest()
    if stored["md5"]:
        return str(stored["md5"])
    from .disk_content import content_chunks  # a file of an older layout: hashed once

    digest = hashlib.md5(usedforsecurity=False)
    for piece in content_chunks(ctx.store, str(stored["content"])):
        digest.update(piece)
    ctx.store.execute("UPDATE disk_files SET md5 = ? WHERE id = ?",
                      (digest.hexdigest(), row["file_id"]))
    return digest.hexdigest()


def file_content_key(ctx: Actor, row: sqlite3.Row) -> str | None:
    found = ctx.store.scalar("SELECT content FROM disk_files WHERE id = ?", (row["file_id"],))
    return None if found is None else str(found)


def file_head(ctx: Actor, row: sqlite3.Row) -> bytes:
    """The first bytes of a file (to tell a picture and its size)."""
    key = file_content_key(ctx, row)
    return b"" if key is None else content_head(ctx.store, key)


def unique_code(object_id: int) -> str:
    """The object's code in its unified link (``/disk/file/<code>``)."""
    return hashlib.sha1(f"disk{object_id}".encode(), usedforsecurity=False).hexdigest()[:20]


def secret(ctx: Actor) -> bytes:
    """The key that signs this portal's upload and download links."""
    return str(ctx.store.scalar("SELECT value FROM disk_secret WHERE id = 1")).encode()


def sign(ctx: Actor, text: str) -> str:
    import base64

    digest = hmac.new(secret(ctx), text.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


# -- who may do what -------------------------------------------------------------------------

def is_admin(ctx: Actor) -> bool:
    return bool(ctx.store.scalar("SELECT is_admin FROM users WHERE id = ?", (ctx.user_id,)))


def _chat_of(ctx: Actor, row: sqlite3.Row) -> int:
    """The chat whose files folder holds the object (0: none)."""
    for candidate in (row, *ancestors(ctx, row)):
        if candidate["chat_id"]:
            return int(candidate["chat_id"])
    return 0


def may_access(ctx: Actor, storage: sqlite3.Row, row: sqlite3.Row | None = None) -> bool:
    """Whether the caller may see and change a storage, or an object of it: a user's
    storage is its owner's (and the administrators'), a chat's folder its members';
    everyone works in the common, group and application storages."""
    kind = storage["entity_type"]
    if kind == "user":
        return str(ctx.user_id) == storage["entity_id"] or is_admin(ctx)
    if kind == "im":
        chat = _chat_of(ctx, row) if row is not None else 0
        return is_member(ctx, chat, ctx.user_id) if chat else is_admin(ctx)
    return True


# -- storages --------------------------------------------------------------------------------

def ensure_user_storages(ctx: Actor) -> None:
    """Every user has a storage (users added since the portal started get theirs now)."""
    _add_user_storages(ctx.store.db)


def app_storage(ctx: Actor, app: str, name: str) -> sqlite3.Row:
    """An application's storage, made on its first request."""
    found = ctx.store.row("SELECT * FROM disk_storages WHERE entity_type = 'restapp'"
                          " AND entity_id = ?", (app,))
    if found is None:
        storage_id = _add_storage(ctx.store.db, "restapp", app, name, owner=ctx.user_id)
        found = storage_row(ctx, storage_id)
    assert found is not None
    return found


def rename_storage(ctx: Actor, storage: sqlite3.Row, name: str) -> None:
    ctx.store.execute("UPDATE disk_storages SET name = ? WHERE id = ?", (name, storage["id"]))
    ctx.store.execute("UPDATE disk_objects SET name = ? WHERE id = ?", (name, storage["root_id"]))


# -- the messenger's folders -----------------------------------------------------------------

def existing_folder_id(ctx: Actor, chat_id: int) -> int:
    """The chat's files folder, or 0 if nobody asked for it yet."""
    found = ctx.store.scalar("SELECT id FROM disk_objects WHERE chat_id = ?", (chat_id,))
    return 0 if found is None else int(found)
