"""The rest of the tasks module: results made of comments (``tasks.task.result.*``), links
between tasks (``task.dependence.*``), the daily plan (``task.planner.getlist``) and custom
fields (``task.item.userfield.*``, read by position like the other older methods).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ApiError
from ..model import task_comments as comments
from ..model import task_userfields as userfields
from ..model.task_links import LINK_TYPES, add_link, delete_link, leads_to, linked
from ..model.tasks import actions, can_read, is_admin, task
from ._args import intval
from ._registry import Context, Reply, handler
from ._tasks import NumericError, core_error, is_lax_integer, legacy_error, missing, wrong_type

# -- results ----------------------------------------------------------------------------------


def _number(params: Mapping[str, Any], key: str, name: str) -> int:
    if params.get(key) is None:
        raise missing(name)
    if not is_lax_integer(params[key]):
        raise wrong_type(name, params[key], "int")
    return int(params[key])


def _readable(ctx: Context, task_id: int) -> bool:
    found = task(ctx, task_id)
    return found is not None and can_read(ctx, found, ctx.user_id)


@handler("tasks.task.result.list")
def result_list(ctx: Context, params: dict[str, Any]) -> list[dict[str, Any]]:
    task_id = _number(params, "TASKID", "taskId")
    if not _readable(ctx, task_id):
        raise NumericError(0, "Access denied.")
    return [comments.result_json(row, []) for row in comments.results(ctx, task_id)]


def _own_comment(ctx: Context, params: Mapping[str, Any]) -> Any:
    row = comments.comment(ctx, _number(params, "COMMENTID", "commentId"))
    if row is None:
        raise NumericError(0, "Comment not found.")
    if not _readable(ctx, row["task_id"]) or row["author_id"] != ctx.user_id:
        raise NumericError(0, "Access denied.")
    return row


@handler("tasks.task.result.addfromcomment")
def result_add(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    row = _own_comment(ctx, params)
    if comments.result_for(ctx, row["id"]) is not None:
        raise NumericError(0, "Result already exists.")
    return comments.result_json(comments.add_result(ctx, row), None)


@handler("tasks.task.result.deletefromcomment")
def result_delete(ctx: Context, params: dict[str, Any]) -> None:
    row = _own_comment(ctx, params)
    comments.delete_result(ctx, row["id"])


# -- links ------------------------------------------------------------------------------------

def _linkable(ctx: Context, params: Mapping[str, Any], refusal: ApiError) -> tuple[int, int]:
    """(from, to), when the caller may see both tasks and edit the dependent one."""
    task_from, task_to = intval(params.get("TASKIDFROM")), intval(params.get("TASKIDTO"))
    source, target = task(ctx, task_from), task(ctx, task_to)
    if source is None or target is None or not can_read(ctx, source, ctx.user_id) \
            or not actions(ctx, target, ctx.user_id)["EDIT"]:
        raise refusal
    return task_from, task_to


@handler("task.dependence.add")
def link_add(ctx: Context, params: dict[str, Any]) -> list[Any]:
    refusal = ApiError("ACTION_NOT_ALLOWED", "Unable to add a link between tasks")
    task_from, task_to = _linkable(ctx, params, refusal)
    link_type = params.get("LINKTYPE")
    if not is_lax_integer(link_type) or intval(link_type) not in LINK_TYPES:
        raise refusal
    if task_from == task_to:
        raise ApiError("ILLEGAL_NEW_LINK", "Cannot link node to itself")
    if linked(ctx, task_from, task_to):
        raise ApiError("ILLEGAL_NEW_LINK", "A link between tasks already exists")
    if leads_to(ctx, task_to, task_from):
        raise ApiError("ILLEGAL_NEW_LINK", "Tasks cannot use circular references.")
    add_link(ctx, task_from, task_to, intval(link_type))
    return []


@handler("task.dependence.delete")
def link_delete(ctx: Context, params: dict[str, Any]) -> list[Any]:
    refusal = ApiError("ACTION_NOT_ALLOWED",
                       "It is not possible to delete the dependency between tasks")
    task_from, task_to = _linkable(ctx, params, refusal)
    if not linked(ctx, task_from, task_to):
        raise ApiError("ILLEGAL_NEW_LINK", "The dependency between tasks does not exist")
    delete_link(ctx, task_from, task_to)
    return []


@handler("task.planner.getlist")
def planner_list(ctx: Context, params: dict[str, Any]) -> list[int]:
    # The ids of the tasks in the caller's plan for the day. Tasks enter a day plan from
    # the portal's own pages only (no REST method adds one), so it stays empty here.
    return []


# -- custom fields ----------------------------------------------------------------------------

_ENTITY = "Bitrix\\Tasks\\Integration\\Rest\\Task\\UserField"


def _admin(ctx: Context) -> None:
    if not is_admin(ctx, ctx.user_id):
        raise core_error("Access denied")


def _field_id(ctx: Context, params: Mapping[str, Any], method: str) -> Any:
    given = list(params.values())
    if not given:
        raise legacy_error(0, f"Invalid arguments for {_ENTITY}::{method}")
    field_id = intval(given[0]) if is_lax_integer(given[0]) else 0
    if field_id <= 0:
        raise core_error("ID is not defined or invalid.")
    row = userfields.field(ctx, field_id)
    if row is None:
        raise ApiError("ERROR_NOT_FOUND", f"The entity with ID '{field_id}' is not found.")
    return row


@handler("task.item.userfield.getlist")
def userfield_list(ctx: Context, params: dict[str, Any]) -> Reply:
    # The server counts nothing here: its envelope says total 0 whatever the list holds.
    return Reply([userfields.field_json(row) for row in userfields.uf_definitions(ctx)],
                 total=0)


@handler("task.item.userfield.get")
def userfield_get(ctx: Context, params: dict[str, Any]) -> Reply:
    if not params:
        raise core_error("No parameters found")
    return Reply(userfields.field_json(_field_id(ctx, params, "get"), labels=True), total=0)


@handler("task.item.userfield.add")
def userfield_add(ctx: Context, params: dict[str, Any]) -> int:
    given = list(params.values())
    data = given[0] if given and isinstance(given[0], Mapping) else {}
    data = {str(k).upper(): v for k, v in data.items()}
    _admin(ctx)
    type_id = str(data.get("USER_TYPE_ID") or "").strip()
    if not type_id:
        raise core_error("The 'USER_TYPE_ID' field is not found.")
    if type_id not in userfields.TYPES:
        raise core_error("Invalid user type specified.")
    name = str(data.get("FIELD_NAME") or "").strip().upper()
    if not name:
        raise core_error("The 'FIELD_NAME' field is not found.")
    # The server adds the prefix every custom field name carries.
    name = name if name.startswith("UF_") else f"UF_{name}"
    if any(row["field_name"] == name for row in userfields.uf_definitions(ctx)):
        raise core_error(f"The field {name} for the object TASKS_TASK already exists.")
    return userfields.add_field(ctx, {**data, "FIELD_NAME": name, "USER_TYPE_ID": type_id})


@handler("task.item.userfield.update")
def userfield_update(ctx: Context, params: dict[str, Any]) -> bool:
    if len(params) < 2:
        raise legacy_error(0, f"Invalid arguments for {_ENTITY}::update")
    row = _field_id(ctx, params, "update")
    _admin(ctx)
    data = list(params.values())[1]
    userfields.update_field(ctx, row, {str(k).upper(): v for k, v in data.items()}
                            if isinstance(data, Mapping) else {})
    return True


@handler("task.item.userfield.delete")
def userfield_delete(ctx: Context, params: dict[str, Any]) -> bool:
    row = _field_id(ctx, params, "delete")
    _admin(ctx)
    userfields.delete_field(ctx, row)
    return True
