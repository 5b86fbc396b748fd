# SQL is assembled from this module's own column names only; values are always bound.
# ruff: noqa: S608
"""A task's checklists (``task.checklistitem.*``): named lists (items with no parent) and
their items; every change writes the task's history (``CHECKLIST_ITEM_*``).

An item added without a parent goes into the task's first checklist, which is made on
demand and named ``BX_CHECKLIST_<n>`` as the server names it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from ..php import intval
from . import Actor, schema
from .task_history import log
from .tasks import owns_rows

__all__ = [
    "add_item",
    "delete_item",
    "item",
    "item_json",
    "items",
    "rename_item",
    "toggle_item",
    "tree",
]

SCHEMA = schema("task_checklist", """
CREATE TABLE IF NOT EXISTS task_checklist (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id INTEGER NOT NULL,
    parent_id INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL,
    title TEXT NOT NULL,
    sort_index INTEGER NOT NULL DEFAULT 0,
    is_complete TEXT NOT NULL DEFAULT 'N',
    is_important TEXT NOT NULL DEFAULT 'N',
    toggled_by INTEGER,
    toggled_date TEXT
);
CREATE INDEX IF NOT EXISTS task_checklist_by_task ON task_checklist (task_id, sort_index);
""")
owns_rows("task_checklist")


def _yes(value: Any) -> str:
    if isinstance(value, bool):
        return "Y" if value else "N"
    return "Y" if str(value).strip().upper() in ("Y", "1", "TRUE") else "N"


def item(ctx: Actor, item_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM task_checklist WHERE id = ?", (item_id,))


def items(ctx: Actor, task_id: int, order: Mapping[str, Any] | None = None
          ) -> list[sqlite3.Row]:
    columns = {"ID": "id", "PARENT_ID": "parent_id", "CREATED_BY": "created_by",
               "TITLE": "title", "SORT_INDEX": "sort_index", "IS_COMPLETE": "is_complete",
               "IS_IMPORTANT": "is_important", "TOGGLED_BY": "toggled_by",
               "TOGGLED_DATE": "toggled_date"}
    terms = [f"{columns[str(k).upper()]} {'DESC' if str(v).upper() == 'DESC' else 'ASC'}"
             for k, v in (order or {}).items() if str(k).upper() in columns]
    terms.append("sort_index ASC, id ASC")
    return ctx.store.rows(
        f"SELECT * FROM task_checklist WHERE task_id = ? ORDER BY {', '.join(terms)}",
        (task_id,))


def item_json(row: sqlite3.Row) -> dict[str, Any]:
    """An item as ``task.checklistitem.get`` answers it (a checklist's PARENT_ID is 0)."""
    return {
        "ID": str(row["id"]), "TASK_ID": str(row["task_id"]),
        "PARENT_ID": str(row["parent_id"]) if row["parent_id"] else 0,
        "CREATED_BY": str(row["created_by"]), "TITLE": row["title"],
        "SORT_INDEX": str(row["sort_index"]), "IS_COMPLETE": row["is_complete"],
        "IS_IMPORTANT": row["is_important"],
        "TOGGLED_BY": None if row["toggled_by"] is None else str(row["toggled_by"]),
        "TOGGLED_DATE": row["toggled_date"] or "", "MEMBERS": [], "ATTACHMENTS": [],
    }


def _insert(ctx: Actor, task_id: int, parent_id: int, title: str, fields: Mapping[str, Any]
            ) -> int:
    given = fields.get("SORT_INDEX")
    sort_index = intval(given) if given not in (None, "") else int(ctx.store.scalar(
        "SELECT COUNT(*) FROM task_checklist WHERE task_id = ?", (task_id,)))
    item_id = ctx.store.insert(
        "INSERT INTO task_checklist (task_id, parent_id, created_by, title, sort_index,"
        " is_complete, is_important) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (task_id, parent_id, ctx.user_id, title, sort_index,
         _yes(fields.get("IS_COMPLETE", "N")), _yes(fields.get("IS_IMPORTANT", "N"))))
    log(ctx, task_id, "CHECKLIST_ITEM_CREATE", "", title)
    return item_id


def add_item(ctx: Actor, task_id: int, fields: Mapping[str, Any]) -> int:
    """A new item (or, with PARENT_ID 0, a new checklist named by its TITLE); its id."""
    title = str(fields.get("TITLE", "")).strip()
    if "PARENT_ID" in fields and intval(fields["PARENT_ID"]) == 0 \
            and str(fields["PARENT_ID"]).strip() != "":
        return _insert(ctx, task_id, 0, title, fields)
    parent = intval(fields.get("PARENT_ID"))
    known = ctx.store.scalar("SELECT id FROM task_checklist WHERE id = ? AND task_id = ?",
                             (parent, task_id)) if parent > 0 else None
    if known is None:
        known = ctx.store.scalar("SELECT id FROM task_checklist WHERE task_id = ? AND "
                                 "parent_id = 0 ORDER BY sort_index, id LIMIT 1", (task_id,))
    if known is None:
        lists = ctx.store.scalar("SELECT COUNT(*) FROM task_checklist WHERE task_id = ? AND "
                                 "parent_id = 0", (task_id,))
        known = _insert(ctx, task_id, 0, f"BX_CHECKLIST_{int(lists) + 1}", {})
    return _insert(ctx, task_id, int(known), title, fields)


def rename_item(ctx: Actor, row: sqlite3.Row, fields: Mapping[str, Any]) -> None:
    """Change an item's title, order, importance or state."""
    changes: dict[str, Any] = {}
    if "TITLE" in fields and str(fields["TITLE"]).strip() != row["title"]:
        changes["title"] = str(fields["TITLE"]).strip()
        log(ctx, row["task_id"], "CHECKLIST_ITEM_RENAME", row["title"], changes["title"])
    if "SORT_INDEX" in fields:
        changes["sort_index"] = intval(fields["SORT_INDEX"])
    if "IS_IMPORTANT" in fields:
        changes["is_important"] = _yes(fields["IS_IMPORTANT"])
    for column, value in changes.items():
        ctx.store.execute(
            f"UPDATE task_checklist SET {column} = ? WHERE id = ?", (value, row["id"]))
    if "IS_COMPLETE" in fields:
        toggle_item(ctx, row, _yes(fields["IS_COMPLETE"]) == "Y")


def toggle_item(ctx: Actor, row: sqlite3.Row, complete: bool) -> None:
    state = "Y" if complete else "N"
    if row["is_complete"] == state:
        return
    # TOGGLED_BY and TOGGLED_DATE stay empty: the recorded replies of completed items
    # (both server versions) have them so.
    ctx.store.execute("UPDATE task_checklist SET is_complete = ? WHERE id = ?",
                      (state, row["id"]))
    field = "CHECKLIST_ITEM_CHECK" if complete else "CHECKLIST_ITEM_UNCHECK"
    log(ctx, row["task_id"], field, "", row["title"])


def delete_item(ctx: Actor, row: sqlite3.Row) -> None:
    """Delete an item, and a checklist's items with it."""
    ctx.store.execute("DELETE FROM task_checklist WHERE id = ? OR parent_id = ?",
                      (row["id"], row["id"]))
    log(ctx, row["task_id"], "CHECKLIST_ITEM_REMOVE", row["title"], "")


def tree(ctx: Actor, task_id: int, viewer: int, can_modify: bool) -> dict[str, Any]:
    """The task's ``checkListTree``: a root node holding the checklists and their items."""
    rows = items(ctx, task_id)
    action = {"modify": can_modify, "remove": can_modify, "toggle": can_modify,
              "add": can_modify, "addAccomplice": can_modify}
    nodes: dict[int, dict[str, Any]] = {}
    root = _node(0, None, viewer, None)
    for row in rows:
        nodes[row["id"]] = _node(len(nodes) + 1, row, viewer, action)
    for row in rows:
        parent = nodes.get(row["parent_id"], root) if row["parent_id"] else root
        parent["descendants"].append(nodes[row["id"]])
    return root


def _node(number: int, row: sqlite3.Row | None, viewer: int, action: Any) -> dict[str, Any]:
    return {
        "nodeId": number,
        "fields": {
            "id": None if row is None else row["id"], "copiedId": None,
            "entityId": None if row is None else row["task_id"],
            "userId": viewer, "createdBy": None if row is None else row["created_by"],
            "parentId": None if row is None else row["parent_id"],
            "title": "" if row is None else row["title"],
            "sortIndex": None if row is None else row["sort_index"],
            "displaySortIndex": "" if row is None else str(row["sort_index"] + 1),
            "isComplete": row is not None and row["is_complete"] == "Y",
            "isImportant": row is not None and row["is_important"] == "Y",
            "completedCount": 0, "members": [], "attachments": [], "nodeId": None,
        },
        "action": [] if action is None else action,
        "descendants": [],
    }

