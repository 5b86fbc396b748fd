"""Issue 9, points 12 to 16: the emulator under hostile input.

Every hostile request goes to a real emulator process over HTTP, and each test checks the
reply (the JSON error the server gives, or the success it gives when PHP's rules make the
input harmless) and then that the same kept-alive connection still answers a good request.

Expected errors come from the protocol reference (``shared/reference/bitrix24-protocol.md``)
and, where it is silent, from the server's public source: ``rest_util.php``
``getRequestData`` (an unreadable JSON body is no parameters), PHP's
``max_input_nesting_level`` (64), ``Main\\Web\\Json`` (depth 512; its errors become
``ArgumentException`` "JSON error: <json_last_error_msg> [<code>]", argument ``data``) and
``RestException::initFromException`` (that is 400 ``ERROR_ARGUMENT``; a database error is 500
``ERROR_CORE`` "SQL query error!").
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from oint.emulator.admin import loopback
from oint.emulator.params import php_nest
from oint.emulator.process import EmulatorProcess, launch

FORM = {"content-type": "application/x-www-form-urlencoded"}
JSON = {"content-type": "application/json"}
MESSAGE_EMPTY = (400, "MESSAGE_EMPTY", "Message can't be empty")
CHAT_ID_EMPTY = (400, "CHAT_ID_EMPTY", "Chat ID can't be empty")
TOO_DEEP = (400, "ERROR_ARGUMENT", "JSON error: Maximum stack depth exceeded [1]")
LEADS = 60


@pytest.fixture(scope="module")
def hostile() -> Iterator[EmulatorProcess]:
    with launch(["--max-body", "4M", "--body-timeout", "1", "--seed-leads", str(LEADS)]
                ) as running:
        yield running


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=60, limits=httpx.Limits(max_connections=1)) as opened:
        yield opened


def _local_port(response: httpx.Response) -> int:
    port: int = response.extensions["network_stream"].get_extra_info("client_addr")[1]
    return port


def _still_usable(client: httpx.Client, portal: EmulatorProcess, after: httpx.Response) -> None:
    good = client.post(f"{portal.webhook_url}/server.time")
    assert good.status_code == 200 and isinstance(good.json()["result"], str)
    assert _local_port(good) == _local_port(after), "the connection was closed"


def _expect_error(client: httpx.Client, portal: EmulatorProcess, response: httpx.Response,
                  expected: tuple[int, str, str]) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert (response.status_code, body["error"], body["error_description"]) == expected, body
    _still_usable(client, portal, response)
    return body


def _deep(levels: int, inner: str = "") -> str:
    return "[" * levels + inner + "]" * levels


# 12. No input becomes a plain-text 500 or closes the connection.

def test_a_json_body_with_a_lone_surrogate_is_no_parameters(
    hostile: EmulatorProcess, client: httpx.Client,
) -> None:
    # json_decode refuses a lone UTF-16 surrogate; Json::decode's error leaves no parameters.
    for escape in ("\\ud800", "\\udfff"):
        body = f'{{"DIALOG_ID":"1","MESSAGE":"hi {escape}"}}'.encode()
        response = client.post(f"{hostile.webhook_url}/im.message.add", content=body,
                               headers=JSON)
        _expect_error(client, hostile, response, MESSAGE_EMPTY)
    paired = b'{"DIALOG_ID":"1","MESSAGE":"hi \\ud83d\\ude00"}'
    sent = client.post(f"{hostile.webhook_url}/im.message.add", content=paired, headers=JSON)
    assert sent.status_code == 200 and sent.json()["result"] > 0


@pytest.mark.parametrize(("method", "body", "headers", "expected"), [
    # intval of text saturates at PHP_INT_MAX: no such chat, and "an empty array means no
    # access" (reference, im.chat.user.list).
    ("im.chat.user.list", b"CHAT_ID=18446744073709551616", FORM, (200, [])),
    # json_decode makes a float of both; (int) of it is 0 (out of range wraps modulo 2**64).
    ("im.chat.user.list", b'{"CHAT_ID":18446744073709551616}', JSON, CHAT_ID_EMPTY),
    ("im.chat.user.list", b'{"CHAT_ID":1e308}', JSON, CHAT_ID_EMPTY),
    ("im.chat.user.list", b'{"CHAT_ID":1e999}', JSON, CHAT_ID_EMPTY),
    ("im.message.add", b'{"DIALOG_ID":"18446744073709551616","MESSAGE":"x"}', JSON,
     (400, "USER_NOT_FOUND", "User not found")),
    ("im.dialog.get", b'{"DIALOG_ID":"chat' + b"9" * 5000 + b'"}', JSON,
     (403, "ACCESS_ERROR", "You do not have access to the specified dialog")),
    ("crm.lead.get", b'{"id":1e308}', JSON, (400, "", "ID is not defined or invalid.")),
])
def test_ids_too_large_for_64_bits(
    hostile: EmulatorProcess, client: httpx.Client, method: str, body: bytes,
    headers: dict[str, str], expected: tuple[Any, ...],
) -> None:
    response = client.post(f"{hostile.webhook_url}/{method}", content=body, headers=headers)
    if expected[0] == 200:
        assert response.status_code == 200 and response.json()["result"] == expected[1]
        _still_usable(client, hostile, response)
    else:
        _expect_error(client, hostile, response, expected)


def test_a_bracket_key_nested_past_64_levels_is_dropped_as_php_drops_it(
    hostile: EmulatorProcess, client: httpx.Client,
) -> None:
    url = f"{hostile.webhook_url}/im.message.add"
    # 64 levels are an array (not text); 65, or 10,000, drop MESSAGE entirely.
    kept = client.post(url, content=b"DIALOG_ID=1&MESSAGE" + b"[a]" * 64 + b"=x", headers=FORM)
    _expect_error(client, hostile, kept, (400, "MESSAGE_EMPTY", "Wrong message type"))
    for levels in (65, 10_000):
        dropped = client.post(
            url, content=b"DIALOG_ID=1&MESSAGE=x&MESSAGE" + b"[a]" * levels + b"=y",
            headers=FORM)
        _expect_error(client, hostile, dropped, MESSAGE_EMPTY)


def test_json_nested_past_512_levels_is_no_parameters(
    hostile: EmulatorProcess, client: httpx.Client,
) -> None:
    url = f"{hostile.webhook_url}/im.message.add"

    def body(levels: int) -> bytes:  # the object itself is one level
        return f'{{"DIALOG_ID":"1","MESSAGE":"deep","X":{_deep(levels - 1)}}}'.encode()

    sent = client.post(url, content=body(512), headers=JSON)
    assert sent.status_code == 200 and sent.json()["result"] > 0
    for levels in (513, 100_000):
        refused = client.post(url, content=body(levels), headers=JSON)
        _expect_error(client, hostile, refused, MESSAGE_EMPTY)


def _lead_total(client: httpx.Client, portal: EmulatorProcess, filter_: Any) -> int:
    response = client.post(f"{portal.webhook_url}/crm.lead.list",
                           json={"filter": filter_, "select": ["ID"]})
    assert response.status_code == 200, response.text
    _still_usable(client, portal, response)
    total: int = response.json()["total"]
    return total


def test_filters_with_thousands_of_values_or_keys(
    hostile: EmulatorProcess, client: httpx.Client,
) -> None:
    # Past SQLite's 1000-level expression limit; each filter means what a short one means.
    assert _lead_total(client, hostile, {">ID": list(range(5000, 0, -1))}) == LEADS - 1
    title = client.post(f"{hostile.webhook_url}/crm.lead.get",
                        json={"id": 1}).json()["result"]["TITLE"]
    one = _lead_total(client, hostile, {"%TITLE": [title]})
    assert one >= 1
    assert _lead_total(client, hostile, {"%TITLE": ["no such title"] * 4999 + [title]}) == one
    assert _lead_total(client, hostile, {"!%TITLE": ["no such title"] * 5000}) == LEADS
    # 1,500 distinct keys for one field ("!=" and the name, padded, as the server trims it).
    keys = {f"!={' ' * before}ID{' ' * after}": -before for before in range(40)
            for after in range(40)}
    assert len(keys) >= 1500
    assert _lead_total(client, hostile, keys) == LEADS


def test_a_deep_batch_command_fails_alone(
    hostile: EmulatorProcess, client: httpx.Client,
) -> None:
    deep = "im.message.add?DIALOG_ID=1&MESSAGE=x&MESSAGE" + "[a]" * 10_000 + "=y"
    response = client.post(f"{hostile.webhook_url}/batch",
                           json={"cmd": {"deep": deep, "time": "server.time"}})
    assert response.status_code == 200
    batch = response.json()["result"]
    assert batch["result_error"]["deep"] == {"error": "MESSAGE_EMPTY",
                                             "error_description": "Message can't be empty"}
    assert isinstance(batch["result"]["time"], str)
    _still_usable(client, hostile, response)


def test_a_webhook_user_of_5000_digits_is_invalid_credentials(
    hostile: EmulatorProcess, client: httpx.Client,
) -> None:
    url = f"{hostile.base_url}/rest/{'9' * 5000}/{hostile.webhook_code}/server.time"
    _expect_error(client, hostile, client.post(url),
                  (401, "INVALID_CREDENTIALS", "Invalid request credentials"))


def test_anything_else_is_a_json_error_and_the_connection_stays(
    hostile: EmulatorProcess, client: httpx.Client,
) -> None:
    # More values than SQLite binds (999 to 250,000 by build) fail in the database: the
    # server's answer to a failed query, from the last-resort handler.
    response = client.post(f"{hostile.webhook_url}/crm.lead.list",
                           json={"filter": {"@ID": list(range(300_000))}})
    _expect_error(client, hostile, response, (500, "ERROR_CORE", "SQL query error!"))
    log = hostile.log()
    assert "unexpected OperationalError on crm.lead.list" in log
    assert hostile.webhook_code not in log


# 13. What the server could not write back is refused, so every chat stays readable.

def _messages(client: httpx.Client, portal: EmulatorProcess) -> list[dict[str, Any]]:
    response = client.post(f"{portal.webhook_url}/im.dialog.messages.get",
                           json={"DIALOG_ID": "1", "LIMIT": 50})
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["result"]["messages"]
    return messages


def test_an_attach_nested_900_deep_is_refused_and_the_chat_stays_readable(
    hostile: EmulatorProcess, client: httpx.Client,
) -> None:
    url = f"{hostile.webhook_url}/im.message.add"
    # As text (CUtil::JsObjectToPhp), since a JSON body that deep is unreadable as a whole.
    attach = f'[{{"MESSAGE":"x","DESC":{_deep(900, "1")}}}]'
    refused = client.post(url, json={"DIALOG_ID": "1", "MESSAGE": "m", "ATTACH": attach})
    body = _expect_error(client, hostile, refused, TOO_DEEP)
    assert body["argument"] == "data"
    # At the limit: the message is kept, and read back whole.
    levels = 508  # + the attach list, the attach, BLOCKS and the block: 512
    kept = client.post(url, content=(
        '{"DIALOG_ID":"1","MESSAGE":"at the limit","ATTACH":'
        f'[{{"MESSAGE":"x","DESC":{_deep(levels, "1")}}}]}}').encode(), headers=JSON)
    assert kept.status_code == 200, kept.text
    message = next(m for m in _messages(client, hostile) if m["id"] == kept.json()["result"])
    desc = message["params"]["ATTACH"][0]["BLOCKS"][0]["DESC"]
    assert json.dumps(desc, separators=(",", ":")) == _deep(levels, "1")
    _still_usable(client, hostile, kept)


@pytest.mark.parametrize(("value", "expected"), [
    ('[{"MESSAGE":"x","DESC":1e999}]',
     (400, "ERROR_ARGUMENT", "JSON error: Inf and NaN cannot be JSON encoded [7]")),
    ('[{"MESSAGE":"\\ud800"}]', (400, "ERROR_ARGUMENT",
                                 "JSON error: Malformed UTF-8 characters, possibly incorrectly "
                                 "encoded [5]")),
    (json.dumps([{"MESSAGE": "y" * 59_990}]),
     (400, "ATTACH_OVERSIZE", "You have exceeded the maximum allowable size of attach")),
])
def test_an_attach_the_server_cannot_write_is_refused(
    hostile: EmulatorProcess, client: httpx.Client, value: str, expected: tuple[int, str, str],
) -> None:
    before = len(_messages(client, hostile))
    refused = client.post(f"{hostile.webhook_url}/im.message.add",
                          json={"DIALOG_ID": "1", "MESSAGE": "m", "ATTACH": value})
    _expect_error(client, hostile, refused, expected)
    assert len(_messages(client, hostile)) == before


# 14. Linear parameter reading, and no request holds up the others.

def test_parsing_bracket_arrays_is_linear() -> None:
    pairs = [("USERS[]", str(i)) for i in range(200_000)]
    started = time.perf_counter()
    users = php_nest(pairs)["USERS"]
    assert time.perf_counter() - started < 5  # quadratic, this was about 10 minutes
    assert users[:3] == ["0", "1", "2"] and len(users) == 200_000
    assert php_nest([("a[5]", "x"), ("a[]", "y"), ("a[2]", "z"), ("a[]", "w")])["a"] == {
        "5": "x", "6": "y", "2": "z", "7": "w"}  # PHP appends after the largest key


def test_20000_users_in_one_request_do_not_stall_other_clients(
    hostile: EmulatorProcess,
) -> None:
    body = "TITLE=crowd&" + "&".join(f"USERS[]={i}" for i in range(1, 20_001))
    worst = [0.0]
    done = threading.Event()

    def other_client() -> None:
        with httpx.Client(timeout=60) as other:
            while not done.is_set():
                started = time.perf_counter()
                assert other.post(f"{hostile.webhook_url}/server.time").status_code == 200
                worst[0] = max(worst[0], time.perf_counter() - started)
                time.sleep(0.02)

    watcher = threading.Thread(target=other_client)
    watcher.start()
    try:
        time.sleep(0.2)
        with httpx.Client(timeout=60) as heavy:
            response = heavy.post(f"{hostile.webhook_url}/im.chat.add", content=body,
                                  headers=FORM)
        time.sleep(0.2)
    finally:
        done.set()
        watcher.join()
    assert response.status_code == 200 and response.json()["result"] > 0
    assert worst[0] < 2.0  # 7.7 s before parsing was linear and moved off the event loop


# 15. A body too large, or one that never ends.

def test_a_body_over_the_cap_is_refused_413_and_the_connection_stays(
    hostile: EmulatorProcess, client: httpx.Client,
) -> None:
    url = f"{hostile.webhook_url}/im.chat.add"
    refused = client.post(url, content=b"TITLE=" + b"x" * (5 << 20), headers=FORM)
    body = _expect_error(client, hostile, refused, (
        413, "REQUEST_ENTITY_TOO_LARGE",
        "Request Entity Too Large: the request's body is over 4194304 bytes "
        "(oint emulator --max-body)"))
    assert body.keys() == {"error", "error_description"}
    at_the_cap = client.post(url, content=b"TITLE=" + b"x" * ((4 << 20) - 6), headers=FORM)
    assert at_the_cap.status_code == 200


def test_a_body_that_never_ends_is_answered_408_in_time_and_closed(
    hostile: EmulatorProcess,
) -> None:
    host, port = hostile.base_url.removeprefix("http://").rsplit(":", 1)
    path = f"/rest/1/{hostile.webhook_code}/server.time"
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json"
                     f"\r\nContent-Length: 100\r\n\r\n{{\"half\":".encode())
        started = time.monotonic()
        received = b""
        while chunk := sock.recv(65536):  # until the emulator closes the connection
            received += chunk
        took = time.monotonic() - started
    head, _, payload = received.decode().partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 408") and "connection: close" in head.lower()
    assert json.loads(payload) == {
        "error": "REQUEST_TIMEOUT",
        "error_description": "Request Time-out: the request's body did not arrive whole "
                             "within 1 s (oint emulator --body-timeout)"}
    assert 0.8 < took < 5


@pytest.mark.parametrize(("option", "value"), [
    ("--max-body", "0"), ("--max-body", "lots"), ("--max-body", "-5M"),
    ("--body-timeout", "0"), ("--body-timeout", "-1"), ("--body-timeout", "nan"),
])
def test_bad_body_limits_are_one_line_and_exit_2(option: str, value: str) -> None:
    done = subprocess.run([sys.executable, "-m", "oint", "emulator", "--port", "0",
                           f"{option}={value}"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith(f"oint emulator: {option}") and done.stderr.count("\n") == 1


# 16. The admin API and dual-stack loopback.

@pytest.mark.parametrize(("host", "answered"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("::ffff:127.0.0.1", True),
    ("::ffff:127.1.2.3", True), ("localhost", True),
    ("10.0.0.1", False), ("::ffff:10.0.0.1", False), ("::ffff:192.168.1.5", False),
    ("::", False), ("0.0.0.0", False), ("fe80::1%eth0", False), ("2001:db8::1", False),
    ("", False), ("not an address", False),
])
def test_loopback_callers_are_the_only_admins(host: str, answered: bool) -> None:
    assert loopback(host) is answered


def _dual_stack() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _dual_stack(), reason="no IPv6 on this machine")
def test_the_admin_api_answers_ipv4_loopback_on_a_dual_stack_host() -> None:
    with launch(["--host", "::"]) as portal:
        port = portal.base_url.rsplit(":", 1)[1]
        for base in (f"http://127.0.0.1:{port}", f"http://[::1]:{port}"):
            stats = httpx.get(f"{base}/_oint/stats", timeout=10)
            assert stats.status_code == 200 and stats.json()["requests"] >= 0
            reply = httpx.post(f"{base}/rest/1/{portal.webhook_code}/server.time", timeout=10)
            assert reply.status_code == 200
