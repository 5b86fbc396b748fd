"""batch: many calls in one request."""

from __future__ import annotations
