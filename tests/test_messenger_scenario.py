"""OPI's own order of chat calls, one after another, with each of the two auth forms.

The calls use OPI's names and argument order (``url`` first, ``token`` last); every reply is
checked against OPI's recording of the same call.
"""

from __future__ import annotations

import base64

import pytest

from clients import BucketlessClient
from oint import bitrix24
from oint.emulator.process import EmulatorProcess
from shapes import assert_shape

GIF = base64.b64decode("R0lGODlhAQABAAAAACw=")


@pytest.mark.parametrize("auth", ["webhook", "token"])
def test_opis_chat_scenario(portal: EmulatorProcess, auth: str) -> None:
    b = bitrix24
    url, token = (portal.webhook_url, None) if auth == "webhook" else (portal.base_url,
                                                                       portal.token)
    suffix = "_wh" if auth == "webhook" else ""

    def check(reply: bitrix24.Response[object], name: str) -> object:
        assert_shape(reply.json(), name + suffix)
        return reply.result

    chat = check(b.CreateChat(url, {"TYPE": "CHAT", "TITLE": "Private chat",
                                    "USERS": [10, 1]}, token), "CreateChat")
    assert isinstance(chat, int)
    dialog = f"chat{chat}"
    assert check(b.GetChatUsers(url, chat, token), "GetChatUsers") == [1, 10]
    assert check(b.DeleteUserFromChat(url, chat, 10, token), "DeleteUserFromChat") is True
    assert check(b.AddUsersToChat(url, chat, [10, 12], False, token), "AddUsersToChat") is True
    assert b.GetChatUsers(url, chat, token).result == [1, 10, 12]
    assert check(b.ChangeChatTitle(url, chat, "New chat title", token), "ChangeChatTitle")
    assert check(b.ChangeChatColor(url, chat, "AZURE", token), "ChangeChatColor")
    assert check(b.ChangeChatPicture(url, chat, GIF, token), "ChangeChatPicture")
    assert check(b.DisableChatNotifications(url, chat, token), "DisableChatNotifications")
    assert check(b.EnableChatNotifications(url, chat, token), "EnableChatNotifications")

    message = check(b.SendMessage(url, dialog, "Message text", None, token), "SendMessage")
    assert isinstance(message, int)
    assert check(b.EditMessage(url, message, "New message text", None, token), "EditMessage")
    assert check(b.SetMessageReaction(url, message, token), "SetMessageReaction")
    read = b.MarkMessageAsReaded(url, dialog, message, token)
    assert_shape(read.json(), "MarkMessageAsReaded_wh")  # the one recorded on a chat
    assert check(b.MarkMessageAsUnreaded(url, dialog, message, token), "MarkMessageAsUnreaded")
    assert check(b.DeleteMessage(url, message, token), "DeleteMessage")

    folder = check(b.GetChatFilesFolder(url, chat, token), "GetChatFilesFolder")
    assert isinstance(folder, dict)
    with BucketlessClient(url, token) as client:
        upload = client.call("disk.folder.uploadfile", {
            "id": folder["ID"], "data": {"NAME": "Imortant doc.docx"},
            "fileContent": ["doc.docx", base64.b64encode(b"PK document").decode()],
        }).result
    sent = b.SendFile(url, chat, upload["ID"], "File description", token).result
    assert sent["DISK_ID"] == [str(upload["ID"])] and sent["MESSAGE_ID"] > message
    assert check(b.ReadAll(url, token), "ReadAll")

    dialog_data = b.GetDialog(url, dialog, token).result
    assert (dialog_data["name"], dialog_data["color"], dialog_data["counter"]) == (
        "New chat title", "#29619b", 0,
    )
    assert check(b.ChangeChatOwner(url, chat, 10, token), "ChangeChatOwner")
    assert check(b.LeaveChat(url, chat, token), "LeaveChat")
    assert b.GetChatUsers(url, chat, token).result == []
