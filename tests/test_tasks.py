"""Tasks through the Python API, with three users: user 1 (the portal's administrator) and
users 2 and 3, each calling through their own webhook.

The rules checked are the server's (``CTaskItem``'s action table and ``proceedAction``):
who may start, complete, approve or delegate in each status, what a task with result
control (TASK_CONTROL) does when someone other than its creator completes it, and what
each change writes into the history.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from clients import BucketlessClient, portal_of_users
from oint import bitrix24
from oint.bitrix24 import Bitrix24Error, Client, calls
from oint.emulator.process import EmulatorProcess
from shapes import assert_shape, recorded, same_unmasked


@dataclass
class Users:
    process: EmulatorProcess
    admin: Client  # user 1
    two: Client
    three: Client


@pytest.fixture(scope="module")
def users() -> Iterator[Users]:
    with portal_of_users(2, 3) as (running, clients):
        yield Users(running, clients[1], clients[2], clients[3])


def _new(b24: Client, **fields: Any) -> int:
    return int(b24.create_task({"TITLE": "Task", "RESPONSIBLE_ID": 1, **fields})
               .result["task"]["id"])


def _task(b24: Client, task_id: int) -> dict[str, Any]:
    return dict(b24.get_task(task_id).result["task"])


def _refused(call: Any) -> Bitrix24Error:
    with pytest.raises(Bitrix24Error) as caught:
        call()
    return caught.value


def test_create_get_update_and_delete(users: Users) -> None:
    with BucketlessClient(users.process.base_url, users.process.token) as b24:
        assert_shape(b24.create_task({"TITLE": "Plain", "RESPONSIBLE_ID": 1}).json(),
                     "CreateTask")
        created = b24.create_task({"TITLE": "New task", "DESCRIPTION": "About it",
                                   "RESPONSIBLE_ID": 2, "ACCOMPLICES": [3], "AUDITORS": [1],
                                   "DEADLINE": "2031-05-06T10:00:00+03:00"})
        task = created.result["task"]
        # The defaults of tasks.task.getFields: status 2, priority 1, duration in days.
        assert (task["status"], task["priority"], task["durationType"]) == ("2", "1", "days")
        assert (task["createdBy"], task["responsibleId"]) == ("1", "2")
        assert (task["accomplices"], task["auditors"]) == (["3"], ["1"])
        assert task["deadline"] == "2031-05-06T07:00:00+00:00"  # kept in the portal's zone
        assert set(task["accomplicesData"]) == {"3"} and task["creator"]["id"] == "1"
        assert task["outlookVersion"] == "1"
        task_id = int(task["id"])
        updated = b24.update_task(task_id, {"TITLE": "Changed", "PRIORITY": 0}).result["task"]
        assert (updated["title"], updated["priority"], updated["outlookVersion"]) == \
            ("Changed", "0", "2")
        selected = b24.call("tasks.task.get", {"taskId": task_id, "select": ["TITLE"]})
        # The server adds FAVORITE to a select, and what the caller may do.
        assert list(selected.result["task"]) == ["id", "title", "favorite", "action"]
        assert b24.delete_task(task_id).result == {"task": True}
        assert _refused(lambda: b24.get_task(task_id)).payload["error"] == 0


def test_result_control_waits_for_the_creators_approval(users: Users) -> None:
    # User 2 sets the task for user 3 and wants to accept the result.
    task_id = _new(users.two, RESPONSIBLE_ID=3, TASK_CONTROL="Y")
    assert users.three.start_task(task_id).result["task"]["status"] == "3"
    waiting = users.three.complete_task(task_id).result["task"]
    assert waiting["status"] == "4"
    assert waiting["action"]["approve"] is False  # the responsible does not approve
    refused = _refused(lambda: users.three.approve_task(task_id))
    assert (refused.payload["error"], refused.description) == (
        1048582, "Action on the task is not allowed")
    assert users.three.renew_task(task_id).result["task"]["status"] == "2"  # taken back
    users.three.complete_task(task_id)
    assert _task(users.two, task_id)["action"]["approve"] is True
    rejected = users.two.disapprove_task(task_id)
    # The older shape approve answers with (StopWatchingTask's recording: a started task).
    assert_shape(rejected.json(), "StopWatchingTask")
    assert rejected.result["task"]["status"] == "2"
    users.three.complete_task(task_id)
    approved = users.two.approve_task(task_id).result["task"]
    assert (approved["status"], approved["closedBy"]) == ("5", "2")
    history = users.two.get_task_history(task_id).result["list"]
    assert [(h["value"]["from"], h["value"]["to"]) for h in history
            if h["field"] == "STATUS"] == [("2", "3"), ("3", "4"), ("4", "2"), ("2", "4"),
                                           ("4", "2"), ("2", "4"), ("4", "5")]


def test_without_result_control_the_responsible_completes(users: Users) -> None:
    task_id = _new(users.two, RESPONSIBLE_ID=3)
    assert users.three.complete_task(task_id).result["task"]["status"] == "5"
    # An administrator approves a task waiting for approval in the creator's place.
    waiting = _new(users.two, RESPONSIBLE_ID=3, TASK_CONTROL="Y")
    users.three.complete_task(waiting)
    assert users.admin.approve_task(waiting).result["task"]["status"] == "5"


def test_a_status_action_that_changes_nothing_succeeds(users: Users) -> None:
    task_id = _new(users.two, RESPONSIBLE_ID=3)
    # Pausing a pending task asks for the status it has: the server skips the update.
    assert users.three.pause_task(task_id).result["task"]["status"] == "2"
    users.three.complete_task(task_id)
    assert users.two.approve_task(task_id).result["task"]["status"] == "5"
    refused = _refused(lambda: users.two.disapprove_task(task_id))
    assert refused.payload == {"error": 1048582,
                               "error_description": "Action on the task is not allowed"}
    assert refused.payload["error"] == recorded("DisapproveTask")["error"]


def test_only_the_responsible_and_the_creator_delegate(users: Users) -> None:
    task_id = _new(users.two, RESPONSIBLE_ID=2, ACCOMPLICES=[3])
    refused = _refused(lambda: users.three.delegate_task(task_id, 1))
    assert (refused.payload["error"], refused.description) == (
        0, "Action on the task is not allowed")
    delegated = users.two.delegate_task(task_id, 3).result["task"]
    assert (delegated["responsibleId"], delegated["status"]) == ("3", "2")
    fields = [h["field"] for h in users.two.get_task_history(task_id).result["list"]]
    assert fields == ["NEW", "RESPONSIBLE_ID", "COMMENT"]


def test_watching_makes_an_auditor(users: Users) -> None:
    task_id = _new(users.two, RESPONSIBLE_ID=2)
    refused = _refused(lambda: users.three.start_watching_task(task_id))
    assert refused.payload == {"error": 1048584, "error_description": "a:0:{}"}
    # The administrator sees every task, and watching it makes them an auditor.
    assert users.admin.start_watching_task(task_id).result["task"]["auditors"] == ["1"]
    stopped = users.admin.stop_watching_task(task_id)
    assert_shape(stopped.json(), "StopWatchingTask")
    assert stopped.result["task"]["auditors"] == []
    history = users.two.get_task_history(task_id).result["list"]
    assert [(h["field"], h["value"]["from"], h["value"]["to"]) for h in history[1:]] == [
        ("AUDITORS", "", "1"), ("AUDITORS", "1", "")]
    # The creator and the responsible see the task anyway: they do not become auditors.
    assert users.two.start_watching_task(task_id).result["task"]["auditors"] == []


def test_favorites_and_mute_are_each_users_own(users: Users) -> None:
    task_id = _new(users.two, RESPONSIBLE_ID=3)
    assert users.two.add_task_to_favorites(task_id).result is True
    assert _task(users.two, task_id)["favorite"] == "Y"
    assert _task(users.three, task_id)["favorite"] == "N"
    assert _task(users.two, task_id)["action"]["favorite.delete"] is True
    assert users.two.remove_task_from_favorites(task_id).result is True
    assert users.three.mute_task(task_id).result["task"]["isMuted"] == "Y"
    assert _task(users.two, task_id)["isMuted"] == "N"
    assert users.three.unmute_task(task_id).result["task"]["isMuted"] == "N"


def test_getaccess_answers_per_user_as_the_portal_does(users: Users) -> None:
    # A new task of user 1's own, asked for users 1 and 10: OPI's recorded situation.
    task_id = _new(users.admin)
    reply = users.admin.check_task_accesses(task_id, [1, 10])
    assert_shape(reply.json(), "CheckTaskAccesses")
    assert same_unmasked(reply.result, recorded("CheckTaskAccesses")["result"])
    # The responsible of someone else's task may start it, not edit or delete it.
    other = _new(users.two, RESPONSIBLE_ID=3, AUDITORS=[1])
    access = users.two.check_task_accesses(other, [2, 3]).result["allowedActions"]
    assert (access["3"]["START"], access["3"]["EDIT"], access["3"]["REMOVE"]) == (
        True, False, False)
    assert (access["2"]["EDIT"], access["2"]["REMOVE"], access["2"]["EDIT.ORIGINATOR"]) == (
        True, True, True)
    assert users.two.check_task_accesses(other).result["allowedActions"].keys() == {"2"}


def test_the_history_names_each_change(users: Users) -> None:
    task_id = _new(users.admin)
    users.admin.update_task(task_id, {"TITLE": "Renamed", "DEADLINE": "2030-01-02T03:04:05Z",
                                      "ACCOMPLICES": [2], "AUDITORS": [3, 2],
                                      "TASK_CONTROL": "Y"})
    users.admin.start_task(task_id)
    entries = users.admin.get_task_history(task_id).result["list"]
    assert [(e["field"], e["value"]["from"], e["value"]["to"]) for e in entries] == [
        ("NEW", None, None), ("TITLE", "Task", "Renamed"),
        ("DEADLINE", "", "1893553445"),  # Unix time, as the server writes dates there
        ("TASK_CONTROL", "N", "Y"), ("ACCOMPLICES", "", "2"), ("AUDITORS", "", "3,2"),
        ("STATUS", "2", "3")]
    assert entries[0]["user"] == {"id": 1, "name": "Alex", "lastName": "Morgan",
                                  "secondName": "", "login": "alex.morgan@example.com"}


def test_dependencies_refuse_duplicates_and_cycles(users: Users) -> None:
    one, two, three = (_new(users.admin) for _ in range(3))
    b24 = users.admin
    assert b24.create_tasks_dependencies(one, two, 2).result == []
    assert b24.create_tasks_dependencies(two, three, 0).result == []
    for task_from, task_to, text in (
            (one, two, "A link between tasks already exists"),
            (two, one, "Tasks cannot use circular references."),
            (three, one, "Tasks cannot use circular references."),
            (one, one, "Cannot link node to itself")):
        refused = _refused(lambda f=task_from, t=task_to: b24.create_tasks_dependencies(f, t, 1))
        assert (refused.code, refused.description, refused.status) == (
            "ILLEGAL_NEW_LINK", text, 400)
    refused = _refused(lambda: b24.create_tasks_dependencies(one, three, 7))
    assert (refused.code, refused.description) == ("ACTION_NOT_ALLOWED",
                                                   "Unable to add a link between tasks")
    refused = _refused(lambda: users.three.create_tasks_dependencies(one, three, 2))
    assert refused.code == "ACTION_NOT_ALLOWED"
    assert b24.delete_tasks_dependencies(one, two, 2).result == []
    refused = _refused(lambda: b24.delete_tasks_dependencies(one, two, 2))
    assert (refused.code, refused.description) == (
        "ILLEGAL_NEW_LINK", "The dependency between tasks does not exist")
    refused = _refused(lambda: users.three.delete_tasks_dependencies(two, three, 0))
    assert (refused.code, refused.description) == (
        "ACTION_NOT_ALLOWED", "It is not possible to delete the dependency between tasks")
    # Deleting a task takes its links with it: the pair can be linked again.
    b24.delete_task(three)
    assert b24.create_tasks_dependencies(one, two, 3).result == []


def test_lists_filter_order_select_and_page(users: Users) -> None:
    b24 = users.two
    made = [_new(b24, TITLE=f"Box {index:02d}", RESPONSIBLE_ID=2,
                 AUDITORS=[3] if index % 2 else []) for index in range(55)]
    page = b24.get_tasks_list({"%TITLE": "Box"})
    assert (len(page.result["tasks"]), page.total, page.next) == (50, 55, 50)
    assert_shape(b24.get_tasks_list({"ID": made[0]}).json(), "GetTasksList")
    assert [t["id"] for t in page.result["tasks"]][:2] == [str(made[-1]), str(made[-2])]
    rest = b24.get_tasks_list({"%TITLE": "Box"}, 50)
    assert (len(rest.result["tasks"]), rest.next) == (5, None)
    watched = b24.call("tasks.task.list", {"filter": {"AUDITOR": 3, "%TITLE": "Box"},
                                           "order": {"TITLE": "ASC"},
                                           "select": ["ID", "TITLE"]})
    assert [t["title"] for t in watched.result["tasks"]][:2] == ["Box 01", "Box 03"]
    assert set(watched.result["tasks"][0]) == {"id", "title"}
    assert watched.total == 27
    # User 3 sees the tasks they watch, and no others.
    seen = users.three.call("tasks.task.list", {"filter": {"%TITLE": "Box"}}).total
    assert seen == 27
    first = b24.call("tasks.task.list", {"filter": {"%TITLE": "Box"}, "start": -1})
    assert (first.total, first.next) == (55, 50)  # start=-1 still counts here
    statuses = b24.call("tasks.task.list", {"filter": {"REAL_STATUS": 2, "%TITLE": "Box"},
                                            "select": ["STATUS"]}).result["tasks"][0]
    assert (statuses["status"], statuses["subStatus"]) == ("2", "2")


def test_every_task_of_a_list_by_walking(users: Users, cli: Any) -> None:
    b24 = users.three
    made = {_new(b24, TITLE=f"Walk {index}", RESPONSIBLE_ID=3) for index in range(70)}
    walked = [int(t["id"]) for t in b24.iter_list(calls.get_tasks_list({"%TITLE": "Walk"}))]
    assert walked == sorted(made)
    cursor = b24.iter_list(calls.get_tasks_list({"%TITLE": "Walk"}, select=["TITLE"]),
                           strategy="cursor")
    assert [t["title"] for t in cursor][:2] == ["Walk 0", "Walk 1"]
    done = cli("bitrix24", "GetTasksList", "--url", users.process.webhook_url, "--filter",
               '{"%TITLE": "Walk"}', "--all")
    assert done.code == 0 and len(done.stdout.splitlines()) == 70


def test_opis_positional_order_keeps_select_after_the_token(users: Users) -> None:
    process = users.process
    task_id = _new(users.admin, TITLE="Positional")
    reply = bitrix24.GetTasksList(process.base_url, {"ID": task_id}, 0, process.token,
                                  ["TITLE"])
    assert reply.result["tasks"] == [{"id": str(task_id), "title": "Positional"}]


def test_custom_fields_appear_on_tasks(users: Users) -> None:
    b24 = users.admin
    field = b24.add_custom_task_field("string", "COLOUR", title="Colour")
    assert b24.get_task_fields_structure().result["fields"]["UF_COLOUR"] == {
        "title": "Colour", "type": "string"}
    task_id = _new(b24, UF_COLOUR="red")
    listed = b24.get_tasks_list({"ID": task_id}, select=["UF_COLOUR"]).result["tasks"]
    assert listed == [{"id": str(task_id), "ufColour": "red"}]
    b24.delete_custom_task_field(field.result)
    assert "UF_COLOUR" not in b24.get_task_fields_structure().result["fields"]


def test_a_file_attaches_and_the_daily_plan_is_empty(users: Users) -> None:
    b24 = users.admin
    chat = b24.call("im.chat.add", {"TITLE": "Files"}).result
    folder = b24.call("im.disk.folder.get", {"CHAT_ID": chat}).result["ID"]
    file_id = int(b24.call("disk.folder.uploadfile", {
        "id": folder, "data": {"NAME": "a.txt"}, "fileContent": ["a.txt", "YQ=="]}
    ).result["ID"])
    task_id = _new(b24)
    attached = b24.attach_file_to_topic(task_id, file_id)
    assert_shape(attached.json(), "AttachFileToTopic")
    assert [h["field"] for h in b24.get_task_history(task_id).result["list"]] == ["NEW",
                                                                                   "FILES"]
    # No REST method puts a task into a day plan; the portal's own pages do.
    assert b24.get_daily_plan().result == []
