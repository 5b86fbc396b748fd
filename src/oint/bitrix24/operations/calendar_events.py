"""Calendar events management: ``calendar.event.*``, ``calendar.meeting.status.*``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Calendar events management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
