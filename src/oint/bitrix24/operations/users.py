"""Users management: ``user.*``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Users management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
