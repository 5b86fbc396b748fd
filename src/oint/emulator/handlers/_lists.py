"""List methods on the generic entity: their usual parameters in, the page out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model.entity import Page, Query
from ._args import intval
from ._registry import Reply

__all__ = ["list_query", "list_reply"]


def list_query(params: Mapping[str, Any], *, filter_key: str = "FILTER",
               order_key: str = "ORDER", select_key: str = "SELECT") -> Query:
    """``filter``, ``order``, ``select`` and ``start`` where most list methods take them."""
    return Query(params.get(filter_key), params.get(order_key), params.get(select_key),
                 intval(params.get("START", 0)))


def list_reply(page: Page, wrap: str | None = None) -> Reply:
    """The page as the result (or under ``wrap``: ``{"tasks": [...]}``), with its navigation."""
    result: Any = page.records if wrap is None else {wrap: page.records}
    return Reply(result, total=page.total, next=page.next)
