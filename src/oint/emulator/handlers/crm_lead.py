"""CRM leads: ``crm.lead.add/get/update/delete/fields/list`` (the model is ``model/crm_lead``).

Lists page by 50 with ``start`` (floored to a page, as CDBResult lists do), ``next`` and
``total``; ``start=-1`` skips the count (``total`` 0, no ``next``).
"""

from __future__ import annotations

from typing import Any

from ..model.crm_lead import (
    add_lead,
    delete_lead,
    get_lead,
    lead_exists,
    lead_fields,
    list_leads,
    update_lead,
)
from ._crm import entity_fields, entity_id, not_found
from ._lists import list_query, list_reply
from ._registry import Context, Reply, handler


@handler("crm.lead.add")
def lead_add(ctx: Context, params: dict[str, Any]) -> int:
    return add_lead(ctx, entity_fields(params))


@handler("crm.lead.update")
def lead_update(ctx: Context, params: dict[str, Any]) -> bool:
    lead_id = entity_id(params)
    # The lead must exist before its fields are read.
    if not lead_exists(ctx, lead_id):
        raise not_found()
    update_lead(ctx, lead_id, entity_fields(params))
    return True


@handler("crm.lead.delete")
def lead_delete(ctx: Context, params: dict[str, Any]) -> bool:
    if not delete_lead(ctx, entity_id(params)):
        raise not_found()
    return True


@handler("crm.lead.get")
def lead_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    found = get_lead(ctx, entity_id(params))
    if found is None:
        raise not_found()
    return found


@handler("crm.lead.fields")
def lead_fields_(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return lead_fields()


@handler("crm.lead.list")
def lead_list(ctx: Context, params: dict[str, Any]) -> Reply:
    return list_reply(list_leads(ctx, list_query(params)))
