"""Dialogs: im.dialog.*."""

from __future__ import annotations
