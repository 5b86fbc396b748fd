"""A task as the replies write it: ``full`` (tasks.task.get, add, update and most actions),
``listed`` (a tasks.task.list record) and ``legacy`` (the older shape approve, disapprove
and stopwatch answer with). Keys are the server's camelCase ones, in its order; ids and
numbers are text, as the server sends them.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from . import Actor
from .entity import camel
from .task_checklist import items, tree
from .task_rules import ACTIONS, COMPLETED
from .task_stages import sorting
from .task_userfields import uf_definitions
from .tasks import actions, task, uf_values

__all__ = ["full", "legacy", "listed", "user_info"]

DEFAULT_AVATAR = "/bitrix/images/tasks/default_avatar.png"

# The stored fields a record starts with, in the server's order (getFields').
_BASE = ("ID", "PARENT_ID", "TITLE", "DESCRIPTION", "MARK", "PRIORITY", "MULTITASK",
         "NOT_VIEWED", "REPLICATE", "STAGE_ID", "SPRINT_ID", "BACKLOG_ID", "CREATED_BY",
         "CREATED_DATE", "RESPONSIBLE_ID", "CHANGED_BY", "CHANGED_DATE", "STATUS_CHANGED_BY",
         "CLOSED_BY", "CLOSED_DATE", "ACTIVITY_DATE", "DATE_START", "DEADLINE",
         "START_DATE_PLAN", "END_DATE_PLAN", "GUID", "XML_ID", "COMMENTS_COUNT",
         "SERVICE_COMMENTS_COUNT", "ALLOW_CHANGE_DEADLINE", "ALLOW_TIME_TRACKING",
         "TASK_CONTROL", "ADD_IN_REPORT", "FORKED_BY_TEMPLATE_ID", "TIME_ESTIMATE",
         "TIME_SPENT_IN_LOGS", "MATCH_WORK_TIME", "FORUM_TOPIC_ID", "FORUM_ID", "SITE_ID",
         "SUBORDINATE", "EXCHANGE_MODIFIED", "EXCHANGE_ID", "OUTLOOK_VERSION", "VIEWED_DATE",
         "SORTING", "DURATION_FACT", "IS_MUTED", "IS_PINNED", "IS_PINNED_IN_GROUP", "FLOW_ID",
         "DESCRIPTION_IN_BBCODE", "STATUS", "STATUS_CHANGED_DATE", "DURATION_PLAN",
         "DURATION_TYPE", "FAVORITE", "GROUP_ID")
_CONSTANT = {"SUBORDINATE": "N", "IS_PINNED": "N", "IS_PINNED_IN_GROUP": "N"}


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def user_info(ctx: Actor, user_id: int) -> dict[str, Any] | None:
    """A member as tasks replies describe one (``creator``, ``auditorsData``...)."""
    row = ctx.store.row("SELECT * FROM users WHERE id = ?", (user_id,))
    if row is None:
        return None
    return {"id": str(user_id), "name": f"{row['name']} {row['last_name']}",
            "link": f"/company/personal/user/{user_id}/", "icon": DEFAULT_AVATAR,
            "workPosition": row["work_position"] or None}


def _people(ctx: Actor, ids: Sequence[int]) -> dict[str, Any]:
    found = {str(i): user_info(ctx, i) for i in ids}
    return {key: value for key, value in found.items() if value is not None}


def _base(ctx: Actor, found: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for name in names:
        value: Any
        if name in _CONSTANT:
            value = _CONSTANT[name]
        elif name in ("FAVORITE", "IS_MUTED"):
            value = found[name]
        elif name == "SORTING":
            value = sorting(ctx, int(found["ID"]), ctx.user_id)
        else:
            value = _text(found.get(name))
        record[camel(name)] = value
    return record


def _members(ctx: Actor, found: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "creator": user_info(ctx, int(found["CREATED_BY"])),
        "responsible": user_info(ctx, int(found["RESPONSIBLE_ID"])),
        "accomplicesData": _people(ctx, found["ACCOMPLICES"]),
        "auditorsData": _people(ctx, found["AUDITORS"]),
    }


def _actions(ctx: Actor, found: Mapping[str, Any]) -> dict[str, Any]:
    can = actions(ctx, found, ctx.user_id)
    return {
        "newCommentsCount": 0,
        "action": {camel(name.lower()): can[name] for name in ACTIONS},
        "checkListTree": tree(ctx, int(found["ID"]), ctx.user_id, can["CHECKLIST.ADD"]),
        "checkListCanAdd": can["CHECKLIST.ADD"],
    }


def full(ctx: Actor, task_id: int) -> dict[str, Any]:
    """The task as the caller sees it in tasks.task.get."""
    found = task(ctx, task_id)
    assert found is not None
    record = _base(ctx, found, _BASE)
    record.update({"auditors": [str(i) for i in found["AUDITORS"]],
                   "accomplices": [str(i) for i in found["ACCOMPLICES"]],
                   "checklist": _checklist(ctx, found), "group": []})
    record.update(_members(ctx, found))
    record.update(_actions(ctx, found))
    return record


def _checklist(ctx: Actor, found: Mapping[str, Any]) -> dict[str, Any]:
    """The task's checklist items keyed by id, camelCase (an empty map is written ``[]``)."""
    can = actions(ctx, found, ctx.user_id)["CHECKLIST.ADD"]
    action = {"modify": can, "remove": can, "toggle": can, "add": can, "addAccomplice": can}
    return {
        str(row["id"]): {
            "id": str(row["id"]), "taskId": str(row["task_id"]),
            "createdBy": str(row["created_by"]),
            "parentId": str(row["parent_id"]) if row["parent_id"] else 0,
            "title": row["title"], "sortIndex": str(row["sort_index"]),
            "isComplete": row["is_complete"], "isImportant": row["is_important"],
            "toggledBy": None if row["toggled_by"] is None else str(row["toggled_by"]),
            "toggledDate": row["toggled_date"], "ufChecklistFiles": False, "members": [],
            "attachments": [], "entityId": str(row["task_id"]), "action": action,
        }
        for row in items(ctx, int(found["ID"]))
    }


def listed(ctx: Actor, ids: Sequence[int], select: Sequence[str] | None) -> list[dict[str, Any]]:
    """tasks.task.list's records: the selected fields (all by default), the members' data
    when the creator or the responsible is selected, ``subStatus`` beside ``status``."""
    wanted = [str(s).upper() for s in select or []]
    everything = not wanted or "*" in wanted
    names = list(_BASE) if everything else [n for n in _BASE if n in wanted or n == "ID"]
    records = []
    for task_id in ids:
        found = task(ctx, task_id)
        if found is None:
            continue
        record = _base(ctx, found, names)
        if everything or "AUDITORS" in wanted:
            record["auditors"] = [str(i) for i in found["AUDITORS"]]
        if everything or "ACCOMPLICES" in wanted:
            record["accomplices"] = [str(i) for i in found["ACCOMPLICES"]]
        if everything:
            record["newCommentsCount"] = 0
        if everything or "GROUP_ID" in wanted:
            record["group"] = []
        if everything or "CREATED_BY" in wanted:
            record["creator"] = user_info(ctx, int(found["CREATED_BY"]))
        if everything or "RESPONSIBLE_ID" in wanted:
            record["responsible"] = user_info(ctx, int(found["RESPONSIBLE_ID"]))
        if everything:
            record["accomplicesData"] = _people(ctx, found["ACCOMPLICES"])
            record["auditorsData"] = _people(ctx, found["AUDITORS"])
        if "status" in record:
            record["subStatus"] = _sub_status(ctx, found)
        for name, value in uf_values(ctx.store, task_id).items():
            if name in wanted:
                record[camel(name)] = value
        records.append(record)
    return records


def _sub_status(ctx: Actor, found: Mapping[str, Any]) -> str:
    # The meta-status -1: overdue (a deadline passed before the task was done).
    deadline = found["DEADLINE"]
    if deadline and int(found["STATUS"]) < 4 \
            and dt.datetime.fromisoformat(deadline).timestamp() < ctx.now:
        return "-1"
    return str(found["STATUS"])


def _person(ctx: Actor, prefix: str, user_id: int) -> dict[str, Any]:
    row: sqlite3.Row | None = ctx.store.row("SELECT * FROM users WHERE id = ?", (user_id,))
    return {
        f"{prefix}Name": None if row is None else row["name"],
        f"{prefix}LastName": None if row is None else row["last_name"],
        f"{prefix}SecondName": None,
        f"{prefix}Login": None if row is None else row["email"],
        f"{prefix}WorkPosition": None if row is None else (row["work_position"] or None),
        f"{prefix}Photo": None,
    }


def legacy(ctx: Actor, task_id: int) -> dict[str, Any]:
    """The older shape (CTaskItem's data, camelCased): approve, disapprove, stopwatch."""
    found = task(ctx, task_id)
    assert found is not None
    record = _base(ctx, found, ("ID", "TITLE", "DESCRIPTION", "DESCRIPTION_IN_BBCODE"))
    record["declineReason"] = found["DECLINE_REASON"] or ""
    record.update(_base(ctx, found, ("PRIORITY", "NOT_VIEWED")))
    record["statusComplete"] = "2" if int(found["STATUS"]) == COMPLETED else "1"
    record.update(_base(ctx, found, ("MULTITASK", "STAGE_ID", "RESPONSIBLE_ID")))
    record.update(_person(ctx, "responsible", int(found["RESPONSIBLE_ID"])))
    record.update(_base(ctx, found, ("DATE_START", "DURATION_FACT", "TIME_ESTIMATE",
                                     "TIME_SPENT_IN_LOGS", "REPLICATE", "DEADLINE")))
    deadline = found["DEADLINE"]
    record["deadlineOrig"] = None if not deadline else \
        dt.datetime.fromisoformat(deadline).strftime("%d.%m.%Y %H:%M:%S")
    record.update(_base(ctx, found, ("START_DATE_PLAN", "END_DATE_PLAN", "CREATED_BY")))
    record.update(_person(ctx, "createdBy", int(found["CREATED_BY"])))
    record.update(_base(ctx, found, (
        "CREATED_DATE", "CHANGED_BY", "CHANGED_DATE", "STATUS_CHANGED_BY", "CLOSED_BY",
        "CLOSED_DATE", "ACTIVITY_DATE", "GUID", "XML_ID", "MARK", "ALLOW_CHANGE_DEADLINE",
        "ALLOW_TIME_TRACKING", "MATCH_WORK_TIME", "TASK_CONTROL", "ADD_IN_REPORT",
        "FORUM_TOPIC_ID", "PARENT_ID", "COMMENTS_COUNT", "SERVICE_COMMENTS_COUNT", "FORUM_ID",
        "SITE_ID", "SUBORDINATE", "EXCHANGE_MODIFIED", "EXCHANGE_ID", "OUTLOOK_VERSION",
        "VIEWED_DATE")))
    record["deadlineCounted"] = "0"
    record.update(_base(ctx, found, ("FORKED_BY_TEMPLATE_ID", "SORTING")))
    record.update({"durationPlanSeconds": None, "durationTypeAll": found["DURATION_TYPE"],
                   "scenarioName": ["default"], "isRegular": "N"})
    record.update(_base(ctx, found, ("FLOW_ID", "IS_MUTED", "IS_PINNED", "IS_PINNED_IN_GROUP")))
    values = uf_values(ctx.store, task_id)
    for field in uf_definitions(ctx):
        empty: Any = False if field["MULTIPLE"] == "Y" else None
        record[camel(field["FIELD_NAME"])] = values.get(field["FIELD_NAME"], empty)
    record.update(_base(ctx, found, ("STATUS", "STATUS_CHANGED_DATE", "DURATION_PLAN",
                                     "DURATION_TYPE", "FAVORITE", "GROUP_ID")))
    record.update({"auditors": [str(i) for i in found["AUDITORS"]],
                   "accomplices": [str(i) for i in found["ACCOMPLICES"]],
                   "tags": [], "checklist": [], "files": [], "dependsOn": [], "group": []})
    record.update(_members(ctx, found))
    record.update(_actions(ctx, found))
    return record
