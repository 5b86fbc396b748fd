"""Kanban: ``task.stages.*``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Kanban"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
