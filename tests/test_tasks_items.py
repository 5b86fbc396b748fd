"""A task's checklists, comments, results, elapsed time and custom fields, through the
Python API, with their rules and every reachable error (code, status, text).

Errors of the older ``task.*`` methods are ``ERROR_CORE`` with a TasksException's text
(``TASKS_ERROR_EXCEPTION_#<code>; <message>; <code>/TE/<names><br>``), as the English REST
documentation shows them; the results' controller writes numeric codes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from clients import portal_of_users
from oint.bitrix24 import Bitrix24Error, Client
from shapes import assert_shape, recorded

CORE = "ERROR_CORE"


@dataclass
class World:
    admin: Client
    two: Client
    three: Client


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with portal_of_users(2, 3) as (_, clients):
        yield World(clients[1], clients[2], clients[3])


def _task(b24: Client, **fields: Any) -> int:
    reply = b24.create_task({"TITLE": "Task", "RESPONSIBLE_ID": 2, **fields})
    return int(reply.result["task"]["id"])


def _error(call: Any) -> tuple[Any, str, int | None]:
    with pytest.raises(Bitrix24Error) as caught:
        call()
    return caught.value.payload["error"], caught.value.description, caught.value.status


def _legacy(code: int, message: str, names: str) -> tuple[str, str, int]:
    return CORE, f"TASKS_ERROR_EXCEPTION_#{code}; {message}; {code}/TE/{names}<br>", 400


def test_checklists(world: World) -> None:
    b24 = world.two
    task_id = _task(b24)
    first = b24.add_tasks_checklist_element(task_id, "Call the client").result
    assert_shape(b24.get_tasks_checklist(task_id).json(), "GetTasksChecklist")
    second = b24.add_tasks_checklist_element(task_id, "Send the offer", True).result
    listed = b24.get_tasks_checklist(task_id)
    # The first item made the task's first checklist, named as the server names it.
    assert [(i["TITLE"], i["PARENT_ID"], i["IS_COMPLETE"]) for i in listed.result] == [
        ("BX_CHECKLIST_1", 0, "N"), ("Call the client", listed.result[0]["ID"], "N"),
        ("Send the offer", listed.result[0]["ID"], "Y")]
    assert b24.update_tasks_checklist_element(task_id, first, "Call him").result is None
    assert b24.complete_tasks_checklist_element(task_id, first).result is True
    item = b24.get_tasks_checklist_element(task_id, first)
    assert_shape(item.json(), "GetTasksChecklistElement")
    assert (item.result["TITLE"], item.result["IS_COMPLETE"]) == ("Call him", "Y")
    assert b24.renew_tasks_checklist_element(task_id, first).result is True
    assert b24.delete_tasks_checklist_element(task_id, second).result is True
    fields = [(h["field"], h["value"]["to"]) for h in b24.get_task_history(task_id).result["list"]]
    assert fields[1:] == [
        ("CHECKLIST_ITEM_CREATE", "BX_CHECKLIST_1"), ("CHECKLIST_ITEM_CREATE", "Call the client"),
        ("CHECKLIST_ITEM_CREATE", "Send the offer"), ("CHECKLIST_ITEM_RENAME", "Call him"),
        ("CHECKLIST_ITEM_CHECK", "Call him"), ("CHECKLIST_ITEM_UNCHECK", "Call him"),
        ("CHECKLIST_ITEM_REMOVE", "")]
    tree = b24.get_task(task_id).result["task"]["checkListTree"]
    assert [node["fields"]["title"] for node in tree["descendants"]] == ["BX_CHECKLIST_1"]
    assert [n["fields"]["title"] for n in tree["descendants"][0]["descendants"]] == ["Call him"]


def test_checklist_errors(world: World) -> None:
    task_id = _task(world.two)
    item = world.two.add_tasks_checklist_element(task_id, "Item").result
    hidden = _task(world.two)
    assert _error(lambda: world.two.add_tasks_checklist_element(task_id, " ")) == \
        _legacy(8, "Item name not specified", "ACTION_FAILED_TO_BE_PROCESSED")
    assert _error(lambda: world.three.add_tasks_checklist_element(hidden, "x")) == \
        _legacy(8, "Adding item: action not allowed", "ACTION_FAILED_TO_BE_PROCESSED")
    assert _error(lambda: world.three.update_tasks_checklist_element(task_id, item, "x")) == \
        _legacy(4, "No access to edit the task", "ACTION_NOT_ALLOWED")
    assert _error(lambda: world.three.get_tasks_checklist(hidden)) == \
        _legacy(8, "Action failed", "ACTION_FAILED_TO_BE_PROCESSED")
    for call in (lambda: world.two.get_tasks_checklist_element(task_id, 10**6),
                 lambda: world.three.get_tasks_checklist_element(task_id, item),
                 lambda: world.two.complete_tasks_checklist_element(task_id, 10**6)):
        assert _error(call) == _legacy(512, "Check listitem not found or not accessible",
                                       "ITEM_NOT_FOUND_OR_NOT_ACCESSIBLE")
    assert _error(lambda: world.three.delete_tasks_checklist_element(task_id, item)) == \
        _legacy(8, "Deleting item: action not allowed", "ACTION_FAILED_TO_BE_PROCESSED")
    assert _error(lambda: world.two.renew_tasks_checklist_element(task_id, 0)) == (
        CORE, "TASKS_ERROR_ASSERT_EXCEPTION<br>", 400)
    assert _error(lambda: world.two.call("task.checklistitem.getlist", {
        "TASKID": task_id, "ORDER": {"IS_COMPLETED": "asc"}})) == (
        CORE, 'TASKS_ERROR_EXCEPTION_#256; Param #1 (arOrder) for method '
              'ctaskchecklistitem::getlist() must not contain key "IS_COMPLETED".; '
              '256/TE/WRONG_ARGUMENTS<br>', 400)


def test_comments_and_results(world: World) -> None:
    task_id = _task(world.two, AUDITORS=[3])
    first = world.two.add_task_comment(task_id, "The task has been changed").result
    second = world.three.add_task_comment(task_id, "An auditor comments too").result
    listed = world.two.get_task_comments_list(task_id)
    assert_shape(listed.json(), "GetTaskCommentsList")
    assert [(c["ID"], c["AUTHOR_ID"], c["AUTHOR_NAME"]) for c in listed.result] == [
        (str(first), "2", "Maria Ivanova"), (str(second), "3", "Peter Novak")]
    task = world.two.get_task(task_id).result["task"]
    assert (task["commentsCount"], task["serviceCommentsCount"]) == ("2", "0")
    assert world.two.update_task_comment(task_id, first, "Changed again").result is True
    got = world.two.get_task_comment(task_id, first)
    assert_shape(got.json(), "GetTaskComment")
    assert got.result["POST_MESSAGE"] == "Changed again"
    newer = world.two.get_task_comments_list(task_id)  # ORDER by position, then FILTER
    assert [c["ID"] for c in world.two.call("task.commentitem.getlist", {
        "TASKID": task_id, "ORDER": {"ID": "desc"}, "FILTER": {"AUTHOR_ID": 3}}).result] == \
        [str(second)]
    assert len(newer.result) == 2

    made = world.two.create_result_from_comment(first)
    assert_shape(made.json(), "CreateResultFromComment")
    assert (made.result["commentId"], made.result["text"], made.result["files"]) == (
        first, "Changed again", None)
    world.three.create_result_from_comment(second)
    results = world.two.get_results_list(task_id)
    assert_shape(results.json(), "GetResultsList")
    assert [r["commentId"] for r in results.result] == [second, first]  # newest first
    assert world.two.delete_result_from_comment(first).result is None
    assert world.two.delete_task_comment(task_id, first).result is True
    assert [r["commentId"] for r in world.two.get_results_list(task_id).result] == [second]
    fields = [h["field"] for h in world.two.get_task_history(task_id).result["list"]]
    assert fields == ["NEW", "COMMENT", "COMMENT"]


def test_comment_and_result_errors(world: World) -> None:
    task_id = _task(world.two, AUDITORS=[3])
    hidden = _task(world.two)
    mine = world.two.add_task_comment(task_id, "Mine").result
    assert _error(lambda: world.three.add_task_comment(hidden, "x")) == (
        CORE, "Insufficient permissions to add a comment.<br>", 400)
    assert _error(lambda: world.two.add_task_comment(task_id, " ")) == (
        CORE, "Comment text is not specified<br>", 400)
    assert _error(lambda: world.two.update_task_comment(task_id, mine, "")) == (
        CORE, "Comment text not specified.<br>", 400)
    not_allowed = _legacy(4, "Action is not allowed", "ACTION_NOT_ALLOWED")
    # Only its author (or an administrator) changes or deletes a comment.
    assert _error(lambda: world.three.update_task_comment(task_id, mine, "x")) == not_allowed
    assert _error(lambda: world.three.delete_task_comment(task_id, mine)) == not_allowed
    assert world.admin.update_task_comment(task_id, mine, "By the admin").result is True
    assert _error(lambda: world.two.get_task_comment(task_id, 10**6)) == _legacy(
        512, "Check listitem not found or not accessible", "ITEM_NOT_FOUND_OR_NOT_ACCESSIBLE")
    assert _error(lambda: world.three.get_task_comments_list(hidden)) == _legacy(
        8, "Action failed", "ACTION_FAILED_TO_BE_PROCESSED")
    assert _error(lambda: world.two.call("task.commentitem.getlist", {
        "TASKID": task_id, "ORDER": {}, "FILTER": {"%POST_DATE": "2025"}})) == (
        CORE, 'TASKS_ERROR_EXCEPTION_#256; Param #2 (arFilter) for method '
              'ctaskcommentitem::getlist() must not contain key "%POST_DATE".; '
              '256/TE/WRONG_ARGUMENTS<br>', 400)

    assert _error(lambda: world.two.create_result_from_comment(10**6)) == (
        0, "Comment not found.", 400)
    assert _error(lambda: world.three.create_result_from_comment(mine)) == (
        0, "Access denied.", 400)  # the comment is not theirs
    world.two.create_result_from_comment(mine)
    assert _error(lambda: world.two.create_result_from_comment(mine)) == (
        0, "Result already exists.", 400)
    assert _error(lambda: world.three.delete_result_from_comment(mine)) == (
        0, "Access denied.", 400)
    assert _error(lambda: world.two.call("tasks.task.result.addFromComment", {})) == (
        100, "Could not find value for parameter {commentId}", 400)
    assert _error(lambda: world.two.call("tasks.task.result.deleteFromComment",
                                         {"commentId": "one"})) == (
        100, "Invalid value {one} to match with parameter {commentId}. Should be value of "
             "type int.", 400)
    assert _error(lambda: world.three.get_results_list(hidden)) == (0, "Access denied.", 400)


def test_elapsed_time(world: World) -> None:
    task_id = _task(world.two, ACCOMPLICES=[3])
    first = world.two.add_task_time_accounting(task_id, 3600).result
    second = world.three.add_task_time_accounting(task_id, 7200, 10, "Time spent on work",
                                                  "2025-01-15T10:00:00+03:00").result
    listed = world.two.get_task_time_accounting_list(task_id)
    assert_shape(listed.json(), "GetTaskTimeAccountingList")
    assert listed.total == 2
    assert [(r["USER_ID"], r["SECONDS"], r["MINUTES"], r["SOURCE"]) for r in listed.result] \
        == [("2", "3600", "60", "2"), ("10", "7200", "120", "2")]
    record = world.two.get_task_time_accounting(task_id, second)
    assert_shape(record.json(), "GetTaskTimeAccounting")
    # A record set by hand keeps the date it was given.
    assert record.result["CREATED_DATE"] == "2025-01-15T07:00:00+00:00"
    assert world.two.get_task(task_id).result["task"]["timeSpentInLogs"] == "10800"
    assert world.two.update_task_time_accounting(task_id, first, 600, "Less").result is None
    assert world.two.get_task_time_accounting(task_id, first).result["MINUTES"] == "10"
    assert world.two.delete_task_time_accounting(task_id, first).result is None
    assert world.two.get_task(task_id).result["task"]["timeSpentInLogs"] == "7200"
    # Without a task id first, the list is of every task the caller sees.
    everything = world.three.call("task.elapseditem.getlist", {"ORDER": {"ID": "desc"}})
    assert [r["ID"] for r in everything.result] == [str(second)]


def test_elapsed_time_errors(world: World) -> None:
    task_id = _task(world.two, AUDITORS=[3])
    hidden = _task(world.two)
    record = world.two.add_task_time_accounting(task_id, 60).result
    assert _error(lambda: world.three.add_task_time_accounting(hidden, 60)) == _legacy(
        1, "Task not found or not accessible", "TASK_NOT_FOUND_OR_NOT_ACCESSIBLE")
    # An auditor does not record time on the task.
    assert _error(lambda: world.three.add_task_time_accounting(task_id, 60)) == (
        CORE, "TASKS_ERROR_EXCEPTION_#4; ; 4/TE/ACTION_NOT_ALLOWED<br>", 400)
    assert _error(lambda: world.three.update_task_time_accounting(task_id, record, 1)) == (
        CORE, "TASKS_ERROR_EXCEPTION_#4; ; 4/TE/ACTION_NOT_ALLOWED<br>", 400)
    assert _error(lambda: world.two.get_task_time_accounting(task_id, 10**6)) == (
        CORE, "TASKS_ERROR_UNKNOWN<br>", 400)
    assert _error(lambda: world.three.get_task_time_accounting_list(hidden)) == _legacy(
        1, "Task not found or not accessible", "TASK_NOT_FOUND_OR_NOT_ACCESSIBLE")
    assert _error(lambda: world.two.call("task.elapseditem.update", {
        "TASKID": task_id, "ITEMID": record, "ARFIELDS": {"USER_ID": 3}})) == (
        CORE, 'TASKS_ERROR_EXCEPTION_#256; Param #2 (arFields) for method '
              'ctaskelapseditem::update() must not contain key "USER_ID".; '
              '256/TE/WRONG_ARGUMENTS<br>', 400)


def test_custom_fields(world: World) -> None:
    b24 = world.admin
    listed = b24.get_custom_task_fields_list()
    assert_shape(listed.json(), "GetCustomTaskFieldsList")
    # Every portal starts with the three fields of the recording.
    assert [f["FIELD_NAME"] for f in listed.result] == [
        f["FIELD_NAME"] for f in recorded("GetCustomTaskFieldsList")["result"][:3]]
    field_id = b24.add_custom_task_field("string", "TEXT_FIELD", "NEW_TEXT_FIELD", "Text field",
                                         {"en": "Text field"}).result
    assert b24.update_custom_task_field(field_id, title="Text field",
                                        label={"en": "Updated field",
                                               "ru": "Izmenennoe pole"}).result is True
    got = b24.get_custom_task_field(field_id)
    assert_shape(got.json(), "GetCustomTaskField")
    expected = recorded("GetCustomTaskField")["result"]
    assert {k: v for k, v in got.result.items() if k != "ID"} == \
        {k: v for k, v in expected.items() if k != "ID"}
    assert b24.delete_custom_task_field(field_id).result is True


def test_custom_field_errors(world: World) -> None:
    b24 = world.admin
    field_id = b24.add_custom_task_field("date", "BIRTHDAY").result
    assert _error(lambda: b24.add_custom_task_field("date", "UF_BIRTHDAY")) == (
        CORE, "The field UF_BIRTHDAY for the object TASKS_TASK already exists.<br>", 400)
    assert _error(lambda: b24.add_custom_task_field("colour", "X")) == (
        CORE, "Invalid user type specified.<br>", 400)
    assert _error(lambda: b24.call("task.item.userfield.add", {"PARAMS": {
        "FIELD_NAME": "X"}})) == (CORE, "The 'USER_TYPE_ID' field is not found.<br>", 400)
    assert _error(lambda: b24.call("task.item.userfield.add", {"PARAMS": {
        "USER_TYPE_ID": "string"}})) == (CORE, "The 'FIELD_NAME' field is not found.<br>", 400)
    assert _error(lambda: world.two.add_custom_task_field("string", "MINE")) == (
        CORE, "Access denied<br>", 400)
    assert _error(lambda: world.two.delete_custom_task_field(field_id)) == (
        CORE, "Access denied<br>", 400)
    for call in (lambda: b24.get_custom_task_field(0),
                 lambda: b24.delete_custom_task_field("-1")):
        assert _error(call) == (CORE, "ID is not defined or invalid.<br>", 400)
    assert _error(lambda: b24.get_custom_task_field(10**6)) == (
        "ERROR_NOT_FOUND", f"The entity with ID '{10**6}' is not found.", 400)
    assert _error(lambda: b24.call("task.item.userfield.get", {})) == (
        CORE, "No parameters found<br>", 400)
    assert _error(lambda: b24.call("task.item.userfield.update", {"ID": field_id})) == (
        CORE, "TASKS_ERROR_EXCEPTION_#0; Invalid arguments for Bitrix\\Tasks\\Integration\\"
              "Rest\\Task\\UserField::update; 0/TE<br>", 400)
