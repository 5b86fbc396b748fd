"""Chat files: im.disk.*."""

from __future__ import annotations
