"""The disk's tree changing: names, new folders and files, copies, moves, the trash,
deletion, public links and the chats' folders (the tables and the reading are
``disk.py``'s, the bytes ``disk_content.py``'s).

Names are unique within a folder, the trash included. A trashed object stays where it was
(``deleted_type`` 3) under a stored name with the server's suffix, which keeps its name
free; what it holds goes with it (``deleted_type`` 4). Restoring brings the subtree back,
and any trashed folder above it, under a free name.
"""

from __future__ import annotations

import random
import re
import sqlite3
import string
from typing import Any

from ..timing import iso
from . import Actor
from .disk import (
    BAD_NAME,
    CYCLE,
    DELETED_CHILD,
    DELETED_NONE,
    DELETED_ROOT,
    EMPTY_NAME,
    LONG_NAME,
    NON_UNIQUE,
    Refused,
    ancestors,
    descendants,
    existing_folder_id,
    file_content_key,
    file_md5,
    object_row,
    shown_name,
)
from .disk_content import Content, drop_if_unused, new_file_id

__all__ = [
    "add_file",
    "add_folder",
    "chat_folder_id",
    "copy_to",
    "delete_object",
    "external_link",
    "mark_deleted",
    "move_to",
    "rename_object",
    "restore",
]

MAX_NAME = 255
# Characters no file system takes in a name (the server's Path::validateFilename).
_BAD_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_LINK_ALPHABET = string.ascii_letters + string.digits


# -- names -----------------------------------------------------------------------------------

def _check_name(name: str) -> None:
    if not name.strip():
        raise Refused(EMPTY_NAME)
    if len(name) > MAX_NAME:
        raise Refused(LONG_NAME)
    if _BAD_CHARS.search(name):
        raise Refused(BAD_NAME)


def _taken(ctx: Actor, folder_id: int, name: str, exclude: int = 0) -> bool:
    return ctx.store.scalar(
        "SELECT 1 FROM disk_objects WHERE parent_id = ? AND name = ? AND id != ? LIMIT 1",
        (folder_id, name, exclude)) is not None


def _free_name(ctx: Actor, folder_id: int, name: str) -> str:
    """``name`` or, if it is taken, ``name (1)``, ``name (2)``... (before the first dot)."""
    candidate, count = name, 0
    stem, dot, rest = name.partition(".")
    while _taken(ctx, folder_id, candidate):
        count += 1
        candidate = f"{stem} ({count}){dot}{rest}" if stem else f"{name} ({count})"
    return candidate


def _placed_name(ctx: Actor, folder_id: int, name: str, unique: bool) -> str:
    _check_name(name)
    if unique:
        return _free_name(ctx, folder_id, name)
    if _taken(ctx, folder_id, name):
        raise Refused(NON_UNIQUE)
    return name


# -- writing ---------------------------------------------------------------------------------

def _insert(ctx: Actor, folder: sqlite3.Row, kind: str, name: str, **columns: Any) -> int:
    now = iso(ctx.now)
    values = {"type": kind, "name": name, "storage_id": folder["storage_id"],
              "parent_id": folder["id"], "created_by": ctx.user_id,
              "updated_by": ctx.user_id, "created_at": now, "updated_at": now, **columns}
    return ctx.store.insert(
        f"INSERT INTO disk_objects ({', '.join(values)}) "  # noqa: S608  (names are ours)
        f"VALUES ({', '.join('?' for _ in values)})", list(values.values()))


def add_folder(ctx: Actor, parent: sqlite3.Row, name: str, *, unique: bool = False) -> int:
    return _insert(ctx, parent, "folder", _placed_name(ctx, int(parent["id"]), name, unique))


def add_file(ctx: Actor, folder: sqlite3.Row, name: str, content: Content, *,
             unique: bool = False) -> int:
    """A new file of the caller's, holding stored bytes."""
    placed = _placed_name(ctx, int(folder["id"]), name, unique)
    return _insert(ctx, folder, "file", placed, file_id=new_file_id(ctx.store, content),
                   size=content.size)


def _content_of(ctx: Actor, row: sqlite3.Row) -> Content:
    stored = ctx.store.row("SELECT content, size FROM disk_files WHERE id = ?",
                           (row["file_id"],))
    assert stored is not None
    return Content(str(stored["content"]), int(stored["size"]), file_md5(ctx, row))


def copy_to(ctx: Actor, row: sqlite3.Row, target: sqlite3.Row) -> int:
    """A copy of a file or a folder (with what it holds, trash aside) in ``target``."""
    name = _placed_name(ctx, int(target["id"]), shown_name(row), False)
    if row["type"] == "file":
        return _insert(ctx, target, "file", name, size=row["size"],
                       file_id=new_file_id(ctx.store, _content_of(ctx, row)))
    # What the folder holds is read before the copy is made: a copy into the folder itself
    # does not copy itself again.
    children = ctx.store.rows("SELECT * FROM disk_objects WHERE parent_id = ? AND"
                              " deleted_type = 0 ORDER BY id", (row["id"],))
    copied = _insert(ctx, target, "folder", name)
    made = object_row(ctx, copied)
    assert made is not None
    for child in children:
        copy_to(ctx, child, made)
    return copied


def move_to(ctx: Actor, row: sqlite3.Row, target: sqlite3.Row) -> None:
    """Into another folder of the same storage; nothing if it is there already."""
    if row["parent_id"] == target["id"] or row["id"] == target["id"]:
        return
    if any(above["id"] == row["id"] for above in ancestors(ctx, target)):
        raise Refused(CYCLE)
    if _taken(ctx, int(target["id"]), str(row["name"])):
        raise Refused(NON_UNIQUE)
    ctx.store.execute("UPDATE disk_objects SET parent_id = ?, updated_at = ? WHERE id = ?",
                      (target["id"], iso(ctx.now), row["id"]))


def rename_object(ctx: Actor, row: sqlite3.Row, name: str) -> None:
    if not name:
        raise Refused(EMPTY_NAME)
    if name == row["name"]:
        return
    if _taken(ctx, int(row["parent_id"]), name):
        raise Refused(NON_UNIQUE)
    _check_name(name)
    ctx.store.execute("UPDATE disk_objects SET name = ?, updated_at = ? WHERE id = ?",
                      (name, iso(ctx.now), row["id"]))


def _trash(ctx: Actor, row: sqlite3.Row, as_root: bool) -> None:
    # The suffix is the server's: "i", the moment, four random digits, "i".
    name = f"{row['name']}i{int(ctx.now)}{random.randint(1000, 9999)}i" if as_root \
        else row["name"]
    ctx.store.execute(
        "UPDATE disk_objects SET name = ?, code = NULL, deleted_type = ?, deleted_at = ?,"
        " deleted_by = ? WHERE id = ?",
        (name, DELETED_ROOT if as_root else DELETED_CHILD, iso(ctx.now), ctx.user_id,
         row["id"]))


def mark_deleted(ctx: Actor, row: sqlite3.Row) -> None:
    """Into the trash, with what it holds."""
    _trash(ctx, row, True)
    if row["type"] == "folder":
        for below in descendants(ctx, int(row["id"])):
            if below["deleted_type"] == DELETED_NONE:
                _trash(ctx, below, False)


def _bring_back(ctx: Actor, row: sqlite3.Row, recursive: bool) -> None:
    name = shown_name(row)
    if _taken(ctx, int(row["parent_id"]), name, exclude=int(row["id"])):
        name = _free_name(ctx, int(row["parent_id"]), name)
    ctx.store.execute(
        "UPDATE disk_objects SET name = ?, deleted_type = 0, updated_at = ?, updated_by = ?"
        " WHERE id = ?", (name, iso(ctx.now), ctx.user_id, row["id"]))
    if recursive and row["type"] == "folder":
        # What went with it comes back; what was trashed on its own before stays trashed.
        for child in ctx.store.rows("SELECT * FROM disk_objects WHERE parent_id = ? AND"
                                    " deleted_type = ?", (row["id"], DELETED_CHILD)):
            _bring_back(ctx, child, True)


def restore(ctx: Actor, row: sqlite3.Row) -> None:
    """Out of the trash, to where it was, with what went with it; a trashed folder above
    comes back too, and what else it held stays in the trash on its own."""
    path = [above for above in reversed(ancestors(ctx, row)) if above["deleted_type"]]
    for above in path:
        keep = {r["id"] for r in (*path, row)}
        for sibling in ctx.store.rows("SELECT * FROM disk_objects WHERE parent_id = ? AND"
                                      " deleted_type = ?", (above["id"], DELETED_CHILD)):
            if sibling["id"] not in keep:
                _trash(ctx, sibling, True)
        fresh = object_row(ctx, int(above["id"]))
        assert fresh is not None
        _bring_back(ctx, fresh, False)
    _bring_back(ctx, row, True)


def delete_object(ctx: Actor, row: sqlite3.Row) -> None:
    """Gone for good, with what it holds and their bytes (unless other copies need them)."""
    doomed = [row, *(descendants(ctx, int(row["id"])) if row["type"] == "folder" else ())]
    keys = set()
    for item in doomed:
        if item["file_id"] is not None:
            key = file_content_key(ctx, item)
            ctx.store.execute("DELETE FROM disk_files WHERE id = ?", (item["file_id"],))
            if key is not None:
                keys.add(key)
        ctx.store.execute("DELETE FROM disk_links WHERE object_id = ?", (item["id"],))
        ctx.store.execute("DELETE FROM disk_objects WHERE id = ?", (item["id"],))
    for key in sorted(keys):
        drop_if_unused(ctx.store, key)


def external_link(ctx: Actor, row: sqlite3.Row) -> str:
    """The caller's public link to an object (made once, then the same): its hash."""
    found = ctx.store.scalar("SELECT hash FROM disk_links WHERE object_id = ? AND"
                             " created_by = ?", (row["id"], ctx.user_id))
    if found is not None:
        return str(found)
    while True:
        made = "".join(random.choice(_LINK_ALPHABET) for _ in range(5))
        if ctx.store.scalar("SELECT 1 FROM disk_links WHERE hash = ?", (made,)) is None:
            break
    ctx.store.execute("INSERT INTO disk_links (hash, object_id, created_by) VALUES (?, ?, ?)",
                      (made, row["id"], ctx.user_id))
    return made


def chat_folder_id(ctx: Actor, chat_id: int) -> int:
    """The chat's files folder, made on first use in the messenger's storage."""
    found = existing_folder_id(ctx, chat_id)
    if found:
        return found
    root = ctx.store.row("SELECT o.* FROM disk_storages s JOIN disk_objects o"
                         " ON o.id = s.root_id WHERE s.entity_type = 'im'")
    assert root is not None, "the messenger's storage is seeded"
    return _insert(ctx, root, "folder", f"chat{chat_id}", chat_id=chat_id)
