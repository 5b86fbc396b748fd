"""REST method handlers, one module per family, listed once in :data:`FAMILIES`.

Importing a family's handler module registers its methods (a method registered twice is
an error) and imports its model modules, which register their tables; so this list is all
there is to add a family to the portal.
"""

from __future__ import annotations

import importlib

from ..model import SCHEMAS as _MODEL_SCHEMAS
from ..store import Schema
from ._registry import HANDLERS, Context, Handler, Outcome, Reply, handler

__all__ = ["FAMILIES", "HANDLERS", "SCHEMAS", "Context", "Handler", "Outcome", "Reply",
           "handler"]

# The one list: a family is here once, as the name of its module in this package.
FAMILIES = ("server", "im_chat", "im_dialog", "im_message", "im_user", "im_disk", "im_notify",
            "disk", "disk_storage", "crm_lead", "users", "departments", "crm_deal", "posts",
            "calendar", "calendar_event", "tasks", "task_actions", "task_items",
            "task_extras", "task_stages", "timeman", "batch")

for _family in FAMILIES:
    importlib.import_module(f"{__name__}.{_family}")

# Every model family's tables, in an order where each comes after those it builds on.
SCHEMAS: tuple[Schema, ...] = tuple(_MODEL_SCHEMAS)
