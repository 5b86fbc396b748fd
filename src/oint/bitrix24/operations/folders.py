"""Catalogs management: ``disk.folder.*``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Catalogs management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
