"""REST method handlers, one module per family; importing a module registers its methods."""

from __future__ import annotations

from . import im_chat, server
from ._registry import HANDLERS, Context, Handler, Reply, handler

__all__ = ["HANDLERS", "SCHEMAS", "Context", "Handler", "Reply", "handler"]

_FAMILIES = (server, im_chat)

# Each family may own tables; the store creates them all at start.
SCHEMAS: tuple[str, ...] = tuple(
    schema for family in _FAMILIES if (schema := getattr(family, "SCHEMA", None))
)
