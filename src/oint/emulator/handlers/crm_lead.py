"""CRM leads: ``crm.lead.add/get/update/delete/fields/list`` (the model is ``model/crm_lead``;
the methods are the CRM's, ``handlers/_crm``)."""

from __future__ import annotations

from ..model.crm_lead import (
    add_lead,
    delete_lead,
    get_lead,
    lead_exists,
    lead_fields,
    list_leads,
    update_lead,
)
from ._crm import CrmModel, register

register("lead", CrmModel(add=add_lead, exists=lead_exists, update=update_lead,
                          delete=delete_lead, get=get_lead, fields=lead_fields,
                          page=list_leads))
