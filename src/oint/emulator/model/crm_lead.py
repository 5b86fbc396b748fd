"""CRM leads: their field table, the rules of a write, and fast seeding for benchmarks.

Values come back as the real server writes them: text or null, ``OPPORTUNITY`` with two
decimals. Lists are the generic entity's (``model/entity.py``).
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..store import Store
from ..timing import iso
from . import Actor, schema
from .crm import ORIGIN_AND_UTM, MultiFields, crm_fields, describe
from .entity import Entity, Page, Query

__all__ = ["LEADS", "add_lead", "delete_lead", "get_lead", "lead_exists", "lead_fields",
           "list_leads", "seed_leads", "update_lead"]

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
    *ORIGIN_AND_UTM,
    # Writable on the current server (read-only on 2024's, whose recordings show it).
    ("LAST_ACTIVITY_TIME", "datetime", False, False, "LAST_ACTIVITY_TIME"),
    ("LAST_ACTIVITY_BY", "user", False, False, "LAST_ACTIVITY_BY"),
    ("LAST_COMMUNICATION_TIME", "string", True, False, "LAST_COMMUNICATION_TIME"),
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
MULTI = MultiFields("crm_lead_fm", "lead_id", "crm_leads")
# No communications are emulated, so the time of the last one is always null.
_COMPUTED = {"LAST_COMMUNICATION_TIME": "NULL"}
LEADS = Entity("crm_leads", tuple(
    replace(f, sql=_COMPUTED[f.name]) if f.name in _COMPUTED else f
    for f in crm_fields(FIELDS, _EXTRA)
), listed=LISTED, attachments=(MULTI,))
SCHEMA = schema("crm_lead", LEADS.create_table() + MULTI.create_table())
# crm.lead.get's fields, in its order: LAST_COMMUNICATION_TIME (which lists leave out)
# before the last activity, the multi-fields after the rest (but no LINK).
_GET = (*LISTED[:-2], "LAST_COMMUNICATION_TIME", *LISTED[-2:], "EMAIL", "PHONE", "WEB", "IM")
_ADDRESS = ("ADDRESS", "ADDRESS_2", "ADDRESS_CITY", "ADDRESS_POSTAL_CODE", "ADDRESS_REGION",
            "ADDRESS_PROVINCE", "ADDRESS_COUNTRY", "ADDRESS_COUNTRY_CODE")


def _semantic(status: str | None) -> str:
    if status == "CONVERTED":
        return "S"
    return "F" if status == "JUNK" else "P"


def add_lead(ctx: Actor, fields: Mapping[str, Any]) -> int:
    """A new lead of the caller's from the given fields (upper-case names); its id."""
    now = iso(ctx.now)
    row = LEADS.values(fields)
    status = row.get("STATUS_ID") or "NEW"
    row.update({
        "STATUS_ID": status, "OPENED": row.get("OPENED") or "Y",
        "IS_MANUAL_OPPORTUNITY": row.get("IS_MANUAL_OPPORTUNITY") or "N",
        "OPPORTUNITY": row.get("OPPORTUNITY") or 0.0,
        "ASSIGNED_BY_ID": row.get("ASSIGNED_BY_ID") or ctx.user_id,
        "BIRTHDATE": row.get("BIRTHDATE") or "",
        "STATUS_SEMANTIC_ID": _semantic(status), "HAS_PHONE": "N", "HAS_EMAIL": "N",
        "HAS_IMOL": "N", "IS_RETURN_CUSTOMER": "N", "CREATED_BY_ID": ctx.user_id,
        "MODIFY_BY_ID": ctx.user_id, "MOVED_BY_ID": ctx.user_id,
        "LAST_ACTIVITY_BY": row.get("LAST_ACTIVITY_BY") or ctx.user_id,
        "DATE_CREATE": now, "DATE_MODIFY": now, "MOVED_TIME": now,
        "LAST_ACTIVITY_TIME": row.get("LAST_ACTIVITY_TIME") or now,
        "DATE_CLOSED": now if status in ("CONVERTED", "JUNK") else "",
    })
    _locate(ctx, row, None)
    lead_id = LEADS.add(ctx.store, row, fields)
    if not row.get("TITLE"):
        LEADS.update(ctx.store, lead_id, {"TITLE": f"Lead #{lead_id}"})
    return lead_id


def _locate(ctx: Actor, row: dict[str, Any], lead_id: int | None) -> None:
    """The location-module address of a lead with an address (ADDRESS_LOC_ADDR_ID): one id
    per lead, kept while any address field is filled, gone when none is; a given id wins."""
    if "ADDRESS_LOC_ADDR_ID" in row or not any(name in row for name in _ADDRESS):
        return
    current = get_lead(ctx, lead_id) if lead_id is not None else {}
    address = {**{name: (current or {}).get(name) for name in _ADDRESS},
               **{name: row[name] for name in _ADDRESS if name in row}}
    if not any(address.values()):
        row["ADDRESS_LOC_ADDR_ID"] = None
        return
    known = (current or {}).get("ADDRESS_LOC_ADDR_ID")
    row["ADDRESS_LOC_ADDR_ID"] = int(known) if known else int(ctx.store.scalar(
        "SELECT COALESCE(MAX(ADDRESS_LOC_ADDR_ID), 0) + 1 FROM crm_leads"))


def lead_exists(ctx: Actor, lead_id: int) -> bool:
    return LEADS.exists(ctx.store, lead_id)


def update_lead(ctx: Actor, lead_id: int, fields: Mapping[str, Any]) -> None:
    """Change an existing lead."""
    changes = LEADS.values(fields)
    if "STATUS_ID" in changes:
        changes["STATUS_SEMANTIC_ID"] = _semantic(changes["STATUS_ID"])
        changes["MOVED_TIME"] = iso(ctx.now)
        changes["MOVED_BY_ID"] = ctx.user_id
    changes.update({"DATE_MODIFY": iso(ctx.now), "MODIFY_BY_ID": ctx.user_id})
    _locate(ctx, changes, lead_id)
    LEADS.update(ctx.store, lead_id, changes, fields)


def delete_lead(ctx: Actor, lead_id: int) -> bool:
    """Delete a lead; False if there is none."""
    return LEADS.delete(ctx.store, lead_id)


def get_lead(ctx: Actor, lead_id: int) -> dict[str, Any] | None:
    return LEADS.get(ctx.store, lead_id, _GET)


def lead_fields() -> dict[str, Any]:
    return LEADS.describe(describe)


def list_leads(ctx: Actor, query: Query) -> Page:
    return LEADS.page(ctx.store, query)


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
                "ADDRESS_COUNTRY": "Germany", "ADDRESS_LOC_ADDR_ID": index + 1,
                "LAST_ACTIVITY_BY": user_id,
                "LAST_ACTIVITY_TIME": moment,
            })
            yield [values[n] for n in names]

    sql = (f"INSERT INTO crm_leads ({', '.join(names)}) "  # noqa: S608  (constant names)
           f"VALUES ({', '.join('?' for _ in names)})")
    with store.transaction():
        try:
            store.db.executemany(sql, rows())
        except sqlite3.Error as exc:  # pragma: no cover  (a broken --db file)
            raise RuntimeError(f"cannot seed leads: {exc}") from exc
