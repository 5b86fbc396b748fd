"""Departments management: the company structure as a tree, its heads and people, and the
errors of a change the structure refuses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clients import BucketlessClient
from oint import bitrix24
from oint.bitrix24 import Bitrix24Error
from oint.emulator.process import EmulatorProcess, launch
from shapes import assert_shape

EMPLOYEE = "employee3"


@pytest.fixture(scope="module")
def company() -> Iterator[EmulatorProcess]:
    with launch(["--webhook", f"3/{EMPLOYEE}"]) as running:
        yield running


def _error(call: Any) -> Bitrix24Error:
    with pytest.raises(Bitrix24Error) as caught:
        call()
    return caught.value


def test_the_seeded_structure_in_tree_order(company: EmulatorProcess) -> None:
    everything = bitrix24.get_departments(company.webhook_url).result
    assert [(d["ID"], d.get("PARENT")) for d in everything] == [
        ("1", None), ("6", "1"), ("4", "1"), ("5", "4"), ("3", "1"), ("2", "1")]
    root = everything[0]
    assert root == {"ID": "1", "NAME": "My Company", "SORT": 500, "UF_HEAD": "1"}
    children = bitrix24.get_departments(company.webhook_url, parent_id=1)
    assert_shape(children.json(), "GetDepartments_wh")
    assert bitrix24.get_departments(company.webhook_url, head_id=7).result[0]["NAME"] == \
        "Support"
    assert [d["ID"] for d in bitrix24.get_departments(company.webhook_url,
                                                      name="sales").result] == ["2"]


def test_create_get_update_delete(company: EmulatorProcess) -> None:
    url = company.webhook_url
    created = bitrix24.create_department(url, "Main department", 1)
    assert_shape(created.json(), "CreateDepartment_wh")
    main = created.result
    sub = bitrix24.CreateDepartment(url, "Subordinate department", main, 1).result
    [found] = bitrix24.get_departments(url, department_id=sub).result
    assert found == {"ID": str(sub), "NAME": "Subordinate department", "SORT": 500,
                     "PARENT": str(main), "UF_HEAD": "1"}
    updated = bitrix24.update_department(url, sub, "New department", 1, 10)
    assert_shape(updated.json(), "UpdateDepartment_wh")
    [found] = bitrix24.get_departments(url, department_id=sub).result
    assert (found["NAME"], found["PARENT"], found["UF_HEAD"]) == ("New department", "1", "10")
    assert bitrix24.update_department(url, sub, head_id=0).result is True
    assert "UF_HEAD" not in bitrix24.get_departments(url, department_id=sub).result[0]
    for department in (sub, main):
        deleted = bitrix24.delete_department(url, department)
        assert_shape(deleted.json(), "DeleteDepartment_wh")
    assert bitrix24.get_departments(url, department_id=main).result == []


def test_sort_order_and_pages(company: EmulatorProcess) -> None:
    with BucketlessClient(company.webhook_url) as b24:
        by_name = b24.call("department.get", {"sort": "NAME", "order": "DESC"}, reads=True)
        assert [d["NAME"] for d in by_name.result][:2] == ["Support", "Sales"]
        made = [b24.create_department(f"Team {i:02}", 4).result for i in range(55)]
        first = b24.call("department.get", {"PARENT": 4}, reads=True)
        assert (len(first.result), first.total, first.next) == (50, 56, 50)
        second = b24.call("department.get", {"PARENT": 4, "start": 60}, reads=True)
        assert len(second.result) == 6 and second.next is None  # the page holding 60
        for department in made:
            b24.delete_department(department)


@pytest.mark.parametrize(("method", "params", "text"), [
    ("department.add", {"PARENT": 1}, "Section name is not specified.<br>"),
    ("department.add", {"NAME": "Second root"},
     "The company structure can have only one top-level department"),
    ("department.add", {"NAME": "Orphan", "PARENT": 999}, "Parent section not found.<br>"),
    ("department.update", {"ID": 999, "NAME": "X"}, "Department not found"),
    ("department.update", {"ID": 4, "PARENT": 5},
     "A section cannot be moved into itself or into its own subsection.<br>"),
    ("department.update", {"ID": 4, "PARENT": 4},
     "A section cannot be moved into itself or into its own subsection.<br>"),
    ("department.update", {"ID": 4, "PARENT": 0},
     "The company structure can have only one top-level department"),
    ("department.update", {"ID": 4, "NAME": ""}, "Section name is not specified.<br>"),
    ("department.delete", {"ID": 0}, "Department not found"),
    ("department.delete", {"ID": 4},
     "The department has subdepartments; move or delete them first"),
    ("department.delete", {"ID": 6},
     "The department has employees; move them to another department first"),
])
def test_what_the_structure_refuses(company: EmulatorProcess, method: str,
                                    params: dict[str, Any], text: str) -> None:
    reply = httpx.post(f"{company.webhook_url}/{method}", json=params)
    assert reply.status_code == 400
    assert reply.json() == {"error": "ERROR_CORE", "error_description": text}


def test_only_an_administrator_changes_the_structure(company: EmulatorProcess) -> None:
    employee = f"{company.base_url}/rest/3/{EMPLOYEE}"
    for call in (lambda: bitrix24.create_department(employee, "Mine", 1),
                 lambda: bitrix24.update_department(employee, 2, "Mine"),
                 lambda: bitrix24.delete_department(employee, 2)):
        error = _error(call)
        assert (error.code, error.description, error.status) == ("ERROR_CORE",
                                                                 "Access denied!", 400)
    assert len(bitrix24.get_departments(employee).result) >= 6  # reading is for everyone


def test_people_move_with_their_departments(company: EmulatorProcess) -> None:
    url = company.webhook_url
    team = bitrix24.create_department(url, "Temporary team", 2).result
    assert bitrix24.update_user(url, 15, {"UF_DEPARTMENT": [2, team]}).result
    with BucketlessClient(url) as b24:
        people = b24.call("user.get", {"FILTER": {"UF_DEPARTMENT": team}}).result
        assert [p["ID"] for p in people] == ["15"]
        assert _error(lambda: b24.delete_department(team)).description.startswith(
            "The department has employees")
        b24.update_user(15, {"UF_DEPARTMENT": [2]})
        assert b24.delete_department(team).result is True
        messenger = b24.call("im.user.list.get", {"ID": [15]}).result["15"]
        assert messenger["departments"] == [2]


def test_departments_from_the_command_line(cli_process: Any, company: EmulatorProcess
                                           ) -> None:
    url = company.webhook_url
    created = cli_process("bitrix24", "CreateDepartment", "--url", url, "--title", "Lab",
                          "--parentid", "4", "--headid", "5")
    assert created.code == 0, created.stderr
    lab = str(created.json()["result"])
    got = cli_process("bitrix24", "GetDepartments", "--url", url, "--depid", lab)
    assert got.json()["result"] == [{"ID": lab, "NAME": "Lab", "SORT": 500, "PARENT": "4",
                                     "UF_HEAD": "5"}]
    assert cli_process("bitrix24", "UpdateDepartment", "--url", url, "--depid", lab,
                       "--title", "Research lab").json()["result"] is True
    refused = cli_process("bitrix24", "UpdateDepartment", "--url", url, "--depid", lab,
                          "--parentid", "999")
    assert refused.code != 0 and refused.json()["error"] == "ERROR_CORE"
    assert cli_process("bitrix24", "DeleteDepartment", "--url", url, "--depid",
                       lab).json()["result"] is True
