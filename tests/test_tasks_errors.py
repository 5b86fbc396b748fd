"""Every reachable error of the task methods, with its code, HTTP status and text.

Codes and texts are those of the English REST documentation's error tables and examples
(``api-reference/tasks``), and of the server's source where the documentation gives none.
The ``tasks.task.*`` controllers write numeric codes as JSON numbers (``"error":
1048582``, as OPI's recording of DisapproveTask shows); the older ``task.*`` methods
answer ``ERROR_CORE`` with a TasksException's text, read their parameters by position and
say so when one is missing or of the wrong type.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from clients import portal_of_users
from oint.bitrix24 import Bitrix24Error, Client


@dataclass
class World:
    admin: Client
    two: Client
    three: Client
    task: int  # user 2's own task, which user 3 cannot see
    given: int  # user 2's task for user 3


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with portal_of_users(2, 3) as (_, clients):
        second = clients[2]
        task = second.call("tasks.task.add", {"fields": {"TITLE": "Own", "RESPONSIBLE_ID": 2}})
        given = second.call("tasks.task.add", {"fields": {"TITLE": "For 3",
                                                          "RESPONSIBLE_ID": 3}})
        yield World(clients[1], second, clients[3], int(task.result["task"]["id"]),
                    int(given.result["task"]["id"]))


def _error(b24: Client, method: str, params: dict[str, Any]) -> tuple[Any, str, int | None]:
    with pytest.raises(Bitrix24Error) as caught:
        b24.call(method, params)
    return caught.value.payload["error"], caught.value.description, caught.value.status


NO_ID = "CTaskItem All parameters in the constructor must have real class type"
CORE = "ERROR_CORE"


def test_adding_a_task(world: World) -> None:
    add = "tasks.task.add"
    cases = [
        ({}, (100, "Could not find value for parameter {fields} (internal error)")),
        ({"fields": {"RESPONSIBLE_ID": 1}}, (CORE, "Task title is not specified<br>")),
        ({"fields": {"TITLE": "x"}}, (CORE, "Responsible person not specified<br>")),
        ({"fields": {"TITLE": "x", "RESPONSIBLE_ID": 999}},
         (CORE, 'The user specified in the "Responsible" field was not found<br>')),
        ({"fields": {"TITLE": "x", "RESPONSIBLE_ID": 1, "STATUS": 9}},
         (CORE, "Invalid status<br>")),
        ({"fields": {"TITLE": "x", "RESPONSIBLE_ID": 1, "PARENT_ID": 10**6}},
         (CORE, 'The task specified in the "Parent Task" field was not found<br>')),
        ({"fields": {"TITLE": "x", "RESPONSIBLE_ID": 1, "START_DATE_PLAN": "2030-01-02",
                     "END_DATE_PLAN": "2030-01-01"}},
         (CORE, "The end date specified in the scheduling is earlier than the start date<br>")),
        # Every problem at once, each ended by <br> as the server joins them.
        ({"fields": {"DESCRIPTION": "x"}},
         (CORE, "Task title is not specified<br>Responsible person not specified<br>")),
    ]
    for params, (code, text) in cases:
        assert _error(world.admin, add, params) == (code, text, 400), params
    # Someone who is not an administrator sets tasks for themselves or as their creator.
    assert _error(world.three, add, {"fields": {"TITLE": "x", "RESPONSIBLE_ID": 2,
                                                "CREATED_BY": 1}}) == (
        CORE, "Insufficient permission to create a task.<br>", 400)


def test_changing_a_task(world: World) -> None:
    update = "tasks.task.update"
    refused = (0, "Action on the task is not allowed (internal error)", 400)
    assert _error(world.two, update, {"fields": {"TITLE": "x"}}) == (
        100, f"{NO_ID} (internal error)", 400)
    assert _error(world.two, update, {"taskId": "abc", "fields": {"TITLE": "x"}}) == (
        0, "wrong task id (internal error)", 400)
    assert _error(world.three, update, {"taskId": world.task, "fields": {"TITLE": "x"}}) == \
        refused
    # The responsible of another's task changes neither its title, its creator nor its
    # deadline (without ALLOW_CHANGE_DEADLINE).
    for fields in ({"TITLE": "x"}, {"CREATED_BY": 3}, {"DEADLINE": "2030-01-01"}):
        assert _error(world.three, update, {"taskId": world.given, "fields": fields}) == \
            refused, fields
    assert _error(world.two, update, {"taskId": world.task}) == (
        100, "Could not find value for parameter {fields} (internal error)", 400)
    assert _error(world.two, update, {"taskId": world.task,
                                      "fields": {"PARENT_ID": world.task}}) == (
        CORE, "Cannot bind the node to itself<br>", 400)
    world.two.call(update, {"taskId": world.given, "fields": {"PARENT_ID": world.task}})
    assert _error(world.two, update, {"taskId": world.task,
                                      "fields": {"PARENT_ID": world.given}}) == (
        CORE, "Creating cyclic links in tasks is prohibited<br>", 400)
    world.two.call(update, {"taskId": world.given, "fields": {"PARENT_ID": 0}})


def test_reading_listing_and_deleting(world: World) -> None:
    get = "tasks.task.get"
    assert _error(world.two, get, {}) == (100, f"{NO_ID} (internal error)", 400)
    assert _error(world.two, get, {"taskId": 0}) == (0, "wrong task id (internal error)", 400)
    assert _error(world.three, get, {"taskId": world.task}) == (
        0, "Access denied. (internal error)", 400)
    assert _error(world.two, get, {"taskId": world.task, "select": "TITLE"}) == (
        100, "Invalid value {TITLE} to match with parameter {select}. Should be value of "
             "type array. (internal error)", 400)
    assert _error(world.two, "tasks.task.list", {"order": {"NOPE": "asc"}}) == (
        0, "Invalid sorting key (internal error)", 400)
    delete = "tasks.task.delete"
    assert _error(world.two, delete, {}) == (100, NO_ID, 400)
    assert _error(world.two, delete, {"taskId": "x"}) == (0, "wrong task id", 400)
    # The responsible does not delete the creator's task; nobody deletes what is not there.
    for caller, task_id in ((world.three, world.given), (world.two, 10**6)):
        assert _error(caller, delete, {"taskId": task_id}) == (
            1048582, "No access to delete the task", 400)


def test_status_actions(world: World) -> None:
    refused = (1048582, "Action on the task is not allowed", 400)
    for action in ("start", "pause", "complete", "defer", "renew", "approve", "disapprove"):
        method = f"tasks.task.{action}"
        assert _error(world.two, method, {}) == (100, NO_ID, 400), action
        assert _error(world.two, method, {"taskId": "-2"}) == (0, "wrong task id", 400)
        assert _error(world.three, method, {"taskId": world.task}) == refused, action
        assert _error(world.two, method, {"taskId": 10**6}) == refused, action
    # A pending task of someone else's: its responsible may not approve it. Disapproving
    # or renewing it asks for the status it has, which the server lets pass unchecked.
    assert _error(world.three, "tasks.task.approve", {"taskId": world.given}) == refused
    for action in ("disapprove", "renew"):
        reply = world.three.call(f"tasks.task.{action}", {"taskId": world.given})
        assert reply.result["task"]["status"] == "2"


def test_delegating_marking_and_watching(world: World) -> None:
    delegate = "tasks.task.delegate"
    assert _error(world.two, delegate, {"taskId": world.task}) == (
        100, "Could not find value for parameter {userId}", 400)
    assert _error(world.three, delegate, {"taskId": world.task, "userId": 3}) == (
        0, "Action on the task is not allowed", 400)
    assert _error(world.two, delegate, {"taskId": world.task, "userId": 999}) == (
        CORE, 'The user specified in the "Responsible" field was not found<br>', 400)
    hidden = (1, "Task not found or not accessible", 400)
    for method in ("tasks.task.favorite.add", "tasks.task.favorite.remove", "tasks.task.mute",
                   "tasks.task.unmute"):
        assert _error(world.three, method, {"taskId": world.task}) == hidden, method
    assert _error(world.two, "tasks.task.mute", {"id": "one"}) == (0, "wrong task id", 400)
    for method in ("tasks.task.startwatch", "tasks.task.stopwatch"):
        assert _error(world.three, method, {"taskId": world.task}) == (1048584, "a:0:{}", 400)


def test_access_history_and_files(world: World) -> None:
    access = "tasks.task.getaccess"
    assert _error(world.two, access, {"taskId": world.task, "users": 3}) == (
        100, "Invalid value {3} to match with parameter {users}. Should be value of type "
             "array.", 400)
    assert _error(world.three, access, {"taskId": world.task}) == (
        1, "Task not found or not accessible", 400)
    history = "tasks.task.history.list"
    assert _error(world.two, history, {}) == (100, f"{NO_ID} (internal error)", 400)
    assert _error(world.two, history, {"taskId": "x"}) == (0, "wrong task id (internal error)",
                                                          400)
    assert _error(world.three, history, {"taskId": world.task}) == (
        0, "Access denied. (internal error)", 400)
    attach = "tasks.task.files.attach"
    assert _error(world.two, attach, {"taskId": world.task}) == (
        100, "Could not find value for parameter {fileId} (internal error)", 400)
    assert _error(world.two, attach, {"taskId": world.task, "fileId": "doc"}) == (
        100, "Invalid value {doc} to match with parameter {fileId}. Should be value of type "
             "int. (internal error)", 400)
    assert _error(world.three, attach, {"taskId": world.given, "fileId": 1}) == (
        0, "Access denied (internal error)", 400)
    assert _error(world.two, attach, {"taskId": world.task, "fileId": 10**6}) == (
        CORE, "Insufficient permissions.<br>", 400)


def test_the_older_methods_read_parameters_by_position(world: World) -> None:
    method = "task.checklistitem.get"
    prefix = "TASKS_ERROR_EXCEPTION_#256; "
    suffix = "; 256/TE/WRONG_ARGUMENTS<br>"
    assert _error(world.two, method, {"TASKID": world.task}) == (
        CORE, f"{prefix}Param #1 (itemId) expected by method ctaskchecklistitem::get(), but "
              f"not given.{suffix}", 400)
    assert _error(world.two, method, {"TASKID": "one", "ITEMID": 1}) == (
        CORE, f'{prefix}Param #0 (taskId) for method ctaskchecklistitem::get() expected to be '
              f'of type "integer", but given something else.{suffix}', 400)
    assert _error(world.two, method, {"A": 1, "B": 2, "C": 3}) == (
        CORE, f"{prefix}Too much params(3) given for method ctaskchecklistitem::get(), but "
              f"expected not more than 2.{suffix}", 400)
    # Names do not matter, the order does: ITEMID first is read as the task's id.
    item = world.two.call("task.checklistitem.add", {"TASKID": world.task,
                                                     "FIELDS": {"TITLE": "Item"}}).result
    assert world.two.call("task.checklistitem.get", {"X": world.task, "Y": item}).result[
        "TITLE"] == "Item"
    assert _error(world.two, "task.checklistitem.add", {
        "TASKID": world.task, "FIELDS": {"TITLE": "x", "COLOR": "red"}}) == (
        CORE, f'{prefix}Param #1 (arFields) for method ctaskchecklistitem::add() must not '
              f'contain key "COLOR".{suffix}', 400)
