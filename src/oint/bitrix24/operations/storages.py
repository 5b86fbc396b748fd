"""Storages management: ``disk.storage.*``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Storages management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
