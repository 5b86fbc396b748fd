"""Kanban stages and "My plan" through the Python API: the stages a board starts with,
their order by ``AFTER_ID``, moving tasks before or after others, and every error.

The rules are ``StagesTable``'s and the stages REST action's (the tasks module's source):
a board's stages are renumbered 100, 200, ... on every write, the first one is the NEW
system stage, and a stage holding tasks or the system stage is not deleted. Texts are the
English REST documentation's where it gives an example, else the source's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from clients import portal_of_users
from oint.bitrix24 import Bitrix24Error, Client
from shapes import assert_shape


@dataclass
class World:
    admin: Client
    two: Client


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with portal_of_users(2) as (_, clients):
        yield World(clients[1], clients[2])


def _error(call: Any) -> tuple[str, str, int | None]:
    with pytest.raises(Bitrix24Error) as caught:
        call()
    return caught.value.code, caught.value.description, caught.value.status


def _board(b24: Client, entity: int = 0, as_admin: bool = False) -> list[tuple[str, str, str]]:
    stages = b24.get_kanban_stages(entity, as_admin).result
    return [(s["TITLE"], s["SORT"], s["SYSTEM_TYPE"]) for s in stages.values()]


def test_my_plan_starts_with_two_stages_and_orders_by_after_id(world: World) -> None:
    b24 = world.two
    first = b24.get_kanban_stages()
    assert_shape(first.json(), "GetKanbanStages")
    assert _board(b24) == [("Not planned", "100", "NEW"), ("To be done this week", "200", "")]
    plan = list(first.result)
    assert first.result[plan[0]]["ENTITY_ID"] == "2" and first.result[plan[0]]["ENTITY_TYPE"] \
        == "U"
    late = b24.add_kanban_stage("Later", prev_stage=int(plan[1])).result
    early = b24.add_kanban_stage("Urgent", "FF0000").result  # AFTER_ID 0: first
    assert _board(b24) == [("Urgent", "100", "NEW"), ("Not planned", "200", ""),
                           ("To be done this week", "300", ""), ("Later", "400", "")]
    assert b24.update_kanbans_stage("Someday", late, prev_stage=early).result is True
    assert [t for t, _, _ in _board(b24)] == ["Urgent", "Someday", "Not planned",
                                              "To be done this week"]
    assert b24.update_kanbans_stage("Soon", late).result is True  # stays in place
    assert [t for t, _, _ in _board(b24)][1] == "Soon"
    assert b24.delete_kanban_stage(late).result is True
    # Each user has a plan of their own.
    assert [t for t, _, _ in _board(world.admin)] == ["Not planned", "To be done this week"]


def test_moving_tasks_in_my_plan(world: World) -> None:
    b24 = world.two
    tasks = [int(b24.create_task({"TITLE": f"T{i}", "RESPONSIBLE_ID": 2}).result["task"]["id"])
             for i in range(3)]
    stage = int(list(b24.get_kanban_stages().result)[-1])
    for task_id in tasks:
        assert b24.move_task_to_kanban_stage(task_id, stage).result is True
    # Before and after another task: the caller's sorting, renumbered in steps of 1024.
    b24.move_task_to_kanban_stage(tasks[2], stage, before=tasks[0])
    b24.move_task_to_kanban_stage(tasks[1], stage, after=tasks[0])
    sorting = {t: b24.get_task(t).result["task"]["sorting"] for t in tasks}
    assert sorting == {tasks[2]: "1024.0000000", tasks[0]: "2048.0000000",
                       tasks[1]: "3072.0000000"}
    assert world.admin.get_task(tasks[0]).result["task"]["sorting"] is None  # theirs only
    refused = _error(lambda: b24.delete_kanban_stage(stage))
    assert refused == ("NO_EMPTY", "There are tasks in this stage", 400)


def test_a_groups_stages_are_for_administrators(world: World) -> None:
    assert _error(lambda: world.two.get_kanban_stages(7)) == (
        "ACCESS_DENIED", "You cannot view tasks in this group", 400)
    assert _error(lambda: world.admin.get_kanban_stages(7)) == (
        "ACCESS_DENIED", "You cannot view tasks in this group", 400)
    # isAdmin, by an administrator, skips the group's permissions.
    assert _board(world.admin, 7, True) == [("New", "100", "NEW"), ("In progress", "200", "WORK"),
                                            ("Finished", "300", "FINISH")]
    last = int(list(world.admin.get_kanban_stages(7, True).result)[-1])
    stage = world.admin.add_kanban_stage("Review", prev_stage=last, entity_id=7,
                                         as_admin=True).result
    assert _error(lambda: world.two.add_kanban_stage("Mine", entity_id=7, as_admin=True)) == (
        "ACCESS_DENIED", "You cannot manage stages", 400)
    assert _error(lambda: world.two.update_kanbans_stage("X", stage)) == (
        "ACCESS_DENIED", "You cannot manage stages", 400)
    task_id = int(world.admin.create_task({"TITLE": "T", "RESPONSIBLE_ID": 1})
                  .result["task"]["id"])
    # The portal has no workgroups whose tasks could be sorted.
    assert _error(lambda: world.admin.move_task_to_kanban_stage(task_id, stage)) == (
        "ACCESS_DENIED_MOVE", "You cannot move this task", 400)
    assert world.admin.delete_kanban_stage(stage, True).result is True


def test_stage_errors(world: World) -> None:
    b24 = world.two
    plan = [int(s) for s in b24.get_kanban_stages().result]
    assert _error(lambda: b24.add_kanban_stage(" ")) == (
        "EMPTY_TITLE", "Stage title is not specified", 400)
    assert _error(lambda: b24.update_kanbans_stage("", plan[1])) == (
        "EMPTY_TITLE", "Stage title is not specified", 400)
    for call in (lambda: b24.update_kanbans_stage("X", 10**6),
                 lambda: b24.delete_kanban_stage(10**6),
                 lambda: b24.move_task_to_kanban_stage(1, 10**6)):
        assert _error(call) == ("NOT_FOUND", "Stage was not found", 400)
    assert _error(lambda: b24.delete_kanban_stage(plan[0])) == (
        "IS_SYSTEM", "Default stage cannot be deleted", 400)
    # Another user's plan: neither changed nor used.
    admins = [int(s) for s in world.admin.get_kanban_stages().result]
    assert _error(lambda: b24.update_kanbans_stage("X", admins[1])) == (
        "ACCESS_DENIED", "You cannot manage stages", 400)
    assert _error(lambda: b24.delete_kanban_stage(admins[1])) == (
        "ACCESS_DENIED", "You cannot manage stages", 400)
    task_id = int(b24.create_task({"TITLE": "T", "RESPONSIBLE_ID": 2}).result["task"]["id"])
    assert _error(lambda: b24.move_task_to_kanban_stage(task_id, admins[1])) == (
        "ACCESS_DENIED_MOVE", "You cannot move this task", 400)
    hidden = int(world.admin.create_task({"TITLE": "T", "RESPONSIBLE_ID": 1})
                 .result["task"]["id"])
    assert _error(lambda: b24.move_task_to_kanban_stage(hidden, plan[1])) == (
        "TASK_NOT_FOUND", "The task was not found, or access is denied.", 400)
