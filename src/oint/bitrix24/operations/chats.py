"""Chats and dialogs management."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from .. import _values as values
from .._spec import Example, ExamplePortal, Kind, Operation, Param
from ._common import (
    CHAT_ID,
    DIALOG_ID,
    EMPTY_PARAM,
    PICTURE,
    USER_ID,
    a_chat,
    a_message,
    structure_runner,
)

REGION = "Chats and dialogs management"


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

USERS = Param("users", "users", Kind.ARRAY, "Array of user IDs (or one ID)", key="USERS")

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



def _chat(portal: ExamplePortal) -> dict[str, Any]:
    return {"chat_id": a_chat(portal)}


def _red_chat(portal: ExamplePortal) -> dict[str, Any]:
    return {"chat_id": a_chat(portal, COLOR="RED")}


def _dialog(portal: ExamplePortal) -> dict[str, Any]:
    chat, _ = a_message(portal)
    return {"dialog_id": f"chat{chat}"}


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
    example=Example({"fields": {"TYPE": "CHAT", "TITLE": "Private chat", "USERS": [10, 1]}}),
)

GET_CHAT_USERS = Operation(
    "GetChatUsers",
    REGION,
    "Get the ids of a chat's members",
    method="im.chat.user.list",
    params=(CHAT_ID,),
    reads=True,
    result="list[int]",
    example=Example(setup=_chat),
)

GET_CHAT_STRUCTURE = Operation(
    "GetChatStructure",
    REGION,
    "Get the structure of chat fields for CreateChat",
    params=(EMPTY_PARAM,),
    reads=True,
    result="dict[str, Any]",
    local=structure_runner(CHAT_STRUCTURE),
    example=Example(),
)

LEAVE_CHAT = Operation(
    "LeaveChat", REGION, "Leave a chat", method="im.chat.leave", params=(CHAT_ID,),
    result="bool",
    example=Example(setup=_chat),
)

GET_USERS = Operation(
    "GetUsers",
    REGION,
    "Get users' messenger data, keyed by ID",
    method="im.user.list.get",
    params=(Param("user_ids", "users", Kind.ARRAY, "Array of user IDs (or one ID)", key="ID"),),
    reads=True,
    result="dict[str, Any]",
    example=Example({"user_ids": [1, 10]}),
)

ADD_USERS_TO_CHAT = Operation(
    "AddUsersToChat",
    REGION,
    "Add members to a chat",
    method="im.chat.user.add",
    params=(
        CHAT_ID,
        USERS,
        # OPI sends N unless asked; the server's own default is Y.
        Param(
            "hide_history", "hide", Kind.FLAG, "Hide the chat's earlier messages from them",
            key="HIDE_HISTORY", required=False, default=False,
        ),
    ),
    result="bool",
    example=Example({"users": [11, 12]}, setup=_chat),
)

DELETE_USER_FROM_CHAT = Operation(
    "DeleteUserFromChat",
    REGION,
    "Remove a member from a chat",
    method="im.chat.user.delete",
    params=(CHAT_ID, USER_ID),
    result="bool",
    example=Example({"user_id": 10}, setup=_chat),
)

CHANGE_CHAT_TITLE = Operation(
    "ChangeChatTitle",
    REGION,
    "Change a chat's title",
    method="im.chat.updateTitle",
    params=(CHAT_ID, Param("title", "title", Kind.TEXT, "New title", key="TITLE")),
    result="bool",
    example=Example({"title": "New title"}, setup=_chat),
)

CHANGE_CHAT_COLOR = Operation(
    "ChangeChatColor",
    REGION,
    "Change a chat's colour",
    method="im.chat.updateColor",
    params=(
        CHAT_ID,
        Param(
            "color", "color", Kind.TEXT,
            "Colour: RED, GREEN, MINT, LIGHT_BLUE, DARK_BLUE, PURPLE, AQUA, PINK, LIME, BROWN,"
            " AZURE, KHAKI, SAND, MARENGO, GRAY or GRAPHITE",
            key="COLOR",
        ),
    ),
    result="bool",
    example=Example({"color": "AQUA"}, setup=_red_chat),
)

CHANGE_CHAT_PICTURE = Operation(
    "ChangeChatPicture",
    REGION,
    "Change a chat's picture",
    method="im.chat.updateAvatar",
    params=(
        CHAT_ID,
        Param(
            "picture", "picture", Kind.BINARY,
            "Picture: a file path, an http(s) URL, bytes or base64", key="AVATAR",
        ),
    ),
    result="bool",
    example=Example({"picture": PICTURE}, setup=_chat),
)

CHANGE_CHAT_OWNER = Operation(
    "ChangeChatOwner",
    REGION,
    "Hand a chat to another member",
    method="im.chat.setOwner",
    params=(CHAT_ID, USER_ID),
    result="bool",
    example=Example({"user_id": 10}, setup=_chat),
)

DISABLE_CHAT_NOTIFICATIONS = Operation(
    "DisableChatNotifications",
    REGION,
    "Mute a chat",
    method="im.chat.mute",
    params=(CHAT_ID,),
    fixed={"MUTE": "Y"},
    result="bool",
    example=Example(setup=_chat),
)

ENABLE_CHAT_NOTIFICATIONS = Operation(
    "EnableChatNotifications",
    REGION,
    "Unmute a chat",
    method="im.chat.mute",
    params=(CHAT_ID,),
    fixed={"MUTE": "N"},
    result="bool",
    example=Example(setup=_chat),
)

GET_CHAT_MESSAGES_LIST = Operation(
    "GetChatMessagesList",
    REGION,
    "Get a dialog's messages: the newest, older than LAST_ID, or newer than FIRST_ID",
    method="im.dialog.messages.get",
    params=(
        DIALOG_ID,
        Param(
            "last_id", "last", Kind.INTEGER, "Messages older than this ID", key="LAST_ID",
            required=False,
        ),
        Param(
            "first_id", "first", Kind.INTEGER, "Messages newer than this ID (0: from the start)",
            key="FIRST_ID", required=False,
        ),
    ),
    reads=True,
    result="dict[str, Any]",
    example=Example(setup=_dialog),
)

GET_DIALOG = Operation(
    "GetDialog",
    REGION,
    "Get a dialog's data",
    method="im.dialog.get",
    params=(DIALOG_ID,),
    reads=True,
    result="dict[str, Any]",
    example=Example(setup=_dialog),
)

GET_CHAT_MEMBERS_LIST = Operation(
    "GetChatMembersList",
    REGION,
    "Get a dialog's members with their data",
    method="im.dialog.users.list",
    params=(DIALOG_ID,),
    reads=True,
    result="list[dict[str, Any]]",
    example=Example(setup=_dialog),
)

SEND_WRITING_NOTIFICATION = Operation(
    "SendWritingNotification",
    REGION,
    "Show the others that you are writing",
    method="im.dialog.writing",
    params=(DIALOG_ID,),
    result="bool",
    example=Example(setup=_dialog),
)

GET_USER_STATUS = Operation(
    "GetUserStatus",
    REGION,
    "Get your status",
    method="im.user.status.get",
    reads=True,
    result="str",
    example=Example(),
)

SET_USER_STATUS = Operation(
    "SetUserStatus",
    REGION,
    "Set your status",
    method="im.user.status.set",
    params=(Param("status", "status", Kind.TEXT, "Status: online, dnd or away", key="STATUS"),),
    result="bool",
    example=Example({"status": "online"}),
)

READ_ALL = Operation(
    "ReadAll", REGION, "Mark every message as read", method="im.dialog.read.all", result="bool",
    example=Example(),
)

GET_CHAT_FILES_FOLDER = Operation(
    "GetChatFilesFolder",
    REGION,
    "Get the ID of a chat's files folder",
    method="im.disk.folder.get",
    params=(CHAT_ID,),
    # The server makes the folder on first use, and then always answers the same ID.
    reads=True,
    result="dict[str, Any]",
    example=Example(setup=_chat),
)

# In OPI's order.
OPERATIONS = (
    CREATE_CHAT,
    GET_CHAT_USERS,
    LEAVE_CHAT,
    GET_USERS,
    ADD_USERS_TO_CHAT,
    DELETE_USER_FROM_CHAT,
    CHANGE_CHAT_TITLE,
    CHANGE_CHAT_COLOR,
    CHANGE_CHAT_PICTURE,
    CHANGE_CHAT_OWNER,
    DISABLE_CHAT_NOTIFICATIONS,
    ENABLE_CHAT_NOTIFICATIONS,
    GET_CHAT_MESSAGES_LIST,
    GET_DIALOG,
    GET_CHAT_MEMBERS_LIST,
    SEND_WRITING_NOTIFICATION,
    GET_USER_STATUS,
    SET_USER_STATUS,
    READ_ALL,
    GET_CHAT_FILES_FOLDER,
    GET_CHAT_STRUCTURE,
)
