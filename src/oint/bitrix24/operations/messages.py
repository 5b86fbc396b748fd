"""Message management."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._spec import Kind, Operation, Param
from ._common import BLOCKS, CHAT_ID, DIALOG_ID, MESSAGE_ID

REGION = "Message management"

TEXT = Param("text", "text", Kind.TEXT, "Message text (BB-code)", key="MESSAGE")

SEND_MESSAGE = Operation(
    "SendMessage",
    REGION,
    "Send a message to a chat or a user",
    method="im.message.add",
    params=(DIALOG_ID, TEXT, BLOCKS),
    result="int",
)

EDIT_MESSAGE = Operation(
    "EditMessage",
    REGION,
    "Change a message's text or attachments",
    method="im.message.update",
    # Not sending a text keeps it: an empty MESSAGE would delete the message on the server.
    params=(MESSAGE_ID, TEXT.but(required=False), BLOCKS),
    result="bool",
)

SET_MESSAGE_REACTION = Operation(
    "SetMessageReaction",
    REGION,
    "Like a message, or take the like back",
    method="im.message.like",
    params=(MESSAGE_ID,),
    result="bool",
)

DELETE_MESSAGE = Operation(
    "DeleteMessage",
    REGION,
    "Delete a message",
    method="im.message.delete",
    params=(MESSAGE_ID,),
    result="bool",
)

SEND_FILE = Operation(
    "SendFile",
    REGION,
    "Post an uploaded disk file to a chat",
    method="im.disk.file.commit",
    params=(
        CHAT_ID,
        Param("file_id", "fileid", Kind.INTEGER, "Disk file ID", key="UPLOAD_ID"),
        Param(
            "description", "description", Kind.TEXT, "Message text that goes with the file",
            key="MESSAGE", required=False,
        ),
    ),
    result="dict[str, Any]",
)

MARK_MESSAGE_AS_READED = Operation(
    "MarkMessageAsReaded",
    REGION,
    "Mark a dialog's messages as read up to this one",
    method="im.dialog.read",
    params=(DIALOG_ID, MESSAGE_ID),
    result="dict[str, Any]",
)

MARK_MESSAGE_AS_UNREADED = Operation(
    "MarkMessageAsUnreaded",
    REGION,
    "Mark a dialog's messages as unread from this one on",
    method="im.dialog.unread",
    params=(DIALOG_ID, MESSAGE_ID),
    result="bool",
)

_BLOCK_PARAMS = (
    Param("name", "title", Kind.TEXT, "Name shown for the attachment"),
    Param("url", "url", Kind.TEXT, "URL of the file"),
)


def _block(kind: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def build(args: dict[str, Any]) -> dict[str, Any]:
        return {kind: {"NAME": args["name"], "LINK": args["url"]}}

    return build


GET_PICTURE_BLOCK = Operation(
    "GetPictureBlock",
    REGION,
    "Make a picture attachment block for --blocks",
    params=_BLOCK_PARAMS,
    reads=True,
    result="dict[str, Any]",
    local=_block("IMAGE"),
)

GET_FILE_BLOCK = Operation(
    "GetFileBlock",
    REGION,
    "Make a file attachment block for --blocks",
    params=_BLOCK_PARAMS,
    reads=True,
    result="dict[str, Any]",
    local=_block("FILE"),
)

# In OPI's order.
OPERATIONS = (
    SEND_MESSAGE,
    EDIT_MESSAGE,
    SET_MESSAGE_REACTION,
    DELETE_MESSAGE,
    SEND_FILE,
    MARK_MESSAGE_AS_READED,
    MARK_MESSAGE_AS_UNREADED,
    GET_PICTURE_BLOCK,
    GET_FILE_BLOCK,
)
