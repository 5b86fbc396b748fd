"""What the ``crm.*`` families share: their six methods over a model, reading an item's ID
and its fields, and the errors the CRM's REST proxy answers with (an empty code, 400).

Lists page by 50 with ``start`` (floored to a page, as CDBResult lists do), ``next`` and
``total``; ``start=-1`` skips the count (``total`` 0, no ``next``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ApiError
from ..model import Actor
from ..model.crm import CrmError
from ..model.entity import Page, Query
from ._args import intval
from ._lists import list_query, list_reply
from ._registry import Context, Reply, handler

__all__ = ["CrmModel", "crm_error", "entity_fields", "entity_id", "not_found", "register"]


def crm_error(text: str) -> ApiError:
    return ApiError("", text)


def not_found() -> ApiError:
    return crm_error("Not found")


def entity_id(params: Mapping[str, Any]) -> int:
    item_id = intval(params.get("ID"))
    if item_id <= 0:
        raise crm_error("ID is not defined or invalid.")
    return item_id


def entity_fields(params: Mapping[str, Any]) -> dict[str, Any]:
    fields = params.get("FIELDS")
    if fields is None or fields == "":
        return {}
    if not isinstance(fields, Mapping):
        raise crm_error("Parameter 'fields' must be array.")
    return {str(k).upper(): v for k, v in fields.items()}


@dataclass(frozen=True)
class CrmModel:
    """A CRM entity's model: what its six methods do. ``add`` and ``update`` may raise
    :class:`~oint.emulator.model.crm.CrmError` with the server's text."""

    add: Callable[[Actor, Mapping[str, Any]], int]
    exists: Callable[[Actor, int], bool]
    update: Callable[[Actor, int, Mapping[str, Any]], None]
    delete: Callable[[Actor, int], bool]
    get: Callable[[Actor, int], dict[str, Any] | None]
    fields: Callable[[], dict[str, Any]]
    page: Callable[[Actor, Query], Page]


def register(entity: str, model: CrmModel) -> None:
    """``crm.<entity>.add/update/delete/get/fields/list`` over the model."""

    @handler(f"crm.{entity}.add")
    def add(ctx: Context, params: dict[str, Any]) -> int:
        try:
            return model.add(ctx, entity_fields(params))
        except CrmError as exc:
            raise crm_error(str(exc)) from None

    @handler(f"crm.{entity}.update")
    def update(ctx: Context, params: dict[str, Any]) -> bool:
        item_id = entity_id(params)
        # The item must exist before its fields are read.
        if not model.exists(ctx, item_id):
            raise not_found()
        try:
            model.update(ctx, item_id, entity_fields(params))
        except CrmError as exc:
            raise crm_error(str(exc)) from None
        return True

    @handler(f"crm.{entity}.delete")
    def delete(ctx: Context, params: dict[str, Any]) -> bool:
        if not model.delete(ctx, entity_id(params)):
            raise not_found()
        return True

    @handler(f"crm.{entity}.get")
    def get(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        found = model.get(ctx, entity_id(params))
        if found is None:
            raise not_found()
        return found

    @handler(f"crm.{entity}.fields")
    def fields(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return model.fields()

    @handler(f"crm.{entity}.list")
    def list_(ctx: Context, params: dict[str, Any]) -> Reply:
        return list_reply(model.page(ctx, list_query(params)))
