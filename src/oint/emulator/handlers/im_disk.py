"""Chat files: ``im.disk.folder.get`` and ``im.disk.file.commit``.

A chat's files folder is a folder of the disk (``model/disk.py``), made on first use; files
uploaded there (``disk.folder.uploadfile``) or taken from the caller's disk are posted to
the chat as a message whose ``FILE_ID`` lists them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ..errors import ApiError
from ..model.chat import add_message, dialog_access, dialog_chat_id, is_member
from ..model.disk import (
    Refused,
    file_head,
    file_md5,
    file_row,
    folder_row,
    unique_code,
)
from ..model.disk_tree import chat_folder_id, copy_to
from ..model.users import full_name, user_row
from ..phpjson import PhpObject
from ._args import positive_ids, require_chat_id, require_dialog_id, text
from ._image import image_size
from ._registry import Context, handler
from .im_chat import no_dialog_access, readable_chat

_FILE_TYPE_IMAGE, _FILE_TYPE_DOCUMENT = 2, 4
# The messenger's download address; the emulator serves the file's bytes there too.
DOWNLOAD_PATH = "/bitrix/services/main/ajax.php?action=disk.api.file.download&SITE_ID=s1&humanRE=1"


def _picture(ctx: Context, row: sqlite3.Row) -> dict[str, int] | bool:
    size = image_size(file_head(ctx, row))
    return {"width": size[0], "height": size[1]} if size else False


def file_json(ctx: Context, row: sqlite3.Row, chat_id: int) -> dict[str, Any]:
    """A file as the messenger shows it in a chat (its addresses absolute, as the current
    server gives them)."""
    name = str(row["name"])
    url = f"{ctx.origin}{DOWNLOAD_PATH}&fileId={row['id']}&exact=N&fileName={quote(name)}"
    author = user_row(ctx, int(row["created_by"]))
    picture = _picture(ctx, row)
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
            "unifiedLink": f"{ctx.origin}/disk/file/{unique_code(row['id'])}",
            "actions": json.dumps([{"type": "download"}]),
        },
        "mediaUrl": {"preview": {"250": ""}},
        "isTranscribable": False,
        "isVideoNote": False,
        "isVoiceNote": False,
    }


def _file_model(ctx: Context, row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "createTime": PhpObject(),
        "updateTime": PhpObject(),
        "deleteTime": None,
        "code": None,
        "xmlId": None,
        "storageId": row["storage_id"],
        "realObjectId": row["id"],
        "parentId": row["parent_id"],
        "deletedType": 0,
        "createdBy": str(row["created_by"]),
        "updatedBy": str(row["created_by"]),
        "deletedBy": "0",
        "uniqueCode": unique_code(row["id"]),
        "typeFile": _FILE_TYPE_IMAGE if _picture(ctx, row) else _FILE_TYPE_DOCUMENT,
        "globalContentVersion": row["version"],
        "fileId": row["file_id"],
        "size": row["size"],
        "etag": file_md5(ctx, row),
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
    row = file_row(ctx, file_id)
    if row is None:
        return None
    if prefix == "upload":
        return row if row["parent_id"] == folder_id else None
    folder = folder_row(ctx, folder_id)
    if row["created_by"] != ctx.user_id or folder is None:
        return None
    try:
        return file_row(ctx, copy_to(ctx, row, folder))
    except Refused:
        return None


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
        "FILE_MODELS": {key: _file_model(ctx, row) for key, row in zip(keys, posted, strict=True)},
        "MESSAGE_ID": message_id,
    }
