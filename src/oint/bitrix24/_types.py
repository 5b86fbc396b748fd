"""Typed shapes of the structures operations take (keys as Bitrix24 spells them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

__all__ = ["ChatFields"]


class ChatFields(TypedDict, total=False):
    """The fields of ``im.chat.add``; see ``get_chat_structure()`` for their meaning."""

    TYPE: str
    TITLE: str
    DESCRIPTION: str
    COLOR: str
    MESSAGE: str
    USERS: Sequence[int | str] | str
    AVATAR: str | bytes
    ENTITY_TYPE: str
    ENTITY_ID: str
    OWNER_ID: int | str
