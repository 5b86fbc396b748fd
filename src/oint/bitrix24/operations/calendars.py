"""Calendars management: ``calendar.section.*``, ``calendar.settings.get``,
``calendar.user.settings.*``, ``calendar.accessibility.get``."""

from __future__ import annotations

from .._spec import Operation

REGION = "Calendars management"

# In OPI's order.
OPERATIONS: tuple[Operation, ...] = ()
