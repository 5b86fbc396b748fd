"""Users: ``user.current``, ``user.get``, ``user.search``, ``user.fields``, ``user.add``,
``user.update`` (the model is ``model/user_records``).

Errors are the rest module's: a plain exception becomes ``ERROR_CORE``; the e-mail checks
of an invitation are ``ERROR_ARGUMENT`` with an empty ``argument``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ApiError
from ..model.entity import Query
from ..model.filters import Clause
from ..model.user_records import (
    current_user,
    department_list,
    email_taken,
    field_titles,
    invite,
    list_users,
    search_clauses,
    update_user,
    user_exists,
    valid_email,
)
from ..model.users import is_admin
from ._args import intval
from ._registry import Context, Reply, handler

DUPLICATE_EMAIL = "User with this email already exists"


def core_error(text: str) -> ApiError:
    return ApiError("ERROR_CORE", text)


def _argument_error(text: str) -> ApiError:
    return ApiError("ERROR_ARGUMENT", text, argument="")


@handler("user.current")
def user_current(ctx: Context, params: dict[str, Any]) -> dict[str, Any] | None:
    return current_user(ctx)


@handler("user.fields")
def user_fields(ctx: Context, params: dict[str, Any]) -> dict[str, str]:
    return field_titles()


def _list(ctx: Context, params: dict[str, Any], *, search: bool) -> Any:
    sort, order = params.get("SORT"), params.get("ORDER")
    ordering = ({str(sort).upper(): "DESC" if str(order).upper() == "DESC" else "ASC"}
                if isinstance(sort, str) and sort and isinstance(order, str) and order else None)
    given = params.get("FILTER")
    # A FILTER replaces the top-level keys, which are the filter otherwise (the server keeps
    # this "for backward compatibility").
    source: Mapping[Any, Any] = given if isinstance(given, Mapping) else params
    plain, clauses = search_clauses({str(k).upper(): v for k, v in source.items()},
                                    search=search)
    scope = Clause(" AND ".join(c.sql for c in clauses), [a for c in clauses for a in c.args]
                   ) if clauses else None
    page = list_users(ctx, Query(plain, ordering, params.get("SELECT"),
                                 intval(params.get("START", 0))), scope)
    if not page.records:
        return []  # an empty list carries no total
    return Reply(page.records, total=page.total, next=page.next)


@handler("user.get")
def user_get(ctx: Context, params: dict[str, Any]) -> Any:
    return _list(ctx, params, search=False)


@handler("user.search")
def user_search(ctx: Context, params: dict[str, Any]) -> Any:
    return _list(ctx, params, search=True)


@handler("user.add")
def user_add(ctx: Context, params: dict[str, Any]) -> int:
    if not is_admin(ctx):
        raise core_error("access_denied")
    extranet = params.get("EXTRANET") == "Y"
    if extranet and not params.get("SONET_GROUP_ID"):
        raise core_error("no_sonet_group_for_extranet")
    email = valid_email(params.get("EMAIL"))
    if email is None:
        raise _argument_error("wrong_email")
    departments = [] if extranet else department_list(params.get("UF_DEPARTMENT"))
    if not departments and not extranet:
        raise _argument_error("no_extranet_field")
    if email_taken(ctx, email):
        raise _argument_error(DUPLICATE_EMAIL)
    return invite(ctx, params, email, departments, extranet=extranet)


@handler("user.update")
def user_update(ctx: Context, params: dict[str, Any]) -> bool:
    user_id = intval(params.get("ID"))
    admin = is_admin(ctx)
    if user_id <= 0 or not (admin or user_id == ctx.user_id):
        raise core_error("access_denied")
    if not user_exists(ctx, user_id):
        raise core_error("")  # CUser::Update fails without a message
    if "EMAIL" in params:
        email = valid_email(params["EMAIL"])
        if email is None:
            raise core_error("Incorrect email address.")
        if email_taken(ctx, email, other_than=user_id):
            raise core_error(DUPLICATE_EMAIL)
        params = {**params, "EMAIL": email}
    update_user(ctx, user_id, params, admin=admin)
    return True
