"""Feed posts management: ``log.blogpost.*``, ``log.blogcomment.add``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Feed posts management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
