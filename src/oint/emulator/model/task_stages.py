"""Kanban stages (``task.stages.*``): each user's "My plan" (ENTITY_TYPE ``U``) and a
workgroup's Kanban (``G``), and where tasks sit in them.

As on the server (``StagesTable``): stages are made on first use (My plan: "Not planned"
and "To be done this week"; a group: New, In progress, Finished); every write renumbers a
board's stages 100, 200, ... and the first one becomes the ``NEW`` system stage; a stage
goes after ``AFTER_ID`` (first when it is 0). A task sits in a user's plan by a pin; moving
it before or after another task sets the user's sorting (steps of 1024).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from . import Actor, schema
from .tasks import owns_rows

__all__ = [
    "GROUP",
    "USER",
    "add_stage",
    "board",
    "delete_stage",
    "pin",
    "place",
    "sorting",
    "stage",
    "stage_json",
    "tasks_in",
    "update_stage",
]

USER, GROUP = "U", "G"
DEFAULT_COLOR = "47D1E2"
_DEFAULTS = {
    USER: (("Not planned", "00C4FB"), ("To be done this week", "47D1E2")),
    GROUP: (("", "00C4FB"), ("", "47D1E2"), ("", "75D900")),
}
# A group stage without a title is named after its system type.
_SYSTEM_TITLES = {"NEW": "New", "WORK": "In progress", "FINISH": "Finished"}
_SORT_STEP = 1024

SCHEMA = schema("task_stages", """
CREATE TABLE IF NOT EXISTS task_stages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL DEFAULT '',
    sort INTEGER NOT NULL,
    color TEXT NOT NULL DEFAULT '',
    system_type TEXT NOT NULL DEFAULT '',
    entity_id INTEGER NOT NULL,
    entity_type TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS task_stage_pins (
    task_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    stage_id INTEGER NOT NULL,
    PRIMARY KEY (task_id, user_id)
);
CREATE TABLE IF NOT EXISTS task_sorting (
    task_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    sort REAL NOT NULL,
    PRIMARY KEY (task_id, user_id)
);
""")
owns_rows("task_stage_pins")
owns_rows("task_sorting")


def stage(ctx: Actor, stage_id: int) -> sqlite3.Row | None:
    return ctx.store.row("SELECT * FROM task_stages WHERE id = ?", (stage_id,))


def _rows(ctx: Actor, entity_id: int, entity_type: str) -> list[sqlite3.Row]:
    return ctx.store.rows("SELECT * FROM task_stages WHERE entity_id = ? AND entity_type = ?"
                          " ORDER BY sort, id", (entity_id, entity_type))


def board(ctx: Actor, entity_id: int, entity_type: str) -> list[sqlite3.Row]:
    """A board's stages in order, made with the defaults the first time it is asked for."""
    rows = _rows(ctx, entity_id, entity_type)
    if rows:
        return rows
    for number, (title, color) in enumerate(_DEFAULTS[entity_type]):
        system = ("NEW", "WORK", "FINISH")[number] if entity_type == GROUP else \
            ("NEW" if number == 0 else "")
        ctx.store.insert("INSERT INTO task_stages (title, sort, color, system_type, entity_id,"
                         " entity_type) VALUES (?, ?, ?, ?, ?, ?)",
                         (title, (number + 1) * 100, color, system, entity_id, entity_type))
    return _rows(ctx, entity_id, entity_type)


def stage_json(row: sqlite3.Row) -> dict[str, Any]:
    record: dict[str, Any] = {
        "ID": str(row["id"]),
        "TITLE": row["title"] or _SYSTEM_TITLES.get(row["system_type"], "New"),
        "SORT": str(row["sort"]), "COLOR": row["color"] or DEFAULT_COLOR,
        "SYSTEM_TYPE": row["system_type"], "ENTITY_ID": str(row["entity_id"]),
        "ENTITY_TYPE": row["entity_type"], "ADDITIONAL_FILTER": [], "TO_UPDATE": [],
        "TO_UPDATE_ACCESS": None,
    }
    if row["system_type"] == "NEW":
        record["CAN_SORT_ITEMS"] = True
    return record


def _renumber(ctx: Actor, stages: list[dict[str, Any]]) -> None:
    # The server rewrites the whole board on every write: sorts 100, 200, ... and only the
    # first stage is the NEW one.
    stages.sort(key=lambda s: s["sort"])
    for number, item in enumerate(stages):
        sort = (number + 1) * 100
        system = "NEW" if number == 0 else ""
        if item["id"]:
            ctx.store.execute("UPDATE task_stages SET title = ?, color = ?, sort = ?,"
                              " system_type = ? WHERE id = ?",
                              (item["title"], item["color"], sort, system, item["id"]))
        else:
            item["id"] = ctx.store.insert(
                "INSERT INTO task_stages (title, sort, color, system_type, entity_id,"
                " entity_type) VALUES (?, ?, ?, ?, ?, ?)",
                (item["title"], sort, item["color"], system, item["entity_id"],
                 item["entity_type"]))


def _write(ctx: Actor, entity_id: int, entity_type: str, stage_id: int,
           fields: Mapping[str, Any]) -> int:
    """StagesTable::updateByCode: add or change one stage, then renumber the board."""
    stages = [dict(row) for row in board(ctx, entity_id, entity_type)]
    by_id = {s["id"]: s for s in stages}
    target = by_id.get(stage_id)
    if target is None:
        target = {"id": 0, "title": "", "color": "", "sort": 0, "entity_id": entity_id,
                  "entity_type": entity_type}
        stages.append(target)
    for key in ("title", "color"):
        if key.upper() in fields:
            target[key] = str(fields[key.upper()])
    if "AFTER_ID" in fields:
        after = by_id.get(int(fields["AFTER_ID"] or 0))
        if int(fields["AFTER_ID"] or 0) == 0:
            target["sort"] = 10
        elif after is not None:
            target["sort"] = after["sort"] + 10
        else:
            target["sort"] = len(stages) * 100 + 10
    _renumber(ctx, stages)
    return int(target["id"])


def add_stage(ctx: Actor, entity_id: int, entity_type: str, fields: Mapping[str, Any]) -> int:
    return _write(ctx, entity_id, entity_type, 0, fields)


def update_stage(ctx: Actor, row: sqlite3.Row, fields: Mapping[str, Any]) -> None:
    _write(ctx, row["entity_id"], row["entity_type"], row["id"], fields)


def tasks_in(ctx: Actor, row: sqlite3.Row) -> int:
    return int(ctx.store.scalar("SELECT COUNT(*) FROM task_stage_pins WHERE stage_id = ?",
                                (row["id"],)))


def delete_stage(ctx: Actor, row: sqlite3.Row) -> None:
    ctx.store.execute("DELETE FROM task_stages WHERE id = ?", (row["id"],))


def pin(ctx: Actor, task_id: int, row: sqlite3.Row) -> None:
    """Put the task into the stage of its owner's plan."""
    ctx.store.execute("INSERT OR REPLACE INTO task_stage_pins (task_id, user_id, stage_id)"
                      " VALUES (?, ?, ?)", (task_id, row["entity_id"], row["id"]))


def place(ctx: Actor, task_id: int, other: int, before: bool) -> None:
    """The caller's sorting: the task just before or after another, every task of theirs
    renumbered in steps of 1024."""
    order = [int(r[0]) for r in ctx.store.tuples(
        "SELECT task_id FROM task_sorting WHERE user_id = ? ORDER BY sort", (ctx.user_id,))]
    if other not in order:
        order.append(other)
    if task_id in order:
        order.remove(task_id)
    at = order.index(other)
    order.insert(at if before else at + 1, task_id)
    for number, item in enumerate(order, start=1):
        ctx.store.execute("INSERT OR REPLACE INTO task_sorting (task_id, user_id, sort)"
                          " VALUES (?, ?, ?)", (item, ctx.user_id, number * _SORT_STEP))


def sorting(ctx: Actor, task_id: int, user_id: int) -> str | None:
    """The user's sorting index of the task (``sorting`` in task replies), if any."""
    value = ctx.store.scalar("SELECT sort FROM task_sorting WHERE task_id = ? AND user_id = ?",
                             (task_id, user_id))
    return None if value is None else f"{value:.7f}"
