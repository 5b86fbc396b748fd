"""CRM deals: ``crm.deal.add/get/update/delete/fields/list`` (the model is ``model/crm_deal``;
the methods are the CRM's, ``handlers/_crm``). A stage outside the deal's pipeline is
refused with the CRM's empty error code."""

from __future__ import annotations

from ..model.crm_deal import (
    add_deal,
    deal_exists,
    deal_fields,
    delete_deal,
    get_deal,
    list_deals,
    update_deal,
)
from ._crm import CrmModel, register

register("deal", CrmModel(add=add_deal, exists=deal_exists, update=update_deal,
                          delete=delete_deal, get=get_deal, fields=deal_fields,
                          page=list_deals))
