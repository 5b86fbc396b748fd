"""Issue 9, points 10 and 11: every call ends by its deadline however slowly the reply
comes, and a reply too large or too odd to read is an oint error, never a crash."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from loopback import Seen, send, send_json, serving, trickle
from oint.bitrix24 import (
    AsyncClient,
    Client,
    DeadlineError,
    Limits,
    OutcomeUnknownError,
    ReplyTooLargeError,
    Retry,
    ServerError,
    TransportError,
)

ENVELOPE = json.dumps({"result": "x" * 40, "time": {}}).encode()


def _trickling(head_too: bool = False) -> Callable[[BaseHTTPRequestHandler, Seen], None]:
    return lambda handler, seen: trickle(handler, ENVELOPE, 0.1, headers_too=head_too)


def _timed(action: Callable[[], Any]) -> tuple[Exception, float]:
    started = time.monotonic()
    with pytest.raises(TransportError) as caught:
        action()
    return caught.value, time.monotonic() - started


# 10. A total deadline per attempt and per call.

@pytest.mark.parametrize("head_too", [False, True])
def test_an_attempt_ends_at_its_timeout_however_slowly_the_reply_trickles(
    head_too: bool,
) -> None:
    # The reply takes about 7 s at a byte every 0.1 s; each read alone is quick.
    with serving(_trickling(head_too)) as server, \
            Client(server.url + "/rest/1/code", timeout=1.0, retry=None) as b24:
        error, took = _timed(lambda: b24.call("server.time", reads=True))
    assert 0.9 < took < 2.0
    assert "no complete reply within 1 s" in str(error) and "code" not in str(error)


def test_the_async_client_ends_the_attempt_too() -> None:
    async def call(url: str) -> None:
        async with AsyncClient(url + "/rest/1/code", timeout=1.0, retry=None) as b24:
            await b24.call("server.time", reads=True)

    with serving(_trickling()) as server:
        error, took = _timed(lambda: asyncio.run(call(server.url)))
    assert 0.9 < took < 2.0 and "within 1 s" in str(error)


def test_retries_stop_at_the_calls_deadline() -> None:
    retry = Retry(attempts=10, network_attempts=10, backoff=0.1, jitter=0)
    with serving(_trickling()) as server, \
            Client(server.url + "/rest/1/code", timeout=1.0, deadline=2.5, retry=retry) as b24:
        error, took = _timed(lambda: b24.call("server.time", reads=True))
        attempts = len(server.seen)
    assert took < 3.0 and attempts in (2, 3)  # 10 attempts would take 10 s
    assert isinstance(error, TransportError)


def test_a_write_cut_by_the_deadline_is_outcome_unknown() -> None:
    with serving(_trickling()) as server, \
            Client(server.url + "/rest/1/code", timeout=5.0, deadline=1.0) as b24:
        error, took = _timed(lambda: b24.call("im.message.add", {"MESSAGE": "slow"}))
    assert isinstance(error, OutcomeUnknownError) and took < 1.8
    assert "the call's deadline of 1 s passed" in str(error) and "may have run" in str(error)
    assert len(server.seen) == 1


def test_a_wait_that_would_pass_the_deadline_sends_nothing() -> None:
    with serving(lambda h, s: send_json(h, {"result": 1, "time": {}})) as server, \
            Client(server.url + "/rest/1/code", deadline=2.0,
                   limits=Limits(drain=0.1, burst=1)) as b24:
        assert b24.call("server.time").result == 1
        error, took = _timed(lambda: b24.call("server.time"))
    assert isinstance(error, DeadlineError) and took < 0.5
    assert "waiting" in str(error) and "deadline (2 s)" in str(error)
    assert len(server.seen) == 1


def test_defaults_are_finite() -> None:
    with Client("http://127.0.0.1:9/rest/1/code") as b24:
        assert (b24.timeout, b24.deadline, b24.max_reply_bytes) == (60.0, 600.0, 64 * 2**20)


# 11. A cap on the size of a reply; odd replies are oint errors.

def _big(length_known: bool) -> Callable[[BaseHTTPRequestHandler, Seen], None]:
    body = b'{"result": "' + b"y" * 3_000_000 + b'", "time": {}}'

    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        if length_known:
            send(handler, 200, body)
            return
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for start in range(0, len(body), 65536):
            part = body[start:start + 65536]
            handler.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        handler.wfile.write(b"0\r\n\r\n")

    return respond


@pytest.mark.parametrize("length_known", [True, False])
def test_a_reply_over_the_cap_is_refused_and_never_held_whole(length_known: bool) -> None:
    with serving(_big(length_known)) as server, \
            Client(server.url + "/rest/1/code", max_reply_bytes=1_000_000) as b24:
        with pytest.raises(ReplyTooLargeError) as read:
            b24.call("server.time", reads=True)
        assert len(server.seen) == 1  # the same reply would come again: not retried
        with pytest.raises(OutcomeUnknownError) as written:
            b24.call("im.message.add", {"MESSAGE": "x"})
        assert len(server.seen) == 2
    assert "larger than 1000000 bytes (max_reply_bytes)" in str(read.value)
    assert "may have run" in str(written.value) and "code" not in str(written.value)
    with serving(_big(length_known)) as server, Client(server.url + "/rest/1/code") as b24:
        assert len(b24.call("server.time", reads=True).result) == 3_000_000  # the default


def test_the_cli_says_a_reply_was_too_large(cli: Any) -> None:
    def huge(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(100 * 2**20))  # announced, never sent
        handler.end_headers()

    with serving(huge) as server:
        done = cli("bitrix24", "ServerTime", "--url", server.url + "/rest/1/code")
    assert done.code == 4 and done.stdout == ""
    assert f"is larger than {64 * 2**20} bytes (max_reply_bytes)" in done.stderr


DEEP = b'{"result": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


@pytest.mark.parametrize(("body", "status"), [
    (DEEP, 200), (b"<html>oops</html>", 200), (b"", 200), (b"[1, 2]", 200),
    (b"<html>Bad gateway</html>", 502),
])
def test_an_unreadable_reply_is_an_oint_error_and_outcome_unknown_for_a_write(
    body: bytes, status: int,
) -> None:
    with serving(lambda h, s: send(h, status, body)) as server, \
            Client(server.url + "/rest/1/code", retry=None) as b24:
        with pytest.raises(ServerError) as read:
            b24.call("server.time", reads=True)
        with pytest.raises(OutcomeUnknownError) as written:
            b24.call("im.message.add", {"MESSAGE": "x"})
    assert read.value.code == "ERROR_UNEXPECTED_ANSWER"
    assert f"HTTP {status}" in str(written.value) and "may have run" in str(written.value)


def test_a_count_that_is_not_a_number_is_an_oint_error(cli: Any) -> None:
    def page(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        send_json(handler, {"result": [{"ID": "1"}], "total": "abc", "next": 50, "time": {}})

    with serving(page) as server:
        url = server.url + "/rest/1/code"
        with Client(url) as b24:
            with pytest.raises(ServerError, match="total is not a number: 'abc'"):
                list(b24.iter_list("crm.lead.list"))
            assert b24.call("crm.lead.list", reads=True)["total"] == "abc"  # kept as sent
        done = cli("bitrix24", "GetLeadsList", "--url", url, "--all")
    assert done.code == 3 and "total is not a number" in done.stderr
    assert "Traceback" not in done.stderr
