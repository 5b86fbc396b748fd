"""Tasks management: ``tasks.task.*``, ``task.dependence.*``, ``task.planner.getlist``.

GetTasksList keeps OPI's order, ``Fields`` (``select``) after ``Token``: the module
function is ``get_tasks_list(url, filter=None, offset=0, token=None, select=None)``, so an
OPI-style positional call keeps its meaning and keyword calls are unaffected. Its records
sit under ``tasks`` (``{"tasks": [...]}``); ``Client.iter_list`` and ``--all`` find them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from ._common import EMPTY_PARAM, a_chat, structure_runner

REGION = "Tasks management"


class TaskFields(TypedDict, total=False):
    """Writable fields of ``tasks.task.add``/``update``; see ``get_task_fields_structure()``."""

    TITLE: str
    DESCRIPTION: str
    RESPONSIBLE_ID: int | str
    CREATED_BY: int | str
    ACCOMPLICES: Sequence[int | str]
    AUDITORS: Sequence[int | str]
    DEADLINE: str
    START_DATE_PLAN: str
    END_DATE_PLAN: str
    PRIORITY: int | str
    MARK: str
    PARENT_ID: int | str
    GROUP_ID: int | str
    STAGE_ID: int | str
    STATUS: int | str
    TASK_CONTROL: str
    ALLOW_CHANGE_DEADLINE: str
    ALLOW_TIME_TRACKING: str
    ADD_IN_REPORT: str
    MATCH_WORK_TIME: str
    TIME_ESTIMATE: int | str
    DURATION_PLAN: int | str
    DURATION_TYPE: str
    XML_ID: str
    SITE_ID: str


class TaskMember(TypedDict):
    """A creator, responsible, accomplice or auditor as task replies describe them."""

    id: str
    name: str
    link: str
    icon: str
    workPosition: str | None


class Task(TypedDict, total=False):
    """A task as ``tasks.task.get``/``list`` return it: ids and numbers are text; ``action``
    holds what the caller may do (``complete``, ``edit.originator``, ...)."""

    id: str
    parentId: str | None
    title: str
    description: str
    mark: str | None
    priority: str
    multitask: str
    notViewed: str
    replicate: str
    stageId: str
    sprintId: str | None
    backlogId: str | None
    createdBy: str
    createdDate: str
    responsibleId: str
    changedBy: str
    changedDate: str
    statusChangedBy: str | None
    closedBy: str | None
    closedDate: str | None
    activityDate: str | None
    dateStart: str | None
    deadline: str | None
    startDatePlan: str | None
    endDatePlan: str | None
    guid: str
    xmlId: str | None
    commentsCount: str | None
    serviceCommentsCount: str | None
    allowChangeDeadline: str
    allowTimeTracking: str
    taskControl: str
    addInReport: str
    forkedByTemplateId: str | None
    timeEstimate: str
    timeSpentInLogs: str | None
    matchWorkTime: str
    forumTopicId: str | None
    forumId: str | None
    siteId: str
    subordinate: str
    exchangeModified: str | None
    exchangeId: str | None
    outlookVersion: str
    viewedDate: str | None
    sorting: str | None
    durationFact: str | None
    isMuted: str
    isPinned: str
    isPinnedInGroup: str
    flowId: str | None
    descriptionInBbcode: str
    status: str
    subStatus: str
    statusChangedDate: str
    durationPlan: str | None
    durationType: str
    favorite: str
    groupId: str
    auditors: list[str]
    accomplices: list[str]
    creator: TaskMember
    responsible: TaskMember
    accomplicesData: dict[str, TaskMember]
    auditorsData: dict[str, TaskMember]
    newCommentsCount: int
    action: dict[str, bool]
    checkListCanAdd: bool


class TaskReply(TypedDict):
    """``{"task": {...}}``: what tasks.task.get, add, update and the actions answer."""

    task: Task


class TaskListReply(TypedDict):
    """``{"tasks": [...]}``: a page of tasks.task.list (``total`` and ``next`` beside it)."""

    tasks: list[Task]


TASK_ID = Param("task_id", "task", Kind.INTEGER, "Task ID", key="taskId")
FIELDS = Param(
    "fields", "fields", Kind.COLLECTION, "Task fields (JSON or a .json path); see "
    "GetTaskFieldsStructure", key="fields", annotation="TaskFields | Mapping[str, Any] | str",
)
TASK_FROM = Param("task_from", "taskfrom", Kind.INTEGER, "ID of the task the link starts at",
                  key="taskIdFrom")
TASK_TO = Param("task_to", "taskto", Kind.INTEGER, "ID of the task that depends on it",
                key="taskIdTo")
LINK_TYPE = Param("link_type", "linktype", Kind.INTEGER,
                  "Link type: 0 start-start, 1 start-finish, 2 finish-start, 3 finish-finish",
                  key="linkType")

# OPI's GetTasksFilterStructure, in its order.
TASKS_FILTER_STRUCTURE = {
    "ID": "<task identifier>",
    "PARENT_ID": "<parent task identifier>",
    "GROUP_ID": "<workgroup identifier>",
    "CREATED_BY": "<producer>",
    "STATUS_CHANGED_BY": "<the user who last changed the task status>",
    "PRIORITY": "<priority>",
    "FORUM_TOPIC_ID": "<forum topic identifier>",
    "RESPONSIBLE_ID": "<performer>",
    "TITLE": "<task name (can be searched using the template [%_])>",
    "TAG": "<tag>",
    "REAL_STATUS": "<task status>",
    "MARK": "<mark>",
    "SITE_ID": "<site identifier>",
    "ADD_IN_REPORT": "<task in the report (Y|N))>",
    "DATE_START": "<start date>",
    "DEADLINE": "<deadline>",
    "CREATED_DATE": "<date of creation>",
    "CLOSED_DATE": "<completion date>",
    "CHANGED_DATE": "<date of last modification>",
    "ACCOMPLICE": "<co-executor identifier>",
    "AUDITOR": "<auditor identifier>",
    "DEPENDS_ON": "<previous task identifier>",
    "ONLY_ROOT_TASKS": "<only tasks that are not subtasks (Y|N))>",
    "STAGE_ID": "<stage>",
    "UF_CRM_TASK": "<CRM elements>",
    "STATUS": "<status for sorting. Similar to REAL_STATUS, but has three additional "
              "meta-statuses>",
}


# -- what the examples make first ---------------------------------------------------------------

def _tomorrow() -> str:
    moment = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    return moment.replace(microsecond=0).isoformat()


# A task as OPI's tests make one.
_TASK = {"TITLE": "New task", "DESCRIPTION": "New task description", "PRIORITY": "2",
         "RESPONSIBLE_ID": 1}


def a_task(portal: ExamplePortal, **fields: Any) -> int:
    """A new task of the example's user (user 1, also its responsible); its id."""
    reply = portal.call("tasks.task.add", {"fields": {**_TASK, **fields}})
    return int(reply["task"]["id"])


def _task(portal: ExamplePortal) -> dict[str, Any]:
    return {"task_id": a_task(portal)}


def _some_task(portal: ExamplePortal) -> dict[str, Any]:
    a_task(portal)
    return {}


def _done(action: str) -> Any:
    def setup(portal: ExamplePortal) -> dict[str, Any]:
        task_id = a_task(portal)
        portal.call(f"tasks.task.{action}", {"taskId": task_id})
        return {"task_id": task_id}

    return setup


def _awaiting_approval(portal: ExamplePortal) -> dict[str, Any]:
    # Set by user 2 with result control and given to user 1, who completes it: it waits
    # for the creator's approval (status 4), which the administrator may give.
    task_id = a_task(portal, CREATED_BY=2, TASK_CONTROL="Y")
    portal.call("tasks.task.complete", {"taskId": task_id})
    return {"task_id": task_id}


def _task_and_file(portal: ExamplePortal) -> dict[str, Any]:
    folder = portal.call("im.disk.folder.get", {"CHAT_ID": a_chat(portal)})["ID"]
    file = portal.call("disk.folder.uploadfile", {
        "id": folder, "data": {"NAME": "notes.txt"}, "fileContent": ["notes.txt", "bm90ZXM="],
    })
    return {"task_id": a_task(portal), "file_id": int(file["ID"])}


def _changed_task(portal: ExamplePortal) -> dict[str, Any]:
    task_id = a_task(portal)
    portal.call("tasks.task.update", {"taskId": task_id, "fields": {"TITLE": "Another title"}})
    return {"task_id": task_id}


def _two_tasks(portal: ExamplePortal) -> dict[str, Any]:
    return {"task_from": a_task(portal), "task_to": a_task(portal)}


def _linked_tasks(portal: ExamplePortal) -> dict[str, Any]:
    pair = _two_tasks(portal)
    portal.call("task.dependence.add", {"taskIdFrom": pair["task_from"],
                                        "taskIdTo": pair["task_to"], "linkType": 2})
    return pair


def _single(name: str, method: str, summary: str, result: str = "TaskReply",
            setup: Any = _task) -> Operation:
    """An operation of OPI's that sends only the task's id (``taskId``)."""
    return Operation(name, REGION, summary, method=method, params=(TASK_ID,), result=result,
                     example=Example(setup=setup))


GET_TASK = Operation(
    "GetTask", REGION, "Get a task by ID", method="tasks.task.get", params=(TASK_ID,),
    reads=True, result="TaskReply",
    example=Example(setup=_task),
)

GET_TASKS_LIST = Operation(
    "GetTasksList",
    REGION,
    "Get a page of 50 tasks (all of them: --all, or Client.iter_list)",
    method="tasks.task.list",
    params=(
        Param("filter", "filter", Kind.COLLECTION, "Filter (JSON); see GetTasksFilterStructure",
              key="filter", required=False),
        Param("offset", "offset", Kind.INTEGER, "Offset of the page (start)", key="start",
              required=False, default=0),
        Param("select", "select", Kind.ARRAY, "Fields of each task (all by default)",
              key="select", required=False, after_token=True,
              annotation="Sequence[str] | str"),
    ),
    reads=True,
    result="TaskListReply",
    example=Example({"filter": {"RESPONSIBLE_ID": 1}}, setup=_some_task),
)

CREATE_TASK = Operation(
    "CreateTask", REGION, "Create a task", method="tasks.task.add", params=(FIELDS,),
    result="TaskReply",
    example=Example({"fields": {**_TASK, "DEADLINE": _tomorrow()}}),
)

UPDATE_TASK = Operation(
    "UpdateTask", REGION, "Change a task's fields", method="tasks.task.update",
    params=(TASK_ID, FIELDS), result="TaskReply",
    example=Example({"fields": {"TITLE": "Another task title",
                                "DESCRIPTION": "Another task description", "PRIORITY": "1"}},
                    setup=_task),
)

ATTACH_FILE_TO_TOPIC = Operation(
    "AttachFileToTopic", REGION, "Attach a disk file to a task",
    method="tasks.task.files.attach",
    params=(TASK_ID, Param("file_id", "fileid", Kind.INTEGER, "Disk file ID", key="fileId")),
    result="dict[str, int]",
    example=Example(setup=_task_and_file),
)

DELETE_TASK = _single("DeleteTask", "tasks.task.delete", "Delete a task",
                      result="dict[str, bool]")
APPROVE_TASK = _single("ApproveTask", "tasks.task.approve",
                       "Accept a task's result (it waits for approval: status 4)",
                       setup=_awaiting_approval)
DISAPPROVE_TASK = _single("DisapproveTask", "tasks.task.disapprove",
                          "Reject a task's result (it waits for approval: status 4)",
                          setup=_awaiting_approval)
COMPLETE_TASK = _single("CompleteTask", "tasks.task.complete", "Complete a task")
RENEW_TASK = _single("RenewTask", "tasks.task.renew", "Return a completed task to work",
                     setup=_done("complete"))
DEFER_TASK = _single("DeferTask", "tasks.task.defer", "Defer a task")
PAUSE_TASK = _single("PauseTask", "tasks.task.pause", "Pause a task in progress",
                     setup=_done("start"))
START_TASK = _single("StartTask", "tasks.task.start", "Start a task")
START_WATCHING_TASK = _single("StartWatchingTask", "tasks.task.startwatch",
                              "Watch a task (become its auditor)")
STOP_WATCHING_TASK = _single("StopWatchingTask", "tasks.task.stopwatch",
                             "Stop watching a task")
ADD_TASK_TO_FAVORITES = _single("AddTaskToFavorites", "tasks.task.favorite.add",
                                "Add a task to your favorites", result="bool")
REMOVE_TASK_FROM_FAVORITES = _single("RemoveTaskFromFavorites", "tasks.task.favorite.remove",
                                     "Remove a task from your favorites", result="bool",
                                     setup=_done("favorite.add"))
GET_TASK_HISTORY = Operation(
    "GetTaskHistory", REGION, "Get a task's history of changes",
    method="tasks.task.history.list", params=(TASK_ID,), reads=True,
    result="dict[str, list[dict[str, Any]]]",
    example=Example(setup=_changed_task),
)
MUTE_TASK = _single("MuteTask", "tasks.task.mute", "Mute a task's notifications")
UNMUTE_TASK = _single("UnmuteTask", "tasks.task.unmute", "Unmute a task's notifications",
                      setup=_done("mute"))

DELEGATE_TASK = Operation(
    "DelegateTask", REGION, "Delegate a task to another responsible",
    method="tasks.task.delegate",
    params=(TASK_ID, Param("user_id", "user", Kind.INTEGER, "ID of the new responsible",
                           key="userId")),
    result="TaskReply",
    example=Example({"user_id": 2}, setup=_task),
)

CHECK_TASK_ACCESSES = Operation(
    "CheckTaskAccesses", REGION, "Check what users may do to a task",
    method="tasks.task.getaccess",
    params=(TASK_ID, Param("users", "users", Kind.ARRAY,
                           "Array of user IDs (or one ID); the caller by default",
                           key="users", required=False)),
    reads=True,
    result="dict[str, dict[str, dict[str, bool]]]",
    example=Example({"users": [1, 10]}, setup=_task),
)

CREATE_TASKS_DEPENDENCIES = Operation(
    "CreateTasksDependencies", REGION, "Link two tasks (Gantt dependency)",
    method="task.dependence.add", params=(TASK_FROM, TASK_TO, LINK_TYPE),
    result="list[Any]",
    example=Example({"link_type": 2}, setup=_two_tasks),
)

DELETE_TASKS_DEPENDENCIES = Operation(
    "DeleteTasksDependencies", REGION, "Remove the link between two tasks",
    method="task.dependence.delete", params=(TASK_FROM, TASK_TO, LINK_TYPE),
    result="list[Any]",
    example=Example({"link_type": 2}, setup=_linked_tasks),
)

GET_DAILY_PLAN = Operation(
    "GetDailyPlan", REGION, "Get the IDs of the tasks in your plan for the day",
    method="task.planner.getlist", reads=True, result="list[int]",
    example=Example(),
)

GET_TASK_FIELDS_STRUCTURE = Operation(
    "GetTaskFieldsStructure", REGION, "Get the description of task fields",
    method="tasks.task.getFields", reads=True, result="dict[str, dict[str, Any]]",
    example=Example(),
)

GET_TASKS_FILTER_STRUCTURE = Operation(
    "GetTasksFilterStructure", REGION, "Get the structure of a task filter for GetTasksList",
    params=(EMPTY_PARAM, Param("as_map", "map", Kind.BOOLEAN,
                               "As a map, whose keys may take filter prefixes (the same "
                               "JSON)", required=False, default=False)),
    reads=True, result="dict[str, Any]",
    local=structure_runner(TASKS_FILTER_STRUCTURE),
    example=Example(),
)

OPERATIONS = (
    GET_TASK,
    GET_TASKS_LIST,
    CREATE_TASK,
    UPDATE_TASK,
    ATTACH_FILE_TO_TOPIC,
    DELETE_TASK,
    APPROVE_TASK,
    DISAPPROVE_TASK,
    COMPLETE_TASK,
    RENEW_TASK,
    DEFER_TASK,
    PAUSE_TASK,
    START_TASK,
    START_WATCHING_TASK,
    STOP_WATCHING_TASK,
    ADD_TASK_TO_FAVORITES,
    REMOVE_TASK_FROM_FAVORITES,
    GET_TASK_HISTORY,
    MUTE_TASK,
    UNMUTE_TASK,
    DELEGATE_TASK,
    CHECK_TASK_ACCESSES,
    CREATE_TASKS_DEPENDENCIES,
    DELETE_TASKS_DEPENDENCIES,
    GET_DAILY_PLAN,
    GET_TASK_FIELDS_STRUCTURE,
    GET_TASKS_FILTER_STRUCTURE,
)
