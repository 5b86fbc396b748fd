"""CRM deals: ``crm.deal.add/get/update/delete/fields/list`` (the model is
``model/crm_deal``). Lists page as crm.lead.list's do."""

from __future__ import annotations

from typing import Any

from ..model.crm_deal import (
    StageError,
    add_deal,
    deal_exists,
    deal_fields,
    delete_deal,
    get_deal,
    list_deals,
    update_deal,
)
from ._crm import crm_error, entity_fields, entity_id, not_found
from ._lists import list_query, list_reply
from ._registry import Context, Reply, handler


@handler("crm.deal.add")
def deal_add(ctx: Context, params: dict[str, Any]) -> int:
    try:
        return add_deal(ctx, entity_fields(params))
    except StageError as exc:
        raise crm_error(str(exc)) from None


@handler("crm.deal.update")
def deal_update(ctx: Context, params: dict[str, Any]) -> bool:
    deal_id = entity_id(params)
    if not deal_exists(ctx, deal_id):
        raise not_found()
    try:
        update_deal(ctx, deal_id, entity_fields(params))
    except StageError as exc:
        raise crm_error(str(exc)) from None
    return True


@handler("crm.deal.delete")
def deal_delete(ctx: Context, params: dict[str, Any]) -> bool:
    if not delete_deal(ctx, entity_id(params)):
        raise not_found()
    return True


@handler("crm.deal.get")
def deal_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    found = get_deal(ctx, entity_id(params))
    if found is None:
        raise not_found()
    return found


@handler("crm.deal.fields")
def deal_fields_(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return deal_fields()


@handler("crm.deal.list")
def deal_list(ctx: Context, params: dict[str, Any]) -> Reply:
    return list_reply(list_deals(ctx, list_query(params)))
