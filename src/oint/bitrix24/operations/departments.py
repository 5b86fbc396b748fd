"""Departments management: ``department.*``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Departments management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
