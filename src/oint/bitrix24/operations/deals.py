"""Deals management: ``crm.deal.*``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Deals management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
