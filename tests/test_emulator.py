"""The emulator as a Bitrix24 portal, spoken to over raw HTTP (any client could do this)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from oint.emulator import phpjson
from oint.emulator.params import parse_body, php_nest
from oint.emulator.process import EmulatorProcess, launch


def test_unknown_method_is_404_before_auth(portal: EmulatorProcess) -> None:
    for url in (f"{portal.webhook_url}/no.such.method", f"{portal.base_url}/rest/1/bad/x.y"):
        reply = httpx.post(url)
        assert reply.status_code == 404
        assert reply.json() == {"error": "ERROR_METHOD_NOT_FOUND",
                                "error_description": "Method not found!"}


@pytest.mark.parametrize(
    ("path", "params", "code", "text"),
    [
        ("/rest/1/wrongcode/server.time", {}, "INVALID_CREDENTIALS", "Invalid request credentials"),
        ("/rest/server.time", {}, "NO_AUTH_FOUND", "Wrong authorization data"),
        ("/rest/server.time", {"auth": "unknown"}, "invalid_token",
         "Unable to get application by token"),
    ],
)
def test_auth_errors(
    portal: EmulatorProcess, path: str, params: dict[str, str], code: str, text: str
) -> None:
    reply = httpx.post(portal.base_url + path, json=params)
    assert reply.status_code == 401
    assert reply.json() == {"error": code, "error_description": text}  # no time block


def test_success_envelope(portal: EmulatorProcess) -> None:
    reply = httpx.get(f"{portal.webhook_url}/server.time.json")
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/json; charset=utf-8"
    body = reply.json()
    time = body["time"]
    assert time["finish"] >= time["start"]
    assert time["duration"] == pytest.approx(time["finish"] - time["start"])
    assert time["operating_reset_at"] >= int(time["start"])
    assert time["date_start"][:4].isdigit() and time["date_start"][-6] in "+-"


def test_token_in_query_in_body_or_bearer(portal: EmulatorProcess) -> None:
    url = f"{portal.base_url}/rest/server.time"
    assert httpx.get(url, params={"auth": portal.token}).status_code == 200
    assert httpx.post(url, data={"auth": portal.token}).status_code == 200
    assert httpx.post(url, headers={"Authorization": f"Bearer {portal.token}"}).status_code == 200


def _members(portal: EmulatorProcess, chat_id: int) -> list[int]:
    reply = httpx.post(f"{portal.webhook_url}/im.chat.user.list", json={"CHAT_ID": chat_id})
    return sorted(reply.json()["result"])


def test_bodies_json_form_and_php_brackets(portal: EmulatorProcess) -> None:
    hook = portal.webhook_url
    json_chat = httpx.post(f"{hook}/im.chat.add", json={"USERS": [2, 3]}).json()["result"]
    form_chat = httpx.post(f"{hook}/im.chat.add", content="USERS[]=4&USERS[]=5",
                           headers={"content-type": "application/x-www-form-urlencoded"})
    query_chat = httpx.get(f"{hook}/IM.CHAT.ADD.json?users[0]=6&users[1]=7")
    assert _members(portal, json_chat) == [1, 2, 3]
    assert _members(portal, form_chat.json()["result"]) == [1, 4, 5]
    assert _members(portal, query_chat.json()["result"]) == [1, 6, 7]


def test_body_keys_override_query_keys(portal: EmulatorProcess) -> None:
    reply = httpx.post(f"{portal.webhook_url}/im.chat.add?USERS[]=8", json={"USERS": [9]})
    assert _members(portal, reply.json()["result"]) == [1, 9]


def test_invalid_format_for_a_non_scalar_member(portal: EmulatorProcess) -> None:
    reply = httpx.post(f"{portal.webhook_url}/im.chat.add", content="USERS[0][]=1",
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert reply.status_code == 400
    assert reply.json() == {"error": "INVALID_FORMAT",
                            "error_description": "Parameter USERS has wrong type"}


def test_php_style_json() -> None:
    # json_encode with JSON_HEX_TAG|AMP|APOS|QUOT, as Bitrix24 calls it
    text = phpjson.dumps({"t": "a/b<c>&'\"я", "empty": {}, "list": [], "n": 1.5}).decode()
    assert text == (
        '{"t":"a\\/b\\u003Cc\\u003E\\u0026\\u0027\\u0022\\u044f","empty":[],"list":[],"n":1.5}'
    )
    assert json.loads(phpjson.dumps({"x": 'back\\slash"'}))["x"] == 'back\\slash"'


def test_php_bracket_parsing() -> None:
    assert php_nest([("fields[TITLE]", "x"), ("fields[PHONE][0][VALUE]", "1"),
                     ("USERS[]", "1"), ("USERS[]", "2")]) == {
        "fields": {"TITLE": "x", "PHONE": [{"VALUE": "1"}]}, "USERS": ["1", "2"],
    }
    assert parse_body("application/json", b"{not json") == {}


def test_state_survives_a_restart_with_db(tmp_path: Path) -> None:
    db = str(tmp_path / "portal.db")
    with launch(db=db) as first:
        chat_id = httpx.post(f"{first.webhook_url}/im.chat.add",
                             json={"USERS": [11]}).json()["result"]
    with launch(db=db) as second:
        assert _members(second, chat_id) == [1, 11]
        again = httpx.post(f"{second.webhook_url}/im.chat.add", json={}).json()["result"]
        assert again == chat_id + 1


def test_throw_away_credentials_are_printed() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "oint", "emulator", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert process.stdout is not None
        ready = process.stdout.readline().split()
        webhook = process.stdout.readline().split()
        token = process.stdout.readline().split()
        assert ready[0] == "ready" and webhook[0] == "webhook" and token[0] == "token"
        assert httpx.get(f"{webhook[1]}/server.time").status_code == 200
        assert httpx.get(f"{ready[1]}/rest/server.time", params={"auth": token[1]}).is_success
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["--webhook", "abc"], 2, "USER/CODE"),
        (["--port", "70000"], 2, "--port"),
        (["--nope"], 2, "unrecognized arguments"),
    ],
)
def test_emulator_bad_options(args: list[str], code: int, text: str) -> None:
    done = subprocess.run([sys.executable, "-m", "oint", "emulator", *args],
                          capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == code
    assert text in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_port_in_use_is_one_line(portal: EmulatorProcess) -> None:
    port = portal.base_url.rsplit(":", 1)[1]
    done = subprocess.run([sys.executable, "-m", "oint", "emulator", "--port", port],
                          capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 1
    assert "cannot listen" in done.stderr and "Traceback" not in done.stderr
