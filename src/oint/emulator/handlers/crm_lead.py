"""CRM leads: ``crm.lead.add/get/update/delete/fields/list`` (the model is ``model/crm_lead``).

Lists page by 50 with ``start`` (floored to a page, as CDBResult lists do), ``next`` and
``total``; ``start=-1`` skips the count (``total`` 0, no ``next``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ApiError
from ..model.crm_lead import (
    add_lead,
    delete_lead,
    get_lead,
    lead_exists,
    lead_fields,
    list_leads,
    update_lead,
)
from ._args import intval
from ._lists import list_query, list_reply
from ._registry import Context, Reply, handler


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


@handler("crm.lead.add")
def lead_add(ctx: Context, params: dict[str, Any]) -> int:
    return add_lead(ctx, _fields(params))


@handler("crm.lead.update")
def lead_update(ctx: Context, params: dict[str, Any]) -> bool:
    lead_id = _lead_id(params)
    # The lead must exist before its fields are read.
    if not lead_exists(ctx, lead_id):
        raise _not_found()
    update_lead(ctx, lead_id, _fields(params))
    return True


@handler("crm.lead.delete")
def lead_delete(ctx: Context, params: dict[str, Any]) -> bool:
    if not delete_lead(ctx, _lead_id(params)):
        raise _not_found()
    return True


@handler("crm.lead.get")
def lead_get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    found = get_lead(ctx, _lead_id(params))
    if found is None:
        raise _not_found()
    return found


@handler("crm.lead.fields")
def lead_fields_(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return lead_fields()


@handler("crm.lead.list")
def lead_list(ctx: Context, params: dict[str, Any]) -> Reply:
    return list_reply(list_leads(ctx, list_query(params)))
