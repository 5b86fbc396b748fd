"""List methods on the generic entity: their usual parameters in, the page out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model.entity import PAGE, Page, Query
from ._args import intval
from ._registry import Reply

__all__ = ["list_query", "list_reply", "page_of"]


def list_query(params: Mapping[str, Any], *, filter_key: str = "FILTER",
               order_key: str = "ORDER", select_key: str = "SELECT") -> Query:
    """``filter``, ``order``, ``select`` and ``start`` where most list methods take them."""
    return Query(params.get(filter_key), params.get(order_key), params.get(select_key),
                 intval(params.get("START", 0)))


def list_reply(page: Page, wrap: str | None = None) -> Reply:
    """The page as the result (or under ``wrap``: ``{"tasks": [...]}``), with its navigation."""
    result: Any = page.records if wrap is None else {wrap: page.records}
    return Reply(result, total=page.total, next=page.next)


def page_of(records: list[Any], start: int) -> Reply:
    """A page of a list held in memory, as the old API's CDBResult pages: ``start`` floored
    to a page of 50, ``next`` while records remain, ``total`` of them all."""
    offset = max(start, 0) // PAGE * PAGE
    chunk = records[offset:offset + PAGE]
    following = offset + PAGE if offset + PAGE < len(records) else None
    return Reply(chunk, total=len(records), next=following)
