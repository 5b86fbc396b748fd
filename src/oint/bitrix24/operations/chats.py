"""Chats and dialogs management."""

from __future__ import annotations

from typing import Any

from .. import _values as values
from .._spec import Kind, Operation, Param
from ._common import EMPTY_PARAM, structure_runner

REGION = "Chats and dialogs management"

CHAT_ID = Param("chat_id", "chat", Kind.INTEGER, "Chat ID", key="CHAT_ID")

CHAT_STRUCTURE = {
    "TYPE": "<Chat type OPEN (Public) | CHAT (Private)>",
    "TITLE": "<Chat title>",
    "DESCRIPTION": "<Chat description>",
    "COLOR": "<Chat color: RED, GREEN, MINT, LIGHT_BLUE, DARK_BLUE, PURPLE, AQUA, ...>",
    "MESSAGE": "<First chat message>",
    "USERS": "<Chat members array>",
    "AVATAR": "<Base64 chat picture>",
    "OWNER_ID": "<ID of chat owner. Current user by default>",
}


def _chat_body(args: dict[str, Any]) -> dict[str, Any]:
    # The keys go out as given (OPI copies them to the top level); only AVATAR is coerced,
    # so a file path or URL works where OPI insists on base64.
    body = dict(args["fields"])
    for key, value in body.items():
        if key.upper() == "AVATAR" and value is not None and value != "":
            body[key] = values.to_base64(value, "AVATAR")
    return body


CREATE_CHAT = Operation(
    "CreateChat",
    REGION,
    "Create a chat",
    method="im.chat.add",
    params=(
        Param(
            "fields", "fields", Kind.COLLECTION,
            "Chat structure (JSON or a .json path); see GetChatStructure",
            annotation="ChatFields | Mapping[str, Any] | str",
        ),
    ),
    result="int",
    build=_chat_body,
)

GET_CHAT_USERS = Operation(
    "GetChatUsers",
    REGION,
    "Get the ids of a chat's members",
    method="im.chat.user.list",
    params=(CHAT_ID,),
    reads=True,
    result="list[int]",
)

GET_CHAT_STRUCTURE = Operation(
    "GetChatStructure",
    REGION,
    "Get the structure of chat fields for CreateChat",
    params=(EMPTY_PARAM,),
    reads=True,
    result="dict[str, Any]",
    local=structure_runner(CHAT_STRUCTURE),
)

OPERATIONS = (CREATE_CHAT, GET_CHAT_USERS, GET_CHAT_STRUCTURE)
