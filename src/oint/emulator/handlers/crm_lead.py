# SQL is assembled from the field table only (unknown names never reach it); values are
# always bound parameters.
# ruff: noqa: S608
"""CRM leads: ``crm.lead.add/get/update/delete/fields/list``, and fast seeding.

Values come back as the real server writes them: text or null, ``OPPORTUNITY`` with two
decimals. Lists page by 50 with ``start`` (floored to a page, as CDBResult lists do),
``next`` and ``total``; ``start=-1`` skips the count (``total`` 0, no ``next``).

Listing must not be what a benchmark measures: numbers are stored as numbers (so filters
compare them as numbers), rows come out of SQLite already as text, and the ordered id list
of a filter is kept until the next write, so a page at any offset costs one indexed fetch.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ApiError
from ..store import Store
from ..timing import iso
from ._args import intval
from ._registry import Context, Reply, handler

PAGE = 50

# (field, type, read-only, multiple, title) in crm.lead.fields order; types are the real
# server's. Flags not listed (required, immutable, dynamic) are false for every lead field.
FIELDS: tuple[tuple[str, str, bool, bool, str], ...] = (
    ("ID", "integer", True, False, "ID"),
    ("TITLE", "string", False, False, "Lead name"),
    ("HONORIFIC", "crm_status", False, False, "Salutation"),
    ("NAME", "string", False, False, "First name"),
    ("SECOND_NAME", "string", False, False, "Second name"),
    ("LAST_NAME", "string", False, False, "Last name"),
    ("BIRTHDATE", "date", False, False, "Date of birth"),
    ("COMPANY_TITLE", "string", False, False, "Company name"),
    ("SOURCE_ID", "crm_status", False, False, "Source"),
    ("SOURCE_DESCRIPTION", "string", False, False, "Source information"),
    ("STATUS_ID", "crm_status", False, False, "Stage"),
    ("STATUS_DESCRIPTION", "string", False, False, "Stage information"),
    ("STATUS_SEMANTIC_ID", "string", True, False, "Status details"),
    ("POST", "string", False, False, "Position"),
    ("ADDRESS", "string", False, False, "Address"),
    ("ADDRESS_2", "string", False, False, "Address (line 2)"),
    ("ADDRESS_CITY", "string", False, False, "City"),
    ("ADDRESS_POSTAL_CODE", "string", False, False, "Zip"),
    ("ADDRESS_REGION", "string", False, False, "Region"),
    ("ADDRESS_PROVINCE", "string", False, False, "State / Province"),
    ("ADDRESS_COUNTRY", "string", False, False, "Country"),
    ("ADDRESS_COUNTRY_CODE", "string", False, False, "Country code"),
    ("ADDRESS_LOC_ADDR_ID", "integer", False, False, "Location address ID"),
    ("CURRENCY_ID", "crm_currency", False, False, "Currency"),
    ("OPPORTUNITY", "double", False, False, "Total"),
    ("IS_MANUAL_OPPORTUNITY", "char", False, False, "IS_MANUAL_OPPORTUNITY"),
    ("OPENED", "char", False, False, "Available to everyone"),
    ("COMMENTS", "string", False, False, "Comment"),
    ("HAS_PHONE", "char", True, False, "Has phone"),
    ("HAS_EMAIL", "char", True, False, "Has e-mail"),
    ("HAS_IMOL", "char", True, False, "Has Open Channel"),
    ("ASSIGNED_BY_ID", "user", False, False, "Responsible person"),
    ("CREATED_BY_ID", "user", True, False, "Created by"),
    ("MODIFY_BY_ID", "user", True, False, "Modified by"),
    ("MOVED_BY_ID", "user", True, False, "MOVED_BY_ID"),
    ("DATE_CREATE", "datetime", True, False, "Created"),
    ("DATE_MODIFY", "datetime", True, False, "Modified"),
    ("MOVED_TIME", "datetime", True, False, "MOVED_TIME"),
    ("COMPANY_ID", "crm_company", False, False, "Company"),
    ("CONTACT_ID", "crm_contact", False, False, "Contact"),
    ("CONTACT_IDS", "crm_contact", False, True, "CONTACT_IDS"),
    ("IS_RETURN_CUSTOMER", "char", True, False, "Repeat lead"),
    ("DATE_CLOSED", "datetime", True, False, "Closed"),
    ("ORIGINATOR_ID", "string", False, False, "External source"),
    ("ORIGIN_ID", "string", False, False, "Item ID in data source"),
    ("UTM_SOURCE", "string", False, False, "Ad system"),
    ("UTM_MEDIUM", "string", False, False, "Traffic type"),
    ("UTM_CAMPAIGN", "string", False, False, "Ad campaign UTM"),
    ("UTM_CONTENT", "string", False, False, "Campaign contents"),
    ("UTM_TERM", "string", False, False, "Campaign search term"),
    ("LAST_ACTIVITY_TIME", "datetime", True, False, "LAST_ACTIVITY_TIME"),
    ("LAST_ACTIVITY_BY", "user", True, False, "LAST_ACTIVITY_BY"),
    ("PHONE", "crm_multifield", False, True, "Phone"),
    ("EMAIL", "crm_multifield", False, True, "E-mail"),
    ("WEB", "crm_multifield", False, True, "Website"),
    ("IM", "crm_multifield", False, True, "Messenger"),
    ("LINK", "crm_multifield", False, True, "LINK"),
)
_EXTRA: dict[str, dict[str, Any]] = {
    "HONORIFIC": {"statusType": "HONORIFIC"},
    "SOURCE_ID": {"statusType": "SOURCE"},
    "STATUS_ID": {"statusType": "STATUS"},
    "COMPANY_ID": {"settings": {"parentEntityTypeId": 4}},
    "CONTACT_ID": {"isDeprecated": True},
}
MULTI = ("PHONE", "EMAIL", "WEB", "IM", "LINK")

# The fields a list returns by default ("*"), in the order the real server writes them.
LISTED = (
    "ID", "TITLE", "HONORIFIC", "NAME", "SECOND_NAME", "LAST_NAME", "COMPANY_TITLE",
    "COMPANY_ID", "CONTACT_ID", "IS_RETURN_CUSTOMER", "BIRTHDATE", "SOURCE_ID",
    "SOURCE_DESCRIPTION", "STATUS_ID", "STATUS_DESCRIPTION", "POST", "COMMENTS", "CURRENCY_ID",
    "OPPORTUNITY", "IS_MANUAL_OPPORTUNITY", "HAS_PHONE", "HAS_EMAIL", "HAS_IMOL",
    "ASSIGNED_BY_ID", "CREATED_BY_ID", "MODIFY_BY_ID", "DATE_CREATE", "DATE_MODIFY",
    "DATE_CLOSED", "STATUS_SEMANTIC_ID", "OPENED", "ORIGINATOR_ID", "ORIGIN_ID", "MOVED_BY_ID",
    "MOVED_TIME", "ADDRESS", "ADDRESS_2", "ADDRESS_CITY", "ADDRESS_POSTAL_CODE",
    "ADDRESS_REGION", "ADDRESS_PROVINCE", "ADDRESS_COUNTRY", "ADDRESS_COUNTRY_CODE",
    "ADDRESS_LOC_ADDR_ID", "UTM_SOURCE", "UTM_MEDIUM", "UTM_CAMPAIGN", "UTM_CONTENT",
    "UTM_TERM", "LAST_ACTIVITY_BY", "LAST_ACTIVITY_TIME",
)
_INTEGER = frozenset({"ID", "COMPANY_ID", "CONTACT_ID", "ASSIGNED_BY_ID", "CREATED_BY_ID",
                      "MODIFY_BY_ID", "MOVED_BY_ID", "LAST_ACTIVITY_BY", "ADDRESS_LOC_ADDR_ID"})
_READ_ONLY = frozenset(name for name, _, read_only, _, _ in FIELDS if read_only)
_WRITABLE = tuple(n for n in LISTED if n not in _READ_ONLY)


def _column_type(name: str) -> str:
    if name == "ID":
        return "INTEGER PRIMARY KEY AUTOINCREMENT"
    if name in _INTEGER:
        return "INTEGER"
    return "REAL" if name == "OPPORTUNITY" else "TEXT"


SCHEMA = (
    "CREATE TABLE IF NOT EXISTS crm_leads (\n"
    + ",\n".join(f"    {name} {_column_type(name)}" for name in LISTED)
    + "\n);\n"
    "CREATE TABLE IF NOT EXISTS crm_lead_fm (\n"
    "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "    lead_id INTEGER NOT NULL,\n"
    "    type_id TEXT NOT NULL,\n"
    "    value_type TEXT NOT NULL,\n"
    "    value TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX IF NOT EXISTS crm_lead_fm_by_lead ON crm_lead_fm (lead_id, type_id, id);\n"
)


def _as_text(name: str) -> str:
    # Rows leave SQLite as the text the server writes, so building a reply is one zip.
    if name == "ID" or name in _INTEGER:
        return f"CAST({name} AS TEXT)"
    if name == "OPPORTUNITY":
        return "printf('%.2f', OPPORTUNITY)"
    return name


def _not_found() -> ApiError:
    return ApiError("", "Not found")


def _lead_id(params: Mapping[str, Any]) -> int:
    lead_id = intval(params.get("ID"))
    if lead_id <= 0:
        raise ApiError("", "ID is not defined or invalid.")
    return lead_id


def _fields(params: Mapping[str, Any]) -> dict[str, Any]:
    fields = params.get("FIELDS")
    if fields is None or fields == "":
        return {}
    if not isinstance(fields, Mapping):
        raise ApiError("", "Parameter 'fields' must be array.")
    return {str(k).upper(): v for k, v in fields.items()}


def _stored(name: str, value: Any) -> Any:
    if value is None or value == "" or isinstance(value, (Mapping, list)):
        return None
    if name in _INTEGER:
        return intval(value) or None
    if name == "OPPORTUNITY":
        try:
            return float(str(value).replace(",", "."))
        except ValueError:
            return 0.0
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(value)


# -- the version of the lead table, for the cached id lists -------------------------------

@dataclass
class _Cache:
    version: int = 0
    ids: OrderedDict[tuple[Any, ...], list[int]] | None = None


_CACHES: dict[int, _Cache] = {}


def _cache(store: Store) -> _Cache:
    return _CACHES.setdefault(id(store), _Cache(ids=OrderedDict()))


def _changed(store: Store) -> None:
    cache = _cache(store)
    cache.version += 1
    if cache.ids is not None:
        cache.ids.clear()


# -- writing -------------------------------------------------------------------------------

def _write_multifields(ctx: Context, lead_id: int, fields: Mapping[str, Any]) -> None:
    for type_id in MULTI:
        items = fields.get(type_id)
        if isinstance(items, Mapping):
            items = list(items.values())
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, Mapping):
                continue
            value = str(item.get("VALUE") or "").strip()
            value_type = str(item.get("VALUE_TYPE") or "WORK")
            fm_id = intval(item.get("ID"))
            if fm_id > 0 and not value:
                ctx.store.execute("DELETE FROM crm_lead_fm WHERE id = ? AND lead_id = ?",
                                  (fm_id, lead_id))
            elif fm_id > 0:
                ctx.store.execute(
                    "UPDATE crm_lead_fm SET value = ?, value_type = ? WHERE id = ? AND lead_id = ?",
                    (value, value_type, fm_id, lead_id),
                )
            elif value:
                ctx.store.insert(
                    "INSERT INTO crm_lead_fm (lead_id, type_id, value_type, value)"
                    " VALUES (?, ?, ?, ?)", (lead_id, type_id, value_type, value),
                )
    has = {
        kind: ctx.store.scalar(
            "SELECT 1 FROM crm_lead_fm WHERE lead_id = ? AND type_id = ? LIMIT 1",
            (lead_id, kind),
        ) is not None
        for kind in ("PHONE", "EMAIL")
    }
    ctx.store.execute(
        "UPDATE crm_leads SET HAS_PHONE = ?, HAS_EMAIL = ? WHERE ID = ?",
        ("Y" if has["PHONE"] else "N", "Y" if has["EMAIL"] else "N", lead_id),
    )


def _semantic(status: str | None) -> str:
    if status == "CONVERTED":
        return "S"
    return "F" if status == "JUNK" else "P"


@handler("crm.lead.add")
def lead_add(ctx: Context, params: dict[str, Any]) -> int:
    fields = _fields(params)
    now = iso(ctx.now)
    row = {name: _stored(name, fields.get(name)) for name in _WRITABLE}
    row["STATUS_ID"] = row["STATUS_ID"] or "NEW"
    row["OPENED"] = row["OPENED"] or "Y"
    row["IS_MANUAL_OPPORTUNITY"] = row["IS_MANUAL_OPPORTUNITY"] or "N"
    row["OPPORTUNITY"] = row["OPPORTUNITY"] or 0.0
    row["ASSIGNED_BY_ID"] = row["ASSIGNED_BY_ID"] or ctx.user_id
    row["BIRTHDATE"] = row["BIRTHDATE"] or ""
    closed = row["STATUS_ID"] in ("CONVERTED", "JUNK")
    row.update({
        "STATUS_SEMANTIC_ID": _semantic(row["STATUS_ID"]), "HAS_PHONE": "N", "HAS_EMAIL": "N",
        "HAS_IMOL": "N", "IS_RETURN_CUSTOMER": "N", "CREATED_BY_ID": ctx.user_id,
        "MODIFY_BY_ID": ctx.user_id, "MOVED_BY_ID": ctx.user_id, "LAST_ACTIVITY_BY": ctx.user_id,
        "DATE_CREATE": now, "DATE_MODIFY": now, "MOVED_TIME": now, "LAST_ACTIVITY_TIME": now,
        "DATE_CLOSED": now if closed else "",
    })
    names = list(row)
    lead_id = ctx.store.insert(
        f"INSERT INTO crm_leads ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        [row[n] for n in names],
    )
    if not row["TITLE"]:
        ctx.store.execute("UPDATE crm_leads SET TITLE = ? WHERE ID = ?",
                          (f"Lead #{lead_id}", lead_id))
    _write_multifields(ctx, lead_id, fields)
    _changed(ctx.store)
    return lead_id


def _exists(store: Store, lead_id: int) -> bool:
    return store.scalar("SELECT 1 FROM crm_leads WHERE ID = ?", (lead_id,)) is not None


@handler("crm.lead.update")
def lead_update(ctx: Context, params: dict[str, Any]) -> bool:
    lead_id = _lead_id(params)
    if not _exists(ctx.store, lead_id):
        raise _not_found()
    fields = _fields(params)
    changes = {n: _stored(n, fields[n]) for n in _WRITABLE if n in fields}
    if "STATUS_ID" in changes:
        changes["STATUS_SEMANTIC_ID"] = _semantic(changes["STATUS_ID"])
        changes["MOVED_TIME"] = iso(ctx.now)
        changes["MOVED_BY_ID"] = ctx.user_id
    changes.update({"DATE_MODIFY": iso(ctx.now), "MODIFY_BY_ID": ctx.user_id})
    ctx.store.execute(
        f"UPDATE crm_leads SET {', '.join(f'{n} = ?' for n in changes)} WHERE ID = ?",
        [*changes.values(), lead_id],
    )
    _write_multifields(ctx, lead_id, fields)
    _changed(ctx.store)
    return True


@handler("crm.lead.delete")
def lead_delete(ctx: Context, params: dict[str, Any]) -> bool:
    lead_id = _lead_id(params)
    if not _exists(ctx.store, lead_id):
        raise _not_found()
    ctx.store.execute("DELETE FROM crm_leads WHERE ID = ?", (lead_id,))
    ctx.store.execute("DELETE FROM crm_lead_fm WHERE lead_id = ?", (lead_id,))
    _changed(ctx.store)
    return True


# -- reading -------------------------------------------------------------------------------

def _rows(store: Store, sql: str, args: list[Any]) -> list[tuple[Any, ...]]:
    cursor = store.db.cursor()
    cursor.row_factory = None  # plain tuples: the fastest way out of sqlite3
    return cursor.execute(sql, args).fetchall()


def _multifields(store: Store, ids: list[int], kinds: list[str]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    if not ids or not kinds:
        return found
    rows = _rows(
        store,
        f"SELECT lead_id, type_id, id, value_type, value FROM crm_lead_fm WHERE lead_id IN "
        f"({', '.join('?' for _ in ids)}) AND type_id IN ({', '.join('?' for _ in kinds)})"
        " ORDER BY id",
        [*ids, *kinds],
    )
    for lead_id, type_id, fm_id, value_type, value in rows:
        found.setdefault(lead_id, {}).setdefault(type_id, []).append(
            {"ID": str(fm_id), "VALUE_TYPE": value_type, "VALUE": value, "TYPE_ID": type_id}
        )
    return found


def _records(store: Store, ids: list[int], columns: list[str], kinds: list[str]
             ) -> list[dict[str, Any]]:
    """The leads with these ids, in this order."""
    if not ids:
        return []
    select = ", ".join(_as_text(c) for c in columns)
    rows = _rows(store, f"SELECT ID, {select} FROM crm_leads WHERE ID IN "
                        f"({', '.join('?' for _ in ids)})", ids)
    by_id = {row[0]: dict(zip(columns, row[1:], strict=True)) for row in rows}
    multi = _multifields(store, ids, kinds)
    records = []
    for lead_id in ids:
        record = by_id.get(lead_id)
        if record is None:
            continue
        for kind in kinds:
            if kind in multi.get(lead_id, {}):
                record[kind] = multi[lead_id][kind]
        records.append(record)
    return records


@handler("crm.lead.get")
def lead_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    lead_id = _lead_id(params)
    found = _records(ctx.store, [lead_id], list(LISTED), ["EMAIL", "PHONE", "WEB", "IM"])
    if not found:
        raise _not_found()
    return found[0]


@handler("crm.lead.fields")
def lead_fields(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {
            "type": kind, "isRequired": False, "isReadOnly": read_only, "isImmutable": False,
            "isMultiple": multiple, "isDynamic": False, **_EXTRA.get(name, {}), "title": title,
        }
        for name, kind, read_only, multiple, title in FIELDS
    }


# Filter key prefixes, longest first so that ">=" is not read as ">".
_PREFIXES = (">=", "<=", "!@", "!%", "!=", "=%", "%=", ">", "<", "@", "!", "%", "=")
_COMPARE = {">=": ">=", "<=": "<=", ">": ">", "<": "<"}


def _value(name: str, value: Any) -> Any:
    if name in _INTEGER:
        return intval(value)
    if name == "OPPORTUNITY":
        try:
            return float(str(value))
        except ValueError:
            return 0.0
    return "" if value is None else str(value)


def _condition(prefix: str, name: str, value: Any) -> tuple[str, list[Any]]:
    values = list(value.values()) if isinstance(value, Mapping) else value
    if name in MULTI:
        target = values if isinstance(values, list) else [values]
        clause = (f"EXISTS (SELECT 1 FROM crm_lead_fm f WHERE f.lead_id = crm_leads.ID AND "
                  f"f.type_id = ? AND f.value IN ({', '.join('?' for _ in target)}))")
        args = [name, *[str(v) for v in target]]
        return (f"NOT {clause}", args) if prefix.startswith("!") else (clause, args)
    if isinstance(values, list):
        if prefix in _COMPARE:
            # The emulator's choice for an array after a comparison: any element may match.
            parts = [f"{name} {_COMPARE[prefix]} ?" for _ in values] or ["0"]
            return "(" + " OR ".join(parts) + ")", [_value(name, v) for v in values]
        marks = ", ".join("?" for _ in values) or "NULL"
        negate = "NOT " if prefix.startswith("!") else ""
        return f"{name} {negate}IN ({marks})", [_value(name, v) for v in values]
    if prefix in _COMPARE:
        return f"{name} {_COMPARE[prefix]} ?", [_value(name, values)]
    if prefix in ("%", "!%"):
        negate = "NOT " if prefix == "!%" else ""
        return f"COALESCE({name}, '') {negate}LIKE ?", [f"%{values}%"]
    if prefix in ("=%", "%="):
        return f"{name} LIKE ?", [str(values)]
    if prefix in ("!", "!="):
        return f"{name} IS NOT ?", [_value(name, values)]
    return f"{name} IS ?", [_value(name, values)]


def _where(filter_: Any) -> tuple[str, list[Any]]:
    if not isinstance(filter_, Mapping):
        return "1", []
    clauses, args = [], []
    known = set(LISTED) | set(MULTI)
    for raw_key, value in filter_.items():
        key = str(raw_key)
        prefix = next((p for p in _PREFIXES if key.startswith(p)), "")
        name = key[len(prefix):].strip().upper()
        if name not in known:
            continue  # the server ignores fields it does not know
        clause, clause_args = _condition(prefix, name, value)
        clauses.append(clause)
        args += clause_args
    return " AND ".join(clauses) or "1", args


def _order(order: Any) -> str:
    parts = []
    if isinstance(order, Mapping):
        for raw, direction in order.items():
            name = str(raw).upper()
            if name in LISTED:
                parts.append(f"{name} {'DESC' if str(direction).upper() == 'DESC' else 'ASC'}")
    if not any(p.startswith("ID ") for p in parts):
        parts.append("ID ASC")  # a stable order, so pages neither repeat nor skip
    return ", ".join(parts)


def _select(select: Any) -> tuple[list[str], list[str]]:
    names = select if isinstance(select, list) else list(select.values()) \
        if isinstance(select, Mapping) else []
    wanted = [str(n).upper() for n in names]
    if not wanted or "*" in wanted:
        columns = list(LISTED)
    else:
        columns = [n for n in LISTED if n in wanted]
        if "ID" not in columns:
            columns.insert(0, "ID")
    return columns, [n for n in MULTI if n in wanted]


def _matching_ids(store: Store, where: str, args: list[Any], order: str) -> list[int]:
    cache = _cache(store)
    assert cache.ids is not None
    key = (where, tuple(args), order)
    ids = cache.ids.get(key)
    if ids is None:
        ids = [row[0] for row in _rows(store, f"SELECT ID FROM crm_leads WHERE {where} "
                                              f"ORDER BY {order}", args)]
        cache.ids[key] = ids
        while len(cache.ids) > 16:
            cache.ids.popitem(last=False)
    return ids


@handler("crm.lead.list")
def lead_list(ctx: Context, params: dict[str, Any]) -> Reply:
    where, args = _where(params.get("FILTER"))
    order = _order(params.get("ORDER"))
    columns, kinds = _select(params.get("SELECT"))
    start = intval(params.get("START", 0))
    if start < 0:
        # Fast mode: no count, no offset; the caller pages with a filter on ID.
        ids = [row[0] for row in _rows(ctx.store, f"SELECT ID FROM crm_leads WHERE {where} "
                                                  f"ORDER BY {order} LIMIT {PAGE}", args)]
        return Reply(_records(ctx.store, ids, columns, kinds), total=0)
    offset = start // PAGE * PAGE
    matching = _matching_ids(ctx.store, where, args, order)
    page = matching[offset:offset + PAGE]
    more = offset + len(page) < len(matching)
    return Reply(_records(ctx.store, page, columns, kinds), total=len(matching),
                 next=offset + PAGE if more else None)


# -- seeding -------------------------------------------------------------------------------

_FIRST = ("John", "Maria", "Peter", "Olga", "David", "Elena", "Ivan", "Sofia", "Tom", "Anna")
_LAST = ("Doe", "Ivanova", "Novak", "Petrova", "Kim", "Sokolova", "Becker", "Rossi", "Weber")
_STATUS = ("NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK")
_SOURCE = ("CALL", "EMAIL", "WEB", "ADVERTISING", "PARTNER", "OTHER")


def seed_leads(store: Store, count: int, *, user_id: int = 1, seed: int = 24) -> None:
    """Write ``count`` leads straight into the store, as one transaction.

    Through the API this would take hours at 2 requests a second; benchmarks need 100,000.
    """
    rng = random.Random(seed)
    base = dt.datetime(2024, 8, 22, 9, 0, tzinfo=dt.timezone.utc).timestamp()
    names = [n for n in LISTED if n != "ID"]

    def rows() -> Any:
        for index in range(count):
            moment = iso(base + index * 37)
            status = rng.choice(_STATUS)
            values: dict[str, Any] = dict.fromkeys(names)
            values.update({
                "TITLE": f"Lead {index + 1} · {rng.choice(_LAST)} & Co",
                "NAME": rng.choice(_FIRST), "LAST_NAME": rng.choice(_LAST),
                "IS_RETURN_CUSTOMER": "N", "BIRTHDATE": "", "SOURCE_ID": rng.choice(_SOURCE),
                "STATUS_ID": status, "CURRENCY_ID": "USD",
                "OPPORTUNITY": float(rng.randrange(0, 100000)), "IS_MANUAL_OPPORTUNITY": "N",
                "HAS_PHONE": "N", "HAS_EMAIL": "N", "HAS_IMOL": "N",
                "ASSIGNED_BY_ID": rng.randrange(1, 21), "CREATED_BY_ID": user_id,
                "MODIFY_BY_ID": user_id, "DATE_CREATE": moment, "DATE_MODIFY": moment,
                "DATE_CLOSED": moment if status in ("CONVERTED", "JUNK") else "",
                "STATUS_SEMANTIC_ID": _semantic(status), "OPENED": "Y", "MOVED_BY_ID": user_id,
                "MOVED_TIME": moment, "ADDRESS": f"{rng.randrange(1, 200)} Main St.",
                "ADDRESS_COUNTRY": "Germany", "LAST_ACTIVITY_BY": user_id,
                "LAST_ACTIVITY_TIME": moment,
            })
            yield [values[n] for n in names]

    sql = (f"INSERT INTO crm_leads ({', '.join(names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    with store.transaction():
        try:
            store.db.executemany(sql, rows())
        except sqlite3.Error as exc:  # pragma: no cover  (a broken --db file)
            raise RuntimeError(f"cannot seed leads: {exc}") from exc
    _changed(store)
