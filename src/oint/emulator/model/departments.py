"""The company structure: a tree of departments under the company's root, each with a
head (``UF_HEAD``) and the people who work in it (their ``UF_DEPARTMENT``).

The tables are the users family's (``model/users.py``): a department is part of the
people's data. Lists come in the structure's order (the tree walked depth first, each
level by ``SORT`` then name), as the server's ``LEFT_MARGIN`` orders them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from ..php import intval
from . import Actor

__all__ = [
    "DEFAULT_SORT",
    "DepartmentError",
    "add_department",
    "delete_department",
    "department_exists",
    "department_view",
    "descendants",
    "list_departments",
    "update_department",
]

DEFAULT_SORT = 500
# The iblock's messages (the structure is an iblock's sections on the server).
NO_NAME = "Section name is not specified.<br>"
NO_PARENT = "Parent section not found.<br>"
ONE_ROOT = "The company structure can have only one top-level department"
CYCLE = "A section cannot be moved into itself or into its own subsection.<br>"
HAS_CHILDREN = "The department has subdepartments; move or delete them first"
HAS_PEOPLE = "The department has employees; move them to another department first"


class DepartmentError(Exception):
    """A change the structure refuses; the message is the server's text."""


def _rows(ctx: Actor) -> list[sqlite3.Row]:
    return ctx.store.rows("SELECT * FROM departments")


def _tree_order(rows: list[sqlite3.Row]) -> list[sqlite3.Row]:
    children: dict[int | None, list[sqlite3.Row]] = {}
    for row in rows:
        children.setdefault(row["parent_id"], []).append(row)
    ordered: list[sqlite3.Row] = []

    def walk(parent: int | None) -> None:
        for row in sorted(children.get(parent, []),
                          key=lambda r: (r["sort"], str(r["name"]).lower(), r["id"])):
            ordered.append(row)
            walk(row["id"])

    walk(None)
    known = {row["id"] for row in ordered}  # a department whose parent is gone comes last
    return ordered + [row for row in rows if row["id"] not in known]


def department_view(row: sqlite3.Row) -> dict[str, Any]:
    """A department as ``department.get`` writes it: what is not set is left out."""
    view: dict[str, Any] = {"ID": str(row["id"]), "NAME": row["name"], "SORT": row["sort"]}
    if row["parent_id"] is not None:
        view["PARENT"] = str(row["parent_id"])
    if row["head_id"]:
        view["UF_HEAD"] = str(row["head_id"])
    return view


def _matches(row: sqlite3.Row, filter_: Mapping[str, Any]) -> bool:
    checks = (("ID", "id"), ("SORT", "sort"), ("PARENT", "parent_id"), ("UF_HEAD", "head_id"))
    for key, column in checks:
        if key in filter_:
            value = filter_[key]
            wanted = [intval(v) for v in value] if isinstance(value, list) else [intval(value)]
            if (row[column] or 0) not in wanted:
                return False
    if "NAME" in filter_:
        # A LIKE without wildcards unless the caller gives them, in any case.
        pattern = str(filter_["NAME"]).lower().replace("%", "\0")
        name = str(row["name"]).lower()
        parts = pattern.split("\0")
        if len(parts) == 1:
            return name == pattern
        return name.startswith(parts[0]) and name.endswith(parts[-1]) and all(
            part in name for part in parts[1:-1])
    return True


def list_departments(ctx: Actor, filter_: Mapping[str, Any],
                     order: tuple[str, bool] | None) -> list[dict[str, Any]]:
    """Every department the filter matches: ID, SORT, PARENT and UF_HEAD compare as
    numbers (one or a list), NAME as a LIKE; ``order`` is (field, descending)."""
    rows = [row for row in _tree_order(_rows(ctx)) if _matches(row, filter_)]
    if order is not None:
        field, descending = order
        column = {"ID": "id", "NAME": "name", "SORT": "sort", "PARENT": "parent_id",
                  "UF_HEAD": "head_id"}[field]
        rows.sort(key=lambda r: (r[column] is None, r[column] if r[column] is not None else 0),
                  reverse=descending)
    return [department_view(row) for row in rows]


def department_exists(ctx: Actor, department_id: int) -> bool:
    return department_id > 0 and ctx.store.scalar(
        "SELECT 1 FROM departments WHERE id = ?", (department_id,)) is not None


def descendants(ctx: Actor, department_id: int) -> set[int]:
    """The department and every department under it (a ``DR`` destination's reach)."""
    rows = ctx.store.tuples("SELECT id, parent_id FROM departments")
    found = {department_id}
    grew = True
    while grew:
        grew = False
        for child, parent in rows:
            if parent in found and child not in found:
                found.add(child)
                grew = True
    return found


def _check_parent(ctx: Actor, department_id: int | None, parent: Any) -> int:
    parent_id = intval(parent)
    if parent_id <= 0:
        raise DepartmentError(ONE_ROOT)
    if not department_exists(ctx, parent_id):
        raise DepartmentError(NO_PARENT)
    if department_id is not None and parent_id in descendants(ctx, department_id):
        raise DepartmentError(CYCLE)
    return parent_id


def _sort(value: Any, default: int) -> int:
    number = intval(value)
    return number if number > 0 else default


def add_department(ctx: Actor, fields: Mapping[str, Any]) -> int:
    """A new department under ``PARENT``; its id."""
    name = str(fields.get("NAME") or "").strip()
    if not name:
        raise DepartmentError(NO_NAME)
    parent_id = _check_parent(ctx, None, fields.get("PARENT"))
    head = intval(fields.get("UF_HEAD"))
    return ctx.store.insert(
        "INSERT INTO departments (name, sort, parent_id, head_id) VALUES (?, ?, ?, ?)",
        (name, _sort(fields.get("SORT"), DEFAULT_SORT), parent_id, head if head > 0 else None))


def update_department(ctx: Actor, department_id: int, fields: Mapping[str, Any]) -> None:
    """Change what is given."""
    row = ctx.store.row("SELECT * FROM departments WHERE id = ?", (department_id,))
    assert row is not None
    name = row["name"]
    if fields.get("NAME") is not None:
        name = str(fields["NAME"]).strip()
        if not name:
            raise DepartmentError(NO_NAME)
    parent_id = row["parent_id"]
    given = fields.get("PARENT")
    # The top department may be told it has no parent; any other may not.
    if given is not None and not (parent_id is None and intval(given) <= 0):
        parent_id = _check_parent(ctx, department_id, given)
    head = row["head_id"]
    if "UF_HEAD" in fields:
        head = intval(fields["UF_HEAD"]) or None
    ctx.store.execute(
        "UPDATE departments SET name = ?, sort = ?, parent_id = ?, head_id = ? WHERE id = ?",
        (name, _sort(fields.get("SORT"), row["sort"]), parent_id, head, department_id))


def delete_department(ctx: Actor, department_id: int) -> None:
    """Delete an empty department: no departments under it, nobody working in it."""
    store = ctx.store
    if store.scalar("SELECT 1 FROM departments WHERE parent_id = ?", (department_id,)):
        raise DepartmentError(HAS_CHILDREN)
    if store.scalar("SELECT 1 FROM user_departments ud JOIN users u ON u.id = ud.user_id"
                    " WHERE ud.department_id = ? AND u.active = 1", (department_id,)):
        raise DepartmentError(HAS_PEOPLE)
    store.execute("DELETE FROM user_departments WHERE department_id = ?", (department_id,))
    store.execute("DELETE FROM departments WHERE id = ?", (department_id,))
