"""Chats and dialogs management through the Python API, against the emulator.

Shapes are checked against OPI's recordings. Where the webhook and token recordings come
from different server versions (users, dialogs), the emulator follows the newer one.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from clients import BucketlessClient
from oint import bitrix24
from oint.bitrix24 import Client, InvalidArgumentError, operations
from oint.emulator.process import EmulatorProcess
from shapes import assert_shape, recorded, shape_differences

GIF = base64.b64decode("R0lGODlhAQABAAAAACw=")  # a 1x1 picture
RED_HEX = "#df532d"  # the colour map of the protocol reference


@pytest.fixture(params=["webhook", "token"])
def b24(request: pytest.FixtureRequest, portal: EmulatorProcess) -> Iterator[Client]:
    """User 1 through either auth form."""
    if request.param == "webhook":
        client = BucketlessClient(portal.webhook_url)
    else:
        client = BucketlessClient(portal.base_url, portal.token)
    with client:
        yield client


def _recording(b24: Client, name: str) -> str:
    return name if b24.endpoint.token else f"{name}_wh"


def test_members_come_and_go(b24: Client) -> None:
    chat = b24.create_chat({"TITLE": "Team", "USERS": [2, 3]}).result
    users = b24.get_chat_users(chat)
    assert_shape(users.json(), _recording(b24, "GetChatUsers"))
    assert users.result == [1, 2, 3]
    removed = b24.delete_user_from_chat(chat, 3)
    assert_shape(removed.json(), _recording(b24, "DeleteUserFromChat"))
    assert b24.get_chat_users(chat).result == [1, 2]
    added = b24.add_users_to_chat(chat, [3, 4])
    assert_shape(added.json(), _recording(b24, "AddUsersToChat"))
    assert b24.get_chat_users(chat).result == [1, 2, 3, 4]
    left = b24.leave_chat(chat)
    assert_shape(left.json(), _recording(b24, "LeaveChat"))
    # Not a member any more: the list is empty, and the chat went to the next member.
    assert b24.get_chat_users(chat).result == []


def test_add_users_sends_opis_default_and_one_id_becomes_a_list() -> None:
    request = operations.find("AddUsersToChat").request(chat_id=5, users="7")  # type: ignore[union-attr]
    assert request.params == {"CHAT_ID": 5, "USERS": [7], "HIDE_HISTORY": "N"}


def test_rename_recolour_and_picture_show_in_the_dialog(b24: Client, tmp_path: Path) -> None:
    chat = b24.create_chat({"TITLE": "Old", "COLOR": "GREEN"}).result
    assert_shape(b24.change_chat_title(chat, "New").json(), _recording(b24, "ChangeChatTitle"))
    assert_shape(b24.change_chat_color(chat, "RED").json(), _recording(b24, "ChangeChatColor"))
    path = tmp_path / "pixel.gif"
    path.write_bytes(GIF)
    picture = b24.change_chat_picture(chat, path)
    assert_shape(picture.json(), _recording(b24, "ChangeChatPicture"))
    dialog = b24.get_dialog(f"chat{chat}")
    assert_shape(dialog.json(), "GetDialog")
    assert (dialog.result["name"], dialog.result["color"]) == ("New", RED_HEX)
    assert dialog.result["avatar"] != ""
    assert (dialog.result["dialog_id"], dialog.result["type"], dialog.result["role"]) == (
        f"chat{chat}", "chat", "owner",
    )


def test_the_same_colour_twice_is_wrong_request(b24: Client) -> None:
    chat = b24.create_chat({"COLOR": "MINT"}).result
    with pytest.raises(InvalidArgumentError) as caught:
        b24.change_chat_color(chat, "MINT")
    assert (caught.value.code, caught.value.status) == ("WRONG_REQUEST", 400)


def test_picture_is_read_from_a_path_bytes_or_base64(tmp_path: Path) -> None:
    path = tmp_path / "pixel.gif"
    path.write_bytes(GIF)
    encoded = base64.b64encode(GIF).decode()
    change = operations.find("ChangeChatPicture")
    assert change is not None
    for picture in (path, str(path), GIF, encoded):
        assert change.request(chat_id=1, picture=picture).params == {
            "CHAT_ID": 1, "AVATAR": encoded,
        }


def test_mute_and_unmute(b24: Client) -> None:
    chat = b24.create_chat({}).result
    muted = b24.disable_chat_notifications(chat)
    assert_shape(muted.json(), _recording(b24, "DisableChatNotifications"))
    assert b24.get_dialog(f"chat{chat}").result["mute_list"] == [1]
    unmuted = b24.enable_chat_notifications(chat)
    assert_shape(unmuted.json(), _recording(b24, "EnableChatNotifications"))
    assert b24.get_dialog(f"chat{chat}").result["mute_list"] == []
    # Muting is the member's own setting: outside a chat it answers false.
    assert b24.disable_chat_notifications(999_999).result is False


def test_owner_hands_over_and_then_may_not(b24: Client) -> None:
    chat = b24.create_chat({"USERS": [2]}).result
    handed = b24.change_chat_owner(chat, 2)
    assert_shape(handed.json(), _recording(b24, "ChangeChatOwner"))
    assert b24.get_dialog(f"chat{chat}").result["owner"] == 2
    with pytest.raises(InvalidArgumentError) as caught:
        b24.change_chat_owner(chat, 1)
    assert caught.value.description == (
        "Change owner can only owner and user must be member in chat"
    )


def test_members_list_users_and_their_data(b24: Client) -> None:
    chat = b24.create_chat({"USERS": [2, 3]}).result
    members = b24.get_chat_members_list(f"chat{chat}")
    assert_shape(members.json(), "GetChatMembersList")
    assert [user["id"] for user in members.result] == [1, 2, 3]
    assert members.total == 3 and members.next is None
    users = b24.get_users([1, 10])
    assert set(users.result) == {"1", "10"}
    recorded_user = recorded("GetUsers")["result"]["10"]
    assert not shape_differences(users.result["10"], recorded_user)
    assert users.result["10"]["id"] == 10


def test_private_dialogs_by_user_id(b24: Client) -> None:
    dialog = b24.get_dialog(5)
    assert_shape(dialog.json(), "GetDialog")
    assert (dialog.result["type"], dialog.result["message_type"]) == ("private", "P")
    assert dialog.result["dialog_id"] == "5"
    assert b24.get_dialog("5").result["id"] == dialog.result["id"]  # made once
    assert [u["id"] for u in b24.get_chat_members_list(5).result] == [1, 5]


def test_writing_status_and_read_all(b24: Client) -> None:
    chat = b24.create_chat({}).result
    assert_shape(b24.send_writing_notification(f"chat{chat}").json(),
                 _recording(b24, "SendWritingNotification"))
    assert b24.send_writing_notification(7).result is True
    assert_shape(b24.set_user_status("away").json(), _recording(b24, "SetUserStatus"))
    status = b24.get_user_status()
    assert_shape(status.json(), _recording(b24, "GetUserStatus"))
    assert status.result == "away"
    b24.set_user_status("online")
    assert_shape(b24.read_all().json(), _recording(b24, "ReadAll"))


def test_files_folder_is_made_once(b24: Client) -> None:
    chat = b24.create_chat({}).result
    folder = b24.get_chat_files_folder(chat)
    assert_shape(folder.json(), _recording(b24, "GetChatFilesFolder"))
    assert b24.get_chat_files_folder(chat).result == folder.result
    assert b24.get_dialog(f"chat{chat}").result["disk_folder_id"] == folder.result["ID"]


def test_module_functions_take_the_url_first(portal: EmulatorProcess) -> None:
    chat = bitrix24.CreateChat(portal.webhook_url, {"USERS": [2]}).result
    assert bitrix24.ChangeChatTitle(portal.webhook_url, chat, "By OPI's name").result is True
    assert bitrix24.get_dialog(portal.base_url, f"chat{chat}", token=portal.token).result[
        "name"] == "By OPI's name"
