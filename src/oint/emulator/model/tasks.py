# SQL is assembled from constant names only; values are always bound parameters.
# ruff: noqa: S608
"""Tasks: the table, their members, each user's marks on them (favorite, muted), and the
rules of every write (defaults, the status machine's effects, history entries).

Who may do what is ``model/task_rules.py``; the reply shapes are ``model/task_records.py``;
the handlers check the rules in the server's order before calling the writes here.
Dates are kept as ISO 8601 text in UTC, the emulated portal's time zone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from typing import Any

from ..php import intval
from ..store import Store
from ..timing import iso
from . import Actor, schema
from .entity import NUMBER, Entity, Field, Kind, Page, Query
from .filters import Clause, compare
from .task_history import log, log_many
from .task_rules import COMPLETED, IN_PROGRESS, PENDING, Roles, allowed
from .users import user_row

__all__ = [
    "DATE",
    "TASKS",
    "actions",
    "add_task",
    "attach_file",
    "can_read",
    "delegate",
    "delete_task",
    "forget_uf",
    "id_values",
    "is_admin",
    "list_tasks",
    "member_ids",
    "note_comments",
    "note_time_spent",
    "owns_rows",
    "roles",
    "set_auditor",
    "set_flag",
    "set_status",
    "stored_values",
    "task",
    "task_date",
    "uf_values",
    "update_task",
    "user_exists",
    "visible_to",
]


def task_date(value: Any) -> str | None:
    """A date the caller gave (ISO 8601 with or without an offset, ``dd.mm.yyyy hh:mm:ss``,
    a date alone) as stored: ISO 8601 in UTC; None for an empty or unreadable one."""
    if value is None or isinstance(value, (list, dict, bool)):
        return None
    text = str(value).strip()
    if not text:
        return None
    russian = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?",
                           text)
    try:
        if russian:
            day, month, year, hour, minute, second = russian.groups()
            moment = dt.datetime(int(year), int(month), int(day), int(hour or 0),
                                 int(minute or 0), int(second or 0))
        else:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


DATE = Kind("TEXT", task_date, lambda v: task_date(v) or "", lambda sql: sql)


def _members_filter(kind: str | None) -> Any:
    """ACCOMPLICE, AUDITOR (``kind`` A or U) or MEMBER (anyone in the task) as filter keys."""

    def clause(prefix: str, value: Any) -> Clause:
        wanted = prefix.lstrip("!") or "="
        inner = compare("m.user_id", wanted, value, intval)
        of_kind = "" if kind is None else " AND m.type = ?"
        sql = (f"EXISTS (SELECT 1 FROM task_members m WHERE m.task_id = tasks.ID{of_kind}"
               f" AND {inner.sql})")
        args = [*([] if kind is None else [kind]), *inner.args]
        if kind is None:  # the creator and the responsible are members too
            people = [compare(f"tasks.{c}", wanted, value, intval)
                      for c in ("CREATED_BY", "RESPONSIBLE_ID")]
            sql = "(" + " OR ".join([sql, *(p.sql for p in people)]) + ")"
            args += [a for p in people for a in p.args]
        return Clause(f"NOT {sql}" if prefix.startswith("!") else sql, args)

    return clause


def _f(name: str, type_: str = "string", kind: Kind | None = None, **options: Any) -> Field:
    return Field(name, type_, kind=kind or (DATE if type_ == "datetime" else None), **options)


# The stored fields, in tasks.task.getFields order; SPRINT_ID and the like are always empty.
TASKS = Entity("tasks", (
    _f("ID", "integer", read_only=True),
    _f("PARENT_ID", "integer"),
    _f("TITLE", required=True),
    _f("DESCRIPTION"),
    _f("MARK"),
    _f("PRIORITY", "integer"),
    _f("MULTITASK"),
    _f("NOT_VIEWED"),
    _f("REPLICATE"),
    _f("GROUP_ID", "integer"),
    _f("STAGE_ID", "integer"),
    _f("SPRINT_ID", "integer", sql="NULL"),
    _f("BACKLOG_ID", "integer", sql="NULL"),
    _f("CREATED_BY", "integer"),
    _f("CREATED_DATE", "datetime"),
    _f("RESPONSIBLE_ID", "integer"),
    _f("CHANGED_BY", "integer"),
    _f("CHANGED_DATE", "datetime"),
    _f("STATUS_CHANGED_BY", "integer"),
    _f("STATUS_CHANGED_DATE", "datetime"),
    _f("CLOSED_BY", "integer"),
    _f("CLOSED_DATE", "datetime"),
    _f("ACTIVITY_DATE", "datetime"),
    _f("DATE_START", "datetime"),
    _f("DEADLINE", "datetime"),
    _f("START_DATE_PLAN", "datetime"),
    _f("END_DATE_PLAN", "datetime"),
    _f("GUID"),
    _f("XML_ID"),
    _f("COMMENTS_COUNT", "integer"),
    _f("SERVICE_COMMENTS_COUNT", "integer"),
    _f("ALLOW_CHANGE_DEADLINE"),
    _f("ALLOW_TIME_TRACKING"),
    _f("TASK_CONTROL"),
    _f("ADD_IN_REPORT"),
    _f("FORKED_BY_TEMPLATE_ID", "integer"),
    _f("TIME_ESTIMATE", "integer"),
    _f("TIME_SPENT_IN_LOGS", "integer"),
    _f("MATCH_WORK_TIME"),
    _f("FORUM_TOPIC_ID", "integer"),
    _f("FORUM_ID", "integer"),
    _f("SITE_ID"),
    _f("OUTLOOK_VERSION", "integer"),
    _f("VIEWED_DATE", "datetime"),
    _f("DURATION_PLAN", "integer"),
    _f("DURATION_FACT", "integer"),
    _f("DURATION_TYPE"),
    _f("STATUS", "integer", kind=NUMBER),
    _f("REAL_STATUS", "integer", sql="STATUS"),
    _f("DECLINE_REASON"),
    _f("DESCRIPTION_IN_BBCODE"),
    _f("FLOW_ID", "integer"),
), filters={"ACCOMPLICE": _members_filter("A"), "AUDITOR": _members_filter("U"),
            "MEMBER": _members_filter(None)})

SCHEMA = schema("tasks", TASKS.create_table() + """
CREATE TABLE IF NOT EXISTS task_members (
    task_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    type TEXT NOT NULL,
    PRIMARY KEY (task_id, type, user_id)
);
CREATE TABLE IF NOT EXISTS task_user_marks (
    task_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    favorite INTEGER NOT NULL DEFAULT 0,
    muted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, user_id)
);
CREATE TABLE IF NOT EXISTS task_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL,
    file_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS task_uf_values (
    task_id INTEGER NOT NULL,
    field TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (task_id, field)
);
""")

# What a caller may write, besides the members and UF_ fields.
WRITABLE = ("PARENT_ID", "TITLE", "DESCRIPTION", "MARK", "PRIORITY", "MULTITASK", "REPLICATE",
            "GROUP_ID", "STAGE_ID", "CREATED_BY", "RESPONSIBLE_ID", "DEADLINE",
            "START_DATE_PLAN", "END_DATE_PLAN", "XML_ID", "ALLOW_CHANGE_DEADLINE",
            "ALLOW_TIME_TRACKING", "TASK_CONTROL", "ADD_IN_REPORT", "TIME_ESTIMATE",
            "MATCH_WORK_TIME", "SITE_ID", "DURATION_PLAN", "DURATION_TYPE", "STATUS",
            "DECLINE_REASON", "DESCRIPTION_IN_BBCODE")
# Fields whose changes the history records, with how their values are written there.
TRACKED = ("TITLE", "DESCRIPTION", "PRIORITY", "MARK", "PARENT_ID", "GROUP_ID", "STAGE_ID",
           "CREATED_BY", "RESPONSIBLE_ID", "DEADLINE", "START_DATE_PLAN", "END_DATE_PLAN",
           "DURATION_PLAN", "TIME_ESTIMATE", "ADD_IN_REPORT", "TASK_CONTROL",
           "ALLOW_TIME_TRACKING", "ALLOW_CHANGE_DEADLINE", "STATUS")
_FLAGS = ("MULTITASK", "REPLICATE", "ALLOW_CHANGE_DEADLINE", "ALLOW_TIME_TRACKING",
          "TASK_CONTROL", "ADD_IN_REPORT", "MATCH_WORK_TIME", "DESCRIPTION_IN_BBCODE")
_DATES = ("DEADLINE", "START_DATE_PLAN", "END_DATE_PLAN")
MEMBER_TYPES = {"ACCOMPLICES": "A", "AUDITORS": "U"}


def _flag(value: Any) -> str:
    if isinstance(value, bool):
        return "Y" if value else "N"
    return "Y" if str(value).strip().upper() in ("Y", "1", "TRUE") else "N"


def stored_values(given: Mapping[str, Any]) -> dict[str, Any]:
    """What the caller gave for writable fields (upper-case names), as stored."""
    row: dict[str, Any] = {}
    for name in WRITABLE:
        if name not in given:
            continue
        value = given[name]
        if name in _FLAGS:
            row[name] = _flag(value)
        elif name in _DATES:
            row[name] = task_date(value)
        elif name == "PARENT_ID":
            row[name] = intval(value) or None
        elif TASKS.fields[name].type == "integer":
            row[name] = intval(value)
        else:
            row[name] = None if value is None else str(value)
    return row


def id_values(value: Any) -> list[int]:
    """Member ids given as a list, a map or one scalar; empty and repeated ones dropped."""
    if isinstance(value, Mapping):
        value = list(value.values())
    if not isinstance(value, list):
        value = [] if value in (None, "", False) else [value]
    ids: list[int] = []
    for item in value:
        number = intval(item)
        if number > 0 and number not in ids:
            ids.append(number)
    return ids


# -- reading ----------------------------------------------------------------------------------

def task(ctx: Actor, task_id: int, viewer: int | None = None) -> dict[str, Any] | None:
    """The stored task (upper-case names), with ACCOMPLICES, AUDITORS and the viewer's
    FAVORITE and IS_MUTED; None if there is none."""
    row = ctx.store.row("SELECT * FROM tasks WHERE ID = ?", (task_id,))
    if row is None:
        return None
    found = dict(row)
    found["ACCOMPLICES"] = member_ids(ctx.store, task_id, "A")
    found["AUDITORS"] = member_ids(ctx.store, task_id, "U")
    marks = ctx.store.row("SELECT favorite, muted FROM task_user_marks WHERE task_id = ? AND "
                          "user_id = ?", (task_id, ctx.user_id if viewer is None else viewer))
    found["FAVORITE"] = "Y" if marks is not None and marks["favorite"] else "N"
    found["IS_MUTED"] = "Y" if marks is not None and marks["muted"] else "N"
    return found


def member_ids(store: Store, task_id: int, kind: str) -> list[int]:
    return [int(r[0]) for r in store.tuples(
        "SELECT user_id FROM task_members WHERE task_id = ? AND type = ? ORDER BY rowid",
        (task_id, kind))]


def is_admin(ctx: Actor, user_id: int) -> bool:
    return bool(ctx.store.scalar("SELECT is_admin FROM users WHERE id = ?", (user_id,)))


def user_exists(ctx: Actor, user_id: int) -> bool:
    return user_id > 0 and user_row(ctx, user_id) is not None


def roles(ctx: Actor, found: Mapping[str, Any], user_id: int) -> Roles:
    return Roles(
        director=int(found["CREATED_BY"]) == user_id,
        responsible=int(found["RESPONSIBLE_ID"]) == user_id,
        accomplice=user_id in found["ACCOMPLICES"],
        auditor=user_id in found["AUDITORS"],
        admin=is_admin(ctx, user_id),
    )


def can_read(ctx: Actor, found: Mapping[str, Any], user_id: int) -> bool:
    who = roles(ctx, found, user_id)
    return who.admin or who.member


def actions(ctx: Actor, found: Mapping[str, Any], user_id: int) -> dict[str, bool]:
    """What ``user_id`` may do to the task now (the FAVORITE of ``found`` must be theirs)."""
    return allowed(roles(ctx, found, user_id), found)


def visible_to(ctx: Actor) -> Clause | None:
    """The tasks a list shows the caller: all for an administrator, else their own."""
    if is_admin(ctx, ctx.user_id):
        return None
    return Clause("(tasks.CREATED_BY = ? OR tasks.RESPONSIBLE_ID = ? OR EXISTS (SELECT 1 FROM "
                  "task_members m WHERE m.task_id = tasks.ID AND m.user_id = ?))",
                  [ctx.user_id] * 3)


def list_tasks(ctx: Actor, query: Query) -> Page:
    """A page of the tasks the caller may see (records hold only their ids)."""
    return TASKS.page(ctx.store, Query(query.filter, query.order, ["ID"], query.start),
                      scope=visible_to(ctx))


def uf_values(store: Store, task_id: int) -> dict[str, Any]:
    return {name: json.loads(value) for name, value in store.tuples(
        "SELECT field, value FROM task_uf_values WHERE task_id = ?", (task_id,))}


# -- writing ----------------------------------------------------------------------------------

def add_task(ctx: Actor, given: Mapping[str, Any], uf: Mapping[str, Any]) -> int:
    """A new task from checked fields (upper-case names); its id. The history starts with
    NEW."""
    now = iso(ctx.now)
    row = stored_values(given)
    row.setdefault("CREATED_BY", ctx.user_id)
    status = row.get("STATUS") or PENDING
    row.update({
        "STATUS": PENDING if status == 1 else status, "CREATED_DATE": now, "CHANGED_DATE": now,
        "CHANGED_BY": ctx.user_id, "STATUS_CHANGED_DATE": now, "ACTIVITY_DATE": now,
        "GUID": "{" + str(uuid.uuid4()) + "}", "OUTLOOK_VERSION": 1, "SITE_ID": "s1",
        "PRIORITY": row.get("PRIORITY", 1), "GROUP_ID": row.get("GROUP_ID", 0),
        "STAGE_ID": row.get("STAGE_ID", 0), "TIME_ESTIMATE": row.get("TIME_ESTIMATE", 0),
        "DURATION_TYPE": row.get("DURATION_TYPE") or "days",
        "DESCRIPTION": row.get("DESCRIPTION") or "",
        "DESCRIPTION_IN_BBCODE": "Y",
    })
    for name in ("MULTITASK", "NOT_VIEWED", "REPLICATE", "ALLOW_CHANGE_DEADLINE",
                 "ALLOW_TIME_TRACKING", "TASK_CONTROL", "ADD_IN_REPORT", "MATCH_WORK_TIME"):
        row.setdefault(name, "N")
    task_id = TASKS.add(ctx.store, row)
    _write_members(ctx.store, task_id, given)
    _write_uf(ctx.store, task_id, uf)
    log(ctx, task_id, "NEW")
    return task_id


def update_task(ctx: Actor, task_id: int, given: Mapping[str, Any], uf: Mapping[str, Any]
                ) -> None:
    """Change a task's fields; each change goes into its history."""
    before = task(ctx, task_id)
    assert before is not None
    row = stored_values(given)
    if row.get("STATUS") == 1:
        row["STATUS"] = PENDING
    changes = {name: (before[name], value) for name, value in row.items()
               if name in TRACKED and _changed(before[name], value)}
    for name in MEMBER_TYPES:
        if name in given:
            after = id_values(given[name])
            if after != before[name]:
                changes[name] = (before[name], after)
    if "STATUS" in changes:
        row.update(_status_effects(ctx, before, int(row["STATUS"])))
    _touch(ctx, task_id, row)
    _write_members(ctx.store, task_id, given)
    _write_uf(ctx.store, task_id, uf)
    log_many(ctx, task_id, {name: (_history_value(name, old), _history_value(name, new))
                            for name, (old, new) in changes.items()})


def _changed(old: Any, new: Any) -> bool:
    return ("" if old is None else str(old)) != ("" if new is None else str(new))


def _history_value(name: str, value: Any) -> Any:
    # Dates are written in the history as Unix time, as the server writes them.
    if name in _DATES and value:
        return str(int(dt.datetime.fromisoformat(str(value)).timestamp()))
    if value is None:
        return ""
    return value


def _touch(ctx: Actor, task_id: int, row: Mapping[str, Any]) -> None:
    """Store changed values; every write of a task counts a new version of it."""
    TASKS.update(ctx.store, task_id, {**row, "CHANGED_BY": ctx.user_id,
                                      "CHANGED_DATE": iso(ctx.now)})
    ctx.store.execute("UPDATE tasks SET OUTLOOK_VERSION = OUTLOOK_VERSION + 1 WHERE ID = ?",
                      (task_id,))


def _status_effects(ctx: Actor, before: Mapping[str, Any], status: int) -> dict[str, Any]:
    now = iso(ctx.now)
    effects: dict[str, Any] = {"STATUS": status, "STATUS_CHANGED_BY": ctx.user_id,
                               "STATUS_CHANGED_DATE": now}
    if status == COMPLETED:
        effects.update({"CLOSED_BY": ctx.user_id, "CLOSED_DATE": now})
    else:
        effects.update({"CLOSED_BY": 0, "CLOSED_DATE": None})
    if status == IN_PROGRESS and not before["DATE_START"]:
        effects["DATE_START"] = now
    return effects


def set_status(ctx: Actor, found: Mapping[str, Any], status: int) -> None:
    """Move a task to another status (the caller checked that the move is allowed)."""
    task_id = int(found["ID"])
    _touch(ctx, task_id, _status_effects(ctx, found, status))
    log(ctx, task_id, "STATUS", found["STATUS"], status)


def delegate(ctx: Actor, found: Mapping[str, Any], user_id: int) -> None:
    """Give the task to another responsible; it waits for them (status 2)."""
    task_id = int(found["ID"])
    row: dict[str, Any] = {"RESPONSIBLE_ID": user_id}
    if int(found["STATUS"]) != PENDING:
        row.update(_status_effects(ctx, found, PENDING))
    _touch(ctx, task_id, row)
    log(ctx, task_id, "RESPONSIBLE_ID", found["RESPONSIBLE_ID"], user_id)
    if "STATUS" in row:
        log(ctx, task_id, "STATUS", found["STATUS"], PENDING)


def set_auditor(ctx: Actor, found: Mapping[str, Any], user_id: int, watching: bool) -> None:
    """Start or stop watching: the user joins or leaves the auditors. The creator and the
    responsible see the task anyway and do not join (the portal's replies and history show
    no auditor after they start watching)."""
    task_id = int(found["ID"])
    before = list(found["AUDITORS"])
    own = user_id in (int(found["CREATED_BY"]), int(found["RESPONSIBLE_ID"]))
    if watching == (user_id in before) or (watching and own):
        return
    after = [*before, user_id] if watching else [u for u in before if u != user_id]
    _touch(ctx, task_id, {})
    _write_members(ctx.store, task_id, {"AUDITORS": after})
    log(ctx, task_id, "AUDITORS", before, after)


def set_flag(ctx: Actor, task_id: int, column: str, value: bool) -> None:
    """The caller's own mark on a task: ``favorite`` or ``muted``."""
    if column not in ("favorite", "muted"):
        raise ValueError(column)
    ctx.store.execute("INSERT OR IGNORE INTO task_user_marks (task_id, user_id) VALUES (?, ?)",
                      (task_id, ctx.user_id))
    ctx.store.execute(f"UPDATE task_user_marks SET {column} = ? WHERE task_id = ? AND "
                      "user_id = ?", (int(value), task_id, ctx.user_id))


def attach_file(ctx: Actor, task_id: int, file_id: int) -> int:
    """Attach a disk file to the task; the attachment's id."""
    attachment = ctx.store.insert("INSERT INTO task_files (task_id, file_id) VALUES (?, ?)",
                                  (task_id, file_id))
    _touch(ctx, task_id, {})
    log(ctx, task_id, "FILES", "", str(file_id))
    return attachment


# Every (table, column) holding rows of a task: the families built on tasks add theirs
# (``owns_rows``), so that deleting a task leaves nothing of it behind.
_DEPENDENT = [("task_members", "task_id"), ("task_user_marks", "task_id"),
              ("task_files", "task_id"), ("task_uf_values", "task_id"),
              ("task_history", "task_id")]


def owns_rows(table: str, column: str = "task_id") -> None:
    """Declare a table whose rows (a task's id in ``column``) go when the task is deleted."""
    if (table, column) not in _DEPENDENT:
        _DEPENDENT.append((table, column))


def delete_task(ctx: Actor, task_id: int) -> None:
    TASKS.delete(ctx.store, task_id)
    for table, column in _DEPENDENT:
        ctx.store.execute(f"DELETE FROM {table} WHERE {column} = ?", (task_id,))


def _write_members(store: Store, task_id: int, given: Mapping[str, Any]) -> None:
    for name, kind in MEMBER_TYPES.items():
        if name not in given:
            continue
        store.execute("DELETE FROM task_members WHERE task_id = ? AND type = ?",
                      (task_id, kind))
        for user_id in id_values(given[name]):
            store.execute("INSERT OR IGNORE INTO task_members (task_id, user_id, type) VALUES "
                          "(?, ?, ?)", (task_id, user_id, kind))


def _write_uf(store: Store, task_id: int, uf: Mapping[str, Any]) -> None:
    for name, value in uf.items():
        store.execute("INSERT OR REPLACE INTO task_uf_values (task_id, field, value) VALUES "
                      "(?, ?, ?)", (task_id, name, json.dumps(value)))


def forget_uf(ctx: Actor, name: str) -> None:
    """A custom field was deleted: its values on tasks go with it."""
    ctx.store.execute("DELETE FROM task_uf_values WHERE field = ?", (name,))


def note_comments(ctx: Actor, task_id: int, count: int, service: int, topic: int) -> None:
    """The task's comments changed: its counters and forum topic follow."""
    ctx.store.execute(
        "UPDATE tasks SET COMMENTS_COUNT = ?, SERVICE_COMMENTS_COUNT = ?, FORUM_TOPIC_ID = "
        "COALESCE(FORUM_TOPIC_ID, ?), FORUM_ID = 11, ACTIVITY_DATE = ? WHERE ID = ?",
        (count, service, topic, iso(ctx.now), task_id))


def note_time_spent(ctx: Actor, task_id: int, seconds: int | None) -> None:
    """The task's elapsed time records changed: their sum."""
    ctx.store.execute("UPDATE tasks SET TIME_SPENT_IN_LOGS = ? WHERE ID = ?",
                      (seconds, task_id))
