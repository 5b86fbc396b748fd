"""Tasks management: ``tasks.task.*``, ``task.dependence.*``, ``task.planner.getlist``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Tasks management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
