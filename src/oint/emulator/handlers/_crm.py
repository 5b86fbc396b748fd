"""What the ``crm.*`` handlers share: reading an item's ID and its fields, and the errors
the CRM's REST proxy answers with (an empty code, status 400)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ApiError
from ._args import intval

__all__ = ["crm_error", "entity_fields", "entity_id", "not_found"]


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
