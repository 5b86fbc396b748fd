"""The disk's storages: ``disk.storage.*`` (``model/disk.py`` keeps them).

``getList`` shows the storages of users, groups and the common one that the caller may
see (an administrator sees them all); an application's storage is reached through
``getForApp`` with the application's own token, and only it may be renamed.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..model.disk import (
    STORAGES,
    Refused,
    app_storage,
    ensure_user_storages,
    is_admin,
    may_access,
    object_row,
    rename_storage,
    storage_row,
)
from ..model.disk_tree import add_folder
from ..model.entity import Query
from ..model.filters import Clause
from ..php import intval
from ._args import text
from ._disk import (
    access_denied,
    children_reply,
    given,
    not_found,
    object_json,
    plain_error,
    reachable,
    refusal,
    required,
    required_name,
    storage_json,
)
from ._lists import list_reply
from ._registry import Context, Reply, handler
from .disk import upload_into

_LISTED = ("user", "common", "group")  # what getList shows (not applications' or chats')
_APP_PREFIX = "app:"


def _storage(ctx: Context, value: Any) -> sqlite3.Row:
    found = storage_row(ctx, intval(value))
    if found is None:
        raise not_found(intval(value))
    return found


def _root(ctx: Context, storage: sqlite3.Row) -> sqlite3.Row:
    root = object_row(ctx, int(storage["root_id"]))
    assert root is not None, "every storage has its root folder"
    return root


def _check_rights(params: dict[str, Any]) -> None:
    """``rights``: each a map with ACCESS_CODE and TASK_ID, or the server refuses them."""
    rights = given(params, "rights")
    items = rights if isinstance(rights, list) else [] if not rights else [rights]
    if any(not isinstance(right, dict) or "ACCESS_CODE" not in right or "TASK_ID" not in right
           for right in items):
        raise plain_error("Invalid rights format")


def _is_number(value: Any) -> bool:
    """PHP's is_numeric, for an id."""
    try:
        float(str(value).strip())
    except ValueError:
        return False
    return not isinstance(value, (dict, list, bool))


@handler("disk.storage.getlist")
def storage_get_list(ctx: Context, params: dict[str, Any]) -> Reply:
    ensure_user_storages(ctx)
    kinds = ", ".join("?" for _ in _LISTED)
    scope = Clause(f"module_id = 'disk' AND entity_type IN ({kinds})", list(_LISTED))
    if not is_admin(ctx):
        scope = Clause(f"{scope.sql} AND (entity_type != 'user' OR entity_id = ?)",
                       [*scope.args, str(ctx.user_id)])
    filter_, order = given(params, "filter"), given(params, "order")
    query = Query(filter_ if isinstance(filter_, dict) else None,
                  order if isinstance(order, dict) else None, None,
                  intval(params.get("START", 0)))
    return list_reply(STORAGES.page(ctx.store, query, scope))


@handler("disk.storage.gettypes")
def storage_get_types(ctx: Context, params: dict[str, Any]) -> list[str]:
    return list(_LISTED)


@handler("disk.storage.getforapp")
def storage_get_for_app(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    if not ctx.caller.startswith(_APP_PREFIX):
        raise access_denied("Application context required")
    app = ctx.caller[len(_APP_PREFIX):]
    # A registered application is known by its number; the emulator's own tokens (made with
    # --token) belong to an application of their own, one per user.
    number = ctx.store.scalar("SELECT rowid FROM oauth_apps WHERE client_id = ?", (app,))
    name = app if number is not None else "Application"
    return storage_json(ctx, app_storage(ctx, str(number if number is not None else app),
                                         name))


@handler("disk.storage.get")
def storage_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any] | None:
    value = required(params, 0, "id")
    if not _is_number(value):
        return None  # the server's: no storage, and no error either
    storage = _storage(ctx, value)
    reachable(ctx, _root(ctx, storage))
    return storage_json(ctx, storage)


@handler("disk.storage.rename")
def storage_rename(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    value = required(params, 0, "id")
    name = text(required(params, 1, "newName"))
    storage = _storage(ctx, value)
    reachable(ctx, _root(ctx, storage))
    if storage["entity_type"] != "restapp":
        raise plain_error("Access denied (invalid type of storage)")
    rename_storage(ctx, storage, name)
    renamed = storage_row(ctx, int(storage["id"]))
    assert renamed is not None
    return storage_json(ctx, renamed)


@handler("disk.storage.getchildren")
def storage_children(ctx: Context, params: dict[str, Any]) -> Reply:
    storage = _storage(ctx, required(params, 0, "id"))
    return children_reply(ctx, _root(ctx, storage), params)


@handler("disk.storage.addfolder")
def storage_add_folder(ctx: Context, params: dict[str, Any]) -> Any:
    value = required(params, 0, "id")
    data = required(params, 1, "data", array=True)
    if not _is_number(value):
        return None
    name = required_name(data)
    root = reachable(ctx, _root(ctx, _storage(ctx, value)))
    _check_rights(params)
    try:
        made = add_folder(ctx, root, name)
    except Refused as refused:
        raise refusal(refused, "folder") from None
    row = object_row(ctx, made)
    assert row is not None
    return object_json(ctx, row, fresh=True)


@handler("disk.storage.uploadfile")
def storage_upload_file(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    value = required(params, 0, "id")
    content = required(params, 1, "fileContent")
    name = required_name(required(params, 2, "data", array=True))
    storage = _storage(ctx, value)
    if not may_access(ctx, storage, _root(ctx, storage)):
        raise access_denied()
    _check_rights(params)
    return upload_into(ctx, _root(ctx, storage), params, content, name)
