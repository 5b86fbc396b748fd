"""The disk's folders and files: ``disk.folder.*`` and ``disk.file.*`` (the tree and its
rules are ``model/disk.py``; storages are ``disk_storage``).

Checks come in the server's order: the PHP method's required parameters, the module's own
required fields, the object, the target, the caller's rights, then the operation.
``disk.folder.uploadFile`` without ``fileContent`` hands out the upload URL of the two-step
upload (``transfers.py`` takes the POST there).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from ..links import UPLOAD, special_url
from ..model.disk import (
    OBJECTS,
    Refused,
    object_row,
)
from ..model.disk_content import drop_if_unused, put_bytes
from ..model.disk_tree import (
    add_file,
    add_folder,
    copy_to,
    delete_object,
    external_link,
    mark_deleted,
    move_to,
    rename_object,
    restore,
)
from ._args import flag, text
from ._disk import (
    children_reply,
    decode_file_content,
    given,
    lookup,
    object_json,
    plain_error,
    reachable,
    refusal,
    required,
    required_name,
    target_folder,
)
from ._registry import Context, Reply, handler

__all__ = ["FILE_FIELD", "store_upload", "upload_into"]

FILE_FIELD = "file"  # the form field the upload URL takes the file in

Handler = Callable[[Context, dict[str, Any]], Any]


def _fresh(ctx: Context, object_id: int, **shape: bool) -> dict[str, Any]:
    row = object_row(ctx, object_id)
    assert row is not None
    return object_json(ctx, row, **shape)


def _the(ctx: Context, params: dict[str, Any], kind: str) -> sqlite3.Row:
    return lookup(ctx, required(params, 0, "id"), kind)


def store_upload(ctx: Context, folder: sqlite3.Row, name: str, data: bytes | None, *,
                 content: Any = None, unique: bool = False) -> dict[str, Any]:
    """A new file in the folder from bytes (or stored content); its reply."""
    stored = content if content is not None else put_bytes(ctx.store, data or b"")
    try:
        made = add_file(ctx, folder, name, stored, unique=unique)
    except Refused as refused:
        drop_if_unused(ctx.store, stored.key)
        raise refusal(refused, "file") from None
    return _fresh(ctx, made, fresh=True)


def upload_into(ctx: Context, folder: sqlite3.Row, params: dict[str, Any], content: Any,
                name: str) -> dict[str, Any]:
    """The one-step upload (``fileContent``) into a folder, once its arguments are read."""
    decoded = decode_file_content(content)
    reachable(ctx, folder)
    if decoded is None:
        raise plain_error("Could not save file.")
    return store_upload(ctx, folder, name, decoded[1],
                        unique=flag(given(params, "generateUniqueName"), False))


# -- what folders and files share ------------------------------------------------------------

def _get(kind: str) -> Handler:
    def get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return object_json(ctx, reachable(ctx, _the(ctx, params, kind)))
    return get


def _copy_to(kind: str) -> Handler:
    def copy(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        row, target = _the(ctx, params, kind), target_folder(ctx, params)
        reachable(ctx, row)
        reachable(ctx, target)
        try:
            return _fresh(ctx, copy_to(ctx, row, target), fresh=True)
        except Refused as refused:
            raise refusal(refused, kind) from None
    return copy


def _move_to(kind: str) -> Handler:
    def move(ctx: Context, params: dict[str, Any]) -> Any:
        row, target = _the(ctx, params, kind), target_folder(ctx, params)
        if row["storage_id"] != target["storage_id"]:
            return False  # the server's answer to a move into another storage
        reachable(ctx, row)
        reachable(ctx, target)
        if not row["parent_id"]:
            raise plain_error("Could not move root folder.")
        try:
            move_to(ctx, row, target)
        except Refused as refused:
            raise refusal(refused, kind) from None
        return _fresh(ctx, int(row["id"]), moved=row["parent_id"] != target["id"])
    return move


def _rename(kind: str) -> Handler:
    def rename(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        row = _the(ctx, params, kind)
        name = text(required(params, 1, "newName"))
        reachable(ctx, row)
        try:
            rename_object(ctx, row, name)
        except Refused as refused:
            raise refusal(refused, kind) from None
        return _fresh(ctx, int(row["id"]))
    return rename


def _mark_deleted(kind: str) -> Handler:
    def trash(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        row = reachable(ctx, _the(ctx, params, kind))
        if not row["parent_id"]:
            raise plain_error("Could not delete root folder.")
        mark_deleted(ctx, row)
        return _fresh(ctx, int(row["id"]))
    return trash


def _restore(kind: str) -> Handler:
    def bring_back(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        row = reachable(ctx, _the(ctx, params, kind))
        restore(ctx, row)
        return _fresh(ctx, int(row["id"]))
    return bring_back


def _external_link(kind: str) -> Handler:
    def link(ctx: Context, params: dict[str, Any]) -> str:
        row = reachable(ctx, _the(ctx, params, kind))
        return f"{ctx.origin}/~{external_link(ctx, row)}"
    return link


def _describe(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return OBJECTS.describe(lambda field: {
        "TYPE": field.type, "USE_IN_FILTER": field.extra["filter"], "USE_IN_SHOW": True})


for _kind in ("folder", "file"):
    for _name, _make in (("get", _get), ("copyto", _copy_to), ("moveto", _move_to),
                         ("rename", _rename), ("markdeleted", _mark_deleted),
                         ("restore", _restore), ("getexternallink", _external_link)):
        handler(f"disk.{_kind}.{_name}")(_make(_kind))
handler("disk.folder.getfields")(_describe)


# -- folders ---------------------------------------------------------------------------------

@handler("disk.folder.getchildren")
def folder_children(ctx: Context, params: dict[str, Any]) -> Reply:
    return children_reply(ctx, _the(ctx, params, "folder"), params)


@handler("disk.folder.addsubfolder")
def folder_add_subfolder(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    required(params, 0, "id")
    name = required_name(required(params, 1, "data", array=True))
    folder = reachable(ctx, _the(ctx, params, "folder"))
    try:
        return _fresh(ctx, add_folder(ctx, folder, name), fresh=True)
    except Refused as refused:
        raise refusal(refused, "folder") from None


@handler("disk.folder.deletetree")
def folder_delete_tree(ctx: Context, params: dict[str, Any]) -> bool:
    folder = reachable(ctx, _the(ctx, params, "folder"))
    if not folder["parent_id"]:
        raise plain_error("Could not delete root folder.")
    delete_object(ctx, folder)
    return True


@handler("disk.folder.uploadfile")
def folder_upload_file(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    folder_id = required(params, 0, "id")
    content = given(params, "fileContent")
    data = given(params, "data")
    if content is None:
        # The first step of the two-step upload: where to POST the file, and in which field.
        query: dict[str, Any] = {"id": folder_id}
        if isinstance(data, dict) and data:
            query["data"] = data
        query["generateUniqueName"] = flag(given(params, "generateUniqueName"), False)
        return {"field": FILE_FIELD, "uploadUrl": special_url(ctx, UPLOAD, query)}
    name = required_name(data)
    return upload_into(ctx, _the(ctx, params, "folder"), params, content, name)


# -- files -----------------------------------------------------------------------------------

@handler("disk.file.delete")
def file_delete(ctx: Context, params: dict[str, Any]) -> bool:
    delete_object(ctx, reachable(ctx, _the(ctx, params, "file")))
    return True
