"""Leads management: ``crm.lead.*``.

GetLeadsList keeps OPI's signature (``filter``, ``offset``, then ``token``) so positional OPI
calls still mean the same; ``select`` and ``order`` go in through ``Client.iter_list``'s
extra parameters or ``Client.call``.
"""

from __future__ import annotations

from .._spec import Kind, Operation, Param
from ._common import EMPTY_PARAM, structure_runner

REGION = "Leads management"

LEAD_ID = Param("lead_id", "lead", Kind.INTEGER, "Lead ID", key="id")
FIELDS = Param(
    "fields", "fields", Kind.COLLECTION, "Lead fields (JSON or a .json path); see "
    "GetLeadStructure", key="fields", annotation="LeadFields | Mapping[str, Any] | str",
)

# OPI's GetLeadFilterStructure, in its order. The recordings mask HAS_PHONE's text; it is
# written here the way its HAS_EMAIL twin is.
LEAD_FILTER_STRUCTURE = {
    "ID": "<lead identifier>",
    "ASSIGNED_BY_ID": "<responsible person identifier>",
    "COMPANY_ID": "<company identifier>",
    "COMPANY_TITLE": "<company name>",
    "CONTACT_ID": "<contact identifier>",
    "CREATED_BY_ID": "<author identifier>",
    "CURRENCY_ID": "<currency identifier>",
    "DATE_CLOSED": "<closing date>",
    "DATE_CREATE": "<date of creation>",
    "DATE_MODIFY": "<date of change>",
    "EMAIL": "<email address>",
    "HAS_EMAIL": "<Email is filled (Y|N)>",
    "HAS_PHONE": "<Phone is filled (Y|N)>",
    "IS_RETURN_CUSTOMER": "<reused lead flag (Y|N)>",
    "MODIFY_BY_ID": "<author ID of the last change>",
    "MOVED_BY_ID": "<identifier of the author of moving the lead to the current stage>",
    "MOVED_TIME": "<date of moving the lead to the current stage>",
    "OPENED": "<feature is available for all (Y|N)>",
    "OPPORTUNITY": "<expected amount>",
    "STATUS_ID": "<status identifier>",
    "TITLE": "<lead name (can be searched using the template [% [%_])>",
}

CREATE_LEAD = Operation(
    "CreateLead", REGION, "Create a lead", method="crm.lead.add", params=(FIELDS,),
    result="int",
)

DELETE_LEAD = Operation(
    "DeleteLead", REGION, "Delete a lead", method="crm.lead.delete", params=(LEAD_ID,),
    result="bool",
)

GET_LEAD = Operation(
    "GetLead", REGION, "Get a lead by ID", method="crm.lead.get", params=(LEAD_ID,),
    reads=True, result="Lead",
)

GET_LEADS_LIST = Operation(
    "GetLeadsList",
    REGION,
    "Get a page of 50 leads (all of them: --all, or Client.iter_list)",
    method="crm.lead.list",
    params=(
        Param("filter", "filter", Kind.COLLECTION, "Filter (JSON); see GetLeadFilterStructure",
              key="filter", required=False),
        Param("offset", "offset", Kind.INTEGER, "Offset of the page (start)", key="start",
              required=False, default=0),
    ),
    reads=True,
    result="list[Lead]",
)

UPDATE_LEAD = Operation(
    "UpdateLead", REGION, "Change a lead's fields", method="crm.lead.update",
    params=(LEAD_ID, FIELDS), result="bool",
)

GET_LEAD_STRUCTURE = Operation(
    "GetLeadStructure", REGION, "Get the description of lead fields", method="crm.lead.fields",
    reads=True, result="dict[str, Any]",
)

GET_LEAD_FILTER_STRUCTURE = Operation(
    "GetLeadFilterStructure", REGION, "Get the structure of a lead filter for GetLeadsList",
    params=(EMPTY_PARAM,), reads=True, result="dict[str, Any]",
    local=structure_runner(LEAD_FILTER_STRUCTURE),
)

OPERATIONS = (
    CREATE_LEAD,
    DELETE_LEAD,
    GET_LEAD,
    GET_LEADS_LIST,
    UPDATE_LEAD,
    GET_LEAD_STRUCTURE,
    GET_LEAD_FILTER_STRUCTURE,
)
