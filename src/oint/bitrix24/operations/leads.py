"""Leads management."""

from __future__ import annotations

from .._spec import Operation

REGION = "Leads management"

OPERATIONS: tuple[Operation, ...] = ()
