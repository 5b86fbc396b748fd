"""Notifications management."""

from __future__ import annotations

from .._spec import Operation

REGION = "Notifications management"

OPERATIONS: tuple[Operation, ...] = ()
