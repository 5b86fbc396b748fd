"""Timekeeping: time spent on tasks (``task.elapseditem.*``) and the workday (``timeman.*``).

The elapsed-time methods read their parameters by position (TASKID, ITEMID, ARFIELDS): the
bodies keep that order. A workday's ``TIME`` must carry its offset
(``2025-03-27T08:00:01+02:00``): the portal refuses ``...Z`` with WRONG_DATETIME_FORMAT.
"""

from __future__ import annotations

from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from .tasks import a_task

REGION = "Timekeeping"


class ElapsedRecord(TypedDict):
    """A record of time spent on a task (``task.elapseditem.get``); numbers are text."""

    ID: str
    TASK_ID: str
    USER_ID: str
    COMMENT_TEXT: str
    SECONDS: str
    MINUTES: str
    SOURCE: str
    CREATED_DATE: str
    DATE_START: str
    DATE_STOP: str


class Workday(TypedDict, total=False):
    """A user's workday as ``timeman.status`` (and open, close, pause) describe it."""

    STATUS: str
    TIME_START: str
    TIME_FINISH: str | None
    DURATION: str
    TIME_LEAKS: str
    ACTIVE: bool
    IP_OPEN: str
    IP_CLOSE: str
    LAT_OPEN: float
    LON_OPEN: float
    LAT_CLOSE: float
    LON_CLOSE: float
    TZ_OFFSET: int
    TIME_FINISH_DEFAULT: str


TASK_ID = Param("task_id", "task", Kind.INTEGER, "Task ID", key="TASKID")
RECORD_ID = Param("record_id", "record", Kind.INTEGER, "Time record ID", key="ITEMID")
AMOUNT = Param("amount", "amount", Kind.INTEGER, "Time spent, in seconds")
TEXT = Param("text", "text", Kind.TEXT, "Comment", required=False)
SETUP_DATE = Param("setup_date", "date", Kind.DATE, "When the time was spent (ISO 8601)",
                   required=False)
USER = Param("user_id", "userid", Kind.INTEGER, "User ID (the caller by default)",
             key="USER_ID", required=False)
TIME = Param("time", "time", Kind.DATE,
             "Time of the change, ISO 8601 with its offset (now by default)", key="TIME",
             required=False)
REPORT = Param("report", "report", Kind.TEXT, "Why the time was set by hand", key="REPORT",
               required=False)


def _record_fields(args: dict[str, Any]) -> dict[str, Any]:
    named = (("SECONDS", "amount"), ("COMMENT_TEXT", "text"), ("USER_ID", "user_id"),
             ("CREATED_DATE", "setup_date"))
    return {key: args[name] for key, name in named if name in args}


def _add_body(args: dict[str, Any]) -> dict[str, Any]:
    return {"TASKID": args["task_id"], "ARFIELDS": _record_fields(args)}


def _update_body(args: dict[str, Any]) -> dict[str, Any]:
    return {"TASKID": args["task_id"], "ITEMID": args["record_id"],
            "ARFIELDS": _record_fields(args)}


def _task(portal: ExamplePortal) -> dict[str, Any]:
    return {"task_id": a_task(portal)}


def _record(portal: ExamplePortal) -> dict[str, Any]:
    task_id = a_task(portal)
    record = portal.call("task.elapseditem.add", {"TASKID": task_id,
                                                  "ARFIELDS": {"SECONDS": 3600}})
    return {"task_id": task_id, "record_id": int(record)}


def _opened_day(portal: ExamplePortal) -> dict[str, Any]:
    portal.call("timeman.open", {})
    return {}


ADD_TASK_TIME_ACCOUNTING = Operation(
    "AddTaskTimeAccounting", REGION, "Record time spent on a task",
    method="task.elapseditem.add",
    params=(TASK_ID, AMOUNT, Param("user_id", "user", Kind.INTEGER,
                                   "Whose time it is (the caller by default)",
                                   required=False), TEXT, SETUP_DATE),
    build=_add_body, result="int",
    example=Example({"amount": 7200, "user_id": 10, "text": "Time spent on work",
                     "setup_date": "2025-01-15T10:00:00+00:00"}, setup=_task),
)

DELETE_TASK_TIME_ACCOUNTING = Operation(
    "DeleteTaskTimeAccounting", REGION, "Delete a record of time spent",
    method="task.elapseditem.delete", params=(TASK_ID, RECORD_ID), result="None",
    example=Example(setup=_record),
)

GET_TASK_TIME_ACCOUNTING_LIST = Operation(
    "GetTaskTimeAccountingList", REGION, "Get the records of time spent on a task",
    method="task.elapseditem.getlist", params=(TASK_ID,), reads=True,
    result="list[ElapsedRecord]",
    example=Example(setup=lambda portal: {"task_id": _record(portal)["task_id"]}),
)

GET_TASK_TIME_ACCOUNTING = Operation(
    "GetTaskTimeAccounting", REGION, "Get a record of time spent",
    method="task.elapseditem.get", params=(TASK_ID, RECORD_ID), reads=True,
    result="ElapsedRecord",
    example=Example(setup=_record),
)

UPDATE_TASK_TIME_ACCOUNTING = Operation(
    "UpdateTaskTimeAccounting", REGION, "Change a record of time spent",
    method="task.elapseditem.update", params=(TASK_ID, RECORD_ID, AMOUNT, TEXT, SETUP_DATE),
    build=_update_body, result="None",
    example=Example({"amount": 4800, "text": "Spent time"}, setup=_record),
)

START_TIMEKEEPING = Operation(
    "StartTimekeeping", REGION, "Open (or reopen) the workday", method="timeman.open",
    params=(USER, TIME, REPORT), result="Workday",
    example=Example(),
)

STOP_TIMEKEEPING = Operation(
    "StopTimekeeping", REGION, "Close the workday", method="timeman.close",
    params=(USER, TIME, REPORT), result="Workday",
    example=Example(setup=_opened_day),
)

PAUSE_TIMEKEEPING = Operation(
    "PauseTimekeeping", REGION, "Pause the workday", method="timeman.pause", params=(USER,),
    result="Workday",
    example=Example(setup=_opened_day),
)

GET_TIMEKEEPING_STATUS = Operation(
    "GetTimekeepingStatus", REGION, "Get the workday's status", method="timeman.status",
    params=(USER,), reads=True, result="Workday",
    example=Example(),
)

GET_TIMEKEEPING_SETTINGS = Operation(
    "GetTimekeepingSettings", REGION, "Get a user's work time settings",
    method="timeman.settings", params=(USER,), reads=True, result="dict[str, Any]",
    example=Example(),
)

OPERATIONS = (
    ADD_TASK_TIME_ACCOUNTING,
    DELETE_TASK_TIME_ACCOUNTING,
    GET_TASK_TIME_ACCOUNTING_LIST,
    GET_TASK_TIME_ACCOUNTING,
    UPDATE_TASK_TIME_ACCOUNTING,
    START_TIMEKEEPING,
    STOP_TIMEKEEPING,
    PAUSE_TIMEKEEPING,
    GET_TIMEKEEPING_STATUS,
    GET_TIMEKEEPING_SETTINGS,
)
