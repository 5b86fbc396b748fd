"""Client.batch and AsyncClient.batch against the emulator over HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

from clients import BucketlessAsyncClient, BucketlessClient
from oint.bitrix24 import (
    InvalidArgumentError,
    NotFoundError,
    Response,
    calls,
)
from oint.emulator.process import EmulatorProcess


def test_many_calls_come_back_in_order(portal: EmulatorProcess) -> None:
    with BucketlessClient(portal.webhook_url) as b24:
        outcomes = b24.batch(
            calls.create_chat({"TITLE": f"batch {i}", "USERS": [2]}) for i in range(120)
        )
        assert len(outcomes) == 120
        ids = [o.result for o in outcomes if isinstance(o, Response)]
        assert len(set(ids)) == 120
        # Calls of one batch run in order; batches in flight together may run in any order.
        assert all(ids[i:i + 50] == sorted(ids[i:i + 50]) for i in (0, 50, 100))
        in_order = b24.batch([calls.create_chat({"TITLE": "o"})] * 60, window=1)
        ordered = [o.result for o in in_order if isinstance(o, Response)]
        assert ordered == sorted(ordered)
        members = b24.batch([calls.get_chat_users(ids[0]), ("im.chat.user.list",
                                                            {"CHAT_ID": ids[-1]})])
        assert [m.result for m in members if isinstance(m, Response)] == [[1, 2], [1, 2]]


def test_references_pass_results_between_calls(portal: EmulatorProcess) -> None:
    with BucketlessClient(portal.base_url, portal.token) as b24:
        named: dict[str, Any] = {
            "chat": calls.create_chat({"TITLE": "ref", "USERS": [3, 4]}),
            "users": ("im.chat.user.list", {"CHAT_ID": "$result[chat]"}),
        }
        chat, users = b24.batch(named)
        assert isinstance(chat, Response) and isinstance(users, Response)
        assert users.result == [1, 3, 4]
        assert isinstance(users.time.get("duration"), float)


def test_errors_come_back_per_call_and_halt_stops(portal: EmulatorProcess) -> None:
    with BucketlessClient(portal.webhook_url) as b24:
        mixed = [("no.such.method", {}), calls.get_chat_users(0), ("batch", {}),
                 calls.server_time()]
        missing, empty, nested, ok = b24.batch(mixed)
        assert isinstance(missing, NotFoundError) and missing.code == "ERROR_METHOD_NOT_FOUND"
        assert isinstance(empty, InvalidArgumentError) and empty.code == "CHAT_ID_EMPTY"
        assert isinstance(nested, InvalidArgumentError)
        assert nested.code == "ERROR_BATCH_METHOD_NOT_ALLOWED"
        assert isinstance(ok, Response)
        halted = b24.batch([calls.server_time(), calls.get_chat_users(0), calls.server_time()]
                           + [calls.server_time()] * 60, halt=True)
        assert isinstance(halted[0], Response)
        assert isinstance(halted[1], InvalidArgumentError)
        assert halted[2:] == [None] * 61


def test_batch_length_is_checked_by_the_server(portal: EmulatorProcess) -> None:
    # Sent raw, past our packer: the server answers each call beyond 50 with an error.
    with BucketlessClient(portal.webhook_url) as b24:
        reply = b24.call("batch", {"cmd": {f"k{i}": "server.time" for i in range(52)}})
        assert sorted(reply.result["result_error"]) == ["k50", "k51"]
        assert reply.result["result_error"]["k50"]["error"] == "ERROR_BATCH_LENGTH_EXCEEDED"
        assert reply.result["result_total"] == []


def test_async_batch(portal: EmulatorProcess) -> None:
    async def run() -> list[Any]:
        async with BucketlessAsyncClient(portal.webhook_url) as b24:
            return await b24.batch([calls.create_chat({"TITLE": f"a{i}"}) for i in range(75)])

    outcomes = asyncio.run(run())
    assert len(outcomes) == 75 and all(isinstance(o, Response) for o in outcomes)
