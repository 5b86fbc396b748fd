"""Comments and results management: ``task.commentitem.*``, ``tasks.task.result.*``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Comments and results management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
