"""OPI's task scenario through the ``oint`` command, in OPI's order, once per auth form.

Each reply is compared with OPI's recording of the same call (``_wh`` for the webhook);
where OPI's run met an error (DisapproveTask on a completed task, StopTimekeeping with a
``Z`` time), the same call meets the same error here. The history of the task is then
the recorded one: its status changes are those of OPI's run.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest

from clients import BucketlessClient
from conftest import CliResult
from oint.emulator.process import EmulatorProcess, launch
from shapes import assert_shape, recorded, shape_differences


@pytest.fixture(scope="module")
def running() -> Iterator[EmulatorProcess]:
    with launch() as process:
        yield process


class Oint:
    """``oint bitrix24 <Name> --url ... [--token ...]`` for one auth form."""

    def __init__(self, cli: Any, process: EmulatorProcess, auth: str) -> None:
        self.cli = cli
        self.auth = auth
        self.suffix = "_wh" if auth == "webhook" else ""
        self.target = (["--url", process.webhook_url] if auth == "webhook"
                       else ["--url", process.base_url, "--token", process.token])

    def run(self, name: str, **options: Any) -> CliResult:
        words = ["bitrix24", name, *self.target]
        for option, value in options.items():
            text = json.dumps(value) if isinstance(value, (dict, list)) else \
                ("true" if value is True else str(value))
            words += [f"--{option}", text]
        return self.cli(*words)

    def __call__(self, name: str, recording: str | None = None, **options: Any) -> Any:
        """Run; the reply must succeed and look like the recording (this form's, where
        the recording exists for it)."""
        done = self.run(name, **options)
        assert done.code == 0, (name, done.stderr)
        reply = done.json()
        assert_shape(reply, (recording or name) + self.suffix)
        return reply["result"]


def _today_at(hour: int) -> str:
    return dt.datetime.now(dt.timezone.utc).replace(hour=hour, minute=0, second=0,
                                                    microsecond=0).isoformat()


@pytest.mark.parametrize("auth", ["webhook", "token"])
def test_opis_task_scenario(running: EmulatorProcess, cli: Any, auth: str) -> None:
    oint = Oint(cli, running, auth)
    deadline = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).replace(
        microsecond=0).isoformat()

    # -- Tasks management ---------------------------------------------------------------------
    task = oint("CreateTask", fields={"TITLE": "New task", "DESCRIPTION": "New task description",
                                      "PRIORITY": "2", "RESPONSIBLE_ID": 1,
                                      "DEADLINE": deadline})["task"]
    task_id = int(task["id"])
    assert (task["title"], task["status"], task["priority"]) == ("New task", "2", "2")
    updated = oint("UpdateTask", task=task_id, fields={
        "TITLE": "Another task title", "DESCRIPTION": "Another task description",
        "PRIORITY": "1"})["task"]
    assert (updated["title"], updated["priority"]) == ("Another task title", "1")
    assert oint("GetTask", task=task_id)["task"]["title"] == "Another task title"
    listed = oint("GetTasksList", filter={"ID": task_id})["tasks"]
    assert [t["id"] for t in listed] == [str(task_id)]

    with BucketlessClient(running.webhook_url) as b24:
        chat = b24.call("im.chat.add", {"TITLE": "Files", "USERS": [10]}).result
        folder = b24.call("im.disk.folder.get", {"CHAT_ID": chat}).result["ID"]
        file_id = int(b24.call("disk.folder.uploadfile", {
            "id": folder, "data": {"NAME": "picture.jpg"},
            "fileContent": ["picture.jpg", "cGljdHVyZQ=="]}).result["ID"])
    assert isinstance(oint("AttachFileToTopic", task=task_id, fileid=file_id)["attachmentId"],
                      int)

    delegated = oint("DelegateTask", task=task_id, user=10)["task"]
    assert (delegated["responsibleId"], delegated["status"]) == ("10", "2")
    assert oint("DeferTask", task=task_id)["task"]["status"] == "6"
    assert oint("CompleteTask", task=task_id)["task"]["status"] == "5"
    # Approving a completed task changes nothing; disapproving it is refused, as in OPI's run.
    assert oint("ApproveTask", task=task_id)["task"]["status"] == "5"
    refused = oint.run("DisapproveTask", task=task_id)
    assert refused.code == 3
    assert refused.json()["error"] == recorded("DisapproveTask" + oint.suffix)["error"]
    assert refused.json()["error_description"] == "Action on the task is not allowed"
    assert oint("RenewTask", task=task_id)["task"]["status"] == "2"
    assert oint("StartTask", task=task_id)["task"]["status"] == "3"
    oint("StartWatchingTask", task=task_id)
    assert oint("PauseTask", task=task_id)["task"]["status"] == "2"
    oint("StopWatchingTask", task=task_id)
    assert oint("AddTaskToFavorites", task=task_id) is True
    assert oint("RemoveTaskFromFavorites", task=task_id) is True
    # OPI mutes a task of its own, new one.
    other = int(oint("CreateTask", fields={"TITLE": "Second task", "RESPONSIBLE_ID": 1})
                ["task"]["id"])
    assert oint("MuteTask", task=other)["task"]["isMuted"] == "Y"
    assert oint("UnmuteTask", task=other)["task"]["isMuted"] == "N"
    access = oint("CheckTaskAccesses", task=task_id, users=[1, 10])["allowedActions"]
    # User 10 is the responsible now: they may start it, not delete it.
    assert set(access) == {"1", "10"}
    assert (access["10"]["START"], access["10"]["REMOVE"], access["1"]["REMOVE"]) == \
        (True, False, True)
    done = oint.run("GetTaskHistory", task=task_id)
    assert done.code == 0
    history = done.json()["result"]["list"]
    opis = recorded("GetTaskHistory" + oint.suffix)["result"]["list"]
    # OPI's task got plan dates from the portal's planner meanwhile, so the entries are
    # compared kind by kind rather than place by place.
    versions = [recorded(name)["result"]["list"] for name in ("GetTaskHistory",
                                                             "GetTaskHistory_wh")]
    for entry in history:
        models = [next(h for h in entries if h["field"] == entry["field"])
                  for entries in versions if any(h["field"] == entry["field"] for h in entries)]
        assert not models or any(not shape_differences(entry, m) for m in models), entry
    statuses = [(h["value"]["from"], h["value"]["to"]) for h in history if h["field"] == "STATUS"]
    assert statuses == [(h["value"]["from"], h["value"]["to"]) for h in opis
                        if h["field"] == "STATUS"]
    fields = [h["field"] for h in history if h["field"] not in ("FILES",)]
    assert fields == [h["field"] for h in opis if "PLAN" not in h["field"]]

    assert oint("CreateTasksDependencies", taskfrom=task_id, taskto=other, linktype=2) == []
    assert oint("DeleteTasksDependencies", taskfrom=task_id, taskto=other, linktype=2) == []
    assert oint("GetDailyPlan") == []
    assert "TITLE" in oint("GetTaskFieldsStructure")["fields"]
    assert cli("bitrix24", "GetTasksFilterStructure").json() == \
        recorded("GetTasksFilterStructure")

    # -- Customs tasks fields management (recorded with a token only) -------------------------
    assert isinstance(oint("GetCustomTaskFieldsList"), list)
    field_id = oint("AddCustomTaskField", type="string", fieldname=f"TEXT_{auth.upper()}",
                      externalid="NEW_TEXT_FIELD", title="Text field",
                      label={"en": "Text field", "ru": "Tekstovoe pole"})
    assert oint("UpdateCustomTaskField", fieldid=field_id,
                  label={"en": "Updated field", "ru": "Izmenennoe pole"}) is True
    field = oint("GetCustomTaskField", fieldid=field_id)
    assert (field["FIELD_NAME"], field["EDIT_FORM_LABEL"]["en"]) == (f"UF_TEXT_{auth.upper()}",
                                                                    "Updated field")
    assert oint("DeleteCustomTaskField", fieldid=field_id) is True

    # -- Tasks checklists management ----------------------------------------------------------
    element = oint("AddTasksChecklistElement", task=task_id, text="New elements text")
    assert oint("UpdateTasksChecklistElement", task=task_id, element=element,
                text="New elements text 2") is None
    checklist = oint("GetTasksChecklist", task=task_id)
    assert [item["TITLE"] for item in checklist] == ["BX_CHECKLIST_1", "New elements text 2"]
    assert oint("GetTasksChecklistElement", task=task_id, element=element)["ID"] == str(element)
    assert oint("CompleteTasksChecklistElement", task=task_id, element=element) is True
    assert oint("RenewTasksChecklistElement", task=task_id, element=element) is True
    assert oint("DeleteTasksChecklistElement", task=task_id, element=element) is True

    # -- Comments and results management ------------------------------------------------------
    first = oint("AddTaskComment", task=task_id, text="The task has been changed, do not split up")
    second = oint("AddTaskComment", task=task_id, text="Task impossible, let's split up")
    assert oint("UpdateTaskComment", task=task_id, comment=second,
                text="The task has been changed, let's split up") is True
    comments = oint("GetTaskCommentsList", task=task_id)
    assert [c["ID"] for c in comments] == [str(first), str(second)]
    assert oint("GetTaskComment", task=task_id, comment=first)["POST_MESSAGE"] == \
        "The task has been changed, do not split up"
    oint("CreateResultFromComment", comment=first)
    oint("CreateResultFromComment", comment=second)
    results = oint("GetResultsList", task=task_id)
    assert [r["commentId"] for r in results] == [second, first]
    assert oint("DeleteResultFromComment", comment=second) is None
    assert oint("DeleteTaskComment", task=task_id, comment=first) is True
    assert cli("bitrix24", "GetCommentStructure").json() == recorded("GetCommentStructure")

    # -- Kanban -------------------------------------------------------------------------------
    stage = oint("AddKanbanStage", title="New stage", color="0026FF")
    stage2 = oint("AddKanbanStage", title="New stage 2", color="0026FF", prevstage=stage)
    assert oint("UpdateKanbansStage", title="New stage name", stage=stage, color="000000")
    stages = oint("GetKanbanStages")
    assert list(stages)[:2] == [str(stage), str(stage2)]
    assert stages[str(stage)]["SYSTEM_TYPE"] == "NEW"
    assert oint("MoveTaskToKanbanStage", task=task_id, stage=stage2) is True
    assert oint("DeleteKanbanStage", stage=list(stages)[-1]) is True

    # -- Timekeeping --------------------------------------------------------------------------
    record = oint("AddTaskTimeAccounting", task=task_id, amount=3600)
    oint("AddTaskTimeAccounting", task=task_id, amount=7200, user=10, text="Time spent on work",
         date=_today_at(1))
    records = oint("GetTaskTimeAccountingList", task=task_id)
    assert [(r["USER_ID"], r["SECONDS"], r["MINUTES"]) for r in records] == \
        [("1", "3600", "60"), ("10", "7200", "120")]
    assert oint("GetTaskTimeAccounting", task=task_id, record=record)["SECONDS"] == "3600"
    assert oint("UpdateTaskTimeAccounting", task=task_id, record=record, amount=4800,
                text="Spent time") is None
    assert oint("DeleteTaskTimeAccounting", task=task_id, record=record) is None

    workday = oint  # recorded with a token only
    assert workday("StartTimekeeping")["STATUS"] == "OPENED"
    assert workday("PauseTimekeeping")["STATUS"] == "PAUSED"
    assert workday("GetTimekeepingStatus")["STATUS"] == "PAUSED"
    # OPI sends the time with a Z, which the portal does not read.
    late = workday.run("StopTimekeeping", time=_today_at(23).replace("+00:00", "Z"))
    assert late.code == 3 and late.json() == recorded("StopTimekeeping")
    closed = workday.run("StopTimekeeping").json()
    assert closed["result"]["STATUS"] == "CLOSED"
    assert_shape(closed, "PauseTimekeeping")  # the one recording of the same reply's shape
    assert workday("GetTimekeepingSettings")["ADMIN"] is True

    assert oint("DeleteTask", task=task_id)["task"] is True
    gone = oint.run("GetTask", task=task_id)
    assert gone.code == 3 and gone.json()["error"] == 0

