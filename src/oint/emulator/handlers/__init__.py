"""REST method handlers, one module per family; importing a module registers its methods."""

from __future__ import annotations

from . import (
    batch,
    crm_lead,
    im_chat,
    im_dialog,
    im_disk,
    im_message,
    im_notify,
    im_user,
    server,
)
from ._registry import HANDLERS, Context, Handler, Outcome, Reply, handler

__all__ = ["HANDLERS", "SCHEMAS", "Context", "Handler", "Outcome", "Reply", "handler"]

_FAMILIES = (server, im_chat, im_dialog, im_message, im_user, im_disk, im_notify, crm_lead, batch)

# Each family may own tables; the store creates them all at start.
SCHEMAS: tuple[str, ...] = tuple(
    schema for family in _FAMILIES if (schema := getattr(family, "SCHEMA", None))
)
