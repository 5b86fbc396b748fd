"""Comments and results management: ``task.commentitem.*`` and ``tasks.task.result.*``.

The comment methods read their parameters by position (TASKID, ITEMID, FIELDS): the bodies
keep that order. A result is a comment pinned as the outcome of its task.
"""

from __future__ import annotations

from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from ._common import EMPTY_PARAM, structure_runner
from .tasks import a_task

REGION = "Comments and results management"


class TaskComment(TypedDict):
    """A comment as ``task.commentitem.get``/``getlist`` return it."""

    POST_MESSAGE_HTML: str | None
    ID: str
    AUTHOR_ID: str
    AUTHOR_NAME: str
    AUTHOR_EMAIL: str
    POST_DATE: str
    POST_MESSAGE: str


class TaskResult(TypedDict):
    """A result (a comment pinned as the task's outcome)."""

    id: int
    taskId: int
    commentId: int
    createdBy: int
    createdAt: str
    updatedAt: str
    status: int
    text: str
    formattedText: str
    files: list[Any] | None


TASK_ID = Param("task_id", "task", Kind.INTEGER, "Task ID", key="TASKID")
COMMENT_ID = Param("comment_id", "comment", Kind.INTEGER, "Comment ID", key="ITEMID")
TEXT = Param("text", "text", Kind.TEXT, "Comment text")
RESULT_COMMENT_ID = COMMENT_ID.but(key="commentId")

# OPI's GetCommentStructure, in its order.
COMMENT_STRUCTURE = {
    "AUTHOR_ID": "<comment author identifier>",
    "AUTHOR_NAME": "<Users name (optional)>",
    "AUTHOR_EMAIL": "<Users email (optional)>",
    "USE_SMILES": "<(Y|N) - parse comments for emoticons or not>",
    "POST_MESSAGE": "<Message text>",
    "UF_FORUM_MESSAGE_DOC": "<Array of files from disk to attach>",
}


def _task(portal: ExamplePortal) -> dict[str, Any]:
    return {"task_id": a_task(portal)}


def _comment(portal: ExamplePortal) -> dict[str, Any]:
    task_id = a_task(portal)
    comment = portal.call("task.commentitem.add", {
        "TASKID": task_id, "FIELDS": {"POST_MESSAGE": "The task has been changed"}})
    return {"task_id": task_id, "comment_id": int(comment)}


def _result(portal: ExamplePortal) -> dict[str, Any]:
    made = _comment(portal)
    portal.call("tasks.task.result.addFromComment", {"commentId": made["comment_id"]})
    return made


def _comment_only(portal: ExamplePortal) -> dict[str, Any]:
    return {"comment_id": _comment(portal)["comment_id"]}


def _result_only(portal: ExamplePortal) -> dict[str, Any]:
    return {"comment_id": _result(portal)["comment_id"]}


def _task_with_result(portal: ExamplePortal) -> dict[str, Any]:
    return {"task_id": _result(portal)["task_id"]}


def _comment_body(args: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"TASKID": args["task_id"]}
    if "comment_id" in args:
        body["ITEMID"] = args["comment_id"]
    body["FIELDS"] = {"POST_MESSAGE": args["text"]}
    return body


GET_TASK_COMMENTS_LIST = Operation(
    "GetTaskCommentsList", REGION, "Get a task's comments", method="task.commentitem.getlist",
    params=(TASK_ID.but(key="taskId"),), reads=True, result="list[TaskComment]",
    example=Example(setup=lambda portal: {"task_id": _comment(portal)["task_id"]}),
)

GET_TASK_COMMENT = Operation(
    "GetTaskComment", REGION, "Get a comment of a task", method="task.commentitem.get",
    params=(TASK_ID, COMMENT_ID), reads=True, result="TaskComment",
    example=Example(setup=_comment),
)

ADD_TASK_COMMENT = Operation(
    "AddTaskComment", REGION, "Comment on a task", method="task.commentitem.add",
    params=(TASK_ID, TEXT), build=_comment_body, result="int",
    example=Example({"text": "Task impossible, let's split up"}, setup=_task),
)

UPDATE_TASK_COMMENT = Operation(
    "UpdateTaskComment", REGION, "Change a comment's text", method="task.commentitem.update",
    params=(TASK_ID, COMMENT_ID, TEXT), build=_comment_body, result="bool",
    example=Example({"text": "The task has been changed, let's split up"}, setup=_comment),
)

DELETE_TASK_COMMENT = Operation(
    "DeleteTaskComment", REGION, "Delete a comment", method="task.commentitem.delete",
    params=(TASK_ID, COMMENT_ID), result="bool",
    example=Example(setup=_comment),
)

GET_RESULTS_LIST = Operation(
    "GetResultsList", REGION, "Get a task's results (the newest first)",
    method="tasks.task.result.list", params=(TASK_ID.but(key="taskId"),), reads=True,
    result="list[TaskResult]",
    example=Example(setup=_task_with_result),
)

CREATE_RESULT_FROM_COMMENT = Operation(
    "CreateResultFromComment", REGION, "Pin one of your comments as the task's result",
    method="tasks.task.result.addFromComment", params=(RESULT_COMMENT_ID,),
    result="TaskResult",
    example=Example(setup=_comment_only),
)

DELETE_RESULT_FROM_COMMENT = Operation(
    "DeleteResultFromComment", REGION, "Unpin a comment from the task's results",
    method="tasks.task.result.deleteFromComment", params=(RESULT_COMMENT_ID,),
    result="None",
    example=Example(setup=_result_only),
)

GET_COMMENT_STRUCTURE = Operation(
    "GetCommentStructure", REGION, "Get the structure of a task comment",
    params=(EMPTY_PARAM,), reads=True, result="dict[str, Any]",
    local=structure_runner(COMMENT_STRUCTURE),
    example=Example(),
)

OPERATIONS = (
    GET_TASK_COMMENTS_LIST,
    GET_TASK_COMMENT,
    ADD_TASK_COMMENT,
    UPDATE_TASK_COMMENT,
    DELETE_TASK_COMMENT,
    GET_RESULTS_LIST,
    CREATE_RESULT_FROM_COMMENT,
    DELETE_RESULT_FROM_COMMENT,
    GET_COMMENT_STRUCTURE,
)
