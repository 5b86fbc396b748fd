"""A task's history (``tasks.task.history.list``): one entry per change, with the server's
field names (``NEW``, ``TITLE``, ``STATUS``, ``RESPONSIBLE_ID``, ``AUDITORS``, ``COMMENT``,
``CHECKLIST_ITEM_CREATE``, ...) and the values before and after, as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..timing import iso
from . import Actor, schema

__all__ = ["entries", "log", "log_many"]

SCHEMA = schema("task_history", """
CREATE TABLE IF NOT EXISTS task_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL,
    created REAL NOT NULL,
    field TEXT NOT NULL,
    from_value TEXT,
    to_value TEXT,
    user_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS task_history_by_task ON task_history (task_id, id);
""")


def log(ctx: Actor, task_id: int, field: str, before: Any = None, after: Any = None) -> None:
    """Write one entry; values are kept as the text the server shows."""
    store = ctx.store
    store.insert(
        "INSERT INTO task_history (task_id, created, field, from_value, to_value, user_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (task_id, ctx.now, field, _text(before), _text(after), ctx.user_id),
    )


def log_many(ctx: Actor, task_id: int, changes: Mapping[str, tuple[Any, Any]]) -> None:
    for field, (before, after) in changes.items():
        log(ctx, task_id, field, before, after)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def entries(ctx: Actor, task_id: int, filter_: Mapping[str, Any] | None = None,
            descending: bool = False) -> list[dict[str, Any]]:
    """The task's entries, oldest first (or newest first), ``{FIELD: value}`` narrowing
    them to one kind of change."""
    sql = ("SELECT h.*, u.name, u.last_name, u.email FROM task_history h"
           " LEFT JOIN users u ON u.id = h.user_id WHERE h.task_id = ?")
    args: list[Any] = [task_id]
    wanted = None if not filter_ else filter_.get("FIELD", filter_.get("field"))
    if wanted is not None:
        fields = wanted if isinstance(wanted, list) else [wanted]
        sql += f" AND h.field IN ({', '.join('?' for _ in fields)})"
        args += [str(f) for f in fields]
    sql += f" ORDER BY h.id {'DESC' if descending else 'ASC'}"
    return [
        {
            "id": row["id"],
            "createdDate": iso(row["created"]),
            "field": row["field"],
            "value": {"from": row["from_value"], "to": row["to_value"]},
            "user": {"id": row["user_id"], "name": row["name"] or "",
                     "lastName": row["last_name"] or "", "secondName": "",
                     "login": row["email"] or ""},
        }
        for row in ctx.store.rows(sql, args)
    ]
