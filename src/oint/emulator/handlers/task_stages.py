"""Kanban stages: ``task.stages.add/update/delete/get/movetask`` (the model is
``model/task_stages.py``).

Entity 0 is the caller's "My plan"; a positive entity is a workgroup's Kanban. The portal
has no workgroups, so a group's stages are reached only by an administrator with
``isAdmin`` (the server's way of skipping the group's permissions), and no task can be
moved in them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ApiError
from ..model import task_stages as stages
from ..model.tasks import is_admin
from ._args import flag, intval
from ._registry import Context, handler
from ._tasks import readable_task

_NO_RIGHTS = ("ACCESS_DENIED", "You cannot manage stages")
_NOT_FOUND = ("NOT_FOUND", "Stage was not found")


def _as_admin(ctx: Context, params: Mapping[str, Any]) -> bool:
    return flag(params.get("ISADMIN"), False) and is_admin(ctx, ctx.user_id)


def _fields(params: Mapping[str, Any]) -> dict[str, Any]:
    fields = params.get("FIELDS")
    return {str(k).upper(): v for k, v in fields.items()} if isinstance(fields, Mapping) else {}


def _may_edit(ctx: Context, entity_id: int, entity_type: str, as_admin: bool) -> bool:
    if as_admin:
        return True
    return entity_type == stages.USER and entity_id == ctx.user_id


def _board_of(ctx: Context, entity_id: int) -> tuple[int, str]:
    return (ctx.user_id, stages.USER) if entity_id <= 0 else (entity_id, stages.GROUP)


@handler("task.stages.get")
def stages_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    entity_id, entity_type = _board_of(ctx, intval(params.get("ENTITYID")))
    if entity_type == stages.GROUP and not _as_admin(ctx, params):
        raise ApiError("ACCESS_DENIED", "You cannot view tasks in this group")
    return {str(row["id"]): stages.stage_json(row)
            for row in stages.board(ctx, entity_id, entity_type)}


@handler("task.stages.add")
def stages_add(ctx: Context, params: dict[str, Any]) -> int:
    fields = _fields(params)
    if not str(fields.get("TITLE") or "").strip():
        raise ApiError("EMPTY_TITLE", "Stage title is not specified")
    entity_id, entity_type = _board_of(ctx, intval(fields.get("ENTITY_ID")))
    if entity_type == stages.GROUP and not _as_admin(ctx, params):
        raise ApiError(*_NO_RIGHTS)
    return stages.add_stage(ctx, entity_id, entity_type, fields)


@handler("task.stages.update")
def stages_update(ctx: Context, params: dict[str, Any]) -> bool:
    row = stages.stage(ctx, intval(params.get("ID")))
    if row is None:
        raise ApiError(*_NOT_FOUND)
    fields = _fields(params)
    if "TITLE" in fields and not str(fields["TITLE"]).strip():
        raise ApiError("EMPTY_TITLE", "Stage title is not specified")
    if not _may_edit(ctx, row["entity_id"], row["entity_type"], _as_admin(ctx, params)):
        raise ApiError(*_NO_RIGHTS)
    stages.update_stage(ctx, row, fields)
    return True


@handler("task.stages.delete")
def stages_delete(ctx: Context, params: dict[str, Any]) -> bool:
    row = stages.stage(ctx, intval(params.get("ID")))
    if row is None:
        raise ApiError(*_NOT_FOUND)
    if row["system_type"]:
        raise ApiError("IS_SYSTEM", "Default stage cannot be deleted")
    if not _may_edit(ctx, row["entity_id"], row["entity_type"], _as_admin(ctx, params)):
        raise ApiError(*_NO_RIGHTS)
    if stages.tasks_in(ctx, row):
        raise ApiError("NO_EMPTY", "There are tasks in this stage")
    stages.delete_stage(ctx, row)
    return True


@handler("task.stages.movetask")
def stages_move(ctx: Context, params: dict[str, Any]) -> bool:
    row = stages.stage(ctx, intval(params.get("STAGEID")))
    if row is None:
        raise ApiError(*_NOT_FOUND)
    task_id = intval(params.get("ID"))
    readable_task(ctx, task_id, ApiError("TASK_NOT_FOUND",
                                         "The task was not found, or access is denied."))
    if row["entity_type"] != stages.USER or row["entity_id"] != ctx.user_id:
        raise ApiError("ACCESS_DENIED_MOVE", "You cannot move this task")
    stages.pin(ctx, task_id, row)
    before, after = intval(params.get("BEFORE")), intval(params.get("AFTER"))
    if before > 0:
        stages.place(ctx, task_id, before, before=True)
    elif after > 0:
        stages.place(ctx, task_id, after, before=False)
    return True
