# SQL is assembled from the field table's constant names only; values are always bound.
# ruff: noqa: S608
"""CRM deals: their field table, pipelines (categories) with their stages, the rules of a
write, and the link to the lead a deal was converted from.

A deal lives in one pipeline (``CATEGORY_ID``, fixed once made: a move needs another
method) and is at one of that pipeline's stages; the stage decides ``STAGE_SEMANTIC_ID``
(P in progress, S won, F lost), ``CLOSED`` and ``IS_NEW``. Values come back as the real
server writes them: text or null, money with two decimals, dates as ISO 8601.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..php import intval
from ..timing import iso
from . import Actor, schema
from .crm import ORIGIN_AND_UTM, CrmError, crm_fields, describe
from .crm_lead import LEADS, update_lead
from .entity import INTEGER, MONEY, Entity, Field, Page, Query

__all__ = [
    "DEALS",
    "StageError",
    "add_deal",
    "convert_lead",
    "deal_exists",
    "deal_fields",
    "delete_deal",
    "get_deal",
    "list_deals",
    "stages",
    "update_deal",
]

# (field, type, read-only, multiple, title) in crm.deal.fields order.
FIELDS: tuple[tuple[str, str, bool, bool, str], ...] = (
    ("ID", "integer", True, False, "ID"),
    ("TITLE", "string", False, False, "Name"),
    ("TYPE_ID", "crm_status", False, False, "Type"),
    ("CATEGORY_ID", "crm_category", False, False, "Pipeline"),
    ("STAGE_ID", "crm_status", False, False, "Deal stage"),
    ("STAGE_SEMANTIC_ID", "string", True, False, "Stage group"),
    ("IS_NEW", "char", True, False, "New deal"),
    ("IS_RECURRING", "char", False, False, "Recurring deal"),
    ("IS_RETURN_CUSTOMER", "char", False, False, "Repeat deal"),
    ("IS_REPEATED_APPROACH", "char", False, False, "Repeated inquiry"),
    ("PROBABILITY", "integer", False, False, "Probability"),
    ("CURRENCY_ID", "crm_currency", False, False, "Currency"),
    ("OPPORTUNITY", "double", False, False, "Amount"),
    ("IS_MANUAL_OPPORTUNITY", "char", False, False, "IS_MANUAL_OPPORTUNITY"),
    ("TAX_VALUE", "double", False, False, "Tax rate"),
    ("COMPANY_ID", "crm_company", False, False, "Company"),
    ("CONTACT_ID", "crm_contact", False, False, "Contact"),
    ("CONTACT_IDS", "crm_contact", False, True, "Contacts"),
    ("QUOTE_ID", "crm_quote", True, False, "Quote"),
    ("BEGINDATE", "date", False, False, "Start date"),
    ("CLOSEDATE", "date", False, False, "End date"),
    ("OPENED", "char", False, False, "Available to everyone"),
    ("CLOSED", "char", False, False, "Closed"),
    ("COMMENTS", "string", False, False, "Comment"),
    ("ASSIGNED_BY_ID", "user", False, False, "Responsible person"),
    ("CREATED_BY_ID", "user", True, False, "Created by"),
    ("MODIFY_BY_ID", "user", True, False, "Modified by"),
    ("MOVED_BY_ID", "user", True, False, "MOVED_BY_ID"),
    ("DATE_CREATE", "datetime", True, False, "Created on"),
    ("DATE_MODIFY", "datetime", True, False, "Modified on"),
    ("MOVED_TIME", "datetime", True, False, "MOVED_TIME"),
    ("SOURCE_ID", "crm_status", False, False, "Source"),
    ("SOURCE_DESCRIPTION", "string", False, False, "Source information"),
    ("LEAD_ID", "crm_lead", True, False, "Lead"),
    ("ADDITIONAL_INFO", "string", False, False, "Additional information"),
    ("LOCATION_ID", "location", False, False, "Location"),
    *ORIGIN_AND_UTM,
    ("LAST_ACTIVITY_TIME", "datetime", False, False, "LAST_ACTIVITY_TIME"),
    ("LAST_ACTIVITY_BY", "user", False, False, "LAST_ACTIVITY_BY"),
    ("LAST_COMMUNICATION_TIME", "string", True, False, "LAST_COMMUNICATION_TIME"),
)
_EXTRA: dict[str, dict[str, Any]] = {
    "TYPE_ID": {"statusType": "DEAL_TYPE"},
    "STAGE_ID": {"statusType": "DEAL_STAGE"},
    "COMPANY_ID": {"settings": {"parentEntityTypeId": 4}},
    "CONTACT_ID": {"isDeprecated": True},
    "QUOTE_ID": {"settings": {"parentEntityTypeId": 7}},
    "SOURCE_ID": {"statusType": "SOURCE"},
    "LEAD_ID": {"settings": {"parentEntityTypeId": 1}},
}
# What crm.deal.get and crm.deal.list (``*``) write, in the server's order.
LISTED = (
    "ID", "TITLE", "TYPE_ID", "STAGE_ID", "PROBABILITY", "CURRENCY_ID", "OPPORTUNITY",
    "IS_MANUAL_OPPORTUNITY", "TAX_VALUE", "LEAD_ID", "COMPANY_ID", "CONTACT_ID", "QUOTE_ID",
    "BEGINDATE", "CLOSEDATE", "ASSIGNED_BY_ID", "CREATED_BY_ID", "MODIFY_BY_ID",
    "DATE_CREATE", "DATE_MODIFY", "OPENED", "CLOSED", "COMMENTS", "ADDITIONAL_INFO",
    "LOCATION_ID", "CATEGORY_ID", "STAGE_SEMANTIC_ID", "IS_NEW", "IS_RECURRING",
    "IS_RETURN_CUSTOMER", "IS_REPEATED_APPROACH", "SOURCE_ID", "SOURCE_DESCRIPTION",
    "ORIGINATOR_ID", "ORIGIN_ID", "MOVED_BY_ID", "MOVED_TIME", "LAST_ACTIVITY_TIME",
    "UTM_SOURCE", "UTM_MEDIUM", "UTM_CAMPAIGN", "UTM_CONTENT", "UTM_TERM", "LAST_ACTIVITY_BY",
)
_IDS = frozenset({"crm_lead", "crm_category", "crm_quote"})  # numbers, like the others
# Money that may be unset (TAX_VALUE): null stays null instead of "0.00".
_OPTIONAL_MONEY = dataclasses.replace(
    MONEY, text=lambda sql: f"CASE WHEN {sql} IS NULL THEN NULL ELSE printf('%.2f', {sql}) END")


def _field(f: Field) -> Field:
    if f.type in _IDS:
        f = dataclasses.replace(f, kind=INTEGER)
    if f.name == "TAX_VALUE":
        f = dataclasses.replace(f, kind=_OPTIONAL_MONEY)
    return dataclasses.replace(f, immutable=True) if f.name == "CATEGORY_ID" else f


DEALS = Entity("crm_deals", (_field(f) for f in crm_fields(FIELDS, _EXTRA)), listed=LISTED)
SCHEMA = schema("crm_deal", DEALS.create_table() + """
CREATE INDEX IF NOT EXISTS crm_deals_by_lead ON crm_deals (LEAD_ID);
CREATE TABLE IF NOT EXISTS crm_deal_categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sort INTEGER NOT NULL DEFAULT 500
);
INSERT OR IGNORE INTO crm_deal_categories (id, name, sort) VALUES (0, 'General', 100);
INSERT OR IGNORE INTO crm_deal_categories (id, name, sort) VALUES (1, 'Partners', 200);
-- A deleted lead leaves its deals, without the link (CCrmDeal::ProcessLeadDeletion).
CREATE TRIGGER IF NOT EXISTS crm_deals_lose_their_lead AFTER DELETE ON crm_leads BEGIN
    UPDATE crm_deals SET LEAD_ID = NULL WHERE LEAD_ID = OLD.ID;
END;
""")

# A pipeline's stages, in order, with their semantics; pipeline N > 0 prefixes them "CN:".
_STAGES = (("NEW", "P"), ("PREPARATION", "P"), ("PREPAYMENT_INVOICE", "P"),
           ("EXECUTING", "P"), ("FINAL_INVOICE", "P"), ("WON", "S"), ("LOSE", "F"),
           ("APOLOGY", "F"))
DEFAULT_TYPE = "SALE"
BASE_CURRENCY = "USD"
_DATES = ("BEGINDATE", "CLOSEDATE")


class StageError(CrmError):
    """A stage that is not one of the deal's pipeline."""


def stages(category_id: int) -> dict[str, str]:
    """A pipeline's stage ids with their semantics, in order."""
    prefix = f"C{category_id}:" if category_id > 0 else ""
    return {f"{prefix}{stage}": semantic for stage, semantic in _STAGES}


def _category(ctx: Actor, value: Any) -> int:
    # A pipeline that does not exist is the general one, as the server falls back.
    wanted = max(intval(value), 0)
    known = ctx.store.scalar("SELECT 1 FROM crm_deal_categories WHERE id = ?", (wanted,))
    return wanted if known is not None else 0


def _day(value: Any) -> str | None:
    """A date field as written: midnight of the day given (ISO 8601, or its date part)."""
    text = str(value or "")
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
    return iso(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def _stage_values(stage: str, category_id: int, ctx: Actor) -> dict[str, Any]:
    known = stages(category_id)
    if stage not in known:
        raise StageError(f"The stage {stage} is not one of the deal's pipeline")
    semantic = known[stage]
    return {"STAGE_ID": stage, "STAGE_SEMANTIC_ID": semantic,
            "CLOSED": "N" if semantic == "P" else "Y",
            "IS_NEW": "Y" if stage == next(iter(known)) else "N",
            "MOVED_BY_ID": ctx.user_id, "MOVED_TIME": iso(ctx.now)}


def _written(fields: Mapping[str, Any]) -> dict[str, Any]:
    row = DEALS.values(fields)
    row.pop("CLOSED", None)  # it follows the stage
    for key in _DATES:
        if key in row:
            row[key] = _day(row[key])
    contacts = fields.get("CONTACT_IDS")
    if isinstance(contacts, list) and contacts and "CONTACT_ID" not in fields:
        row["CONTACT_ID"] = DEALS.fields["CONTACT_ID"].value_kind.stored(contacts[0])
    return row


def add_deal(ctx: Actor, fields: Mapping[str, Any], *, lead_id: int | None = None) -> int:
    """A new deal of the caller's; ``lead_id`` links it to the lead it was converted from."""
    now = iso(ctx.now)
    row = _written(fields)
    category_id = _category(ctx, fields.get("CATEGORY_ID"))
    stage = str(row.get("STAGE_ID") or next(iter(stages(category_id))))
    row.update(_stage_values(stage, category_id, ctx))
    row.update({
        "CATEGORY_ID": category_id, "TITLE": row.get("TITLE") or "",
        "TYPE_ID": row.get("TYPE_ID") or DEFAULT_TYPE,
        "CURRENCY_ID": row.get("CURRENCY_ID") or BASE_CURRENCY,
        "OPPORTUNITY": row.get("OPPORTUNITY") or 0.0,
        "IS_MANUAL_OPPORTUNITY": row.get("IS_MANUAL_OPPORTUNITY") or "N",
        "COMPANY_ID": row.get("COMPANY_ID") or 0, "OPENED": row.get("OPENED") or "Y",
        "IS_RECURRING": row.get("IS_RECURRING") or "N",
        "IS_RETURN_CUSTOMER": row.get("IS_RETURN_CUSTOMER") or "N",
        "IS_REPEATED_APPROACH": row.get("IS_REPEATED_APPROACH") or "N",
        "ASSIGNED_BY_ID": row.get("ASSIGNED_BY_ID") or ctx.user_id,
        "BEGINDATE": row.get("BEGINDATE") or _day(now),
        "CLOSEDATE": row.get("CLOSEDATE") or _day(iso(ctx.now + 7 * 86400)),
        "CREATED_BY_ID": ctx.user_id, "MODIFY_BY_ID": ctx.user_id, "DATE_CREATE": now,
        "DATE_MODIFY": now, "LAST_ACTIVITY_TIME": now, "LAST_ACTIVITY_BY": ctx.user_id,
        "LEAD_ID": lead_id,
    })
    deal_id = DEALS.add(ctx.store, row)
    if not row["TITLE"]:
        DEALS.update(ctx.store, deal_id, {"TITLE": f"Deal #{deal_id}"})
    return deal_id


def deal_exists(ctx: Actor, deal_id: int) -> bool:
    return DEALS.exists(ctx.store, deal_id)


def update_deal(ctx: Actor, deal_id: int, fields: Mapping[str, Any]) -> None:
    """Change an existing deal; its pipeline stays (CATEGORY_ID is immutable here)."""
    changes = _written(fields)
    changes.pop("CATEGORY_ID", None)
    if "STAGE_ID" in changes:
        category_id = int(ctx.store.scalar(
            "SELECT CATEGORY_ID FROM crm_deals WHERE ID = ?", (deal_id,)) or 0)
        current = ctx.store.scalar("SELECT STAGE_ID FROM crm_deals WHERE ID = ?", (deal_id,))
        stage = str(changes["STAGE_ID"] or current)
        if stage != current:
            changes.update(_stage_values(stage, category_id, ctx))
        else:
            changes.pop("STAGE_ID")
    changes.update({"DATE_MODIFY": iso(ctx.now), "MODIFY_BY_ID": ctx.user_id})
    DEALS.update(ctx.store, deal_id, changes)


def delete_deal(ctx: Actor, deal_id: int) -> bool:
    return DEALS.delete(ctx.store, deal_id)


def get_deal(ctx: Actor, deal_id: int) -> dict[str, Any] | None:
    return DEALS.get(ctx.store, deal_id)


def deal_fields() -> dict[str, Any]:
    return DEALS.describe(describe)


def list_deals(ctx: Actor, query: Query) -> Page:
    return DEALS.page(ctx.store, query)


# The lead's fields a conversion carries over to the new deal.
_FROM_LEAD = ("TITLE", "OPPORTUNITY", "CURRENCY_ID", "COMPANY_ID", "CONTACT_ID", "SOURCE_ID",
              "SOURCE_DESCRIPTION", "COMMENTS", "ASSIGNED_BY_ID", "OPENED", "ORIGINATOR_ID",
              "ORIGIN_ID", "UTM_SOURCE", "UTM_MEDIUM", "UTM_CAMPAIGN", "UTM_CONTENT",
              "UTM_TERM")


def convert_lead(ctx: Actor, lead_id: int, category_id: int = 0) -> int:
    """The lead converter's deal: the lead's data in a new deal linked to it (``LEAD_ID``),
    and the lead marked converted. The deal's id."""
    lead = LEADS.get(ctx.store, lead_id, ["ID", *_FROM_LEAD, "IS_RETURN_CUSTOMER"])
    if lead is None:
        raise KeyError(lead_id)
    given = {k: v for k, v in lead.items() if k != "ID" and v is not None}
    deal_id = add_deal(ctx, {**given, "CATEGORY_ID": category_id}, lead_id=lead_id)
    update_lead(ctx, lead_id, {"STATUS_ID": "CONVERTED"})
    return deal_id
