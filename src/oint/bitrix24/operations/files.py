"""File management: ``disk.file.*``, uploads."""

from __future__ import annotations

from .._spec import Operation

REGION = "File management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
