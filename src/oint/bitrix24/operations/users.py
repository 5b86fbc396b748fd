"""Users management: ``user.*``.

CreateUser and UpdateUser send the fields at the top level of the request, as OPI does
(``user.add`` reads them there); ChangeUserStatus is UpdateUser with ``ACTIVE`` only. The
user lists (``user.get``, ``user.search``) page by ``start``: walk them with
``Client.iter_list(calls.find_users(...))`` or ``iter_list("user.get", {"filter": ...})``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypedDict

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from ._common import EMPTY_PARAM, structure_runner

REGION = "Users management"


class UserFields(TypedDict, total=False):
    """What ``user.add``/``user.update`` write; see ``get_user_fields_structure()``.

    ``UF_DEPARTMENT`` (one department id or several) is required to invite an employee;
    ``ACTIVE`` (``N`` fires) and ``UF_DEPARTMENT`` are changed by administrators only.
    """

    EMAIL: str
    NAME: str
    LAST_NAME: str
    SECOND_NAME: str
    XML_ID: str
    ACTIVE: str | bool
    UF_DEPARTMENT: int | str | Sequence[int | str]
    PERSONAL_GENDER: str
    PERSONAL_PROFESSION: str
    PERSONAL_WWW: str
    PERSONAL_BIRTHDAY: str
    PERSONAL_PHOTO: Sequence[str]
    PERSONAL_PHONE: str
    PERSONAL_MOBILE: str
    PERSONAL_CITY: str
    PERSONAL_COUNTRY: str
    WORK_PHONE: str
    WORK_COMPANY: str
    WORK_POSITION: str
    WORK_DEPARTMENT: str
    UF_PHONE_INNER: str
    UF_SKILLS: str
    UF_INTERESTS: str
    EXTRANET: str
    SONET_GROUP_ID: int | str | Sequence[int | str]
    MESSAGE_TEXT: str


class User(TypedDict, total=False):
    """A user as ``user.get``/``user.search``/``user.current`` return them: a field the user
    never filled is absent, not null; the dates are ``""`` when empty. ``TIMESTAMP_X`` and
    ``LAST_ACTIVITY_DATE`` are ``{}`` in ``user.get`` and text in ``user.current``."""

    ID: str
    XML_ID: str
    ACTIVE: bool
    NAME: str
    LAST_NAME: str
    SECOND_NAME: str
    EMAIL: str
    LAST_LOGIN: str
    DATE_REGISTER: str
    TIME_ZONE: str
    IS_ONLINE: str
    TIMESTAMP_X: str | dict[str, Any]
    LAST_ACTIVITY_DATE: str | dict[str, Any]
    PERSONAL_GENDER: str
    PERSONAL_BIRTHDAY: str
    PERSONAL_PHOTO: str
    PERSONAL_MOBILE: str
    PERSONAL_CITY: str
    WORK_POSITION: str
    UF_EMPLOYMENT_DATE: str
    UF_DEPARTMENT: list[int]
    USER_TYPE: str


class UserFilter(TypedDict, total=False):
    """``user.search``'s filter: any of these (each matches the start of the value), or
    ``FIND`` alone (the start of any word of a person's names, e-mail, position or
    departments)."""

    NAME: str
    LAST_NAME: str
    WORK_POSITION: str
    UF_DEPARTMENT_NAME: str
    USER_TYPE: str
    FIND: str


USER_ID = Param("user_id", "userid", Kind.INTEGER, "User ID", key="ID")
FIELDS = Param(
    "fields", "fields", Kind.COLLECTION, "User fields (JSON or a .json path); see "
    "GetUserFieldsStructure", annotation="UserFields | Mapping[str, Any] | str",
)

# OPI's GetUserFilterStructure, in its order.
USER_FILTER_STRUCTURE = {
    "NAME": "<name>",
    "LAST_NAME": "<surname>",
    "WORK_POSITION": "<position>",
    "UF_DEPARTMENT_NAME": "<department name>",
    "USER_TYPE": "<type: employee, extranet, email>",
}


def _merged(args: dict[str, Any]) -> dict[str, Any]:
    # user.add and user.update read the fields at the top level of the request.
    body = dict(args["fields"])
    if "user_id" in args:
        body["ID"] = args["user_id"]
    return body


def _status(args: dict[str, Any]) -> dict[str, Any]:
    return {"ID": args["user_id"], "ACTIVE": "N" if args.get("fire", True) else "Y"}


def _new_user(**extra: Any) -> dict[str, Any]:
    """OPI's example of a user to invite, with an address of its own."""
    return {"EMAIL": f"{uuid.uuid4()}@example.org", "NAME": "Vitaly", "LAST_NAME": "Alpaca",
            "PERSONAL_MOBILE": "88003553535", "UF_DEPARTMENT": 1, **extra}


def _to_invite(portal: ExamplePortal) -> dict[str, Any]:
    return {"fields": _new_user()}


def _user(portal: ExamplePortal) -> dict[str, Any]:
    return {"user_id": int(portal.call("user.add", _new_user()))}


def _user_and_changes(portal: ExamplePortal) -> dict[str, Any]:
    changes = {"EMAIL": f"{uuid.uuid4()}@example.org", "NAME": "Oleg", "LAST_NAME": "Lama",
               "UF_DEPARTMENT": 2}
    return {**_user(portal), "fields": changes}


GET_CURRENT_USER = Operation(
    "GetCurrentUser", REGION, "Get the user the webhook or token acts for",
    method="user.current", reads=True, result="User",
    example=Example(),
)

GET_USER = Operation(
    "GetUser", REGION, "Get a user by ID (a list of one, or empty)", method="user.get",
    params=(USER_ID,), reads=True, result="list[User]",
    example=Example(setup=_user),
)

CREATE_USER = Operation(
    "CreateUser", REGION, "Invite a user by e-mail (EMAIL and UF_DEPARTMENT are required)",
    method="user.add", params=(FIELDS,), result="int", build=_merged,
    example=Example(setup=_to_invite),
)

UPDATE_USER = Operation(
    "UpdateUser", REGION, "Change a user's fields", method="user.update",
    params=(USER_ID, FIELDS), result="bool", build=_merged,
    example=Example(setup=_user_and_changes),
)

CHANGE_USER_STATUS = Operation(
    "ChangeUserStatus", REGION, "Fire a user (or take them back): a fired user cannot log in",
    method="user.update",
    params=(USER_ID, Param("fire", "fire", Kind.BOOLEAN, "Fire (true) or reinstate (false)",
                           required=False, default=True)),
    result="bool", build=_status,
    example=Example({"fire": True}, setup=_user),
)

FIND_USERS = Operation(
    "FindUsers", REGION, "Find users by name, position, department or type (FIND: any)",
    method="user.search",
    params=(Param("filter", "filter", Kind.COLLECTION,
                  "Filter (JSON); see GetUserFilterStructure", key="FILTER",
                  annotation="UserFilter | Mapping[str, Any] | str"),),
    reads=True, result="list[User]",
    example=Example({"filter": {"UF_DEPARTMENT_NAME": "Bitrix"}}),
)

GET_USER_FIELDS_STRUCTURE = Operation(
    "GetUserFieldsStructure", REGION, "Get the titles of the user fields",
    method="user.fields", reads=True, result="dict[str, str]",
    example=Example(),
)

GET_USER_FILTER_STRUCTURE = Operation(
    "GetUserFilterStructure", REGION, "Get the structure of a user filter for FindUsers",
    params=(EMPTY_PARAM,), reads=True, result="dict[str, Any]",
    local=structure_runner(USER_FILTER_STRUCTURE),
    example=Example(),
)

# In OPI's order.
OPERATIONS = (
    GET_CURRENT_USER,
    GET_USER,
    CREATE_USER,
    UPDATE_USER,
    CHANGE_USER_STATUS,
    FIND_USERS,
    GET_USER_FIELDS_STRUCTURE,
    GET_USER_FILTER_STRUCTURE,
)
