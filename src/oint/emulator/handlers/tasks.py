"""Tasks: ``tasks.task.add/update/get/list/delete/getFields/getaccess/files.attach`` and
``tasks.task.history.list`` (the model is ``model/tasks.py``; status actions and each
user's marks are ``handlers/task_actions.py``).

Replies are camelCase (``{"task": {...}}``, ``{"tasks": [...]}`` with ``total`` and
``next``); a list's ``start=-1`` reads the first page, as the controller's page
navigation does, so every list reply counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..model.disk import file_row
from ..model.task_fields import FIELDS_INFO
from ..model.task_history import entries
from ..model.task_records import full, listed
from ..model.task_userfields import uf_definitions
from ..model.tasks import (
    actions,
    add_task,
    attach_file,
    delete_task,
    is_admin,
    list_tasks,
    task,
    task_date,
    update_task,
    user_exists,
)
from ._args import intval
from ._lists import list_query
from ._registry import Context, Reply, handler
from ._tasks import (
    INTERNAL,
    NumericError,
    core_error,
    is_lax_integer,
    missing,
    readable_task,
    task_id_param,
    wrong_type,
)

# tasks.task.list's sortable fields (CTasks::getAvailableOrderFields).
ORDERABLE = frozenset({
    "ID", "TITLE", "TIME_SPENT_IN_LOGS", "DATE_START", "CREATED_DATE", "CHANGED_DATE",
    "CLOSED_DATE", "START_DATE_PLAN", "END_DATE_PLAN", "DEADLINE", "REAL_STATUS",
    "STATUS_COMPLETE", "PRIORITY", "MARK", "CREATED_BY_LAST_NAME", "RESPONSIBLE_LAST_NAME",
    "GROUP_ID", "TIME_ESTIMATE", "ALLOW_CHANGE_DEADLINE", "ALLOW_TIME_TRACKING",
    "MATCH_WORK_TIME", "FAVORITE", "SORTING", "MESSAGE_ID",
})
_DEADLINES = ("DEADLINE", "START_DATE_PLAN", "END_DATE_PLAN", "DURATION")
_VALID_STATUS = (1, 2, 3, 4, 5, 6, 7)


def _fields(params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``fields`` in upper case, split into the task's own and its UF_ fields."""
    given = params.get("FIELDS")
    if not isinstance(given, Mapping) or not given:
        raise missing("fields", INTERNAL)
    upper = {str(k).upper(): v for k, v in given.items()}
    return ({k: v for k, v in upper.items() if not k.startswith("UF_")},
            {k: v for k, v in upper.items() if k.startswith("UF_")})


def _known_uf(ctx: Context, uf: Mapping[str, Any]) -> dict[str, Any]:
    names = {row["field_name"] for row in uf_definitions(ctx)}
    return {k: v for k, v in uf.items() if k in names}


def check_fields(ctx: Context, fields: Mapping[str, Any], task_id: int | None) -> None:
    """CTasks::CheckFields: every problem at once, as ``ERROR_CORE``."""
    problems = []
    if (task_id is None or "TITLE" in fields) and not str(fields.get("TITLE") or "").strip():
        problems.append("Task title is not specified")
    if "STATUS" in fields and intval(fields["STATUS"]) not in _VALID_STATUS:
        problems.append("Invalid status")
    start, end = task_date(fields.get("START_DATE_PLAN")), task_date(fields.get("END_DATE_PLAN"))
    if start and end and end < start:
        problems.append("The end date specified in the scheduling is earlier than the start "
                        "date")
    if task_id is None and "RESPONSIBLE_ID" not in fields:
        problems.append("Responsible person not specified")
    if "RESPONSIBLE_ID" in fields and not user_exists(ctx, intval(fields["RESPONSIBLE_ID"])):
        problems.append('The user specified in the "Responsible" field was not found')
    parent = intval(fields.get("PARENT_ID"))
    if parent > 0:
        if parent == task_id:
            problems.append("Cannot bind the node to itself")
        elif task(ctx, parent) is None:
            problems.append('The task specified in the "Parent Task" field was not found')
        elif task_id is not None and _descends_from(ctx, parent, task_id):
            problems.append("Creating cyclic links in tasks is prohibited")
    if problems:
        raise core_error(*problems)


def _descends_from(ctx: Context, task_id: int, ancestor: int) -> bool:
    seen: set[int] = set()
    current: int | None = task_id
    while current and current not in seen:
        if current == ancestor:
            return True
        seen.add(current)
        current = ctx.store.scalar("SELECT PARENT_ID FROM tasks WHERE ID = ?", (current,))
    return False


@handler("tasks.task.add")
def task_add(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    fields, uf = _fields(params)
    if not is_admin(ctx, ctx.user_id) and ctx.user_id not in (
            intval(fields.get("RESPONSIBLE_ID")), intval(fields.get("CREATED_BY", ctx.user_id))):
        raise core_error("Insufficient permission to create a task.")
    check_fields(ctx, fields, None)
    task_id = add_task(ctx, fields, _known_uf(ctx, uf))
    return {"task": full(ctx, task_id)}


@handler("tasks.task.update")
def task_update(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    task_id = task_id_param(params, internal=True)
    refused = NumericError(0, f"Action on the task is not allowed{INTERNAL}")
    found = readable_task(ctx, task_id, refused)
    fields, uf = _fields(params)
    fields.pop("ID", None)
    can = actions(ctx, found, ctx.user_id)
    names = set(fields) | set(uf)
    general = names - {*_DEADLINES, "CREATED_BY"}
    if ("CREATED_BY" in names and not can["EDIT.ORIGINATOR"]) \
            or (names & set(_DEADLINES) and not can["CHANGE_DEADLINE"]) \
            or (general and names != {"STATUS"} and not can["EDIT"]):
        raise refused
    check_fields(ctx, fields, task_id)
    update_task(ctx, task_id, fields, _known_uf(ctx, uf))
    return {"task": full(ctx, task_id)}


@handler("tasks.task.get")
def task_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    task_id = task_id_param(params, internal=True)
    select = params.get("SELECT")
    if select is not None and not isinstance(select, list):
        raise wrong_type("select", select, "array", INTERNAL)
    readable_task(ctx, task_id, NumericError(0, f"Access denied.{INTERNAL}"))
    record = full(ctx, task_id)
    if select and "*" not in select:
        # The selected fields (FAVORITE always), then what the caller may do.
        wanted = sorted({str(s).upper() for s in select} | {"ID", "FAVORITE"})
        chosen = listed(ctx, [task_id], wanted)[0]
        record = {**{key: record.get(key, value) for key, value in chosen.items()},
                  "action": record["action"]}
    return {"task": record}


@handler("tasks.task.list")
def task_list(ctx: Context, params: dict[str, Any]) -> Reply:
    query = list_query(params)
    order = query.order if isinstance(query.order, Mapping) else {}
    if any(str(key).upper() not in ORDERABLE for key in order):
        raise NumericError(0, f"Invalid sorting key{INTERNAL}")
    filter_ = dict(query.filter) if isinstance(query.filter, Mapping) else {}
    query = replace(query, filter=filter_, order=order or {"ID": "DESC"},
                    start=max(query.start, 0))
    page = list_tasks(ctx, query)
    ids = [int(record["ID"]) for record in page.records]
    select = query.select if isinstance(query.select, list) else None
    return Reply({"tasks": listed(ctx, ids, select)}, total=page.total, next=page.next)


@handler("tasks.task.delete")
def task_delete(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    task_id = task_id_param(params)
    refused = NumericError(1048582, "No access to delete the task")
    found = readable_task(ctx, task_id, refused)
    if not actions(ctx, found, ctx.user_id)["REMOVE"]:
        raise refused
    delete_task(ctx, task_id)
    return {"task": True}


@handler("tasks.task.getfields")
def task_fields(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    fields = dict(FIELDS_INFO)
    for row in uf_definitions(ctx):
        fields[row["field_name"]] = {"title": row["title"], "type": row["user_type_id"]}
    return {"fields": fields}


@handler("tasks.task.getaccess")
def task_access(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    task_id = task_id_param(params)
    users = params.get("USERS")
    if users is not None and not isinstance(users, list):
        raise wrong_type("users", users, "array")
    readable_task(ctx, task_id, NumericError(1, "Task not found or not accessible"))
    wanted = [intval(u) for u in users or [ctx.user_id]]
    allowed = {}
    for user_id in wanted:
        seen = task(ctx, task_id, viewer=user_id)
        assert seen is not None
        allowed[str(user_id)] = actions(ctx, seen, user_id)
    return {"allowedActions": allowed}


@handler("tasks.task.files.attach")
def task_attach(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    task_id = task_id_param(params, internal=True)
    if params.get("FILEID") is None:
        raise missing("fileId", INTERNAL)
    file_id = params["FILEID"]
    if not is_lax_integer(file_id):
        raise wrong_type("fileId", file_id, "int", INTERNAL)
    denied = NumericError(0, f"Access denied{INTERNAL}")
    found = readable_task(ctx, task_id, denied)
    if not actions(ctx, found, ctx.user_id)["EDIT"]:
        raise denied
    if file_row(ctx, int(file_id)) is None:
        raise core_error("Insufficient permissions.")
    return {"attachmentId": attach_file(ctx, task_id, int(file_id))}


@handler("tasks.task.history.list")
def task_history(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    task_id = task_id_param(params, internal=True)
    readable_task(ctx, task_id, NumericError(0, f"Access denied.{INTERNAL}"))
    filter_ = params.get("FILTER")
    order = params.get("ORDER")
    descending = isinstance(order, Mapping) and any(
        str(v).upper() == "DESC" for v in order.values())
    return {"list": entries(ctx, task_id, filter_ if isinstance(filter_, Mapping) else None,
                            descending)}

