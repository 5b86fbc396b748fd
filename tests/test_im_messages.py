"""Messages, reading and files through the Python API, with two users on one portal.

User 1 and user 2 each call through their own webhook, so the access rules of the
protocol reference (authors edit, owners delete, counters per member) are seen from
both sides.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from clients import BucketlessClient
from oint import bitrix24
from oint.bitrix24 import AccessError, Client, InvalidArgumentError
from oint.emulator.process import launch
from shapes import assert_shape, recorded, shape_differences


@dataclass
class Pair:
    one: Client
    two: Client


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    code = secrets.token_hex(12)
    with launch(["--webhook", f"2/{code}"]) as running, \
            BucketlessClient(running.webhook_url) as one, \
            BucketlessClient(f"{running.base_url}/rest/2/{code}") as two:
        yield Pair(one, two)


def _messages(b24: Client, dialog: str, **kwargs: int) -> list[dict[str, object]]:
    return list(b24.get_chat_messages_list(dialog, **kwargs).result["messages"])


def _said(b24: Client, dialog: str, **kwargs: int) -> list[dict[str, object]]:
    """The users' messages, without those the server posts itself (author 0)."""
    return [m for m in _messages(b24, dialog, **kwargs) if m["author_id"]]


def test_send_edit_like_and_delete(pair: Pair) -> None:
    chat = pair.one.create_chat({"USERS": [2]}).result
    dialog = f"chat{chat}"
    picture = "https://hut.openintegrations.dev/test_data/picture.jpg"
    block = bitrix24.get_picture_block("Image", picture)
    assert block == recorded("GetPictureBlock")
    sent = pair.one.send_message(dialog, "Hello", [block])
    assert_shape(sent.json(), "SendMessage_wh")
    edited = pair.one.edit_message(sent.result, "Hello again")
    assert_shape(edited.json(), "EditMessage_wh")
    liked = pair.two.set_message_reaction(sent.result)
    assert_shape(liked.json(), "SetMessageReaction_wh")
    [message] = _said(pair.one, dialog)
    assert message["text"] == "Hello again"
    assert message["params"] == {
        "ATTACH": [{"ID": "1", "BLOCKS": [block], "COLOR": "transparent"}],
        "IS_EDITED": "Y", "LIKE": [2],
    }
    # The like toggles back; a second "minus" has nothing to change.
    pair.two.set_message_reaction(sent.result)
    with pytest.raises(InvalidArgumentError) as caught:
        pair.two.call("im.message.like", {"MESSAGE_ID": sent.result, "ACTION": "minus"})
    assert caught.value.code == "WITHOUT_CHANGES"
    deleted = pair.one.delete_message(sent.result)
    assert_shape(deleted.json(), "DeleteMessage_wh")
    [message] = _said(pair.two, dialog)
    assert (message["id"], message["params"]) == (sent.result, {"IS_DELETED": "Y"})


def test_only_the_author_edits_and_the_owner_also_deletes(pair: Pair) -> None:
    chat = pair.one.create_chat({"USERS": [2]}).result
    theirs = pair.two.send_message(f"chat{chat}", "From two").result
    mine = pair.one.send_message(f"chat{chat}", "From one").result
    for attempt in (lambda: pair.one.edit_message(theirs, "x"),
                    lambda: pair.two.delete_message(mine)):
        with pytest.raises(AccessError) as caught:
            attempt()
        assert (caught.value.code, caught.value.status) == ("CANT_EDIT_MESSAGE", 403)
    assert pair.one.delete_message(theirs).result is True  # user 1 owns the chat


def test_an_empty_text_deletes_but_no_text_keeps(pair: Pair) -> None:
    chat = pair.one.create_chat({}).result
    sent = pair.one.send_message(f"chat{chat}", "Keep me").result
    pair.one.edit_message(sent, blocks=[bitrix24.get_file_block("Doc", "https://x/doc.docx")])
    assert _messages(pair.one, f"chat{chat}")[0]["text"] == "Keep me"
    pair.one.edit_message(sent, "")
    assert _messages(pair.one, f"chat{chat}")[0]["params"] == {"IS_DELETED": "Y"}


def test_counters_follow_reads_and_unreads(pair: Pair) -> None:
    chat = pair.one.create_chat({"USERS": [2]}).result
    dialog = f"chat{chat}"
    ids = [pair.two.send_message(dialog, f"#{n}").result for n in range(3)]
    seen = pair.one.get_dialog(dialog).result
    assert (seen["counter"], seen["unread_id"]) == (3, ids[0])
    assert [m["unread"] for m in _said(pair.one, dialog)] == [True, True, True]
    read = pair.one.mark_message_as_readed(dialog, ids[1])
    assert_shape(read.json(), "MarkMessageAsReaded_wh")
    assert read.result == {"dialogId": dialog, "chatId": chat, "lastId": ids[1], "counter": 1}
    unread = pair.one.mark_message_as_unreaded(dialog, ids[0])
    assert_shape(unread.json(), "MarkMessageAsUnreaded_wh")
    assert pair.one.get_dialog(dialog).result["counter"] == 3
    pair.one.read_all()
    assert pair.one.get_dialog(dialog).result["counter"] == 0
    readers = pair.two.get_dialog(dialog).result["readed_list"]
    assert [(r["user_id"], r["message_id"]) for r in readers] == [(1, ids[2])]


def test_private_dialog_seen_from_both_sides(pair: Pair) -> None:
    sent = pair.one.send_message(2, "Hi two").result
    [message] = _messages(pair.two, "1")[:1]
    assert (message["id"], message["author_id"], message["unread"]) == (sent, 1, True)
    read = pair.two.mark_message_as_readed(1, sent)
    assert_shape(read.json(), "MarkMessageAsReaded")  # a user dialog: dialogId is a number
    assert read.result["dialogId"] == 1 and read.result["counter"] == 0
    assert pair.two.send_writing_notification(1).result is True


def test_messages_page_newest_first(pair: Pair) -> None:
    chat = pair.one.create_chat({}).result
    dialog = f"chat{chat}"
    ids = [pair.one.send_message(dialog, f"#{n}").result for n in range(55)]
    page = pair.one.get_chat_messages_list(dialog)
    # Each a plain message, as recorded (the recordings' pages mix in deleted and system
    # ones, which a position-by-position comparison would set against these).
    plain = recorded("GetChatMessagesList")["result"]["messages"][0]
    assert all(not shape_differences(m, plain) for m in page.result["messages"])
    newest = [m["id"] for m in page.result["messages"]]
    assert newest == ids[::-1][:20]  # 20 by default, newest first
    older = [m["id"] for m in _messages(pair.one, dialog, last_id=newest[-1])]
    assert older == ids[::-1][20:40]
    oldest = [m["id"] for m in _messages(pair.one, dialog, first_id=0)]
    assert oldest[2:] == ids[:18]  # from the start, oldest first: the greeting and banner
    at_most = pair.one.call("im.dialog.messages.get", {"DIALOG_ID": dialog, "LIMIT": 100})
    assert len(at_most.result["messages"]) == 50
    assert [u["id"] for u in page.result["users"]] == [1]


def test_hidden_history_hides_what_came_before(pair: Pair) -> None:
    chat = pair.one.create_chat({}).result
    dialog = f"chat{chat}"
    before = pair.one.send_message(dialog, "Before").result
    pair.one.add_users_to_chat(chat, [2], hide_history=True)
    after = pair.one.send_message(dialog, "After").result
    # The newcomer sees what came after joining: the invitation, then the new message.
    invited, greeting_and_banner = after - 1, [before - 1, before - 2]
    assert [m["id"] for m in _messages(pair.two, dialog)] == [after, invited]
    assert [m["id"] for m in _messages(pair.one, dialog)] == [after, invited, before,
                                                             *greeting_and_banner]


def test_only_the_owner_removes_others(pair: Pair) -> None:
    chat = pair.one.create_chat({"USERS": [2, 3]}).result
    with pytest.raises(InvalidArgumentError) as caught:
        pair.two.delete_user_from_chat(chat, 3)
    assert caught.value.description == "You don't have access or user isn't member in chat"
    with pytest.raises(InvalidArgumentError):
        pair.two.change_chat_owner(chat, 2)
    assert pair.one.delete_user_from_chat(chat, 3).result is True


def test_send_a_file_to_a_chat(pair: Pair) -> None:
    chat = pair.one.create_chat({"USERS": [2]}).result
    folder = pair.one.get_chat_files_folder(chat).result["ID"]
    uploaded = pair.one.call("disk.folder.uploadfile", {
        "id": folder, "data": {"NAME": "Important doc.docx"},
        "fileContent": ["doc.docx", base64.b64encode(b"PK\x03\x04 not really").decode()],
    }).result
    sent = pair.one.send_file(chat, uploaded["ID"], "Read this")
    key = f"upload{uploaded['ID']}"
    expected = recorded("SendFile")["result"]
    assert set(sent.result) == set(expected)
    assert not shape_differences(sent.result["FILES"][key], expected["FILES"]["upload49586"])
    assert not shape_differences(sent.result["FILE_MODELS"][key],
                                 expected["FILE_MODELS"]["upload49586"])
    assert sent.result["DISK_ID"] == [str(uploaded["ID"])]  # a new file's ID is a number
    listed = pair.two.get_chat_messages_list(f"chat{chat}").result
    [message] = [m for m in listed["messages"] if m["author_id"]]
    assert (message["id"], message["text"]) == (sent.result["MESSAGE_ID"], "Read this")
    assert message["params"] == {"FILE_ID": [int(uploaded["ID"])]}
    assert [f["name"] for f in listed["files"]] == ["Important doc.docx"]


def test_notifications_are_deleted_by_their_recipient(pair: Pair) -> None:
    personal = pair.one.create_personal_notification(2, "For two", tag="t1")
    assert_shape(personal.json(), "CreatePersonalNotification_wh")
    system = pair.one.create_system_notification(
        2, "From the system", blocks=[{"MESSAGE": "details"}])
    assert_shape(system.json(), "CreateSystemNotification_wh")
    denied = pair.one.delete_notification(personal.result)
    assert_shape(denied.json(), "DeleteNotification_wh")
    assert denied.result is False  # the sender is not the recipient
    assert pair.two.delete_notification(personal.result).result is True
    assert pair.two.delete_notification(personal.result).result is False
