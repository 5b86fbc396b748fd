"""Kanban: ``task.stages.*``, a workgroup's Kanban or a user's "My plan" (entity 0).

OPI sends ``isAdmin`` of AddKanbanStage and UpdateKanbansStage inside ``fields``, where the
server does not read it; here it goes where the server reads it (beside ``fields``). A
stage's position is the stage it comes after (``AFTER_ID``); AddKanbanStage's default 0
puts it first, and UpdateKanbansStage keeps it in place unless one is given.
GetKanbanStages sends ``entityId`` as text, as OPI does.
"""

from __future__ import annotations

from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from .tasks import a_task

REGION = "Kanban"


class KanbanStage(TypedDict, total=False):
    """A stage as ``task.stages.get`` answers it (keyed by its ID)."""

    ID: str
    TITLE: str
    SORT: str
    COLOR: str
    SYSTEM_TYPE: str
    ENTITY_ID: str
    ENTITY_TYPE: str
    ADDITIONAL_FILTER: list[Any]
    TO_UPDATE: list[Any]
    TO_UPDATE_ACCESS: Any
    CAN_SORT_ITEMS: bool


STAGE_ID = Param("stage_id", "stage", Kind.INTEGER, "Stage ID", key="id")
AS_ADMIN = Param("as_admin", "admin", Kind.FLAG,
                 "Skip the permission checks (for portal administrators)", key="isAdmin",
                 required=False, default=False)


def _stages(portal: ExamplePortal) -> list[str]:
    return list(portal.call("task.stages.get", {"entityId": 0}))


def _stage(portal: ExamplePortal) -> dict[str, Any]:
    # After the last stage: the first one is the plan's default stage, which stays.
    stage = portal.call("task.stages.add", {"fields": {
        "TITLE": "New stage", "AFTER_ID": _stages(portal)[-1]}})
    return {"stage_id": int(stage)}


def _task_and_stage(portal: ExamplePortal) -> dict[str, Any]:
    return {"task_id": a_task(portal), "stage_id": int(_stages(portal)[-1])}


def _add_body(args: dict[str, Any]) -> dict[str, Any]:
    fields = {"TITLE": args["title"], "COLOR": args["color"], "AFTER_ID": args["prev_stage"],
              "ENTITY_ID": args["entity_id"]}
    return {"fields": fields, "isAdmin": args["as_admin"]}


def _update_body(args: dict[str, Any]) -> dict[str, Any]:
    fields = {"TITLE": args["title"]}
    fields.update({key: args[name] for key, name in (("COLOR", "color"),
                                                    ("AFTER_ID", "prev_stage")) if name in args})
    return {"id": args["stage_id"], "fields": fields, "isAdmin": args["as_admin"]}


def _stages_body(args: dict[str, Any]) -> dict[str, Any]:
    return {"entityId": str(args["entity_id"]), "isAdmin": args["as_admin"]}


def _move_body(args: dict[str, Any]) -> dict[str, Any]:
    body = {"id": args["task_id"], "stageId": args["stage_id"]}
    body.update({name: args[name] for name in ("before", "after") if name in args})
    return body


TITLE = Param("title", "title", Kind.TEXT, "Stage name")
PREV_STAGE = Param("prev_stage", "prevstage", Kind.INTEGER,
                   "ID of the stage it comes after (0: first)", required=False, default=0)
ENTITY_ID = Param("entity_id", "entityid", Kind.INTEGER,
                  "Workgroup ID, or 0 for your My plan", required=False, default=0)

ADD_KANBAN_STAGE = Operation(
    "AddKanbanStage", REGION, "Add a Kanban or My plan stage", method="task.stages.add",
    params=(TITLE, Param("color", "color", Kind.TEXT, "Color (RGB hex)", required=False,
                         default="FFD800"), PREV_STAGE, ENTITY_ID, AS_ADMIN),
    build=_add_body, result="int",
    example=Example({"title": "New stage", "color": "0026FF"}),
)

UPDATE_KANBANS_STAGE = Operation(
    "UpdateKanbansStage", REGION, "Change a Kanban or My plan stage",
    method="task.stages.update",
    params=(TITLE, STAGE_ID, Param("color", "color", Kind.TEXT, "Color (RGB hex)",
                                   required=False), PREV_STAGE.but(default=None), AS_ADMIN),
    build=_update_body, result="bool",
    example=Example({"title": "New stage name", "color": "000000"}, setup=_stage),
)

DELETE_KANBAN_STAGE = Operation(
    "DeleteKanbanStage", REGION, "Delete a stage that holds no tasks",
    method="task.stages.delete", params=(STAGE_ID, AS_ADMIN), result="bool",
    example=Example(setup=_stage),
)

GET_KANBAN_STAGES = Operation(
    "GetKanbanStages", REGION, "Get the stages of a Kanban or of your My plan",
    method="task.stages.get", params=(ENTITY_ID, AS_ADMIN), build=_stages_body, reads=True,
    result="dict[str, KanbanStage]",
    example=Example(),
)

MOVE_TASK_TO_KANBAN_STAGE = Operation(
    "MoveTaskToKanbanStage", REGION, "Move a task to a stage, before or after another task",
    method="task.stages.movetask",
    params=(Param("task_id", "task", Kind.INTEGER, "Task ID"), STAGE_ID.but(key=None),
            Param("before", "before", Kind.INTEGER, "ID of the task to put it before",
                  required=False),
            Param("after", "after", Kind.INTEGER, "ID of the task to put it after",
                  required=False)),
    build=_move_body, result="bool",
    example=Example(setup=_task_and_stage),
)

OPERATIONS = (
    ADD_KANBAN_STAGE,
    UPDATE_KANBANS_STAGE,
    DELETE_KANBAN_STAGE,
    GET_KANBAN_STAGES,
    MOVE_TASK_TO_KANBAN_STAGE,
)
