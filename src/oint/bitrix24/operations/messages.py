"""Message management."""

from __future__ import annotations

from .._spec import Operation

REGION = "Message management"

OPERATIONS: tuple[Operation, ...] = ()
