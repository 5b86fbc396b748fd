"""Pieces several regions' declarations share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypedDict

from .._spec import ExamplePortal, Kind, Param

__all__ = [
    "BLOCKS",
    "CHAT_ID",
    "DIALOG_ID",
    "EMPTY_PARAM",
    "MESSAGE_ID",
    "PICTURE",
    "USER_ID",
    "a_chat",
    "a_message",
    "blank_structure",
    "page_params",
    "structure_runner",
]

EMPTY_PARAM = Param(
    "empty", "empty", Kind.BOOLEAN, "Clear the values of the structure", required=False,
    default=False,
)

CHAT_ID = Param("chat_id", "chat", Kind.INTEGER, "Chat ID", key="CHAT_ID")

# OPI calls this one ChatID too (--chat), but it is a DIALOG_ID: ``chat12`` or a user id.
DIALOG_ID = Param(
    "dialog_id", "chat", Kind.DIALOG, "Dialog ID: chatN for a chat, a user ID for a private one",
    key="DIALOG_ID",
)

MESSAGE_ID = Param("message_id", "message", Kind.INTEGER, "Message ID", key="MESSAGE_ID")

USER_ID = Param("user_id", "user", Kind.INTEGER, "User ID", key="USER_ID")

# OPI's "Attachments": an array of blocks (see GetPictureBlock, GetFileBlock); not sent if None.
BLOCKS = Param(
    "blocks", "blocks", Kind.ARRAY, "Array of attachment blocks (JSON or a .json path)",
    key="ATTACH", required=False, annotation="Sequence[Mapping[str, Any]] | str",
)


def page_params(structure: str) -> tuple[Param, Param]:
    """A CRM list's filter and offset, as OPI's Get*List take them (``filter``, ``offset``);
    ``structure`` names the Get*FilterStructure that describes the filter."""
    return (
        Param("filter", "filter", Kind.COLLECTION, f"Filter (JSON); see {structure}",
              key="filter", required=False),
        Param("offset", "offset", Kind.INTEGER, "Offset of the page (start)", key="start",
              required=False, default=0),
    )


def blank_structure(structure: Mapping[str, Any]) -> dict[str, Any]:
    """OPI's ``Clear``: the same keys with every value blanked (nested maps too)."""
    return {
        key: blank_structure(value) if isinstance(value, Mapping) else ""
        for key, value in structure.items()
    }


def structure_runner(structure: Mapping[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The local runner of a Get*Structure operation: a copy, blanked on ``empty``."""

    def run(args: dict[str, Any]) -> dict[str, Any]:
        if args.get("empty"):
            return blank_structure(structure)
        return {key: value for key, value in structure.items()}

    return run


class Multifield(TypedDict, total=False):
    """One phone, e-mail, site or messenger of a CRM item (``crm_multifield``)."""

    ID: str
    VALUE: str
    VALUE_TYPE: str
    TYPE_ID: str


# -- what the examples of several regions make first (see Example) ---------------------------

# A 1x1 GIF, as base64: the smallest picture a portal accepts as an avatar.
PICTURE = "R0lGODlhAQABAAAAACw="


def a_chat(portal: ExamplePortal, **fields: Any) -> int:
    """A new group chat of the example's user with user 10 in it; its id."""
    return int(portal.call("im.chat.add", {"TITLE": "Example chat", "USERS": [10], **fields}))


def a_message(portal: ExamplePortal, chat_id: int | None = None) -> tuple[int, int]:
    """A message of the example's user in a (new) chat: (chat id, message id)."""
    chat = chat_id if chat_id is not None else a_chat(portal)
    message = portal.call("im.message.add", {"DIALOG_ID": f"chat{chat}", "MESSAGE": "Hello"})
    return chat, int(message)
