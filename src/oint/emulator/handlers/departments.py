"""Departments: ``department.fields``, ``get``, ``add``, ``update``, ``delete`` (the model is
``model/departments``).

Only an administrator may change the structure. Errors are plain exceptions on the server,
so they all come as ``ERROR_CORE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model.departments import (
    DepartmentError,
    add_department,
    delete_department,
    department_exists,
    list_departments,
    update_department,
)
from ..model.users import is_admin
from ._args import intval
from ._lists import page_of
from ._registry import Context, Reply, handler
from .users import core_error

_FIELDS = ("ID", "NAME", "SORT", "PARENT", "UF_HEAD")


def _may_edit(ctx: Context) -> None:
    if not is_admin(ctx):
        raise core_error("Access denied!")


def _existing(ctx: Context, params: Mapping[str, Any]) -> int:
    department_id = intval(params.get("ID"))
    if not department_exists(ctx, department_id):
        raise core_error("Department not found")
    return department_id


@handler("department.fields")
def department_fields(ctx: Context, params: dict[str, Any]) -> dict[str, str]:
    return {"ID": "ID", "NAME": "Department", "SORT": "Sorting",
            "PARENT": "Parent department", "UF_HEAD": "Supervisor"}


@handler("department.get")
def department_get(ctx: Context, params: dict[str, Any]) -> Reply:
    given = params.get("FILTER")
    query = {str(k).upper(): v for k, v in (given if isinstance(given, Mapping) else params
                                            ).items()}
    sort, order = params.get("SORT"), params.get("ORDER")
    ordering = None
    if isinstance(sort, str) and sort.upper() in _FIELDS:
        # The name of a field to sort by, not a SORT value to filter on.
        ordering = (sort.upper(), isinstance(order, str) and order.upper() == "DESC")
        query.pop("SORT", None)
    found = list_departments(ctx, {k: v for k, v in query.items() if k in _FIELDS}, ordering)
    return page_of(found, intval(params.get("START", 0)))


@handler("department.add")
def department_add(ctx: Context, params: dict[str, Any]) -> int:
    _may_edit(ctx)
    try:
        return add_department(ctx, params)
    except DepartmentError as exc:
        raise core_error(str(exc)) from None


@handler("department.update")
def department_update(ctx: Context, params: dict[str, Any]) -> bool:
    _may_edit(ctx)
    department_id = _existing(ctx, params)
    try:
        update_department(ctx, department_id, params)
    except DepartmentError as exc:
        raise core_error(str(exc)) from None
    return True


@handler("department.delete")
def department_delete(ctx: Context, params: dict[str, Any]) -> bool:
    _may_edit(ctx)
    department_id = _existing(ctx, params)
    try:
        delete_department(ctx, department_id)
    except DepartmentError as exc:
        raise core_error(str(exc)) from None
    return True
