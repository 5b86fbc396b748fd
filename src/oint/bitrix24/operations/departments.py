"""Departments management: ``department.*``, the company structure.

The structure is a tree under the company's root department; only an administrator may
change it. GetDepartments filters by any of its arguments (none: every department).
"""

from __future__ import annotations

from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param

REGION = "Departments management"


class Department(TypedDict, total=False):
    """A department as ``department.get`` returns it; the root has no ``PARENT``, and a
    department without a head no ``UF_HEAD``."""

    ID: str
    NAME: str
    SORT: int
    PARENT: str
    UF_HEAD: str


DEPARTMENT_ID = Param("department_id", "depid", Kind.INTEGER, "Department ID", key="ID")
NAME = Param("name", "title", Kind.TEXT, "Department name", key="NAME")
PARENT_ID = Param("parent_id", "parentid", Kind.INTEGER, "ID of the parent department",
                  key="PARENT", required=False)
HEAD_ID = Param("head_id", "headid", Kind.INTEGER, "User ID of the department's head",
                key="UF_HEAD", required=False)


def _department(portal: ExamplePortal) -> dict[str, Any]:
    made = portal.call("department.add", {"NAME": "Main department", "PARENT": 1,
                                          "UF_HEAD": 1})
    return {"department_id": int(made)}


CREATE_DEPARTMENT = Operation(
    "CreateDepartment", REGION, "Create a department under a parent", method="department.add",
    params=(NAME, PARENT_ID, HEAD_ID), result="int",
    example=Example({"name": "Subordinate department", "parent_id": 1, "head_id": 1}),
)

UPDATE_DEPARTMENT = Operation(
    "UpdateDepartment", REGION, "Rename or move a department, or change its head",
    method="department.update",
    params=(DEPARTMENT_ID, NAME.but(required=False), PARENT_ID, HEAD_ID), result="bool",
    example=Example({"name": "New department", "parent_id": 1, "head_id": 10},
                    setup=_department),
)

GET_DEPARTMENTS = Operation(
    "GetDepartments", REGION, "Get departments by ID, name, parent or head",
    method="department.get",
    params=(DEPARTMENT_ID.but(required=False), NAME.but(required=False), PARENT_ID, HEAD_ID),
    reads=True, result="list[Department]",
    example=Example({"parent_id": 1}),
)

DELETE_DEPARTMENT = Operation(
    "DeleteDepartment", REGION, "Delete a department that has no people and no departments",
    method="department.delete", params=(DEPARTMENT_ID,), result="bool",
    example=Example(setup=_department),
)

# In OPI's order.
OPERATIONS = (
    CREATE_DEPARTMENT,
    UPDATE_DEPARTMENT,
    GET_DEPARTMENTS,
    DELETE_DEPARTMENT,
)
