"""Deals management: ``crm.deal.*``.

A deal lives in a pipeline (``CATEGORY_ID``, chosen when it is made) at one of that
pipeline's stages (``STAGE_ID``: ``NEW`` ... ``WON``, ``LOSE`` in the general pipeline,
``C<pipeline>:NEW`` ... in the others); the stage decides ``CLOSED``. GetDealsList keeps
OPI's signature (``filter``, ``offset``, then ``token``); every page: ``--all`` or
``Client.iter_list``.
"""

from __future__ import annotations

from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from ._common import EMPTY_PARAM, page_params, structure_runner

REGION = "Deals management"


class DealFields(TypedDict, total=False):
    """Writable fields of ``crm.deal.add``/``update``; see ``get_deal_structure()``."""

    TITLE: str
    TYPE_ID: str
    CATEGORY_ID: int | str
    STAGE_ID: str
    IS_RECURRING: str
    IS_RETURN_CUSTOMER: str
    IS_REPEATED_APPROACH: str
    PROBABILITY: int | str
    CURRENCY_ID: str
    OPPORTUNITY: float | str
    IS_MANUAL_OPPORTUNITY: str
    TAX_VALUE: float | str
    COMPANY_ID: int | str
    CONTACT_ID: int | str
    CONTACT_IDS: list[int | str]
    BEGINDATE: str
    CLOSEDATE: str
    OPENED: str
    COMMENTS: str
    ASSIGNED_BY_ID: int | str
    SOURCE_ID: str
    SOURCE_DESCRIPTION: str
    ADDITIONAL_INFO: str
    ORIGINATOR_ID: str
    ORIGIN_ID: str
    UTM_SOURCE: str
    UTM_MEDIUM: str
    UTM_CAMPAIGN: str
    UTM_CONTENT: str
    UTM_TERM: str


class Deal(TypedDict, total=False):
    """A deal as ``crm.deal.get``/``list`` return it: every value is text or null."""

    ID: str
    TITLE: str | None
    TYPE_ID: str | None
    STAGE_ID: str
    PROBABILITY: str | None
    CURRENCY_ID: str | None
    OPPORTUNITY: str
    IS_MANUAL_OPPORTUNITY: str
    TAX_VALUE: str | None
    LEAD_ID: str | None
    COMPANY_ID: str | None
    CONTACT_ID: str | None
    QUOTE_ID: str | None
    BEGINDATE: str
    CLOSEDATE: str
    ASSIGNED_BY_ID: str | None
    CREATED_BY_ID: str | None
    MODIFY_BY_ID: str | None
    DATE_CREATE: str
    DATE_MODIFY: str
    OPENED: str
    CLOSED: str
    COMMENTS: str | None
    ADDITIONAL_INFO: str | None
    LOCATION_ID: str | None
    CATEGORY_ID: str
    STAGE_SEMANTIC_ID: str
    IS_NEW: str
    IS_RECURRING: str
    IS_RETURN_CUSTOMER: str
    IS_REPEATED_APPROACH: str
    SOURCE_ID: str | None
    SOURCE_DESCRIPTION: str | None
    ORIGINATOR_ID: str | None
    ORIGIN_ID: str | None
    MOVED_BY_ID: str | None
    MOVED_TIME: str
    LAST_ACTIVITY_TIME: str | None
    UTM_SOURCE: str | None
    UTM_MEDIUM: str | None
    UTM_CAMPAIGN: str | None
    UTM_CONTENT: str | None
    UTM_TERM: str | None
    LAST_ACTIVITY_BY: str | None


DEAL_ID = Param("deal_id", "deal", Kind.INTEGER, "Deal ID", key="id")
FIELDS = Param(
    "fields", "fields", Kind.COLLECTION, "Deal fields (JSON or a .json path); see "
    "GetDealStructure", key="fields", annotation="DealFields | Mapping[str, Any] | str",
)

# OPI's GetDealsFilterStructure, in its order.
DEAL_FILTER_STRUCTURE = {
    "ID": "<Deal identifier>",
    "ASSIGNED_BY_ID": "<responsible person identifier>",
    "BEGINDATE": "<start date>",
    "CATEGORY_ID": "<direction identifier>",
    "CLOSEDATE": "<completion date>",
    "COMPANY_ID": "<company identifier>",
    "CONTACT_ID": "<contact identifier>",
    "CREATED_BY_ID": "<author identifier>",
    "CURRENCY_ID": "<currency identifier>",
    "DATE_CREATE": "<date of creation>",
    "DATE_MODIFY": "<date of change>",
    "IS_NEW": "<new deal flag (Y|N)>",
    "IS_RECURRING": "<is pattern (Y|N)>",
    "IS_RETURN_CUSTOMER": "<reused lead flag (Y|N)>",
    "LEAD_ID": "<linked lead identifier>",
    "MODIFY_BY_ID": "<author ID of the last change>",
    "MOVED_BY_ID": "<identifier of the author of moving the deal to the current stage>",
    "MOVED_TIME": "<date of moving the deal to the current stage>",
    "OPENED": "<feature is available for all (Y|N)>",
    "OPPORTUNITY": "<expected amount>",
    "PROBABILITY": "<probability>",
    "REQUISITE_ID": "<prop identifier>",
    "STAGE_ID": "<stage identifier>",
    "TITLE": "<deal name (can be searched using the template [%_])>",
    "TYPE_ID": "<deal type>",
}

# A deal as OPI's tests make one (its pipeline 5 does not exist: the deal lands in 0).
_DEAL = {
    "TITLE": "Planned sale", "TYPE_ID": "GOODS", "STAGE_ID": "NEW", "COMPANY_ID": 1,
    "CONTACT_ID": 3, "OPENED": "Y", "ASSIGNED_BY_ID": 1, "PROBABILITY": 30,
    "CURRENCY_ID": "USD", "OPPORTUNITY": 5000, "CATEGORY_ID": 5, "BEGINDATE": "2024-01-01",
    "CLOSEDATE": "2030-01-01",
}


def _deal(portal: ExamplePortal) -> dict[str, Any]:
    return {"deal_id": int(portal.call("crm.deal.add", {"fields": _DEAL}))}


def _deal_to_find(portal: ExamplePortal) -> dict[str, Any]:
    # Without a probability, as the deals of OPI's recorded list were.
    fields = {key: value for key, value in _DEAL.items() if key != "PROBABILITY"}
    portal.call("crm.deal.add", {"fields": {**fields, "TITLE": "Sale in RUB",
                                            "CURRENCY_ID": "RUB"}})
    return {}


CREATE_DEAL = Operation(
    "CreateDeal", REGION, "Create a deal", method="crm.deal.add", params=(FIELDS,),
    result="int",
    example=Example({"fields": _DEAL}),
)

DELETE_DEAL = Operation(
    "DeleteDeal", REGION, "Delete a deal", method="crm.deal.delete", params=(DEAL_ID,),
    result="bool",
    example=Example(setup=_deal),
)

GET_DEAL = Operation(
    "GetDeal", REGION, "Get a deal by ID", method="crm.deal.get", params=(DEAL_ID,),
    reads=True, result="Deal",
    example=Example(setup=_deal),
)

GET_DEALS_LIST = Operation(
    "GetDealsList",
    REGION,
    "Get a page of 50 deals (all of them: --all, or Client.iter_list)",
    method="crm.deal.list",
    params=page_params("GetDealsFilterStructure"),
    reads=True,
    result="list[Deal]",
    example=Example({"filter": {"TITLE": "Sale in RUB", "CURRENCY_ID": "RUB"}},
                    setup=_deal_to_find),
)

UPDATE_DEAL = Operation(
    "UpdateDeal", REGION, "Change a deal's fields (its stage, in its own pipeline)",
    method="crm.deal.update", params=(DEAL_ID, FIELDS), result="bool",
    example=Example({"fields": {"TITLE": "Sale in RUB", "CURRENCY_ID": "RUB",
                                "OPPORTUNITY": 50000}}, setup=_deal),
)

GET_DEAL_STRUCTURE = Operation(
    "GetDealStructure", REGION, "Get the description of deal fields", method="crm.deal.fields",
    reads=True, result="dict[str, Any]",
    example=Example(),
)

GET_DEALS_FILTER_STRUCTURE = Operation(
    "GetDealsFilterStructure", REGION, "Get the structure of a deal filter for GetDealsList",
    params=(EMPTY_PARAM,), reads=True, result="dict[str, Any]",
    local=structure_runner(DEAL_FILTER_STRUCTURE),
    example=Example(),
)

# In OPI's order.
OPERATIONS = (
    CREATE_DEAL,
    DELETE_DEAL,
    GET_DEAL,
    GET_DEALS_LIST,
    UPDATE_DEAL,
    GET_DEAL_STRUCTURE,
    GET_DEALS_FILTER_STRUCTURE,
)
