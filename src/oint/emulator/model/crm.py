# SQL is assembled from constant names only; values are always bound parameters.
# ruff: noqa: S608
"""What CRM entities share: their field tables' types, the ``crm.*.fields`` shape, and the
multi-fields (phones, e-mails, websites, messengers) kept beside a record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..php import intval
from ..store import Store
from .entity import INTEGER, MONEY, Attachment, Field, Kind
from .filters import Clause

__all__ = ["MULTI_TYPES", "ORIGIN_AND_UTM", "CrmError", "MultiFields", "crm_field", "crm_fields",
           "describe"]

MULTI_TYPES = ("PHONE", "EMAIL", "WEB", "IM", "LINK")
# Where an item came from: rows of a field table that every CRM entity has, in this order.
ORIGIN_AND_UTM: tuple[tuple[str, str, bool, bool, str], ...] = (
    ("ORIGINATOR_ID", "string", False, False, "External source"),
    ("ORIGIN_ID", "string", False, False, "Item ID in data source"),
    ("UTM_SOURCE", "string", False, False, "Ad system"),
    ("UTM_MEDIUM", "string", False, False, "Traffic type"),
    ("UTM_CAMPAIGN", "string", False, False, "Ad campaign UTM"),
    ("UTM_CONTENT", "string", False, False, "Campaign contents"),
    ("UTM_TERM", "string", False, False, "Campaign search term"),
)
# Numbers are stored as numbers, so filters compare them as numbers.
_KINDS: dict[str, Kind] = {
    "integer": INTEGER, "user": INTEGER, "crm_company": INTEGER, "crm_contact": INTEGER,
    "double": MONEY,
}


class CrmError(Exception):
    """A write the CRM refuses; the message is the server's text."""


def crm_field(name: str, type_: str, read_only: bool, multiple: bool, title: str,
              **extra: Any) -> Field:
    """A CRM field: numbers stored as numbers, money written with two decimals, and a
    multiple field kept outside the record's row."""
    return Field(name, type_, title, read_only=read_only, multiple=multiple,
                 column=None if multiple else "", kind=_KINDS.get(type_), extra=extra)


def crm_fields(table: Iterable[tuple[str, str, bool, bool, str]],
               extra: Mapping[str, Mapping[str, Any]]) -> tuple[Field, ...]:
    """Fields from ``(name, type, read-only, multiple, title)`` rows, with extra keys."""
    return tuple(crm_field(*row, **extra.get(row[0], {})) for row in table)


def describe(f: Field) -> dict[str, Any]:
    """A field as ``crm.*.fields`` describes it."""
    return {
        "type": f.type, "isRequired": f.required, "isReadOnly": f.read_only,
        "isImmutable": f.immutable, "isMultiple": f.multiple, "isDynamic": False, **f.extra,
        "title": f.title,
    }


class MultiFields(Attachment):
    """Phones, e-mails and the like: lists of ``{ID, VALUE_TYPE, VALUE, TYPE_ID}`` kept in a
    table of their own; the record's ``HAS_PHONE``/``HAS_EMAIL`` follow them."""

    names = MULTI_TYPES

    def __init__(self, table: str, owner: str, owner_table: str) -> None:
        self.table = table  # the multi-fields' table
        self.owner = owner  # its column holding the record's id
        self.owner_table = owner_table

    def create_table(self) -> str:
        return (
            f"CREATE TABLE IF NOT EXISTS {self.table} (\n"
            "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
            f"    {self.owner} INTEGER NOT NULL,\n"
            "    type_id TEXT NOT NULL,\n"
            "    value_type TEXT NOT NULL,\n"
            "    value TEXT NOT NULL\n"
            ");\n"
            f"CREATE INDEX IF NOT EXISTS {self.table}_by_{self.owner.removesuffix('_id')}"
            f" ON {self.table} ({self.owner}, type_id, id);\n"
        )

    def load(self, store: Store, ids: Sequence[int], names: Sequence[str]
             ) -> dict[int, dict[str, Any]]:
        found: dict[int, dict[str, Any]] = {}
        rows = store.tuples(
            f"SELECT {self.owner}, type_id, id, value_type, value FROM {self.table} WHERE "
            f"{self.owner} IN ({', '.join('?' for _ in ids)}) AND type_id IN "
            f"({', '.join('?' for _ in names)}) ORDER BY id",
            [*ids, *names],
        )
        for owner_id, type_id, fm_id, value_type, value in rows:
            found.setdefault(owner_id, {}).setdefault(type_id, []).append(
                {"ID": str(fm_id), "VALUE_TYPE": value_type, "VALUE": value, "TYPE_ID": type_id}
            )
        return found

    def condition(self, prefix: str, name: str, value: Any) -> Clause:
        values = list(value.values()) if isinstance(value, Mapping) else value
        target = values if isinstance(values, list) else [values]
        clause = (f"EXISTS (SELECT 1 FROM {self.table} f WHERE f.{self.owner} = "
                  f"{self.owner_table}.ID AND f.type_id = ? AND f.value IN "
                  f"({', '.join('?' for _ in target)}))")
        args = [name, *[str(v) for v in target]]
        return Clause(f"NOT {clause}", args) if prefix.startswith("!") else Clause(clause, args)

    def write(self, store: Store, item_id: int, given: Mapping[str, Any]) -> None:
        for type_id in MULTI_TYPES:
            items = given.get(type_id)
            if isinstance(items, Mapping):
                items = list(items.values())
            if not isinstance(items, list):
                continue
            for item in items:
                if isinstance(item, Mapping):
                    self._write_one(store, item_id, type_id, item)
        has = {
            kind: store.scalar(
                f"SELECT 1 FROM {self.table} WHERE {self.owner} = ? AND type_id = ? LIMIT 1",
                (item_id, kind),
            ) is not None
            for kind in ("PHONE", "EMAIL")
        }
        store.execute(
            f"UPDATE {self.owner_table} SET HAS_PHONE = ?, HAS_EMAIL = ? WHERE ID = ?",
            ("Y" if has["PHONE"] else "N", "Y" if has["EMAIL"] else "N", item_id),
        )

    def _write_one(self, store: Store, item_id: int, type_id: str, item: Mapping[str, Any]
                   ) -> None:
        # An item with an ID changes that value (or, with no value, deletes it); one
        # without is new.
        value = str(item.get("VALUE") or "").strip()
        value_type = str(item.get("VALUE_TYPE") or "WORK")
        fm_id = intval(item.get("ID"))
        if fm_id > 0 and not value:
            store.execute(f"DELETE FROM {self.table} WHERE id = ? AND {self.owner} = ?",
                          (fm_id, item_id))
        elif fm_id > 0:
            store.execute(
                f"UPDATE {self.table} SET value = ?, value_type = ? WHERE id = ? AND "
                f"{self.owner} = ?", (value, value_type, fm_id, item_id))
        elif value:
            store.insert(
                f"INSERT INTO {self.table} ({self.owner}, type_id, value_type, value)"
                " VALUES (?, ?, ?, ?)", (item_id, type_id, value_type, value))

    def remove(self, store: Store, item_id: int) -> None:
        store.execute(f"DELETE FROM {self.table} WHERE {self.owner} = ?", (item_id,))
