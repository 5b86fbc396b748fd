"""Links between tasks (``task.dependence.*``, the Gantt chart's): a task depends on
another with a link type (0 start-start, 1 start-finish, 2 finish-start, 3 finish-finish).
One link per pair of tasks, and no cycles.
"""

from __future__ import annotations

from . import Actor, schema
from .tasks import owns_rows

__all__ = ["LINK_TYPES", "add_link", "delete_link", "leads_to", "linked"]

SCHEMA = schema("task_links", """
CREATE TABLE IF NOT EXISTS task_links (
    task_id INTEGER NOT NULL,
    depends_on_id INTEGER NOT NULL,
    type INTEGER NOT NULL,
    PRIMARY KEY (task_id, depends_on_id)
);
""")
owns_rows("task_links")
owns_rows("task_links", "depends_on_id")

LINK_TYPES = (0, 1, 2, 3)


def linked(ctx: Actor, task_from: int, task_to: int) -> bool:
    """True when ``task_to`` depends on ``task_from`` already."""
    return ctx.store.scalar("SELECT 1 FROM task_links WHERE task_id = ? AND depends_on_id = ?",
                            (task_to, task_from)) is not None


def leads_to(ctx: Actor, start: int, target: int) -> bool:
    """True when ``target`` depends, through any chain of links, on ``start``."""
    seen: set[int] = set()
    frontier = [start]
    while frontier:
        current = frontier.pop()
        if current == target:
            return True
        if current in seen:
            continue
        seen.add(current)
        frontier += [int(r[0]) for r in ctx.store.tuples(
            "SELECT task_id FROM task_links WHERE depends_on_id = ?", (current,))]
    return False


def add_link(ctx: Actor, task_from: int, task_to: int, link_type: int) -> None:
    ctx.store.execute("INSERT INTO task_links (task_id, depends_on_id, type) VALUES (?, ?, ?)",
                      (task_to, task_from, link_type))


def delete_link(ctx: Actor, task_from: int, task_to: int) -> None:
    ctx.store.execute("DELETE FROM task_links WHERE task_id = ? AND depends_on_id = ?",
                      (task_to, task_from))
