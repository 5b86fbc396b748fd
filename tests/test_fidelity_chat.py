"""The messenger as a real portal shows it, over plain HTTP.

The texts and params of the messages a group chat gets from the server itself are the im
module's (im 25.650: ``Bitrix\\Im\\V2\\Chat``, ``GroupChat``, ``CIMChat``, ``CIMDisk`` and their
English ``lang`` files); the rest comes from OPI's recordings: a private dialog's
``im.dialog.get`` (GetDialog.json), avatar URLs (GetUsers.json), DeleteNotification's false.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from oint.emulator.process import EmulatorProcess, launch
from shapes import assert_shape, recorded

GIF = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
QUIET = {"NOTIFY": "N"}
JOINED = {"CODE": ["CHAT_JOIN"], "NOTIFY": "N"}
LEFT = {"CODE": ["CHAT_LEAVE"], "NOTIFY": "N"}


@dataclass
class Users:
    """User 1 and user 2 of one portal, each through a webhook of their own."""

    portal: EmulatorProcess
    two_url: str

    def one(self, method: str, **params: Any) -> Any:
        return _call(self.portal.webhook_url, method, params)

    def two(self, method: str, **params: Any) -> Any:
        return _call(self.two_url, method, params)


def _call(base: str, method: str, params: dict[str, Any]) -> Any:
    reply = httpx.post(f"{base}/{method}", json=params)
    assert reply.status_code == 200, reply.text
    return reply.json()["result"]


@pytest.fixture(scope="module")
def users() -> Iterator[Users]:
    code = secrets.token_hex(12)
    with launch(["--webhook", f"2/{code}"]) as running:
        yield Users(running, f"{running.base_url}/rest/2/{code}")


def _history(users: Users, chat: int, as_two: bool = False) -> list[dict[str, Any]]:
    """The chat's messages, oldest first."""
    call = users.two if as_two else users.one
    return list(call("im.dialog.messages.get", DIALOG_ID=f"chat{chat}", FIRST_ID=0)["messages"])


def _said(messages: list[dict[str, Any]]) -> list[tuple[int, str, Any]]:
    return [(m["author_id"], m["text"], m["params"]) for m in messages]


# -- point 2: the messages the server posts ---------------------------------------------------


def test_a_new_chat_greets_invites_and_posts_description_and_message(users: Users) -> None:
    chat = users.one("im.chat.add", TITLE="Team", USERS=[2, 3], DESCRIPTION="What we do",
                     MESSAGE="Welcome")
    assert _said(_history(users, chat)) == [
        (0, "[USER=1][/USER] created a chat.", QUIET),
        (0, "Group chat. Communicate, share files, leave comments and likes.",
         {"COMPONENT_ID": "ChatCreationMessage", **QUIET}),
        (0, "[USER=1][/USER] invited [USER=2][/USER], [USER=3][/USER] to chat.", JOINED),
        (1, "What we do", []),
        (1, "Welcome", []),
    ]
    mine, theirs = (call("im.dialog.get", DIALOG_ID=f"chat{chat}")
                    for call in (users.one, users.two))
    assert mine["message_count"] == theirs["message_count"] == 5
    # The greeting and banner raise no counter; the invitation and the owner's two do.
    invitation = _history(users, chat)[2]["id"]
    assert (mine["counter"], theirs["counter"], theirs["unread_id"]) == (0, 3, invitation)
    assert mine["last_id"] == mine["last_message_id"]  # the owner has read it all


def test_the_newest_message_of_a_new_chat_is_the_servers(users: Users) -> None:
    chat = users.one("im.chat.add", USERS=[2])
    newest = users.one("im.dialog.messages.get", DIALOG_ID=f"chat{chat}")["messages"][0]
    assert (newest["author_id"], newest["params"]) == (0, JOINED)
    assert users.one("im.dialog.messages.get", DIALOG_ID=f"chat{chat}")["users"] == []


def test_a_chat_bound_to_an_entity_is_not_greeted(users: Users) -> None:
    chat = users.one("im.chat.add", USERS=[2], ENTITY_TYPE="CRM", ENTITY_ID="DEAL|7")
    assert _said(_history(users, chat)) == [
        (0, "[USER=1][/USER] invited [USER=2][/USER] to chat.", JOINED)]


def test_members_coming_and_going_are_announced(users: Users) -> None:
    chat = users.one("im.chat.add", USERS=[2])
    start = len(_history(users, chat))
    assert users.one("im.chat.user.add", CHAT_ID=chat, USERS=[3, 4]) is True
    # Naming only members already in answers true and posts nothing (CIMChat::AddUser).
    assert users.one("im.chat.user.add", CHAT_ID=chat, USERS=[2, 3]) is True
    assert users.one("im.chat.user.delete", CHAT_ID=chat, USER_ID=4) is True
    assert users.two("im.chat.leave", CHAT_ID=chat) is True
    assert _said(_history(users, chat)[start:]) == [
        (0, "[USER=1][/USER] invited [USER=3][/USER], [USER=4][/USER] to chat.", JOINED),
        (0, "[USER=1][/USER] removed [USER=4][/USER] from the chat.", LEFT),
        (0, "[USER=2][/USER] left the chat.", LEFT),
    ]
    assert users.one("im.chat.user.list", CHAT_ID=chat) == [1, 3]


def test_a_newcomer_without_history_sees_their_invitation(users: Users) -> None:
    chat = users.one("im.chat.add", TITLE="Hidden")
    users.one("im.message.add", DIALOG_ID=f"chat{chat}", MESSAGE="Before")
    users.one("im.chat.user.add", CHAT_ID=chat, USERS=[2], HIDE_HISTORY="Y")
    seen = _history(users, chat, as_two=True)
    assert _said(seen) == [(0, "[USER=1][/USER] invited [USER=2][/USER] to chat.", JOINED)]
    assert users.two("im.dialog.get", DIALOG_ID=f"chat{chat}")["message_count"] == 1


def test_a_new_title_colour_and_picture_are_announced(users: Users) -> None:
    chat = users.one("im.chat.add", USERS=[2], COLOR="RED")
    start = len(_history(users, chat))
    users.one("im.chat.updateTitle", CHAT_ID=chat, TITLE="Renamed")
    users.one("im.chat.updateTitle", CHAT_ID=chat, TITLE="Renamed")  # the same: nothing
    users.one("im.chat.updateColor", CHAT_ID=chat, COLOR="LIGHT_BLUE")
    users.one("im.chat.updateAvatar", CHAT_ID=chat, AVATAR=GIF)
    assert _said(_history(users, chat)[start:]) == [
        (0, 'Alex Morgan changed chat name to "Renamed".', []),
        (0, 'Alex Morgan changed chat color to "Sky blue".', []),
        (0, "Alex Morgan changed the chat icon", []),
    ]


def test_system_messages_have_the_recorded_shape(users: Users) -> None:
    # GetChatMessagesList_wh.json is OPI's chat4: made with user 10, who then wrote in it.
    chat = users.one("im.chat.add", USERS=[2])
    users.two("im.message.add", DIALOG_ID=f"chat{chat}", MESSAGE="Test message")
    reply = httpx.post(f"{users.portal.webhook_url}/im.dialog.messages.get",
                       json={"DIALOG_ID": f"chat{chat}"}).json()
    assert [m["author_id"] for m in reply["result"]["messages"]] == [2, 0, 0, 0]
    assert_shape(reply, "GetChatMessagesList_wh")


def test_default_titles_name_the_colour(users: Users) -> None:
    # Automatic colours are among the first ten (Color::getCodeByNumber); GRAPHITE is not.
    first = users.one("im.chat.add", COLOR="GRAPHITE")
    second = users.one("im.chat.add", COLOR="GRAPHITE")
    titles = [users.one("im.dialog.get", DIALOG_ID=f"chat{c}")["name"] for c in (first, second)]
    assert titles == ["Graphite Chat #1", "Graphite Chat #2"]


def test_a_private_dialog_has_no_system_messages(users: Users) -> None:
    users.one("im.message.add", DIALOG_ID="5", MESSAGE="Hi five")
    messages = users.one("im.dialog.messages.get", DIALOG_ID="5")["messages"]
    assert _said(messages) == [(1, "Hi five", [])]


# -- point 3: im.chat.get ---------------------------------------------------------------------


def test_im_chat_get_finds_a_chat_by_its_entity(users: Users) -> None:
    # The README's example: a chat bound to a CRM deal.
    chat = users.one("im.chat.add", TITLE="Deal 42", USERS=[2], ENTITY_TYPE="CRM",
                     ENTITY_ID="DEAL|42")
    assert users.one("im.chat.get", ENTITY_TYPE="CRM", ENTITY_ID="DEAL|42") == {"ID": chat}
    for missing in ({"ENTITY_TYPE": "CRM", "ENTITY_ID": "DEAL|43"}, {"ENTITY_TYPE": "CRM"},
                    {"ENTITY_TYPE": "CRM", "ENTITY_ID": "0"}, {}):
        assert users.one("im.chat.get", **missing) is None


def test_im_chat_get_with_a_dialog_answers_as_im_dialog_get(users: Users) -> None:
    chat = users.one("im.chat.add", USERS=[2])
    got = users.one("im.chat.get", DIALOG_ID=f"chat{chat}")
    assert got == users.one("im.dialog.get", DIALOG_ID=f"chat{chat}")
    base = users.portal.webhook_url
    empty = httpx.post(f"{base}/im.chat.get", json={"DIALOG_ID": "chat"})
    assert (empty.status_code, empty.json()["error"]) == (400, "DIALOG_ID_EMPTY")
    mine = users.one("im.chat.add", TITLE="Not for two")
    denied = httpx.post(f"{users.two_url}/im.chat.get", json={"DIALOG_ID": f"chat{mine}"})
    assert denied.status_code == 403
    assert denied.json() == {"error": "ACCESS_ERROR",
                             "error_description": "You do not have access to the specified dialog"}


# -- point 4: absolute URLs that serve pictures -----------------------------------------------


def test_avatar_hr_is_the_portals_blank_image(users: Users) -> None:
    [user] = users.one("im.user.list.get", ID=[1], RESULT_TYPE="array")
    recorded_user = recorded("GetUsers")["result"]["10"]
    assert recorded_user["avatar"] == "" and recorded_user["avatar_hr"].endswith(
        "/bitrix/js/im/images/blank.gif")
    assert user["avatar"] == ""
    assert user["avatar_hr"] == f"{users.portal.base_url}/bitrix/js/im/images/blank.gif"
    image = httpx.get(user["avatar_hr"])
    assert image.headers["content-type"] == "image/gif" and image.content.startswith(b"GIF8")


def test_a_chat_picture_has_an_absolute_url_that_serves_it(users: Users) -> None:
    chat = users.one("im.chat.add", USERS=[2])
    assert users.one("im.dialog.get", DIALOG_ID=f"chat{chat}")["avatar"] == ""
    users.one("im.chat.updateAvatar", CHAT_ID=chat, AVATAR=GIF)
    url = users.one("im.dialog.get", DIALOG_ID=f"chat{chat}")["avatar"]
    assert url.startswith(f"{users.portal.base_url}/")
    picture = httpx.get(url)
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/gif"
    assert picture.content.startswith(b"GIF89a")


# -- point 6: private dialogs -----------------------------------------------------------------


def test_a_private_dialog_as_recorded(users: Users) -> None:
    # GetDialog.json: user 1 asks for the dialog with user 10.
    users.one("im.message.add", DIALOG_ID="10", MESSAGE="Hello ten")
    reply = httpx.post(f"{users.portal.webhook_url}/im.dialog.get",
                       json={"DIALOG_ID": "10"}).json()
    assert_shape(reply, "GetDialog")
    dialog, real = reply["result"], recorded("GetDialog")["result"]
    for key in ("description", "manager_list", "color", "type", "message_type", "user_counter",
                "name", "avatar"):
        assert dialog[key] == real[key], key
    # Seen from the other side, the colour is the other partner's: user 1's red.
    assert users.one("im.user.list.get", ID=[1])["1"]["color"] == "#df532d"


# -- point 7: DeleteNotification --------------------------------------------------------------


def test_a_notification_sent_to_oneself_is_not_deleted(users: Users) -> None:
    sent = users.one("im.notify.personal.add", USER_ID=1, MESSAGE="Note to self")
    assert recorded("DeleteNotification")["result"] is False
    assert recorded("DeleteNotification_wh")["result"] is False
    assert users.one("im.notify.delete", ID=sent) is False
    from_two = users.two("im.notify.personal.add", USER_ID=1, MESSAGE="From two")
    assert users.one("im.notify.delete", ID=from_two) is True
    system = users.one("im.notify.system.add", USER_ID=1, MESSAGE="From the system")
    assert users.one("im.notify.delete", ID=system) is True
