"""The generic entity alone, on an in-memory store: the list grammar every family shares,
and each extension point a family uses for its quirks (as tasks, users, disk children and
calendar events will). The HTTP side of it is crm.lead's, in test_leads and test_paging."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from oint.emulator.model.entity import NUMBER, Attachment, Entity, Field, Query, camel
from oint.emulator.model.filters import Clause, compare
from oint.emulator.php import intval
from oint.emulator.store import Schema, Store

# -- a plain entity: the grammar ---------------------------------------------------------------

ITEMS = Entity("items", (
    Field("ID", "integer", "ID", read_only=True),
    Field("TITLE", "string", "Title", required=True),
    Field("SIZE", "integer", "Size"),
    Field("PRICE", "double", "Price"),
    Field("OWNER_ID", "user", "Owner", read_only=True),
))
TITLES = ("apple", "Banana", "cherry pie", "date", "elderberry", None, "fig 100%", "grape")


@pytest.fixture
def store() -> Store:
    made = Store(":memory:", [Schema("items", ITEMS.create_table())])
    for number, title in enumerate(TITLES, start=1):
        ITEMS.add(made, {**ITEMS.values({"TITLE": title, "SIZE": number * 10,
                                         "PRICE": f"{number},5"}), "OWNER_ID": 7})
    return made


def _ids(store: Store, filter_: Any = None, **query: Any) -> list[int]:
    page = ITEMS.page(store, Query(filter_, select=["ID"], **query))
    return [int(r["ID"]) for r in page.records]


@pytest.mark.parametrize(("filter_", "ids"), [
    ({">SIZE": 60}, [7, 8]),
    ({">=SIZE": "60"}, [6, 7, 8]),
    ({"<SIZE": 20}, [1]),
    ({"<=SIZE": 20}, [1, 2]),
    ({">SIZE": [75, 5]}, [1, 2, 3, 4, 5, 6, 7, 8]),  # any element may match
    ({"SIZE": 30}, [3]),
    ({"=SIZE": [30, 50]}, [3, 5]),
    ({"@ID": [2, 4, 99]}, [2, 4]),
    ({"@ID": 4}, [4]),
    ({"!@ID": [1, 2, 3, 4, 5, 6]}, [7, 8]),
    ({"!@ID": 8, ">ID": 6}, [7]),
    ({"@ID": []}, []),
    ({"!@ID": [], ">ID": 7}, [8]),
    ({"!ID": 1, "<ID": 4}, [2, 3]),
    ({"!=ID": 1, "<ID": 4}, [2, 3]),
    ({"%TITLE": "an"}, [2]),  # a substring, any case
    ({"%TITLE": ["APP", "fig"]}, [1, 7]),
    ({"!%TITLE": "e"}, [2, 6, 7]),  # no title is no match, so it is kept
    ({"=%TITLE": "c%"}, [3]),
    ({"%=TITLE": "%e"}, [1, 3, 4, 8]),
    ({"!=%TITLE": "%e%"}, [2, 7]),
    ({"!%=TITLE": "%e%"}, [2, 7]),
    ({"TITLE": "date"}, [4]),
    ({"price": 2.5, "unknown": 1, "@NOPE": [1]}, [2]),  # names in any case; unknown ignored
    ({">PRICE": 7}, [7, 8]),
    ("not a map", [1, 2, 3, 4, 5, 6, 7, 8]),
])
def test_every_filter_prefix(store: Store, filter_: Any, ids: list[int]) -> None:
    assert _ids(store, filter_) == ids


def test_order_select_and_values_as_text(store: Store) -> None:
    assert _ids(store, {"<ID": 4}, order={"ID": "DESC"}) == [3, 2, 1]
    # Text compares as SQLite's BINARY does (upper case first), not as MySQL's collations.
    assert _ids(store, {"<ID": 4}, order={"title": "desc"}) == [3, 1, 2]
    # The primary key breaks ties, and orders by unknown names are ignored.
    assert _ids(store, None, order={"OWNER_ID": "ASC", "NOPE": "DESC"}) == list(range(1, 9))
    page = ITEMS.page(store, Query({"ID": 2}, select=["PRICE", "TITLE"]))
    assert page.records == [{"ID": "2", "TITLE": "Banana", "PRICE": "2.5"}]
    everything = ITEMS.page(store, Query({"ID": 6}, select=["*"])).records[0]
    assert everything == {"ID": "6", "TITLE": None, "SIZE": "60", "PRICE": "6.5",
                          "OWNER_ID": "7"}
    assert ITEMS.get(store, 6) == everything
    assert ITEMS.get(store, 60) is None


def test_pages_of_fifty_with_start_next_and_total() -> None:
    store = Store(":memory:", [Schema("items", ITEMS.create_table())])
    for number in range(120):
        ITEMS.add(store, {"TITLE": f"t{number}"})
    first = ITEMS.page(store, Query())
    assert (len(first.records), first.total, first.next) == (50, 120, 50)
    floored = ITEMS.page(store, Query(start=75))
    assert (floored.records[0]["ID"], floored.next) == ("51", 100)
    last = ITEMS.page(store, Query(start=100))
    assert (len(last.records), last.total, last.next) == (20, 120, None)
    assert ITEMS.page(store, Query(start=500)).records == []
    # A list that is not paged (calendar events in a range) takes every id at once.
    every = ITEMS.ids(store, Query({"%TITLE": "t1"}, {"ID": "DESC"}))  # t1, t10.., t100..
    assert every == [*range(120, 100, -1), *range(20, 10, -1), 2]
    assert [r["ID"] for r in ITEMS.records(store, list(range(1, 121)), ["ID"])] == [
        str(i) for i in range(1, 121)]
    fast = ITEMS.page(store, Query({">ID": 100}, start=-1))
    assert ([r["ID"] for r in fast.records], fast.total, fast.next) == (
        [str(i) for i in range(101, 121)], 0, None)


def test_kept_id_lists_end_with_any_write_or_rollback(store: Store) -> None:
    assert ITEMS.page(store, Query()).total == 8
    # A write that bypasses the entity (another family's raw SQL) is seen all the same.
    store.execute("INSERT INTO items (TITLE) VALUES ('raw')")
    assert ITEMS.page(store, Query()).total == 9
    with pytest.raises(RuntimeError), store.transaction():
        ITEMS.add(store, {"TITLE": "gone"})
        assert ITEMS.page(store, Query()).total == 10
        raise RuntimeError("the call fails")
    assert ITEMS.page(store, Query()).total == 9


def test_writes_keep_only_writable_fields_and_delete(store: Store) -> None:
    assert ITEMS.values({"TITLE": True, "SIZE": "12abc", "PRICE": "", "OWNER_ID": 3,
                         "ID": 5, "NOPE": 1}) == {"TITLE": "Y", "SIZE": 12, "PRICE": None}
    ITEMS.update(store, 1, {"TITLE": "apricot"})
    assert ITEMS.get(store, 1, ["TITLE"]) == {"TITLE": "apricot"}
    assert ITEMS.delete(store, 1) is True
    assert ITEMS.delete(store, 1) is False and not ITEMS.exists(store, 1)


def test_describe_takes_the_familys_shape() -> None:
    shape = ITEMS.describe(lambda f: {"TYPE": f.type, "REQUIRED": f.required})
    assert list(shape) == ["ID", "TITLE", "SIZE", "PRICE", "OWNER_ID"]
    assert shape["TITLE"] == {"TYPE": "string", "REQUIRED": True}


# -- a family's quirks, the way tasks (or users, disk, calendars) add them -----------------------


class Members(Attachment):
    """A list kept in a side table, as a task's accomplices or a user's departments."""

    names = ("ACCOMPLICES",)

    def load(self, store: Store, ids: Sequence[int], names: Sequence[str]
             ) -> dict[int, dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {}
        marks = ", ".join("?" for _ in ids)
        for task_id, user_id in store.tuples(
                f"SELECT task_id, user_id FROM task_members WHERE task_id IN ({marks})"
                " ORDER BY user_id", list(ids)):
            found.setdefault(task_id, {}).setdefault("ACCOMPLICES", []).append(str(user_id))
        return found

    def condition(self, prefix: str, name: str, value: Any) -> Clause:
        inner = compare("user_id", "@", value, intval)
        negate = "NOT " if prefix.startswith("!") else ""
        return Clause(f"{negate}EXISTS (SELECT 1 FROM task_members m WHERE m.task_id = "
                      f"tasks.id AND {inner.sql})", inner.args)

    def write(self, store: Store, item_id: int, given: Mapping[str, Any]) -> None:
        if "ACCOMPLICES" in given:
            store.execute("DELETE FROM task_members WHERE task_id = ?", (item_id,))
            for user_id in given["ACCOMPLICES"]:
                store.insert("INSERT INTO task_members VALUES (?, ?)", (item_id, user_id))

    def remove(self, store: Store, item_id: int) -> None:
        store.execute("DELETE FROM task_members WHERE task_id = ?", (item_id,))


def _find(prefix: str, value: Any) -> Clause:
    return Clause("(title LIKE ? OR description LIKE ?)", [f"%{value}%"] * 2)


TASKS = Entity(
    "tasks",
    (
        Field("ID", "integer", "ID", read_only=True, column="id"),
        Field("TITLE", "string", "Name", required=True, column="title"),
        Field("DESCRIPTION", "string", "Description", column="description"),
        Field("ACCOMPLICES", "array", "Participants", multiple=True, column=None),
        Field("STATUS", "integer", "Status", column="status", kind=NUMBER),
        Field("SUB_STATUS", "integer", "Status", key="subStatus", sql="-status", kind=NUMBER),
        Field("IS_MUTED", "boolean", "Muted", column="muted", output=lambda v: v == "Y"),
        Field("PARENT_ID", "integer", "Parent", column="parent_id"),
    ),
    key=camel,
    listed=("ID", "TITLE", "ACCOMPLICES", "STATUS", "SUB_STATUS", "IS_MUTED"),
    attachments=(Members(),),
    filters={"FIND": _find},
)
TASK_TABLES = Schema("tasks", TASKS.create_table() + (
    "CREATE TABLE IF NOT EXISTS task_members (task_id INTEGER, user_id INTEGER);"))


@pytest.fixture
def tasks() -> Store:
    made = Store(":memory:", [TASK_TABLES])
    for number, (title, people, parent) in enumerate(
            [("Write", [3, 2], 0), ("Read", [], 0), ("Test it", [2], 1), ("Ship", [5], 1)],
            start=1):
        given = {"TITLE": title, "DESCRIPTION": f"step {number}", "ACCOMPLICES": people,
                 "PARENT_ID": parent}
        # Defaults are the family's: it fills what the caller did not give.
        TASKS.add(made, {**TASKS.values(given), "STATUS": 2 + number % 2,
                         "IS_MUTED": "N"}, given)
    return made


def test_camel_keys_numbers_computed_fields_and_attachments_in_order(tasks: Store) -> None:
    page = TASKS.page(tasks, Query({"ID": 1}))
    assert page.records == [{"id": "1", "title": "Write", "accomplices": ["2", "3"],
                             "status": 3, "subStatus": -3, "isMuted": False}]
    assert list(page.records[0]) == ["id", "title", "accomplices", "status", "subStatus",
                                     "isMuted"]  # the listed order, attachments included
    assert TASKS.get(tasks, 2, ["ID", "ACCOMPLICES"]) == {"id": "2"}  # none: no key
    assert TASKS.records(tasks, [4, 3], ["TITLE"]) == [{"title": "Ship"}, {"title": "Test it"}]


def test_family_filters_attachment_filters_and_a_scope(tasks: Store) -> None:
    def ids(filter_: Any, scope: Clause | None = None, order: Any = None) -> list[str]:
        query = Query(filter_, order or {"ID": "DESC"}, ["ID"])  # tasks list newest first
        return [r["id"] for r in TASKS.page(tasks, query, scope).records]

    assert ids({"FIND": "step 3"}) == ["3"]
    assert ids({"ACCOMPLICES": 2}) == ["3", "1"]
    assert ids({"!ACCOMPLICES": [2, 3]}) == ["4", "2"]
    assert ids({"SUB_STATUS": -2}) == ["4", "2"]
    children = Clause("parent_id = ?", [1])  # a folder's children, one owner's events...
    assert ids({}, children) == ["4", "3"]
    assert ids({"%TITLE": "i"}, children, {"TITLE": "ASC"}) == ["4", "3"]


def test_writes_go_through_attachments(tasks: Store) -> None:
    TASKS.update(tasks, 2, TASKS.values({"TITLE": "Reread"}), {"ACCOMPLICES": [9]})
    TASKS.update(tasks, 1, {"STATUS": 5})  # no given: attachments are left alone
    assert TASKS.get(tasks, 2, ["TITLE", "ACCOMPLICES"]) == {
        "title": "Reread", "accomplices": ["9"]}
    assert TASKS.get(tasks, 1, ["STATUS", "ACCOMPLICES"]) == {
        "accomplices": ["2", "3"], "status": 5}
    TASKS.delete(tasks, 2)
    assert tasks.scalar("SELECT COUNT(*) FROM task_members WHERE task_id = 2") == 0


def test_a_field_table_that_cannot_be_stored_is_refused() -> None:
    with pytest.raises(ValueError, match="primary key"):
        Entity("odd", (Field("TITLE"),))
    with pytest.raises(ValueError, match="SQL identifier"):
        Entity("odd", (Field("ID", "integer"), Field("NAME", column="name; DROP")))
