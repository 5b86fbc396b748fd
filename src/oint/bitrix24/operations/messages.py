"""Message management."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._spec import Example, ExamplePortal, Kind, Operation, Param
from ._common import BLOCKS, CHAT_ID, DIALOG_ID, MESSAGE_ID, a_chat, a_message

REGION = "Message management"

TEXT = Param("text", "text", Kind.TEXT, "Message text (BB-code)", key="MESSAGE")


def _dialog(portal: ExamplePortal) -> dict[str, Any]:
    return {"dialog_id": f"chat{a_chat(portal)}"}


def _message(portal: ExamplePortal) -> dict[str, Any]:
    return {"message_id": a_message(portal)[1]}


def _dialog_message(portal: ExamplePortal) -> dict[str, Any]:
    chat, message = a_message(portal)
    return {"dialog_id": f"chat{chat}", "message_id": message}


def _uploaded_file(portal: ExamplePortal) -> dict[str, Any]:
    chat = a_chat(portal)
    folder = portal.call("im.disk.folder.get", {"CHAT_ID": chat})["ID"]
    file = portal.call("disk.folder.uploadfile", {
        "id": folder, "data": {"NAME": "notes.txt"}, "fileContent": ["notes.txt", "bm90ZXM="],
    })
    return {"chat_id": chat, "file_id": int(file["ID"])}


SEND_MESSAGE = Operation(
    "SendMessage",
    REGION,
    "Send a message to a chat or a user",
    method="im.message.add",
    params=(DIALOG_ID, TEXT, BLOCKS),
    result="int",
    example=Example({"text": "Message text"}, setup=_dialog),
)

EDIT_MESSAGE = Operation(
    "EditMessage",
    REGION,
    "Change a message's text or attachments",
    method="im.message.update",
    # Not sending a text keeps it: an empty MESSAGE would delete the message on the server.
    params=(MESSAGE_ID, TEXT.but(required=False), BLOCKS),
    result="bool",
    example=Example({"text": "New message text"}, setup=_message),
)

SET_MESSAGE_REACTION = Operation(
    "SetMessageReaction",
    REGION,
    "Like a message, or take the like back",
    method="im.message.like",
    params=(MESSAGE_ID,),
    result="bool",
    example=Example(setup=_message),
)

DELETE_MESSAGE = Operation(
    "DeleteMessage",
    REGION,
    "Delete a message",
    method="im.message.delete",
    params=(MESSAGE_ID,),
    result="bool",
    example=Example(setup=_message),
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
    example=Example({"description": "File description"}, setup=_uploaded_file),
)

MARK_MESSAGE_AS_READED = Operation(
    "MarkMessageAsReaded",
    REGION,
    "Mark a dialog's messages as read up to this one",
    method="im.dialog.read",
    params=(DIALOG_ID, MESSAGE_ID),
    result="dict[str, Any]",
    example=Example(setup=_dialog_message),
)

MARK_MESSAGE_AS_UNREADED = Operation(
    "MarkMessageAsUnreaded",
    REGION,
    "Mark a dialog's messages as unread from this one on",
    method="im.dialog.unread",
    params=(DIALOG_ID, MESSAGE_ID),
    result="bool",
    example=Example(setup=_dialog_message),
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
    example=Example({"name": "Image", "url": "https://example.com/picture.jpg"}),
)

GET_FILE_BLOCK = Operation(
    "GetFileBlock",
    REGION,
    "Make a file attachment block for --blocks",
    params=_BLOCK_PARAMS,
    reads=True,
    result="dict[str, Any]",
    local=_block("FILE"),
    example=Example({"name": "File", "url": "https://example.com/document.docx"}),
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
