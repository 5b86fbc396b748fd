"""Every error path of the messenger methods, with the exact code, status and text.

The expectations are the protocol reference's (section 8), or the server's own source
(``CIMRestService``, ``im_rest.php``) where the reference gives no text. Each case is a raw
call, as any client could make it; the caller is the webhook's user 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from clients import BucketlessClient
from oint.bitrix24 import Bitrix24Error, Client
from oint.emulator.process import EmulatorProcess

GENERAL_CHAT = 1
ABSENT_USER = 999
A_PIXEL_GIF = (  # a 1x1 GIF, and one that claims 6000x1 pixels
    "R0lGODlhAQABAAAAACw=", "R0lGODlhcBcBAAAAACw=",
)


@dataclass
class World:
    """Chats seen from user 1: its own (with 2 and 3), one it left, and its message there."""

    own: int
    left: int
    message: int
    b24: Client


@pytest.fixture(scope="module")
def world(portal: EmulatorProcess) -> Iterator[World]:
    with BucketlessClient(portal.webhook_url) as b24:
        own = b24.create_chat({"TITLE": "Errors", "USERS": [2, 3]}).result
        message = b24.send_message(f"chat{own}", "first").result
        left = b24.create_chat({"TITLE": "Left", "USERS": [2, 3]}).result
        b24.change_chat_owner(left, 2)
        b24.leave_chat(left)
        yield World(own, left, message, b24)


Params = Callable[[World], dict[str, Any]]
ACCESS = ("ACCESS_ERROR", 403, "Action unavailable")
NO_DIALOG_ACCESS = ("ACCESS_ERROR", 403, "You do not have access to the specified dialog")
CHAT_EMPTY = ("CHAT_ID_EMPTY", 400, "Chat ID can't be empty")
DIALOG_EMPTY = ("DIALOG_ID_EMPTY", 400, "Dialog ID can't be empty")
USER_EMPTY = ("USER_ID_EMPTY", 400, "User ID can't be empty")
MESSAGE_ID_EMPTY = ("MESSAGE_ID_ERROR", 400, "Message ID can't be empty")
CANT_EDIT = (
    "CANT_EDIT_MESSAGE", 403, "Time has expired for modification or you don't have access",
)

CASES: list[tuple[str, str, Params, tuple[str, int, str]]] = [
    # im.chat.user.list
    ("user list: no chat", "im.chat.user.list", lambda w: {}, CHAT_EMPTY),
    ("user list: general chat", "im.chat.user.list", lambda w: {"CHAT_ID": GENERAL_CHAT}, ACCESS),
    ("user list: user dialog", "im.chat.user.list", lambda w: {"DIALOG_ID": "2"}, DIALOG_EMPTY),
    # im.chat.user.add
    ("user add: no chat", "im.chat.user.add", lambda w: {"USERS": [4]}, CHAT_EMPTY),
    ("user add: general chat", "im.chat.user.add",
     lambda w: {"CHAT_ID": GENERAL_CHAT, "USERS": [4]}, ACCESS),
    ("user add: not a member", "im.chat.user.add",
     lambda w: {"CHAT_ID": w.left, "USERS": [4]},
     ("WRONG_REQUEST", 400, "You don't have access or user already member in chat")),
    # im.chat.user.delete, im.chat.leave
    ("user delete: no chat", "im.chat.user.delete", lambda w: {"USER_ID": 2}, CHAT_EMPTY),
    ("user delete: no user", "im.chat.user.delete", lambda w: {"CHAT_ID": w.own}, USER_EMPTY),
    ("user delete: general chat", "im.chat.user.delete",
     lambda w: {"CHAT_ID": GENERAL_CHAT, "USER_ID": 2}, ACCESS),
    ("user delete: not a member", "im.chat.user.delete",
     lambda w: {"CHAT_ID": w.own, "USER_ID": 4},
     ("WRONG_REQUEST", 400, "You don't have access or user isn't member in chat")),
    ("leave: no chat", "im.chat.leave", lambda w: {}, CHAT_EMPTY),
    ("leave: general chat", "im.chat.leave", lambda w: {"CHAT_ID": GENERAL_CHAT}, ACCESS),
    ("leave: not a member", "im.chat.leave", lambda w: {"CHAT_ID": w.left},
     ("WRONG_REQUEST", 400, "You don't have access or user isn't member in chat")),
    # im.chat.updateTitle
    ("title: no chat", "im.chat.updateTitle", lambda w: {"TITLE": "x"}, CHAT_EMPTY),
    ("title: chatN in CHAT_ID", "im.chat.updateTitle",
     lambda w: {"CHAT_ID": f"chat{w.own}", "TITLE": "x"}, CHAT_EMPTY),
    ("title: user dialog", "im.chat.updateTitle", lambda w: {"DIALOG_ID": "2", "TITLE": "x"},
     DIALOG_EMPTY),
    ("title: blank", "im.chat.updateTitle", lambda w: {"CHAT_ID": w.own, "TITLE": "  "},
     ("TITLE_EMPTY", 400, "Title can't be empty")),
    # im.chat.updateColor
    ("colour: no chat", "im.chat.updateColor", lambda w: {"COLOR": "RED"}, CHAT_EMPTY),
    ("colour: user dialog", "im.chat.updateColor", lambda w: {"DIALOG_ID": "2", "COLOR": "RED"},
     DIALOG_EMPTY),
    ("colour: unknown", "im.chat.updateColor", lambda w: {"CHAT_ID": w.own, "COLOR": "BLUE"},
     ("WRONG_COLOR", 400, "This color currently unavailable")),
    ("colour: not a member", "im.chat.updateColor", lambda w: {"CHAT_ID": w.left, "COLOR": "RED"},
     ("WRONG_REQUEST", 400, "This color currently set or chat isn't exists")),
    # im.chat.updateAvatar
    ("avatar: no chat", "im.chat.updateAvatar", lambda w: {"AVATAR": A_PIXEL_GIF[0]},
     CHAT_EMPTY),
    ("avatar: user dialog", "im.chat.updateAvatar",
     lambda w: {"DIALOG_ID": "2", "AVATAR": A_PIXEL_GIF[0]}, DIALOG_EMPTY),
    ("avatar: not a member", "im.chat.updateAvatar",
     lambda w: {"CHAT_ID": w.left, "AVATAR": A_PIXEL_GIF[0]},
     ("ACCESS_DENIED", 400, "Access denied")),
    ("avatar: not a picture", "im.chat.updateAvatar",
     lambda w: {"CHAT_ID": w.own, "AVATAR": "bm90IGEgcGljdHVyZQ=="},
     ("AVATAR_ERROR", 400, "Avatar incorrect type")),
    ("avatar: too large", "im.chat.updateAvatar",
     lambda w: {"CHAT_ID": w.own, "AVATAR": A_PIXEL_GIF[1]},
     ("AVATAR_ERROR", 400, "Avatar incorrect size (max 5000x5000)")),
    # im.chat.setOwner
    ("owner: no chat", "im.chat.setOwner", lambda w: {"USER_ID": 2}, CHAT_EMPTY),
    ("owner: user dialog", "im.chat.setOwner", lambda w: {"DIALOG_ID": "2", "USER_ID": 2},
     DIALOG_EMPTY),
    ("owner: no user", "im.chat.setOwner", lambda w: {"CHAT_ID": w.own}, USER_EMPTY),
    ("owner: general chat", "im.chat.setOwner",
     lambda w: {"CHAT_ID": GENERAL_CHAT, "USER_ID": 2}, ACCESS),
    ("owner: target not a member", "im.chat.setOwner",
     lambda w: {"CHAT_ID": w.own, "USER_ID": 4},
     ("WRONG_REQUEST", 400, "Change owner can only owner and user must be member in chat")),
    ("owner: caller not the owner", "im.chat.setOwner",
     lambda w: {"CHAT_ID": w.left, "USER_ID": 3},
     ("WRONG_REQUEST", 400, "Change owner can only owner and user must be member in chat")),
    # im.chat.mute
    ("mute: no chat", "im.chat.mute", lambda w: {"MUTE": "Y"}, CHAT_EMPTY),
    ("mute: user dialog", "im.chat.mute", lambda w: {"DIALOG_ID": "2"}, DIALOG_EMPTY),
    # im.dialog.get, im.dialog.users.list, im.dialog.writing
    ("dialog: no id", "im.dialog.get", lambda w: {}, DIALOG_EMPTY),
    ("dialog: zero", "im.dialog.get", lambda w: {"DIALOG_ID": "0"}, DIALOG_EMPTY),
    ("dialog: not a member", "im.dialog.get", lambda w: {"DIALOG_ID": f"chat{w.left}"},
     NO_DIALOG_ACCESS),
    ("dialog: no such user", "im.dialog.get", lambda w: {"DIALOG_ID": str(ABSENT_USER)},
     NO_DIALOG_ACCESS),
    ("members: no id", "im.dialog.users.list", lambda w: {}, DIALOG_EMPTY),
    ("members: not a member", "im.dialog.users.list", lambda w: {"DIALOG_ID": f"chat{w.left}"},
     NO_DIALOG_ACCESS),
    ("writing: bad id", "im.dialog.writing", lambda w: {"DIALOG_ID": "chat"}, DIALOG_EMPTY),
    ("writing: not a member", "im.dialog.writing", lambda w: {"DIALOG_ID": f"chat{w.left}"},
     ACCESS),
    # im.dialog.messages.get
    ("messages: no id", "im.dialog.messages.get", lambda w: {}, DIALOG_EMPTY),
    ("messages: not a member", "im.dialog.messages.get",
     lambda w: {"DIALOG_ID": f"chat{w.left}"}, NO_DIALOG_ACCESS),
    ("messages: FIRST_ID text", "im.dialog.messages.get",
     lambda w: {"DIALOG_ID": f"chat{w.own}", "FIRST_ID": "x1"},
     ("FIRST_ID_STRING", 400, "First ID can't be string")),
    ("messages: LAST_ID text", "im.dialog.messages.get",
     lambda w: {"DIALOG_ID": f"chat{w.own}", "LAST_ID": "-1"},
     ("LAST_ID_STRING", 400, "Last ID can't be string")),
    # im.dialog.read, im.dialog.unread
    ("read: no id", "im.dialog.read", lambda w: {"MESSAGE_ID": w.message}, DIALOG_EMPTY),
    ("unread: no message", "im.dialog.unread", lambda w: {"DIALOG_ID": f"chat{w.own}"},
     ("MESSAGE_ID_ERROR", 400, "First unread message id can't be empty")),
    ("unread: no id", "im.dialog.unread", lambda w: {"MESSAGE_ID": w.message}, DIALOG_EMPTY),
    # im.message.add
    ("send: no text", "im.message.add", lambda w: {"DIALOG_ID": f"chat{w.own}"},
     ("MESSAGE_EMPTY", 400, "Message can't be empty")),
    ("send: blank text", "im.message.add",
     lambda w: {"DIALOG_ID": f"chat{w.own}", "MESSAGE": "  "},
     ("MESSAGE_EMPTY", 400, "Message can't be empty")),
    ("send: text not a string", "im.message.add",
     lambda w: {"DIALOG_ID": f"chat{w.own}", "MESSAGE": ["x"]},
     ("MESSAGE_EMPTY", 400, "Wrong message type")),
    ("send: no target", "im.message.add", lambda w: {"MESSAGE": "x"},
     ("PARAMS_ERROR", 400, "Incorrect params")),
    ("send: bad user", "im.message.add", lambda w: {"DIALOG_ID": "abc", "MESSAGE": "x"},
     USER_EMPTY),
    ("send: no such user", "im.message.add",
     lambda w: {"DIALOG_ID": str(ABSENT_USER), "MESSAGE": "x"},
     ("USER_NOT_FOUND", 400, "User not found")),
    ("send: workgroup", "im.message.add", lambda w: {"DIALOG_ID": "sg5", "MESSAGE": "x"},
     CHAT_EMPTY),
    ("send: not a member", "im.message.add",
     lambda w: {"DIALOG_ID": f"chat{w.left}", "MESSAGE": "x"},
     ("PARAMS_ERROR", 400, "Message isn't added")),
    ("send: bad attach", "im.message.add",
     lambda w: {"DIALOG_ID": f"chat{w.own}", "MESSAGE": "x", "ATTACH": [{"NOPE": 1}]},
     ("ATTACH_ERROR", 400, "Incorrect attach params")),
    ("send: huge attach", "im.message.add",
     lambda w: {"DIALOG_ID": f"chat{w.own}", "MESSAGE": "x",
                "ATTACH": [{"MESSAGE": "y" * 60_001}]},
     ("ATTACH_OVERSIZE", 400, "You have exceeded the maximum allowable size of attach")),
    ("send: bad keyboard", "im.message.add",
     lambda w: {"DIALOG_ID": f"chat{w.own}", "MESSAGE": "x", "KEYBOARD": [{"LINK": "y"}]},
     ("KEYBOARD_ERROR", 400, "Incorrect keyboard params")),
    ("send: bad menu", "im.message.add",
     lambda w: {"DIALOG_ID": f"chat{w.own}", "MESSAGE": "x", "MENU": "[1]"},
     ("MENU_ERROR", 400, "Incorrect menu params")),
    ("send: reply to the unseen", "im.message.add",
     lambda w: {"DIALOG_ID": f"chat{w.own}", "MESSAGE": "x", "REPLY_ID": 10**9},
     ("REPLY_ACCESS_ERROR", 403, "Action unavailable")),
    ("send: reply elsewhere", "im.message.add",
     lambda w: {"DIALOG_ID": "2", "MESSAGE": "x", "REPLY_ID": w.message},
     ("REPLY_FROM_OTHER_CHAT_ERROR", 403,
      "You can only reply to a message within the same chat")),
    # im.message.update, .delete, .like
    ("edit: no id", "im.message.update", lambda w: {"MESSAGE": "x"}, MESSAGE_ID_EMPTY),
    ("edit: no such message", "im.message.update",
     lambda w: {"MESSAGE_ID": 10**9, "MESSAGE": "x"}, CANT_EDIT),
    ("edit: bad attach", "im.message.update",
     lambda w: {"MESSAGE_ID": w.message, "ATTACH": "[{'NOPE': 1}]"},
     ("ATTACH_ERROR", 400, "Incorrect attach params")),
    ("edit: bad keyboard", "im.message.update",
     lambda w: {"MESSAGE_ID": w.message, "KEYBOARD": [{"LINK": "y"}]},
     ("KEYBOARD_ERROR", 400, "Incorrect keyboard params")),
    ("edit: bad menu, in the server's spelling", "im.message.update",
     lambda w: {"MESSAGE_ID": w.message, "MENU": [{"LINK": "y"}]},
     ("menu_ERROR", 400, "Incorrect menu params")),
    ("delete: no id", "im.message.delete", lambda w: {}, MESSAGE_ID_EMPTY),
    ("delete: no such message", "im.message.delete", lambda w: {"MESSAGE_ID": 10**9},
     CANT_EDIT),
    ("like: no id", "im.message.like", lambda w: {"ACTION": "plus"}, MESSAGE_ID_EMPTY),
    ("like: unlike what is not liked", "im.message.like",
     lambda w: {"MESSAGE_ID": w.message, "ACTION": "minus"},
     ("WITHOUT_CHANGES", 400, "Action completed without changes")),
    # im.disk.folder.get, im.disk.file.commit
    ("folder: no chat", "im.disk.folder.get", lambda w: {}, CHAT_EMPTY),
    ("folder: bad dialog", "im.disk.folder.get", lambda w: {"DIALOG_ID": "x"}, DIALOG_EMPTY),
    ("folder: not a member", "im.disk.folder.get", lambda w: {"CHAT_ID": w.left},
     NO_DIALOG_ACCESS),
    ("commit: no chat", "im.disk.file.commit", lambda w: {"UPLOAD_ID": 1}, CHAT_EMPTY),
    ("commit: bad dialog", "im.disk.file.commit", lambda w: {"DIALOG_ID": "x", "UPLOAD_ID": 1},
     DIALOG_EMPTY),
    ("commit: not a member", "im.disk.file.commit",
     lambda w: {"CHAT_ID": w.left, "UPLOAD_ID": 1},
     ("ACCESS_ERROR", 400, "You don't have access to this chat")),
    ("commit: no files", "im.disk.file.commit", lambda w: {"CHAT_ID": w.own},
     ("FILES_ERROR", 400, "List of files in not specified")),
    ("commit: no such file", "im.disk.file.commit",
     lambda w: {"CHAT_ID": w.own, "UPLOAD_ID": 10**9},
     ("SAVE_ERROR", 400, "Error during saving file to chat")),
    # im.user.*, im.notify.*
    ("users: one bare id", "im.user.list.get", lambda w: {"ID": 1},
     ("INVALID_FORMAT", 400, "A wrong format for the ID field is passed")),
    ("status: unknown", "im.user.status.set", lambda w: {"STATUS": "busy"},
     ("STATUS_ERROR", 400, "Status is not available")),
    ("status: compared as given", "im.user.status.set", lambda w: {"STATUS": "DND"},
     ("STATUS_ERROR", 400, "Status is not available")),
    ("notify: no user", "im.notify.personal.add", lambda w: {"MESSAGE": "x"}, USER_EMPTY),
    ("notify: no text", "im.notify.system.add", lambda w: {"USER_ID": 2},
     ("MESSAGE_EMPTY", 400, "Message can't be empty")),
    ("notify: bad attach", "im.notify.personal.add",
     lambda w: {"USER_ID": 2, "MESSAGE": "x", "ATTACH": "[1]"},
     ("ATTACH_ERROR", 400, "Incorrect attach params")),
    ("notify delete: a webhook has no client id", "im.notify.delete", lambda w: {"TAG": "x"},
     ("ACCESS_DENIED", 403, "Access denied! Client ID not specified")),
    ("notify delete: nothing named", "im.notify.delete", lambda w: {"CLIENT_ID": "app"},
     ("PARAMS_ERROR", 400, "Incorrect params")),
]


@pytest.mark.parametrize(("method", "build", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_error(world: World, method: str, build: Params, expected: tuple[str, int, str]) -> None:
    with pytest.raises(Bitrix24Error) as caught:
        world.b24.call(method, build(world))
    error = caught.value
    assert (error.code, error.status, error.description) == expected
    assert error.method == method
