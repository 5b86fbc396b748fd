"""Timekeeping: ``task.elapseditem.*``, ``timeman.*``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Timekeeping"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
