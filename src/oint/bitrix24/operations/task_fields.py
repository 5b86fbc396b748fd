"""Customs tasks fields management: ``task.item.userfield.*`` (OPI's spelling of the region)."""

from __future__ import annotations

from .._spec import Operation

REGION = "Customs tasks fields management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
