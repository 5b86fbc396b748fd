"""Messages: im.message.*."""

from __future__ import annotations
