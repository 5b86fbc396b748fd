"""The disk's methods: ``disk.folder.uploadfile`` (the disk is ``model/disk.py``).

Files go up with the one-call form (``fileContent`` given as ``[name, base64]``); the
two-step form with an upload URL is not emulated yet.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from ..errors import ApiError
from ..model.disk import DOWNLOAD_PATH, STORAGE_ID, add_file, file_row, folder_row, may_upload
from ._args import intval, text
from ._image import decode_base64
from ._registry import Context, handler


def disk_object_json(row: sqlite3.Row) -> dict[str, Any]:
    """A folder or file as ``disk.*`` methods answer it (numbers as strings)."""
    return {
        "ID": str(row["id"]), "NAME": row["name"], "CODE": None, "STORAGE_ID": str(STORAGE_ID),
        "TYPE": row["type"], "PARENT_ID": str(row["parent_id"]), "DELETED_TYPE": "0",
        "GLOBAL_CONTENT_VERSION": "1", "FILE_ID": str(row["id"]), "SIZE": str(row["size"]),
        "CREATE_TIME": row["created_at"], "UPDATE_TIME": row["created_at"],
        "DELETE_TIME": None, "CREATED_BY": str(row["created_by"]),
        "UPDATED_BY": str(row["created_by"]), "DELETED_BY": "0",
        "DOWNLOAD_URL": f"{DOWNLOAD_PATH}&fileId={row['id']}", "DETAIL_URL": "",
    }


@handler("disk.folder.uploadfile")
def disk_folder_upload_file(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    folder_id = intval(params.get("ID"))
    folder = folder_row(ctx, folder_id)
    if folder is None:
        raise ApiError("ERROR_NOT_FOUND", f"Could not find entity with id '{folder_id}'", 404)
    if not may_upload(ctx, folder):
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
    row = file_row(ctx, add_file(ctx, folder_id, name or text(content[0]), data))
    assert row is not None
    return disk_object_json(row)
