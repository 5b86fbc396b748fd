"""CreateChat, GetChatUsers and ServerTime through the Python API, against the emulator."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from clients import BucketlessAsyncClient, BucketlessClient
from conftest import SEED_CHAT
from oint import bitrix24
from oint.bitrix24 import InvalidArgumentError
from oint.emulator.process import EmulatorProcess
from shapes import assert_shape

TIME_KEYS = {
    "start", "finish", "duration", "processing", "date_start", "date_finish",
    "operating_reset_at", "operating",
}


def test_create_chat_with_a_webhook(portal: EmulatorProcess) -> None:
    reply = bitrix24.create_chat(portal.webhook_url, SEED_CHAT)
    assert isinstance(reply.result, int) and reply.result > 0
    assert set(reply.time) == TIME_KEYS
    assert reply["result"] == reply.result  # reads like OPI's map too
    assert_shape(reply.json(), "CreateChat_wh")
    # The creator joins as a member beside the listed users.
    assert sorted(bitrix24.get_chat_users(portal.webhook_url, reply.result).result) == [1, 10]


def test_create_chat_with_domain_and_token(portal: EmulatorProcess) -> None:
    reply = bitrix24.CreateChat(portal.base_url, SEED_CHAT, portal.token)
    assert_shape(reply.json(), "CreateChat")
    users = bitrix24.get_chat_users(portal.base_url, reply.result, token=portal.token)
    assert_shape(users.json(), "GetChatUsers")
    assert sorted(users.result) == [1, 10]


def test_client_keeps_one_pool_for_many_calls(portal: EmulatorProcess) -> None:
    with BucketlessClient(portal.webhook_url) as b24:
        ids = [b24.create_chat({"TITLE": f"Deal {n}", "USERS": [2]}).result for n in range(5)]
        assert ids == sorted(ids) and len(set(ids)) == 5
        assert b24.get_chat_users(ids[0]).result == [1, 2]


def test_no_parameter_is_required(portal: EmulatorProcess) -> None:
    with BucketlessClient(portal.webhook_url) as b24:
        chat_id = b24.create_chat({}).result
        assert b24.get_chat_users(chat_id).result == [1]


def test_users_may_be_a_json_string_and_unknown_keys_are_ignored(portal: EmulatorProcess) -> None:
    with BucketlessClient(portal.webhook_url) as b24:
        chat_id = b24.create_chat({"USERS": "[3, 4]", "NOT_A_FIELD": "x"}).result
        assert b24.get_chat_users(chat_id).result == [1, 3, 4]


def test_a_non_scalar_member_is_invalid_format(portal: EmulatorProcess) -> None:
    with BucketlessClient(portal.webhook_url) as b24, pytest.raises(InvalidArgumentError) as caught:
        b24.create_chat({"USERS": [[1, 2]]})
    error = caught.value
    assert (error.code, error.status, error.method) == ("INVALID_FORMAT", 400, "im.chat.add")
    assert error.description == "Parameter USERS has wrong type"


def test_chat_users_needs_a_chat_id(portal: EmulatorProcess) -> None:
    with BucketlessClient(portal.webhook_url) as b24, pytest.raises(InvalidArgumentError) as caught:
        b24.call("im.chat.user.list", {})
    assert (caught.value.code, caught.value.description) == (
        "CHAT_ID_EMPTY", "Chat ID can't be empty",
    )


def test_chat_users_of_a_chat_without_access_is_empty(portal: EmulatorProcess) -> None:
    with BucketlessClient(portal.webhook_url) as b24:
        assert b24.get_chat_users(999_999).result == []


def test_server_time(portal: EmulatorProcess) -> None:
    reply = bitrix24.server_time(portal.webhook_url)
    assert_shape(reply.json(), "ServerTime_wh")
    moment = dt.datetime.fromisoformat(reply.result)
    assert moment.tzinfo is not None
    assert abs((moment - dt.datetime.now(dt.timezone.utc)).total_seconds()) < 60


def test_async_client(portal: EmulatorProcess) -> None:
    async def scenario() -> list[int]:
        async with BucketlessAsyncClient(portal.base_url, portal.token) as b24:
            replies = await asyncio.gather(*(b24.create_chat(SEED_CHAT) for _ in range(5)))
            return [r.result for r in replies]

    ids = asyncio.run(scenario())
    assert len(set(ids)) == 5


@pytest.fixture
def picture_server(tmp_path: Path) -> Iterator[tuple[str, bytes]]:
    """A loopback HTTP server with one picture, for inputs given as URLs."""
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
    (tmp_path / "picture.png").write_bytes(data)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(tmp_path), **kwargs)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/picture.png", data
    finally:
        server.shutdown()


def test_avatar_from_a_path_a_url_or_base64(
    portal: EmulatorProcess, picture_server: tuple[str, bytes], tmp_path: Path
) -> None:
    url, data = picture_server
    encoded = base64.b64encode(data).decode()
    path = tmp_path / "avatar.png"
    path.write_bytes(data)
    create = bitrix24.operations.find("CreateChat")
    assert create is not None
    for avatar in (str(path), url, encoded, data):
        assert create.request(fields={"AVATAR": avatar}).params["AVATAR"] == encoded
    with BucketlessClient(portal.webhook_url) as b24:
        assert b24.create_chat({"TITLE": "With avatar", "AVATAR": str(path)}).result > 0
