"""Issue 9, points 1, 2, 4 and 5: credentials go only to the host the caller named, and no
secret reaches a log, a repr, an error or the CLI's output."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from loopback import Seen, send_json, serving
from oint.bitrix24 import (
    ApiRequest,
    Bitrix24Error,
    Client,
    InvalidArgumentError,
    OAuthApp,
    PortalMovedError,
    Response,
)
from oint.emulator.handlers import SCHEMAS
from oint.emulator.process import EmulatorProcess, launch
from oint.emulator.store import Store

EVERY_LOGGER = ("", "httpx", "httpcore", "oint")


def _answer_ok(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
    send_json(handler, {"result": "stranger", "time": {}})


@pytest.fixture
def moved_portal(portal: EmulatorProcess) -> Iterator[EmulatorProcess]:
    try:
        yield portal
    finally:
        portal.admin("DELETE", "faults")


# 1. A redirect to another host takes nothing with it.

def test_a_redirect_to_another_host_gets_nothing_and_says_where(
    moved_portal: EmulatorProcess,
) -> None:
    portal = moved_portal
    with serving(_answer_ok) as stranger:
        portal.set_faults(moved_to=stranger.url)
        with Client(portal.webhook_url) as b24, pytest.raises(PortalMovedError) as moved:
            b24.call("im.message.add", {"DIALOG_ID": "chat1", "MESSAGE": "not for strangers"})
        with Client(portal.base_url, portal.token) as b24, pytest.raises(PortalMovedError):
            b24.server_time()
        assert stranger.seen == []  # neither the code, nor the token, nor the message
    assert moved.value.location == f"{stranger.url}/rest/1/***"
    assert portal.webhook_code not in str(moved.value)
    assert "nothing was sent" in str(moved.value)
    assert b24.endpoint.base.startswith(portal.base_url)  # and the client stays


def test_the_cli_says_the_portal_moved_and_sends_nothing_there(
    moved_portal: EmulatorProcess, cli: Any
) -> None:
    portal = moved_portal
    with serving(_answer_ok) as stranger:
        portal.set_faults(moved_to=stranger.url)
        done = cli("bitrix24", "SendMessage", "--url", portal.webhook_url, "--chat", "chat1",
                   "--text", "not for strangers", "--debug")
        assert stranger.seen == []
    assert done.code == 4
    assert f"moved ({portal.base_url}/rest/1/*** -> {stranger.url}/rest/1/***)" in done.stderr
    assert portal.webhook_code not in done.stdout + done.stderr


def test_a_move_the_caller_opted_into_is_followed_and_said(
    moved_portal: EmulatorProcess, caplog: pytest.LogCaptureFixture
) -> None:
    portal = moved_portal
    port = portal.base_url.rsplit(":", 1)[1]
    debug: list[str] = []
    portal.set_faults(moved_to=f"http://localhost:{port}")
    with caplog.at_level(logging.WARNING, logger="oint"), \
            Client(portal.webhook_url, follow_moves=True, debug=debug.append) as b24:
        assert b24.server_time().result
    said = f"{portal.base_url}/rest/1/*** -> http://localhost:{port}/rest/1/***"
    assert any(said in line for line in debug)
    assert [r.getMessage() for r in caplog.records if r.name == "oint.bitrix24"] == [
        f"oint: the portal moved: {said}; this client now sends there"
    ]


# 2. Nothing oint sends reaches a log in clear.

@pytest.fixture
def every_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    for name in EVERY_LOGGER:
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog


def test_the_http_stack_logs_no_webhook_code_or_token(
    portal: EmulatorProcess, every_log: pytest.LogCaptureFixture
) -> None:
    with Client(portal.webhook_url) as b24:
        b24.server_time()
    with Client(portal.base_url, portal.token) as b24:
        b24.server_time()
    text = "\n".join(r.getMessage() for r in every_log.records)
    assert "HTTP Request: POST" in text  # httpx did log, at INFO
    assert f"{portal.base_url}/rest/1/***/server.time" in text
    assert portal.webhook_code not in text and portal.token not in text


def test_a_token_refresh_sends_its_secrets_in_the_body_and_logs_none(
    every_log: pytest.LogCaptureFixture,
) -> None:
    with launch(["--app", "local.logs.1:log-secret-value", "--token-lifetime", "1"]) as portal:
        grant = portal.admin("POST", "oauth/grants", {"client_id": "local.logs.1"})
        saved: list[Any] = []
        app = OAuthApp("local.logs.1", "log-secret-value", grant["refresh_token"], saved.append,
                       server=portal.base_url)
        portal.admin("POST", "tokens/expire", {})
        with Client(portal.base_url, grant["access_token"], oauth=app) as b24:
            assert b24.server_time().result
        assert portal.stats()["oauth"]["refresh_token"] == 1
    secrets = ["log-secret-value", grant["access_token"], grant["refresh_token"],
               saved[0].access_token, saved[0].refresh_token]
    text = "\n".join(r.getMessage() for r in every_log.records)
    assert "/oauth/token/" in text
    for secret in secrets:
        assert secret not in text


def test_the_oauth_server_gets_a_form_post_with_no_query() -> None:
    def token(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        send_json(handler, {"access_token": "new-access-1", "refresh_token": "new-refresh-1",
                            "expires_in": 3600})

    with serving(token) as oauth:
        app = OAuthApp("local.form.1", "form-secret-value", "old-refresh-1", lambda t: None,
                       server=oauth.url)
        with Client("http://127.0.0.1:9", None, oauth=app) as b24:
            b24._refresh(None)
        (seen,) = oauth.seen
    assert (seen.method, seen.path) == ("POST", "/oauth/token/")
    assert seen.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(pair.split("=") for pair in seen.body.decode().split("&")) == {
        "grant_type": "refresh_token", "client_id": "local.form.1",
        "client_secret": "form-secret-value", "refresh_token": "old-refresh-1",
    }


# 4. Passwords, reprs and errors that echo the request are redacted.

def _echo(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
    body = json.loads(seen.body or b"{}")
    if seen.path.endswith("/batch"):
        echoed = {"c0": {"error": "INVALID_REQUEST", "error_description": seen.text()}}
        send_json(handler, {"result": {"result": [], "result_error": echoed}, "time": {}})
        return
    send_json(handler, {"error": "ERROR_ARGUMENT",
                        "error_description": f"bad request {seen.text()} {body}"}, 400)


def test_errors_that_echo_the_request_are_redacted(cli: Any) -> None:
    with serving(_echo) as server:
        with Client(server.url, "echoed-token-value") as b24:
            with pytest.raises(InvalidArgumentError) as caught:
                b24.call("im.message.add", {"MESSAGE": "hi"})
            (outcome,) = b24.batch([("im.message.add", {"MESSAGE": "hi"})])
        done = cli("bitrix24", "SendMessage", "--url", server.url, "--token",
                   "echoed-token-value", "--chat", "chat1", "--text", "hi")
        assert "echoed-token-value" in server.everything_seen()  # it was echoed
    assert isinstance(outcome, Bitrix24Error)
    for text in (str(caught.value), caught.value.description, json.dumps(caught.value.payload),
                 str(outcome), done.stdout, done.stderr):
        assert "echoed-token-value" not in text
        assert "***" in text
    assert done.code == 3 and done.json()["error"] == "ERROR_ARGUMENT"


def test_a_password_in_the_url_and_every_repr_stay_hidden(
    portal: EmulatorProcess, cli: Any
) -> None:
    url = portal.webhook_url.replace("http://", "http://admin:pass-secret-value@")
    for words in (("ServerTime", "--debug"), ("CreateChat", "--fields", "{}", "--test"),
                  ("CreateChat", "--fields", "{'TITLE': ")):
        done = cli("bitrix24", words[0], "--url", url, *words[1:])
        assert done.stdout + done.stderr and done.code in (0, 2), words
        assert "pass-secret-value" not in done.stdout + done.stderr, words
    dead = cli("bitrix24", "ServerTime", "--url", "http://admin:pass-secret-value@127.0.0.1:9/rest/1/x")
    assert dead.code == 4 and "admin:***@127.0.0.1:9" in dead.stderr
    with Client(url) as b24, Client(portal.base_url, portal.token) as by_token:
        call = by_token.prepare(ApiRequest("im.message.add", {"MESSAGE": "hi"}))
        reply = b24.server_time()
        shown = " ".join(map(repr, (b24, b24.endpoint, by_token, by_token.endpoint, call)))
    assert isinstance(reply, Response)
    for secret in ("pass-secret-value", portal.webhook_code, portal.token):
        assert secret not in shown
    assert "admin:***@" in shown and "im.message.add" in shown


# 5. The emulator compares webhook codes and tokens in constant time.

def test_the_emulator_compares_credentials_in_constant_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = Store(":memory:", SCHEMAS)  # the portal's tables, its users among them
    store.add_webhook(1, "hook-code-value")
    store.add_token("token-value", 1)
    store.execute("INSERT INTO oauth_refresh VALUES ('refresh-value', 'app', 1, 9e12, 0)")
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert store.webhook_user(1, "hook-code-value") == 1
    assert store.webhook_user(1, "hook-code-valuX") is None
    assert store.token("token-value")["user_id"] == 1
    assert store.token("token-valuX") is None  # its digest finds no row: nothing to compare
    assert store.by_secret("oauth_refresh", "token", "refresh-value")["user_id"] == 1
    assert compared == [(b"hook-code-value", b"hook-code-value"),
                        (b"hook-code-value", b"hook-code-valuX"),
                        (b"token-value", b"token-value"),
                        (b"refresh-value", b"refresh-value")]
    for table, column in (("tokens", "token"), ("oauth_codes", "code"),
                          ("oauth_refresh", "token")):
        plan = store.rows(f"EXPLAIN QUERY PLAN SELECT * FROM {table} "
                          f"WHERE oint_digest({column}) = ?", ("x",))
        assert f"USING INDEX {table}_by_digest" in plan[0]["detail"]


def test_emulator_credentials_still_work_over_http(portal: EmulatorProcess) -> None:
    with Client(portal.webhook_url) as hook, Client(portal.base_url, portal.token) as token:
        assert hook.server_time().result and token.server_time().result
    with Client(portal.webhook_url + "x", retry=None) as wrong, \
            pytest.raises(Bitrix24Error) as caught:
        wrong.server_time()
    assert caught.value.code == "INVALID_CREDENTIALS"
