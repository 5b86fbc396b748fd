"""Tasks checklists management: ``task.checklistitem.*``.

These methods read their parameters by position (TASKID, ITEMID, FIELDS): the bodies keep
that order. An item added without a parent goes into the task's first checklist.
"""

from __future__ import annotations

from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from .tasks import a_task

REGION = "Tasks checklists management"


class ChecklistItem(TypedDict, total=False):
    """A checklist item as ``task.checklistitem.get``/``getlist`` return it (a checklist,
    an item without a parent, has PARENT_ID 0)."""

    ID: str
    TASK_ID: str
    PARENT_ID: str | int
    CREATED_BY: str
    TITLE: str
    SORT_INDEX: str
    IS_COMPLETE: str
    IS_IMPORTANT: str
    TOGGLED_BY: str | None
    TOGGLED_DATE: str
    MEMBERS: list[Any]
    ATTACHMENTS: list[Any]


TASK_ID = Param("task_id", "task", Kind.INTEGER, "Task ID", key="TASKID")
ITEM_ID = Param("item_id", "element", Kind.INTEGER, "Checklist item ID", key="ITEMID")
TEXT = Param("text", "text", Kind.TEXT, "Text of the item")


def _task(portal: ExamplePortal) -> dict[str, Any]:
    return {"task_id": a_task(portal)}


def _item(portal: ExamplePortal) -> dict[str, Any]:
    task_id = a_task(portal)
    item = portal.call("task.checklistitem.add",
                       {"TASKID": task_id, "FIELDS": {"TITLE": "New elements text"}})
    return {"task_id": task_id, "item_id": int(item)}


def _completed_item(portal: ExamplePortal) -> dict[str, Any]:
    made = _item(portal)
    portal.call("task.checklistitem.complete", {"TASKID": made["task_id"],
                                                "ITEMID": made["item_id"]})
    return made


def _one_item(name: str, method: str, summary: str, result: str, *, setup: Any = _item,
              reads: bool = False) -> Operation:
    return Operation(name, REGION, summary, method=method, params=(TASK_ID, ITEM_ID),
                     reads=reads, result=result, example=Example(setup=setup))


ADD_TASKS_CHECKLIST_ELEMENT = Operation(
    "AddTasksChecklistElement", REGION, "Add an item to a task's checklist",
    method="task.checklistitem.add",
    params=(TASK_ID, TEXT, Param("completed", "complete", Kind.FLAG, "Already completed",
                                 required=False, default=False)),
    build=lambda args: {"TASKID": args["task_id"],
                        "FIELDS": {"TITLE": args["text"], "IS_COMPLETE": args["completed"]}},
    result="int",
    example=Example({"text": "New elements text"}, setup=_task),
)

UPDATE_TASKS_CHECKLIST_ELEMENT = Operation(
    "UpdateTasksChecklistElement", REGION, "Change a checklist item's text",
    method="task.checklistitem.update", params=(TASK_ID, ITEM_ID, TEXT),
    build=lambda args: {"TASKID": args["task_id"], "ITEMID": args["item_id"],
                        "FIELDS": {"TITLE": args["text"]}},
    result="None",
    example=Example({"text": "New elements text 2"}, setup=_item),
)

GET_TASKS_CHECKLIST = Operation(
    "GetTasksChecklist", REGION, "Get a task's checklist items",
    method="task.checklistitem.getlist", params=(TASK_ID,), reads=True,
    result="list[ChecklistItem]",
    example=Example(setup=lambda portal: {"task_id": _item(portal)["task_id"]}),
)

DELETE_TASKS_CHECKLIST_ELEMENT = _one_item(
    "DeleteTasksChecklistElement", "task.checklistitem.delete", "Delete a checklist item",
    "bool")
GET_TASKS_CHECKLIST_ELEMENT = _one_item(
    "GetTasksChecklistElement", "task.checklistitem.get", "Get a checklist item",
    "ChecklistItem", reads=True)
COMPLETE_TASKS_CHECKLIST_ELEMENT = _one_item(
    "CompleteTasksChecklistElement", "task.checklistitem.complete", "Check a checklist item",
    "bool")
RENEW_TASKS_CHECKLIST_ELEMENT = _one_item(
    "RenewTasksChecklistElement", "task.checklistitem.renew", "Uncheck a checklist item",
    "bool", setup=_completed_item)

OPERATIONS = (
    ADD_TASKS_CHECKLIST_ELEMENT,
    UPDATE_TASKS_CHECKLIST_ELEMENT,
    GET_TASKS_CHECKLIST,
    DELETE_TASKS_CHECKLIST_ELEMENT,
    GET_TASKS_CHECKLIST_ELEMENT,
    COMPLETE_TASKS_CHECKLIST_ELEMENT,
    RENEW_TASKS_CHECKLIST_ELEMENT,
)
