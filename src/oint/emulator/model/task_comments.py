# SQL is assembled from this module's own column names only; values are always bound.
# ruff: noqa: S608
"""A task's comments (``task.commentitem.*``) and the results made of them
(``tasks.task.result.*``).

A comment counts on its task (``commentsCount``) and writes ``COMMENT`` into the task's
history; a comment pinned as a result keeps the comment's text and date. Delegating,
completing and renewing a task add a service comment of the portal's own (counted in
``serviceCommentsCount`` too, and written as ``COMMENT`` in the history, as the recorded
replies and history show); the comment methods do not list them.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from typing import Any

from ..timing import iso
from . import Actor, schema
from .filters import Clause, compare, split_key
from .task_history import log
from .tasks import note_comments, owns_rows, task_date

__all__ = ["FILTERABLE", "FORUM_TOPIC_BASE", "add_comment", "add_result", "comment", "comment_json",
           "comments", "delete_comment", "delete_result", "result_for", "result_json",
           "results", "service_comment", "update_comment"]

SCHEMA = schema("task_comments", """
CREATE TABLE IF NOT EXISTS task_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    post_date REAL NOT NULL,
    message TEXT NOT NULL,
    service INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS task_comments_by_task ON task_comments (task_id, id);
CREATE TABLE IF NOT EXISTS task_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL,
    comment_id INTEGER NOT NULL UNIQUE,
    created_by INTEGER NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    text TEXT NOT NULL
);
""")
owns_rows("task_comments")
owns_rows("task_results")

# A task's forum topic is numbered after the task (the server keeps comments in a forum).
FORUM_TOPIC_BASE = 1000
# The columns a comment list may be filtered and ordered by.
COLUMNS = {"ID": "c.id", "AUTHOR_ID": "c.author_id", "POST_DATE": "c.post_date",
           "AUTHOR_NAME": "(u.name || ' ' || u.last_name)", "AUTHOR_EMAIL": "''"}
FILTERABLE = ("ID", "AUTHOR_ID", "AUTHOR_NAME", "POST_DATE")


def comment(ctx: Actor, comment_id: int) -> sqlite3.Row | None:
    return ctx.store.row(
        "SELECT c.*, u.name, u.last_name FROM task_comments c LEFT JOIN users u"
        " ON u.id = c.author_id WHERE c.id = ? AND c.service = 0", (comment_id,))


def comment_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "POST_MESSAGE_HTML": None, "ID": str(row["id"]), "AUTHOR_ID": str(row["author_id"]),
        "AUTHOR_NAME": f"{row['name'] or ''} {row['last_name'] or ''}".strip(),
        "AUTHOR_EMAIL": "", "POST_DATE": iso(row["post_date"]), "POST_MESSAGE": row["message"],
    }


def comments(ctx: Actor, task_id: int, order: Mapping[str, Any], filter_: Mapping[str, Any]
             ) -> list[sqlite3.Row]:
    """A task's comments; the keys of ``order`` and ``filter`` are checked by the caller."""
    where = [Clause("c.task_id = ? AND c.service = 0", [task_id])]
    for key, value in filter_.items():
        prefix, name = split_key(str(key))
        compared = value
        if name == "POST_DATE":
            text = task_date(value)
            compared = 0 if text is None else dt.datetime.fromisoformat(text).timestamp()
        where.append(compare(COLUMNS[name], prefix, compared))
    terms = [f"{COLUMNS[str(k).upper()]} {'DESC' if str(v).upper() == 'DESC' else 'ASC'}"
             for k, v in order.items()]
    sql = ("SELECT c.*, u.name, u.last_name FROM task_comments c LEFT JOIN users u ON "
           f"u.id = c.author_id WHERE {' AND '.join(w.sql for w in where)} "
           f"ORDER BY {', '.join([*terms, 'c.id ASC'])}")
    return ctx.store.rows(sql, [a for w in where for a in w.args])


def _counters(ctx: Actor, task_id: int) -> None:
    count, service = ctx.store.tuples(
        "SELECT COUNT(*), COALESCE(SUM(service), 0) FROM task_comments WHERE task_id = ?",
        (task_id,))[0]
    note_comments(ctx, task_id, int(count), int(service), FORUM_TOPIC_BASE + task_id)


def add_comment(ctx: Actor, task_id: int, author_id: int, message: str, service: bool = False
                ) -> int:
    comment_id = ctx.store.insert(
        "INSERT INTO task_comments (task_id, author_id, post_date, message, service) VALUES"
        " (?, ?, ?, ?, ?)", (task_id, author_id, ctx.now, message, int(service)))
    _counters(ctx, task_id)
    log(ctx, task_id, "COMMENT", None, comment_id)
    return comment_id


def service_comment(ctx: Actor, task_id: int, message: str) -> None:
    """The portal's own comment on a change of the task (by the caller)."""
    add_comment(ctx, task_id, ctx.user_id, message, service=True)


def update_comment(ctx: Actor, row: sqlite3.Row, message: str) -> None:
    ctx.store.execute("UPDATE task_comments SET message = ? WHERE id = ?", (message, row["id"]))


def delete_comment(ctx: Actor, row: sqlite3.Row) -> None:
    ctx.store.execute("DELETE FROM task_comments WHERE id = ?", (row["id"],))
    ctx.store.execute("DELETE FROM task_results WHERE comment_id = ?", (row["id"],))
    _counters(ctx, row["task_id"])


# -- results ----------------------------------------------------------------------------------

def result_for(ctx: Actor, comment_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM task_results WHERE comment_id = ?", (comment_id,))


def result_json(row: sqlite3.Row, files: Any) -> dict[str, Any]:
    return {
        "id": row["id"], "taskId": row["task_id"], "commentId": row["comment_id"],
        "createdBy": row["created_by"], "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]), "status": 0, "text": row["text"],
        "formattedText": row["text"], "files": files,
    }


def results(ctx: Actor, task_id: int) -> list[sqlite3.Row]:
    """A task's results, the newest first."""
    return ctx.store.rows("SELECT * FROM task_results WHERE task_id = ? ORDER BY id DESC",
                          (task_id,))


def add_result(ctx: Actor, row: sqlite3.Row) -> sqlite3.Row:
    """Pin a comment as a result of its task; the result keeps the comment's text and date."""
    result_id = ctx.store.insert(
        "INSERT INTO task_results (task_id, comment_id, created_by, created_at, updated_at,"
        " text) VALUES (?, ?, ?, ?, ?, ?)",
        (row["task_id"], row["id"], ctx.user_id, row["post_date"], row["post_date"],
         row["message"]))
    found = ctx.store.row("SELECT * FROM task_results WHERE id = ?", (result_id,))
    assert found is not None
    return found


def delete_result(ctx: Actor, comment_id: int) -> None:
    ctx.store.execute("DELETE FROM task_results WHERE comment_id = ?", (comment_id,))
