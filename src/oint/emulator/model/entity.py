# SQL is assembled from the field table only (unknown names never reach it); values are
# always bound parameters.
# ruff: noqa: S608
"""One generic list-like entity: a table described by a field table, with the server's
add/get/update/delete/fields and its list grammar.

    TASKS = Entity("tasks", (
        Field("ID", "integer", "ID", read_only=True, column="id"),
        Field("TITLE", "string", "Name", required=True, column="title"),
        Field("RESPONSIBLE_ID", "user", "Assignee", column="responsible_id"),
        Field("STATUS", "integer", "Status", column="status", kind=NUMBER),
        Field("ACCOMPLICES", "array", "Participants", multiple=True, column=None),
    ), key=camel, attachments=(Accomplices(),), filters={"::SUBFILTER-PARAMS": subfilter})
    # (Accomplices and subfilter are the family's own: an Attachment and a FilterKey)

    page = TASKS.page(store, Query(filter={"!STATUS": 6, ">=DEADLINE": "2025-01-01"},
                                   order={"DEADLINE": "asc"}, select=["ID", "TITLE"], start=50))
    reply = {"tasks": page.records}  # the handler wraps; page.total and page.next go up

``docs/contributing.md`` ("Adding an emulator family") shows a whole family on it.

**Lists.** ``filter`` keys carry a prefix (the grammar of ``model/filters.py``: ``>=``,
``<=``, ``>``, ``<``, ``@``, ``!@``, ``%``, ``!%``, ``=%``, ``%=``, ``!=%``, ``!%=``, ``!``,
``!=``, ``=`` or none); fields the entity does not know are ignored, as the server ignores
them. ``order`` maps field names to ASC/DESC, with the primary key last as a tie-breaker so
pages neither repeat nor skip.
``select`` lists names (``*``: the ``listed`` default); the primary key is always there.
Pages are of 50: ``start`` is floored to a page, ``next`` is given while records remain,
``total`` counts them all; ``start=-1`` skips the count (``total`` 0, no ``next``) for
callers that page by a filter on the id. Values leave SQLite as the text replies carry,
and the ordered ids of a filter are kept on the store until its next write, so any page of
a 100,000-row list is one indexed fetch.

**Extension points**, for the quirks of each family (no family copies the grammar):

- ``Field``: the schema, one row per field in the server's ``*.fields`` order: ``type``
  (the server's type name), ``title``, the flags (``read_only``, ``required``, ``multiple``,
  ``immutable``), ``column`` (the storage column; None for a field kept elsewhere), ``kind``
  (how values are stored, compared and written: :data:`INTEGER` as text, :data:`NUMBER` as a
  number, :data:`REAL`, :data:`MONEY` with two decimals, :data:`TEXT`; by default from the
  type), ``key`` (the reply's key for it), ``sql`` (a read-only value computed from the
  row, e.g. a URL from the id), ``output`` (a Python conversion after SQL, e.g. to a JSON
  boolean; it costs a call per value) and ``extra`` (more keys of its description).
- ``key=``: the casing of reply keys (``camel`` for tasks' ``responsibleId``); a field's own
  ``key`` wins.
- ``listed=``: what ``*`` selects, in the order records carry their keys.
- ``attachments=``: fields kept outside the table: an :class:`Attachment` loads them for a
  page of ids in one query, and may filter on them, write and remove them (CRM phones and
  e-mails, a task's accomplices, a user's departments).
- ``filters=``: filter keys of the family's own (``FIND``, ``::SUBFILTER-PARAMS``,
  ``SECTION``), or another meaning for a field's key: ``(prefix, value) -> Clause``;
  ``filters.compare`` gives them the common grammar.
- ``scope=`` of :meth:`Entity.page`: a condition every record of the call meets (a folder's
  children, one owner's calendar, only active users).
- Defaults and computed values on write are the family's: :meth:`Entity.values` converts
  what the caller gave, the family fills the rest (creator, dates, a default status) and
  calls :meth:`Entity.add` or :meth:`Entity.update`. Wrapping (``{"tasks": [...]}``) and
  reading the parameters (``FILTER`` or top-level keys, ``sort``/``order``) are the
  handler's; :meth:`Entity.describe` takes the shape of one field's description.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..php import intval
from ..store import Store
from .filters import Clause, combine, compare, split_key

__all__ = [
    "INTEGER",
    "MONEY",
    "NUMBER",
    "PAGE",
    "REAL",
    "TEXT",
    "Attachment",
    "Entity",
    "Field",
    "FilterKey",
    "Kind",
    "Page",
    "Query",
    "camel",
]

PAGE = 50
_CHUNK = 500  # ids per SELECT, well below SQLite's limit of bound values

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _blank(value: Any) -> bool:
    return value is None or value == "" or isinstance(value, (Mapping, list))


def _stored_integer(value: Any) -> Any:
    return None if _blank(value) else (intval(value) or None)


def _stored_real(value: Any) -> Any:
    if _blank(value):
        return None
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return 0.0


def _stored_text(value: Any) -> Any:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(value)


def _compared_real(value: Any) -> float:
    try:
        return float(str(value))
    except ValueError:
        return 0.0


def _compared_text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Kind:
    """How a field's values are stored, compared in filters and written in replies."""

    sql_type: str
    stored: Callable[[Any], Any]  # a given value -> the stored one (None: null)
    compared: Callable[[Any], Any]  # a filter's value -> the one compared with the column
    text: Callable[[str], str]  # the column's SQL -> the SQL of the value a reply writes


INTEGER = Kind("INTEGER", _stored_integer, intval, lambda sql: f"CAST({sql} AS TEXT)")
NUMBER = Kind("INTEGER", _stored_integer, intval, lambda sql: sql)  # written as a number
REAL = Kind("REAL", _stored_real, _compared_real, lambda sql: f"CAST({sql} AS TEXT)")
MONEY = Kind("REAL", _stored_real, _compared_real, lambda sql: f"printf('%.2f', {sql})")
TEXT = Kind("TEXT", _stored_text, _compared_text, lambda sql: sql)
_KIND_OF_TYPE = {"integer": INTEGER, "user": INTEGER, "double": REAL}


@dataclass(frozen=True)
class Field:
    """One row of a field table; see the module's docstring for what each part does."""

    name: str
    type: str = "string"
    title: str = ""
    read_only: bool = False
    required: bool = False
    multiple: bool = False
    immutable: bool = False
    column: str | None = ""  # "": the name itself; None: not a column of the table
    kind: Kind | None = None
    key: str | None = None
    sql: str | None = None
    output: Callable[[Any], Any] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def value_kind(self) -> Kind:
        return self.kind or _KIND_OF_TYPE.get(self.type, TEXT)

    @property
    def stored(self) -> str | None:
        """The column the field is stored in (None: kept elsewhere, or computed)."""
        if self.sql is not None or self.column is None:
            return None
        return self.column or self.name


class Attachment:
    """Fields kept outside the entity's table; subclass and override what applies."""

    names: tuple[str, ...] = ()

    def load(self, store: Store, ids: Sequence[int], names: Sequence[str]
             ) -> dict[int, dict[str, Any]]:
        """The values of ``names`` for these ids; an id or name left out leaves no key."""
        raise NotImplementedError

    def condition(self, prefix: str, name: str, value: Any) -> Clause | None:
        """A filter on one of the fields (None: the key is ignored)."""
        return None

    def write(self, store: Store, item_id: int, given: Mapping[str, Any]) -> None:
        """Store what the caller gave for these fields on add or update."""

    def remove(self, store: Store, item_id: int) -> None:
        """Forget the fields of a deleted item."""


FilterKey = Callable[[str, Any], "Clause | None"]


@dataclass(frozen=True)
class Query:
    """A list call's parameters as given (the handler finds them where the family puts them)."""

    filter: Any = None
    order: Any = None
    select: Any = None
    start: int = 0


@dataclass
class Page:
    records: list[dict[str, Any]]
    total: int  # 0 when the call did not count (start=-1)
    next: int | None


def camel(name: str) -> str:
    """``RESPONSIBLE_ID`` -> ``responsibleId``."""
    head, *rest = name.lower().split("_")
    return head + "".join(part.capitalize() for part in rest)


def _identifier(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not an SQL identifier: {name!r}")
    return name


class Entity:
    """A table of records described by a field table; see the module's docstring."""

    def __init__(
        self,
        table: str,
        fields: Iterable[Field],
        *,
        listed: Sequence[str] | None = None,
        key: Callable[[str], str] | None = None,
        attachments: Sequence[Attachment] = (),
        filters: Mapping[str, FilterKey] | None = None,
        primary: str = "ID",
        page_size: int = PAGE,
    ) -> None:
        self.table = _identifier(table)
        self.fields = {f.name: f for f in fields}
        self.primary = primary
        self.page_size = page_size
        self.filters = dict(filters or {})
        self.attached = {name: a for a in attachments for name in a.names}
        self.attachments = tuple(attachments)
        # The SQL of each field held in the row: its column, or its computed expression.
        self.sql = {
            f.name: (f"({f.sql})" if f.sql is not None else _identifier(f.stored or ""))
            for f in self.fields.values() if f.sql is not None or f.stored is not None
        }
        self.kinds = {name: self.fields[name].value_kind for name in self.sql}
        self.text = {name: self.kinds[name].text(sql) for name, sql in self.sql.items()}
        self.keys = {f.name: f.key or (key(f.name) if key else f.name)
                     for f in self.fields.values()}
        self.outputs = {name: f.output for name, f in self.fields.items() if f.output}
        readable = [name for name in self.fields if name in self.sql or name in self.attached]
        self.listed = tuple(listed if listed is not None else
                            [n for n in readable if n not in self.attached])
        # The order records carry their keys in: the listed fields, then the others.
        self.readable = (*self.listed, *(n for n in readable if n not in self.listed))
        self.writable = tuple(n for n in self.readable if self.fields[n].stored is not None
                              and not self.fields[n].read_only)
        if primary not in self.sql:
            raise ValueError(f"{table}: the primary key {primary} must be a column")

    # -- the table ----------------------------------------------------------------------------

    def create_table(self) -> str:
        """``CREATE TABLE`` for the stored fields, in the order records list them."""
        lines = []
        for name in self.readable:
            stored = self.fields[name].stored
            if stored is None:
                continue
            sql_type = ("INTEGER PRIMARY KEY AUTOINCREMENT" if name == self.primary
                        else self.kinds[name].sql_type)
            lines.append(f"    {stored} {sql_type}")
        return f"CREATE TABLE IF NOT EXISTS {self.table} (\n" + ",\n".join(lines) + "\n);\n"

    # -- writing ------------------------------------------------------------------------------

    def values(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """What the caller gave for writable fields (upper-case names), as stored."""
        return {name: self.fields[name].value_kind.stored(given[name])
                for name in self.writable if name in given}

    def add(self, store: Store, row: Mapping[str, Any],
            given: Mapping[str, Any] | None = None) -> int:
        """Insert a row (field name -> stored value); attachments store their part of
        ``given``. The new id."""
        columns = [self._column(name) for name in row]
        item_id = store.insert(
            f"INSERT INTO {self.table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})", list(row.values()))
        for attachment in self.attachments:
            attachment.write(store, item_id, given or {})
        return item_id

    def update(self, store: Store, item_id: int, row: Mapping[str, Any],
               given: Mapping[str, Any] | None = None) -> None:
        """Change stored values; attachments store their part of ``given`` (None: leave
        them as they are)."""
        if row:
            sets = ", ".join(f"{self._column(name)} = ?" for name in row)
            store.execute(f"UPDATE {self.table} SET {sets} WHERE {self.sql[self.primary]} = ?",
                          [*row.values(), item_id])
        if given is not None:
            for attachment in self.attachments:
                attachment.write(store, item_id, given)

    def delete(self, store: Store, item_id: int) -> bool:
        """Delete a record and what its attachments keep; False if there was none."""
        deleted = store.execute(f"DELETE FROM {self.table} WHERE {self.sql[self.primary]} = ?",
                                (item_id,)) > 0
        for attachment in self.attachments:
            attachment.remove(store, item_id)
        return deleted

    def _column(self, name: str) -> str:
        stored = self.fields[name].stored
        if stored is None:
            raise ValueError(f"{self.table}: {name} is not stored in the table")
        return stored

    # -- reading ------------------------------------------------------------------------------

    def exists(self, store: Store, item_id: int) -> bool:
        return store.scalar(f"SELECT 1 FROM {self.table} WHERE {self.sql[self.primary]} = ?",
                            (item_id,)) is not None

    def get(self, store: Store, item_id: int, names: Sequence[str] | None = None
            ) -> dict[str, Any] | None:
        """One record (``names``: its fields in order; default the listed ones)."""
        found = self.records(store, [item_id], names or self.selection(None))
        return found[0] if found else None

    def records(self, store: Store, ids: Sequence[int], names: Sequence[str]
                ) -> list[dict[str, Any]]:
        """The records with these ids, in this order, with these fields."""
        if not ids:
            return []
        if len(ids) > _CHUNK:
            return [record for start in range(0, len(ids), _CHUNK)
                    for record in self.records(store, ids[start:start + _CHUNK], names)]
        columns = [n for n in names if n in self.text]
        attached = [n for n in names if n in self.attached]
        select = ", ".join([self.sql[self.primary], *(self.text[n] for n in columns)])
        rows = store.tuples(f"SELECT {select} FROM {self.table} WHERE {self.sql[self.primary]}"
                            f" IN ({', '.join('?' for _ in ids)})", list(ids))
        keys = [self.keys[n] for n in columns]
        by_id = {row[0]: dict(zip(keys, row[1:], strict=True)) for row in rows}
        converted = [(self.keys[n], self.outputs[n]) for n in columns if n in self.outputs]
        for record in by_id.values() if converted else ():
            for record_key, output in converted:
                record[record_key] = output(record[record_key])
        if not attached:
            return [by_id[i] for i in ids if i in by_id]
        extra = self._load(store, ids, attached)
        order = [self.keys[n] for n in names]
        interleaved = order[:len(columns)] != keys
        records = []
        for item_id in ids:
            if item_id not in by_id:
                continue
            record = by_id[item_id]
            values = extra.get(item_id, {})
            for name in attached:
                if name in values:
                    record[self.keys[name]] = values[name]
            records.append({k: record[k] for k in order if k in record} if interleaved
                           else record)
        return records

    def _load(self, store: Store, ids: Sequence[int], names: Sequence[str]
              ) -> dict[int, dict[str, Any]]:
        loaded: dict[int, dict[str, Any]] = {}
        for attachment in self.attachments:
            wanted = [n for n in names if n in attachment.names]
            if wanted:
                for item_id, values in attachment.load(store, ids, wanted).items():
                    loaded.setdefault(item_id, {}).update(values)
        return loaded

    def describe(self, shape: Callable[[Field], Any]) -> dict[str, Any]:
        """The ``*.fields`` reply: each field's description, in the table's order."""
        return {f.name: shape(f) for f in self.fields.values()}

    # -- lists --------------------------------------------------------------------------------

    def where(self, filter_: Any) -> Clause:
        if not isinstance(filter_, Mapping):
            return Clause("1", [])
        clauses = []
        for raw_key, value in filter_.items():
            prefix, name = split_key(str(raw_key))
            clause = self.condition(prefix, name, value)
            if clause is not None:
                clauses.append(clause)
        return combine(clauses, "AND", "1")

    def condition(self, prefix: str, name: str, value: Any) -> Clause | None:
        """One filter key's condition; None for a field the server would ignore."""
        special = self.filters.get(name)
        if special is not None:
            return special(prefix, value)
        attachment = self.attached.get(name)
        if attachment is not None:
            return attachment.condition(prefix, name, value)
        if name not in self.sql:
            return None
        return compare(self.sql[name], prefix, value, self.kinds[name].compared)

    def order_by(self, order: Any) -> str:
        parts = []
        by_primary = False
        if isinstance(order, Mapping):
            for raw, direction in order.items():
                name = str(raw).upper()
                if name in self.sql:
                    descending = str(direction).upper() == "DESC"
                    parts.append(f"{self.sql[name]} {'DESC' if descending else 'ASC'}")
                    by_primary = by_primary or name == self.primary
        if not by_primary:
            parts.append(f"{self.sql[self.primary]} ASC")  # pages neither repeat nor skip
        return ", ".join(parts)

    def selection(self, select: Any) -> list[str]:
        """The fields a ``select`` asks for, in the order records carry them."""
        names = select if isinstance(select, list) else list(select.values()) \
            if isinstance(select, Mapping) else []
        wanted = {str(n).upper() for n in names}
        chosen = set(self.listed) if not wanted or "*" in wanted else set()
        chosen |= wanted
        picked = [n for n in self.readable if n in chosen]
        if self.primary not in picked:
            picked.insert(0, self.primary)
        return picked

    def ids(self, store: Store, query: Query, scope: Clause | None = None) -> list[int]:
        """The ordered ids of every record the query's filter matches (``start`` and
        ``select`` aside), for a family whose list is not paged; kept until the next write."""
        where, order = self._where_in(query, scope), self.order_by(query.order)
        base = (f"SELECT {self.sql[self.primary]} FROM {self.table} WHERE {where.sql} "
                f"ORDER BY {order}")
        return store.id_list(
            (self.table, where.sql, tuple(where.args), order),
            lambda: [row[0] for row in store.tuples(base, where.args)],
        )

    def page(self, store: Store, query: Query, scope: Clause | None = None) -> Page:
        """One page of a list call; ``scope`` narrows it to what the call may see."""
        names = self.selection(query.select)
        if query.start < 0:
            where, order = self._where_in(query, scope), self.order_by(query.order)
            ids = [row[0] for row in store.tuples(
                f"SELECT {self.sql[self.primary]} FROM {self.table} WHERE {where.sql} "
                f"ORDER BY {order} LIMIT {self.page_size}", where.args)]
            return Page(self.records(store, ids, names), 0, None)
        offset = query.start // self.page_size * self.page_size
        matching = self.ids(store, query, scope)
        chunk = matching[offset:offset + self.page_size]
        more = offset + len(chunk) < len(matching)
        return Page(self.records(store, chunk, names), len(matching),
                    offset + self.page_size if more else None)

    def _where_in(self, query: Query, scope: Clause | None) -> Clause:
        where = self.where(query.filter)
        if scope is None:
            return where
        return Clause(f"({scope.sql}) AND ({where.sql})", [*scope.args, *where.args])
