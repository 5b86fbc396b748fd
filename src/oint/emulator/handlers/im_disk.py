"""Chat files: ``im.disk.folder.get``, ``im.disk.file.commit``, and just enough disk.

The disk here is one shared storage of folders and files (``disk_objects``): each chat's
files folder, made on first use, and the files uploaded with the one-call form of
``disk.folder.uploadfile`` (``fileContent`` given as ``[name, base64]``). The two-step form
with an upload URL is not emulated. ``im.disk.file.commit`` posts such files to a chat as
a message whose ``FILE_ID`` lists them.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ..errors import ApiError
from ..phpjson import PhpObject
from ..timing import iso
from ._args import intval, positive_ids, require_chat_id, require_dialog_id, text
from ._image import decode_base64, image_size
from ._registry import Context, handler
from .im_chat import (
    add_message,
    chat_row,
    dialog_access,
    dialog_chat_id,
    is_member,
    no_dialog_access,
    readable_chat,
)
from .im_user import full_name, user_row

SCHEMA = """
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
"""

STORAGE_ID = 1  # the messenger's storage, which holds the chats' folders
_DOWNLOAD = "/bitrix/services/main/ajax.php?action=disk.api.file.download&SITE_ID=s1&humanRE=1"
_FILE_TYPE_IMAGE, _FILE_TYPE_DOCUMENT = 2, 4


def chat_folder_id(ctx: Context, chat_id: int) -> int:
    """The chat's files folder, made on first use."""
    found = ctx.store.scalar("SELECT id FROM disk_objects WHERE chat_id = ?", (chat_id,))
    if found is not None:
        return int(found)
    return ctx.store.insert(
        "INSERT INTO disk_objects (type, name, chat_id, created_by, created_at)"
        " VALUES ('folder', ?, ?, ?, ?)",
        (f"chat{chat_id}", chat_id, ctx.user_id, iso(ctx.now)),
    )


def existing_folder_id(ctx: Context, chat_id: int) -> int:
    """The chat's files folder, or 0 if nobody asked for it yet."""
    found = ctx.store.scalar("SELECT id FROM disk_objects WHERE chat_id = ?", (chat_id,))
    return 0 if found is None else int(found)


def _file(ctx: Context, file_id: int) -> sqlite3.Row | None:
    return ctx.store.row(
        "SELECT * FROM disk_objects WHERE id = ? AND type = 'file'", (file_id,)
    )


def _picture(row: sqlite3.Row) -> dict[str, int] | bool:
    size = image_size(bytes(row["content"] or b""))
    return {"width": size[0], "height": size[1]} if size else False


def file_json(ctx: Context, row: sqlite3.Row, chat_id: int) -> dict[str, Any]:
    """A file as the messenger shows it in a chat."""
    name = str(row["name"])
    url = f"{_DOWNLOAD}&fileId={row['id']}&fileName={quote(name)}"
    author = user_row(ctx, int(row["created_by"]))
    picture = _picture(row)
    return {
        "id": row["id"],
        "chatId": chat_id,
        "date": PhpObject(),
        "type": "image" if picture else "file",
        "name": name,
        "extension": name.rsplit(".", 1)[1].lower() if "." in name else "",
        "size": row["size"],
        "image": picture,
        "status": "done",
        "progress": 100,
        "authorId": row["created_by"],
        "authorName": full_name(author) if author is not None else "",
        "urlPreview": "",
        "urlShow": url,
        "urlDownload": url,
        "viewerAttrs": {
            "viewer": "",
            "viewerType": "cloud-document",
            "src": url,
            "viewerTypeClass": "BX.Disk.Viewer.UnifiedLinkItem",
            "viewerSeparateItem": True,
            "viewerExtension": "disk.viewer.unified-link-item",
            "objectId": str(row["id"]),
            "imChatId": chat_id,
            "title": name,
            "unifiedLink": f"/disk/file/{_unique_code(row)}",
            "actions": json.dumps([{"type": "download"}]),
        },
        "mediaUrl": {"preview": {"250": ""}},
        "isTranscribable": False,
        "isVideoNote": False,
        "isVoiceNote": False,
    }


def _unique_code(row: sqlite3.Row) -> str:
    return hashlib.sha1(f"disk{row['id']}".encode(), usedforsecurity=False).hexdigest()[:20]


def _file_model(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "createTime": PhpObject(),
        "updateTime": PhpObject(),
        "deleteTime": None,
        "code": None,
        "xmlId": None,
        "storageId": STORAGE_ID,
        "realObjectId": row["id"],
        "parentId": row["parent_id"],
        "deletedType": 0,
        "createdBy": str(row["created_by"]),
        "updatedBy": str(row["created_by"]),
        "deletedBy": "0",
        "uniqueCode": _unique_code(row),
        "typeFile": _FILE_TYPE_IMAGE if _picture(row) else _FILE_TYPE_DOCUMENT,
        "globalContentVersion": 1,
        "fileId": row["id"],
        "size": row["size"],
        "etag": hashlib.md5(bytes(row["content"] or b""), usedforsecurity=False).hexdigest(),
        "links": {
            "download": f"/bitrix/services/main/ajax.php?action=disk.file.download&SITE_ID=s1"
                        f"&fileId={row['id']}",
            "showInGrid": f"/bitrix/tools/disk/focus.php?objectId={row['id']}"
                          "&action=showObjectInGrid&ncc=1",
        },
    }


@handler("im.disk.folder.get")
def disk_folder_get(ctx: Context, params: dict[str, Any]) -> dict[str, int]:
    if params.get("DIALOG_ID") is not None:
        target = readable_chat(ctx, params["DIALOG_ID"])
    else:
        target = require_chat_id(params.get("CHAT_ID"))
        if not dialog_access(ctx, f"chat{target}"):
            raise no_dialog_access()
    return {"ID": chat_folder_id(ctx, target)}


def _files_to_commit(params: Mapping[str, Any]) -> tuple[str, list[int]]:
    """The key prefix and ids of FILE_ID, DISK_ID or UPLOAD_ID (the first one given)."""
    for key, prefix in (("FILE_ID", "disk"), ("DISK_ID", "disk"), ("UPLOAD_ID", "upload")):
        value = params.get(key)
        if value is not None:
            return prefix, positive_ids(value if isinstance(value, list) else [value])
    return "upload", []


def _committable(ctx: Context, prefix: str, file_id: int, folder_id: int) -> sqlite3.Row | None:
    """The file to post: an upload must sit in the chat's folder; a disk file the caller
    made is copied there."""
    row = _file(ctx, file_id)
    if row is None:
        return None
    if prefix == "upload":
        return row if row["parent_id"] == folder_id else None
    if row["created_by"] != ctx.user_id:
        return None
    copy_id = ctx.store.insert(
        "INSERT INTO disk_objects (type, name, parent_id, size, created_by, created_at, content)"
        " VALUES ('file', ?, ?, ?, ?, ?, ?)",
        (row["name"], folder_id, row["size"], ctx.user_id, iso(ctx.now), row["content"]),
    )
    return _file(ctx, copy_id)


@handler("im.disk.file.commit")
def disk_file_commit(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    dialog = params.get("DIALOG_ID")
    if dialog is not None:
        params = {**params, "CHAT_ID": dialog_chat_id(ctx, require_dialog_id(dialog))}
    target = require_chat_id(params.get("CHAT_ID"))
    message = text(params.get("MESSAGE"))
    if not is_member(ctx, target, ctx.user_id):
        raise ApiError("ACCESS_ERROR", "You don't have access to this chat")
    prefix, ids = _files_to_commit(params)
    if not ids:
        # The server's text, typo included.
        raise ApiError("FILES_ERROR", "List of files in not specified")
    folder_id = chat_folder_id(ctx, target)
    rows = [_committable(ctx, prefix, file_id, folder_id) for file_id in ids]
    if any(row is None for row in rows):
        raise ApiError("SAVE_ERROR", "Error during saving file to chat")
    posted = [row for row in rows if row is not None]
    keys = [f"{prefix}{file_id}" for file_id in ids]
    message_id = add_message(
        ctx, target, ctx.user_id, message, {"FILE_ID": [row["id"] for row in posted]}
    )
    return {
        "FILES": {key: file_json(ctx, row, target) for key, row in zip(keys, posted, strict=True)},
        "DISK_ID": [str(row["id"]) for row in posted],
        "FILE_MODELS": {key: _file_model(row) for key, row in zip(keys, posted, strict=True)},
        "MESSAGE_ID": message_id,
    }


def _disk_object_json(row: sqlite3.Row) -> dict[str, Any]:
    # disk.* methods answer numbers as strings.
    return {
        "ID": str(row["id"]), "NAME": row["name"], "CODE": None, "STORAGE_ID": str(STORAGE_ID),
        "TYPE": row["type"], "PARENT_ID": str(row["parent_id"]), "DELETED_TYPE": "0",
        "GLOBAL_CONTENT_VERSION": "1", "FILE_ID": str(row["id"]), "SIZE": str(row["size"]),
        "CREATE_TIME": row["created_at"], "UPDATE_TIME": row["created_at"],
        "DELETE_TIME": None, "CREATED_BY": str(row["created_by"]),
        "UPDATED_BY": str(row["created_by"]), "DELETED_BY": "0",
        "DOWNLOAD_URL": f"{_DOWNLOAD}&fileId={row['id']}", "DETAIL_URL": "",
    }


@handler("disk.folder.uploadfile")
def disk_folder_upload_file(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    folder_id = intval(params.get("ID"))
    folder = ctx.store.row(
        "SELECT * FROM disk_objects WHERE id = ? AND type = 'folder'", (folder_id,)
    )
    if folder is None:
        raise ApiError("ERROR_NOT_FOUND", f"Could not find entity with id '{folder_id}'", 404)
    chat = chat_row(ctx, int(folder["chat_id"]))
    if chat is not None and not is_member(ctx, chat["id"], ctx.user_id):
        raise ApiError("ACCESS_DENIED", "Access denied!", 403)
    content = params.get("FILECONTENT")
    if not isinstance(content, list) or len(content) != 2:
        raise ApiError(
            "ERROR_ARGUMENT", "This emulator takes fileContent as [name, base64] only", 400
        )
    data = decode_base64(str(content[1]))
    if data is None:
        raise ApiError("ERROR_ARGUMENT", "fileContent is not base64", 400)
    described = params.get("DATA")
    name = text(described.get("NAME")) if isinstance(described, Mapping) else ""
    file_id = ctx.store.insert(
        "INSERT INTO disk_objects (type, name, parent_id, size, created_by, created_at, content)"
        " VALUES ('file', ?, ?, ?, ?, ?, ?)",
        (name or text(content[0]), folder_id, len(data), ctx.user_id, iso(ctx.now), data),
    )
    row = _file(ctx, file_id)
    assert row is not None
    return _disk_object_json(row)
