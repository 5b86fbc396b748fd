"""Every messenger operation through ``oint bitrix24 <Method>``: the happy path and an error.

Option names are OPI's. A success prints the reply (checked against OPI's recording); an
API error prints its JSON and exits 3.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clients import BucketlessClient
from oint.bitrix24 import Client
from oint.emulator.process import EmulatorProcess
from shapes import assert_shape, recorded, shape_differences

GIF = "R0lGODlhAQABAAAAACw="


@dataclass
class Setup:
    b24: Client
    own: int  # user 1's chat with 2 and 3
    left: int  # a chat user 1 has left
    message: int  # user 1's message in ``own``
    file: int  # a file in the files folder of ``own``

    def chat(self) -> int:
        """A fresh chat of user 1 with users 2 and 3."""
        return int(self.b24.create_chat({"USERS": [2, 3]}).result)

    def sent(self) -> int:
        return int(self.b24.send_message(f"chat{self.own}", "to change").result)

    def private(self) -> int:
        """User 4, in a private dialog where user 1 has said something."""
        self.b24.send_message(4, "hello four")
        return 4


@pytest.fixture(scope="module")
def setup(portal: EmulatorProcess) -> Iterator[Setup]:
    with BucketlessClient(portal.webhook_url) as b24:
        own = b24.create_chat({"TITLE": "CLI", "USERS": [2, 3]}).result
        left = b24.create_chat({"USERS": [2]}).result
        b24.change_chat_owner(left, 2)
        b24.leave_chat(left)
        folder = b24.get_chat_files_folder(own).result["ID"]
        file = b24.call("disk.folder.uploadfile", {
            "id": folder, "data": {"NAME": "notes.txt"},
            "fileContent": ["notes.txt", base64.b64encode(b"notes").decode()],
        }).result["ID"]
        yield Setup(b24, own, left, b24.send_message(f"chat{own}", "hi").result, int(file))


Words = Callable[[Setup], list[str]]
# The options after the method (the URL is added) and the recording the reply must match.
SUCCESSES: list[tuple[str, Words, str]] = [
    ("GetChatUsers", lambda s: ["--chat", str(s.own)], "GetChatUsers_wh"),
    ("LeaveChat", lambda s: ["--chat", str(s.chat())], "LeaveChat_wh"),
    ("GetUsers", lambda s: ["--users", "[1,10]"], "GetUsers"),
    ("AddUsersToChat", lambda s: ["--chat", str(s.chat()), "--users", "[4,5]", "--hide", "true"],
     "AddUsersToChat_wh"),
    ("DeleteUserFromChat", lambda s: ["--chat", str(s.chat()), "--user", "3"],
     "DeleteUserFromChat_wh"),
    ("ChangeChatTitle", lambda s: ["--chat", str(s.own), "--title", "Renamed"],
     "ChangeChatTitle_wh"),
    ("ChangeChatColor", lambda s: ["--chat", str(s.chat()), "--color", "AQUA"],
     "ChangeChatColor_wh"),
    ("ChangeChatPicture", lambda s: ["--chat", str(s.own), "--picture", GIF],
     "ChangeChatPicture_wh"),
    ("ChangeChatOwner", lambda s: ["--chat", str(s.chat()), "--user", "2"],
     "ChangeChatOwner_wh"),
    ("DisableChatNotifications", lambda s: ["--chat", str(s.own)],
     "DisableChatNotifications_wh"),
    ("EnableChatNotifications", lambda s: ["--chat", str(s.own)],
     "EnableChatNotifications_wh"),
    # As recorded: a private dialog read from its start (a group chat starts with the
    # server's own messages, which the recording of a private dialog has none of).
    ("GetChatMessagesList", lambda s: ["--chat", str(s.private()), "--first", "0"],
     "GetChatMessagesList"),
    ("GetDialog", lambda s: ["--chat", f"chat{s.own}"], "GetDialog"),
    ("GetChatMembersList", lambda s: ["--chat", f"chat{s.own}"], "GetChatMembersList"),
    ("SendWritingNotification", lambda s: ["--chat", f"chat{s.own}"],
     "SendWritingNotification_wh"),
    ("GetUserStatus", lambda s: [], "GetUserStatus_wh"),
    ("SetUserStatus", lambda s: ["--status", "online"], "SetUserStatus_wh"),
    ("ReadAll", lambda s: [], "ReadAll_wh"),
    ("GetChatFilesFolder", lambda s: ["--chat", str(s.own)], "GetChatFilesFolder_wh"),
    ("SendMessage", lambda s: ["--chat", f"chat{s.own}", "--text", "Hi",
                               "--blocks", "[{'MESSAGE': 'block'}]"], "SendMessage_wh"),
    ("EditMessage", lambda s: ["--message", str(s.sent()), "--text", "Edited"],
     "EditMessage_wh"),
    ("SetMessageReaction", lambda s: ["--message", str(s.sent())], "SetMessageReaction_wh"),
    ("DeleteMessage", lambda s: ["--message", str(s.sent())], "DeleteMessage_wh"),
    ("SendFile", lambda s: ["--chat", str(s.own), "--fileid", str(s.file),
                            "--description", "Notes"], "SendFile"),
    ("MarkMessageAsReaded", lambda s: ["--chat", f"chat{s.own}", "--message", str(s.message)],
     "MarkMessageAsReaded_wh"),
    ("MarkMessageAsUnreaded",
     lambda s: ["--chat", f"chat{s.own}", "--message", str(s.message)],
     "MarkMessageAsUnreaded_wh"),
    ("CreatePersonalNotification", lambda s: ["--user", "2", "--text", "Hi", "--tag", "t"],
     "CreatePersonalNotification_wh"),
    ("CreateSystemNotification",
     lambda s: ["--user", "2", "--text", "Hi", "--blocks", "[{'MESSAGE': 'x'}]"],
     "CreateSystemNotification_wh"),
    ("DeleteNotification", lambda s: ["--notif", "1"], "DeleteNotification_wh"),
]
# The options and the error code the API answers (printed as JSON, exit code 3).
FAILURES: list[tuple[str, Words, str]] = [
    ("GetChatUsers", lambda s: ["--chat", "1"], "ACCESS_ERROR"),
    ("LeaveChat", lambda s: ["--chat", str(s.left)], "WRONG_REQUEST"),
    ("GetUsers", lambda s: ["--users", "[0]"], "INVALID_FORMAT"),
    ("AddUsersToChat", lambda s: ["--chat", str(s.left), "--users", "2"], "WRONG_REQUEST"),
    ("DeleteUserFromChat", lambda s: ["--chat", str(s.own), "--user", "9"], "WRONG_REQUEST"),
    ("ChangeChatTitle", lambda s: ["--chat", str(s.own), "--title", " "], "TITLE_EMPTY"),
    ("ChangeChatColor", lambda s: ["--chat", str(s.own), "--color", "aqua"], "WRONG_COLOR"),
    ("ChangeChatPicture", lambda s: ["--chat", str(s.own), "--picture", "bm90IGFuIGltYWdl"],
     "AVATAR_ERROR"),
    ("ChangeChatOwner", lambda s: ["--chat", str(s.left), "--user", "3"], "WRONG_REQUEST"),
    ("DisableChatNotifications", lambda s: ["--chat", "0"], "CHAT_ID_EMPTY"),
    ("EnableChatNotifications", lambda s: ["--chat", "-3"], "CHAT_ID_EMPTY"),
    ("GetChatMessagesList", lambda s: ["--chat", f"chat{s.left}"], "ACCESS_ERROR"),
    ("GetDialog", lambda s: ["--chat", "chat"], "DIALOG_ID_EMPTY"),
    ("GetChatMembersList", lambda s: ["--chat", "999"], "ACCESS_ERROR"),
    ("SendWritingNotification", lambda s: ["--chat", f"chat{s.left}"], "ACCESS_ERROR"),
    ("SetUserStatus", lambda s: ["--status", "offline"], "STATUS_ERROR"),
    ("GetChatFilesFolder", lambda s: ["--chat", str(s.left)], "ACCESS_ERROR"),
    ("SendMessage", lambda s: ["--chat", "999", "--text", "Hi"], "USER_NOT_FOUND"),
    ("EditMessage", lambda s: ["--message", "0", "--text", "Edited"], "MESSAGE_ID_ERROR"),
    ("SetMessageReaction", lambda s: ["--message", str(10**9)], "WITHOUT_CHANGES"),
    ("DeleteMessage", lambda s: ["--message", str(10**9)], "CANT_EDIT_MESSAGE"),
    ("SendFile", lambda s: ["--chat", str(s.own), "--fileid", str(10**9)], "SAVE_ERROR"),
    ("MarkMessageAsReaded", lambda s: ["--chat", "chat", "--message", "1"], "DIALOG_ID_EMPTY"),
    ("MarkMessageAsUnreaded", lambda s: ["--chat", f"chat{s.own}", "--message", "0"],
     "MESSAGE_ID_ERROR"),
    ("CreatePersonalNotification", lambda s: ["--user", "0", "--text", "Hi"], "USER_ID_EMPTY"),
    ("CreateSystemNotification", lambda s: ["--user", "2", "--text", " "], "MESSAGE_EMPTY"),
]
# These replies are maps keyed by ids: their first entry is compared with the recording's.
_KEYED = {"GetUsers": ("result",), "SendFile": ("result", "FILES")}


def _first_entry(reply: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        reply = reply[key]
    return next(iter(reply.values()))


def _run(cli: Any, portal: EmulatorProcess, method: str, words: list[str]) -> Any:
    return cli("bitrix24", method, "--url", portal.webhook_url, *words)


@pytest.mark.parametrize(("method", "words", "recording"), SUCCESSES,
                         ids=[c[0] for c in SUCCESSES])
def test_success(cli: Any, portal: EmulatorProcess, setup: Setup, method: str, words: Words,
                 recording: str) -> None:
    result = _run(cli, portal, method, words(setup))
    assert result.code == 0, result.stderr
    reply = result.json()
    if recording in _KEYED:
        path = _KEYED[recording]
        assert not shape_differences(_first_entry(reply, path),
                                     _first_entry(recorded(recording), path))
    else:
        assert_shape(reply, recording)


@pytest.mark.parametrize(("method", "words", "code"), FAILURES, ids=[c[0] for c in FAILURES])
def test_api_error(cli: Any, portal: EmulatorProcess, setup: Setup, method: str, words: Words,
                   code: str) -> None:
    result = _run(cli, portal, method, words(setup))
    assert result.code == 3, result.stderr
    assert result.json()["error"] == code
    assert code in result.stderr


def test_a_bad_id_is_a_usage_error(cli: Any, portal: EmulatorProcess) -> None:
    result = _run(cli, portal, "DeleteNotification", ["--notif", "x"])
    assert result.code == 2 and "whole number" in result.stderr


@pytest.mark.parametrize(("method", "words", "expected"), [
    ("GetPictureBlock", ["--title", "Image", "--url",
                         "https://hut.openintegrations.dev/test_data/picture.jpg"],
     "GetPictureBlock"),
    ("GetFileBlock", ["--title", "Image", "--url",
                      "https://hut.openintegrations.dev/test_data/document.docx"],
     "GetFileBlock"),
])
def test_blocks_are_built_locally(cli: Any, method: str, words: list[str], expected: str) -> None:
    result = cli("bitrix24", method, *words)
    assert result.code == 0, result.stderr
    assert result.json() == recorded(expected)
    missing = cli("bitrix24", method, "--title", "Image")
    assert missing.code == 2 and "url is required" in missing.stderr


def test_blocks_from_a_json_file_with_a_token_in_a_real_process(
    cli_process: Any, portal: EmulatorProcess, setup: Setup, tmp_path: Path
) -> None:
    path = tmp_path / "blocks.json"
    path.write_text(json.dumps([{"LINK": {"NAME": "Site", "LINK": "https://example.com"}}]),
                    encoding="utf-8")
    sent = cli_process("bitrix24", "SendMessage", "--url", portal.base_url, "--token",
                       portal.token, "--chat", f"chat{setup.own}", "--text", "With a link",
                       "--blocks", str(path))
    assert sent.code == 0, sent.stderr
    assert_shape(sent.json(), "SendMessage")
    [message] = setup.b24.get_chat_messages_list(
        f"chat{setup.own}", first_id=sent.json()["result"] - 1).result["messages"]
    assert message["params"]["ATTACH"][0]["BLOCKS"] == json.loads(path.read_text("utf-8"))
    denied = cli_process("bitrix24", "GetDialog", "--url", portal.base_url, "--token",
                         portal.token, "--chat", f"chat{setup.left}")
    assert denied.code == 3
    assert denied.json() == {"error": "ACCESS_ERROR",
                             "error_description": "You do not have access to the specified dialog"}
