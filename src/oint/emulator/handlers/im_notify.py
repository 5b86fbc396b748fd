"""Notifications: im.notify.*."""

from __future__ import annotations
