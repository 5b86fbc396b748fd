# SQL is assembled from this module's own column names only; values are always bound.
# ruff: noqa: S608
"""Time spent on a task (``task.elapseditem.*``): records of seconds by user, with a
comment; their sum is the task's ``timeSpentInLogs``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from ..php import intval
from ..timing import iso
from . import Actor, schema
from .tasks import note_time_spent, owns_rows, task_date

__all__ = ["add_record", "delete_record", "record", "record_json", "records",
           "update_record"]

SCHEMA = schema("task_elapsed", """
CREATE TABLE IF NOT EXISTS task_elapsed (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    comment_text TEXT NOT NULL DEFAULT '',
    seconds INTEGER NOT NULL DEFAULT 0,
    source INTEGER NOT NULL DEFAULT 2,
    created_date TEXT NOT NULL,
    date_start TEXT NOT NULL,
    date_stop TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS task_elapsed_by_task ON task_elapsed (task_id, id);
""")
owns_rows("task_elapsed")

SOURCE_MANUAL = 2  # a record entered by hand, not by a timer


def record(ctx: Actor, item_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM task_elapsed WHERE id = ?", (item_id,))


def record_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "ID": str(row["id"]), "TASK_ID": str(row["task_id"]), "USER_ID": str(row["user_id"]),
        "COMMENT_TEXT": row["comment_text"], "SECONDS": str(row["seconds"]),
        "MINUTES": str(round(row["seconds"] / 60)), "SOURCE": str(row["source"]),
        "CREATED_DATE": row["created_date"], "DATE_START": row["date_start"],
        "DATE_STOP": row["date_stop"],
    }


def records(ctx: Actor, task_id: int | None, order: Mapping[str, Any]) -> list[sqlite3.Row]:
    """A task's records (every record, with None), in the asked order."""
    columns = {"ID": "id", "USER_ID": "user_id", "MINUTES": "seconds", "SECONDS": "seconds",
               "CREATED_DATE": "created_date", "DATE_START": "date_start",
               "DATE_STOP": "date_stop"}
    terms = [f"{columns[str(k).upper()]} {'DESC' if str(v).upper() == 'DESC' else 'ASC'}"
             for k, v in order.items() if str(k).upper() in columns]
    where, args = ("task_id = ?", [task_id]) if task_id is not None else ("1", [])
    return ctx.store.rows(
        f"SELECT * FROM task_elapsed WHERE {where} ORDER BY {', '.join([*terms, 'id ASC'])}",
        args)


def _seconds(fields: Mapping[str, Any]) -> int:
    if "SECONDS" in fields:
        return max(intval(fields["SECONDS"]), 0)
    return max(intval(fields.get("MINUTES")), 0) * 60


def _sum(ctx: Actor, task_id: int) -> None:
    total = ctx.store.scalar("SELECT SUM(seconds) FROM task_elapsed WHERE task_id = ?",
                             (task_id,))
    note_time_spent(ctx, task_id, None if total is None else int(total))


def add_record(ctx: Actor, task_id: int, fields: Mapping[str, Any]) -> int:
    """A record of the caller's (or USER_ID's) time; CREATED_DATE may set when it was."""
    now = iso(ctx.now)
    user_id = intval(fields.get("USER_ID")) or ctx.user_id
    created = task_date(fields.get("CREATED_DATE")) or now
    item_id = ctx.store.insert(
        "INSERT INTO task_elapsed (task_id, user_id, comment_text, seconds, source,"
        " created_date, date_start, date_stop) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (task_id, user_id, str(fields.get("COMMENT_TEXT") or ""), _seconds(fields),
         SOURCE_MANUAL, created, now, now))
    _sum(ctx, task_id)
    return item_id


def update_record(ctx: Actor, row: sqlite3.Row, fields: Mapping[str, Any]) -> None:
    changes: dict[str, Any] = {}
    if "SECONDS" in fields or "MINUTES" in fields:
        changes["seconds"] = _seconds(fields)
    if "COMMENT_TEXT" in fields:
        changes["comment_text"] = str(fields["COMMENT_TEXT"] or "")
    if "CREATED_DATE" in fields and task_date(fields["CREATED_DATE"]):
        changes["created_date"] = task_date(fields["CREATED_DATE"])
    for column, value in changes.items():
        ctx.store.execute(
            f"UPDATE task_elapsed SET {column} = ? WHERE id = ?", (value, row["id"]))
    _sum(ctx, row["task_id"])


def delete_record(ctx: Actor, row: sqlite3.Row) -> None:
    ctx.store.execute("DELETE FROM task_elapsed WHERE id = ?", (row["id"],))
    _sum(ctx, row["task_id"])
