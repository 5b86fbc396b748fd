"""Typed shapes of the structures operations take (keys as Bitrix24 spells them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

__all__ = ["ChatFields", "Lead", "LeadFields", "Multifield"]


class ChatFields(TypedDict, total=False):
    """The fields of ``im.chat.add``; see ``get_chat_structure()`` for their meaning."""

    TYPE: str
    TITLE: str
    DESCRIPTION: str
    COLOR: str
    MESSAGE: str
    USERS: Sequence[int | str] | str
    AVATAR: str | bytes
    ENTITY_TYPE: str
    ENTITY_ID: str
    OWNER_ID: int | str


class Multifield(TypedDict, total=False):
    """One phone, e-mail, site or messenger of a CRM item (``crm_multifield``)."""

    ID: str
    VALUE: str
    VALUE_TYPE: str
    TYPE_ID: str


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
