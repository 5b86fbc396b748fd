"""Leads management: ``crm.lead.*``.

GetLeadsList keeps OPI's signature (``filter``, ``offset``, then ``token``) so positional OPI
calls still mean the same; ``select`` and ``order`` go in through ``Client.iter_list``'s
extra parameters or ``Client.call``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from ._common import EMPTY_PARAM, Multifield, page_params, structure_runner

REGION = "Leads management"


class LeadFields(TypedDict, total=False):
    """Writable fields of ``crm.lead.add``/``update``; see ``get_lead_structure()``."""

    TITLE: str
    HONORIFIC: str
    NAME: str
    SECOND_NAME: str
    LAST_NAME: str
    BIRTHDATE: str
    COMPANY_TITLE: str
    SOURCE_ID: str
    SOURCE_DESCRIPTION: str
    STATUS_ID: str
    STATUS_DESCRIPTION: str
    POST: str
    ADDRESS: str
    ADDRESS_2: str
    ADDRESS_CITY: str
    ADDRESS_POSTAL_CODE: str
    ADDRESS_REGION: str
    ADDRESS_PROVINCE: str
    ADDRESS_COUNTRY: str
    ADDRESS_COUNTRY_CODE: str
    CURRENCY_ID: str
    OPPORTUNITY: float | str
    IS_MANUAL_OPPORTUNITY: str
    OPENED: str
    COMMENTS: str
    ASSIGNED_BY_ID: int | str
    COMPANY_ID: int | str
    CONTACT_ID: int | str
    ORIGINATOR_ID: str
    ORIGIN_ID: str
    UTM_SOURCE: str
    UTM_MEDIUM: str
    UTM_CAMPAIGN: str
    UTM_CONTENT: str
    UTM_TERM: str
    PHONE: Sequence[Multifield]
    EMAIL: Sequence[Multifield]
    WEB: Sequence[Multifield]
    IM: Sequence[Multifield]


class Lead(TypedDict, total=False):
    """A lead as ``crm.lead.get``/``list`` return it: every value is text or null."""

    ID: str
    TITLE: str | None
    HONORIFIC: str | None
    NAME: str | None
    SECOND_NAME: str | None
    LAST_NAME: str | None
    COMPANY_TITLE: str | None
    COMPANY_ID: str | None
    CONTACT_ID: str | None
    IS_RETURN_CUSTOMER: str
    BIRTHDATE: str
    SOURCE_ID: str | None
    SOURCE_DESCRIPTION: str | None
    STATUS_ID: str | None
    STATUS_DESCRIPTION: str | None
    POST: str | None
    COMMENTS: str | None
    CURRENCY_ID: str | None
    OPPORTUNITY: str
    IS_MANUAL_OPPORTUNITY: str
    HAS_PHONE: str
    HAS_EMAIL: str
    HAS_IMOL: str
    ASSIGNED_BY_ID: str | None
    CREATED_BY_ID: str | None
    MODIFY_BY_ID: str | None
    DATE_CREATE: str
    DATE_MODIFY: str
    DATE_CLOSED: str
    STATUS_SEMANTIC_ID: str
    OPENED: str
    ORIGINATOR_ID: str | None
    ORIGIN_ID: str | None
    MOVED_BY_ID: str | None
    MOVED_TIME: str
    ADDRESS: str | None
    ADDRESS_2: str | None
    ADDRESS_CITY: str | None
    ADDRESS_POSTAL_CODE: str | None
    ADDRESS_REGION: str | None
    ADDRESS_PROVINCE: str | None
    ADDRESS_COUNTRY: str | None
    ADDRESS_COUNTRY_CODE: str | None
    ADDRESS_LOC_ADDR_ID: str | None
    UTM_SOURCE: str | None
    UTM_MEDIUM: str | None
    UTM_CAMPAIGN: str | None
    UTM_CONTENT: str | None
    UTM_TERM: str | None
    LAST_ACTIVITY_BY: str | None
    LAST_ACTIVITY_TIME: str | None
    PHONE: list[Multifield]
    EMAIL: list[Multifield]
    WEB: list[Multifield]
    IM: list[Multifield]

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


# A lead as OPI's tests make one.
_LEAD = {
    "TITLE": "MegaClient",
    "NAME": "John",
    "LAST_NAME": "Doe",
    "STATUS_ID": "CONVERTED",
    "SOURCE_ID": "CALL",
    "CURRENCY_ID": "BYN",
    "ADDRESS": "Pushkin st., b. 10",
    "ADDRESS_COUNTRY": "Russia",
    "EMAIL": [{"VALUE": "yo@example.com", "VALUE_TYPE": "HOME"},
              {"VALUE": "hi@example.com", "VALUE_TYPE": "WORK"}],
    "PHONE": [{"VALUE": "88005553535", "VALUE_TYPE": "WORK"}],
}


def _lead(portal: ExamplePortal) -> dict[str, Any]:
    return {"lead_id": int(portal.call("crm.lead.add", {"fields": _LEAD}))}


def _leads(portal: ExamplePortal) -> dict[str, Any]:
    portal.call("crm.lead.add", {"fields": _LEAD})
    return {}


CREATE_LEAD = Operation(
    "CreateLead", REGION, "Create a lead", method="crm.lead.add", params=(FIELDS,),
    result="int",
    example=Example({"fields": _LEAD}),
)

DELETE_LEAD = Operation(
    "DeleteLead", REGION, "Delete a lead", method="crm.lead.delete", params=(LEAD_ID,),
    result="bool",
    example=Example(setup=_lead),
)

GET_LEAD = Operation(
    "GetLead", REGION, "Get a lead by ID", method="crm.lead.get", params=(LEAD_ID,),
    reads=True, result="Lead",
    example=Example(setup=_lead),
)

GET_LEADS_LIST = Operation(
    "GetLeadsList",
    REGION,
    "Get a page of 50 leads (all of them: --all, or Client.iter_list)",
    method="crm.lead.list",
    params=page_params("GetLeadFilterStructure"),
    reads=True,
    result="list[Lead]",
    example=Example({"filter": {"STATUS_ID": "NEW"}}, setup=_leads),
)

UPDATE_LEAD = Operation(
    "UpdateLead", REGION, "Change a lead's fields", method="crm.lead.update",
    params=(LEAD_ID, FIELDS), result="bool",
    example=Example({"fields": {"TITLE": "New lead title", "OPPORTUNITY": 1500}}, setup=_lead),
)

GET_LEAD_STRUCTURE = Operation(
    "GetLeadStructure", REGION, "Get the description of lead fields", method="crm.lead.fields",
    reads=True, result="dict[str, Any]",
    example=Example(),
)

GET_LEAD_FILTER_STRUCTURE = Operation(
    "GetLeadFilterStructure", REGION, "Get the structure of a lead filter for GetLeadsList",
    params=(EMPTY_PARAM,), reads=True, result="dict[str, Any]",
    local=structure_runner(LEAD_FILTER_STRUCTURE),
    example=Example(),
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
