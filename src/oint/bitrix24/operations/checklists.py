"""Tasks checklists management: ``task.checklistitem.*``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Tasks checklists management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
