"""What the disk's methods share: reading their arguments the server's way, its errors, and
the shapes of storages, folders and files in replies.

The server's disk methods are PHP methods bound to the request by parameter name: a missing
required one is ``ERROR_ARGUMENT`` naming it as PHP's reflection does; the module's own
errors come out as ``"<text> (<code>)."`` with the code as ``error``; a plain
``RestException`` has no code at all.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from typing import Any

from ..errors import ApiError
from ..links import DOWNLOAD, special_url
from ..model.disk import (
    BAD_NAME,
    CYCLE,
    EMPTY_NAME,
    LONG_NAME,
    NON_UNIQUE,
    OBJECTS,
    STORAGES,
    Refused,
    folder_row,
    may_access,
    object_path,
    object_row,
    shown_name,
    storage_of,
)
from ..model.entity import Query
from ._args import text
from ._lists import list_reply
from ._registry import Context, Reply

__all__ = [
    "access_denied",
    "children_reply",
    "decode_file_content",
    "given",
    "lookup",
    "module_error",
    "not_found",
    "object_json",
    "plain_error",
    "reachable",
    "refusal",
    "required",
    "required_name",
    "storage_json",
    "target_folder",
]

REQUIRED_PARAMETER = "DISK_BASE_SERVICE_22001"
NON_UNIQUE_NAME = "DISK_OBJ_22000"
FIELD_ERROR = "BX_INVALID_VALUE"  # the ORM's code for a field that fails its validation
_BASE64_NOISE = re.compile(r"[^A-Za-z0-9+/]")


def given(params: Mapping[str, Any], name: str) -> Any:
    """A parameter as the caller sent it (any case), or None."""
    return params.get(name.upper())


def required(params: Mapping[str, Any], position: int, name: str, *, array: bool = False
             ) -> Any:
    """A required parameter of the PHP method; missing (or not an array where one must
    be), it is the binder's ERROR_ARGUMENT."""
    value = given(params, name)
    if value is None or (array and not isinstance(value, (Mapping, list))):
        kind = "array " if array else ""
        raise ApiError("ERROR_ARGUMENT", f"Invalid value of parameter {{ Parameter #{position} "
                       f"[ <required> {kind}${name} ] }}.", 400)
    return value


def module_error(message: str, code: str | int) -> ApiError:
    """An error of the disk module, worded as its REST layer words them."""
    return ApiError(str(code), f"{message} ({code}).", 400)


def plain_error(message: str) -> ApiError:
    """A ``RestException`` without a code."""
    return ApiError("", message, 400)


def not_found(value: Any) -> ApiError:
    return ApiError("ERROR_NOT_FOUND", f"Could not find entity with id '{value}'.", 400)


def access_denied(detail: str = "") -> ApiError:
    return ApiError("ACCESS_DENIED", "Access denied!" + (f" {detail}" if detail else ""), 403)


def required_name(data: Any) -> str:
    """``data[NAME]``, which the methods that make something require."""
    name = data.get("NAME") if isinstance(data, Mapping) else None
    if not name:  # PHP's empty(), where "0" is a name
        raise module_error("Error: required parameter NAME", REQUIRED_PARAMETER)
    return text(name)


def refusal(refused: Refused, kind: str) -> ApiError:
    """A rule of the disk model said no (``kind``: file or folder, for the wording)."""
    if refused.reason == NON_UNIQUE:
        # The server's Russian text, as the REST documentation gives it.
        thing = "Файл" if kind == "file" else "Папка"
        return module_error(f"{thing} с таким именем уже есть",  # noqa: RUF001
                            NON_UNIQUE_NAME)
    if refused.reason == EMPTY_NAME:
        return module_error("Empty name.", 0)
    if refused.reason == LONG_NAME:
        return module_error('The "Name" field must be no longer than 255 characters',
                            FIELD_ERROR)
    if refused.reason == BAD_NAME:
        return module_error('The "Name" field contains invalid characters', FIELD_ERROR)
    assert refused.reason == CYCLE
    return plain_error("Could not move the folder into itself.")


def reachable(ctx: Context, row: sqlite3.Row) -> sqlite3.Row:
    """The object, if the caller may work with it."""
    if not may_access(ctx, storage_of(ctx, row), row):
        raise access_denied()
    return row


def target_folder(ctx: Context, params: Mapping[str, Any]) -> sqlite3.Row:
    """``targetFolderId`` of copyTo and moveTo (the second parameter)."""
    target_id = required(params, 1, "targetFolderId")
    found = folder_row(ctx, _id(target_id))
    if found is None:
        raise not_found(target_id)
    return found


def lookup(ctx: Context, value: Any, kind: str) -> sqlite3.Row:
    found = object_row(ctx, _id(value))
    if found is None or found["type"] != kind:
        raise not_found(value)
    return found


def _id(value: Any) -> int:
    from ..php import intval

    return intval(value)


def decode_file_content(value: Any) -> tuple[str, bytes] | None:
    """``fileContent`` as ``CRestUtil::saveFile`` reads it: ``[name, base64]`` or base64;
    None when it holds no bytes (PHP's lenient base64 decoding, as the server's)."""
    import base64

    name = ""
    if isinstance(value, Mapping):
        value = list(value.values())
    if isinstance(value, list):
        name, value = (text(value[0]), value[1]) if len(value) >= 2 else ("", None)
    payload = "" if value is None else text(value)
    if payload in ("", "false"):
        return None
    cleaned = _BASE64_NOISE.sub("", payload.split("=", 1)[0])
    if len(cleaned) % 4 == 1:  # a lone last character carries no whole byte
        cleaned = cleaned[:-1]
    data = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
    return (name, data) if data else None


# -- shapes ----------------------------------------------------------------------------------

_DETAIL_BASE = {"common": "/docs", "user": "/company/personal/user/{}/disk",
                "group": "/workgroups/group/{}/disk"}


def _detail_url(ctx: Context, storage: sqlite3.Row, row: sqlite3.Row) -> str:
    base = _DETAIL_BASE.get(str(storage["entity_type"]))
    if base is None:
        return ""
    kind = "file" if row["type"] == "file" else "path"
    path = "/".join(object_path(ctx, row))
    return f"{ctx.origin}{base.format(storage['entity_id'])}/{kind}/{path}"


def object_json(ctx: Context, row: sqlite3.Row, *, fresh: bool = False, moved: bool = False
                ) -> dict[str, Any]:
    """A folder or a file as the disk methods answer it. ``fresh``: just made (the server
    answers from the new model, with numbers where it set them); ``moved``: just moved
    (its new parent as a number)."""
    storage = storage_of(ctx, row)
    is_file = row["type"] == "file"

    def number(value: Any) -> Any:
        return int(value) if fresh else str(value)

    parent = row["parent_id"]
    shaped: dict[str, Any] = {
        "ID": number(row["id"]), "NAME": shown_name(row), "CODE": row["code"],
        "STORAGE_ID": str(storage["id"]), "TYPE": row["type"],
    }
    if not is_file:
        shaped["REAL_OBJECT_ID"] = number(row["id"])
    shaped["PARENT_ID"] = (int(parent) if moved else str(parent)) if parent else None
    shaped["DELETED_TYPE"] = 0 if fresh else str(row["deleted_type"])
    if is_file:
        shaped |= {"GLOBAL_CONTENT_VERSION": number(row["version"]),
                   "FILE_ID": number(row["file_id"]), "SIZE": str(row["size"])}
    shaped |= {
        "CREATE_TIME": row["created_at"], "UPDATE_TIME": row["updated_at"],
        "DELETE_TIME": row["deleted_at"], "CREATED_BY": str(row["created_by"]),
        "UPDATED_BY": str(row["updated_by"]),
        "DELETED_BY": None if fresh else str(row["deleted_by"]),
    }
    if is_file:
        shaped["DOWNLOAD_URL"] = special_url(ctx, DOWNLOAD, {"id": row["id"]})
    shaped["DETAIL_URL"] = _detail_url(ctx, storage, row)
    return shaped


def storage_json(ctx: Context, storage: sqlite3.Row) -> dict[str, Any]:
    found = STORAGES.get(ctx.store, int(storage["id"]))
    assert found is not None
    return found


def children_reply(ctx: Context, folder: sqlite3.Row, params: Mapping[str, Any]) -> Reply:
    """A folder's children (trash aside) that the filter keeps, a page of them."""
    from ..model.filters import Clause
    from ..php import intval

    filter_ = given(params, "filter")
    order = given(params, "order")
    query = Query(filter_ if isinstance(filter_, Mapping) else None,
                  order if isinstance(order, Mapping) else None, ["ID"],
                  intval(params.get("START", 0)))
    if not may_access(ctx, storage_of(ctx, folder), folder):
        return Reply([], total=0)  # the server's rights filter leaves nothing to see
    scope = Clause("parent_id = ? AND deleted_type = 0", [folder["id"]])
    page = OBJECTS.page(ctx.store, query, scope)
    rows = [object_row(ctx, int(record["ID"])) for record in page.records]
    page.records = [object_json(ctx, row) for row in rows if row is not None]
    return list_reply(page)
