"""Users in the messenger: im.user.*."""

from __future__ import annotations
