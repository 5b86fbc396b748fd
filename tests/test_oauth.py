"""OAuth: GetAppAuthLink, GetToken and RefreshToken, and the clients' automatic refresh,
against the emulator's OAuth server over real HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oint import bitrix24
from oint.bitrix24 import (
    AsyncClient,
    AuthError,
    CallbackTokenStore,
    Client,
    FileTokenStore,
    OAuthApp,
    OAuthTokens,
    TokenStoreError,
    TransportError,
)
from oint.emulator.process import EmulatorProcess, launch

RECORDINGS = Path(__file__).parent / "recordings"


@pytest.fixture(scope="module")
def oauth_portal() -> Iterator[EmulatorProcess]:
    with launch(["--app", "local.test.1:throwaway-secret"]) as running:
        yield running


@pytest.fixture
def app(oauth_portal: EmulatorProcess) -> dict[str, str]:
    """A fresh app with a token pair, as if a user had installed it."""
    registered: dict[str, str] = oauth_portal.admin("POST", "oauth/apps", {})
    tokens = oauth_portal.admin("POST", "oauth/grants", {"client_id": registered["client_id"]})
    return {**registered, "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"]}


def _oauth_app(portal: EmulatorProcess, app: dict[str, str], store: Any) -> OAuthApp:
    return OAuthApp(app["client_id"], app["client_secret"], app["refresh_token"], store,
                    server=portal.base_url)


def _refreshes(portal: EmulatorProcess) -> int:
    return int(portal.stats()["oauth"].get("refresh_token", 0))


def test_auth_link_matches_the_recording_and_keeps_a_given_scheme(cli: Any) -> None:
    expected = json.loads((RECORDINGS / "GetAppAuthLink.json").read_text())
    assert bitrix24.GetAppAuthLink("b24-ar17wx.bitrix24.by", "local.6667fc928a50a9.70414732") \
        == expected
    # OPI builds no link at all for a domain that starts with http.
    assert bitrix24.get_app_auth_link("http://localhost:8024/", "local.1") == \
        "http://localhost:8024/oauth/authorize/?client_id=local.1"
    result = cli("bitrix24", "GetAppAuthLink", "--domain", "b24-ar17wx.bitrix24.by",
                 "--clientid", "local.6667fc928a50a9.70414732")
    assert result.code == 0 and result.json() == expected


def test_get_token_exchanges_a_code_once(oauth_portal: EmulatorProcess) -> None:
    code = oauth_portal.admin("POST", "oauth/codes", {"client_id": "local.test.1"})["code"]
    reply = bitrix24.get_token("local.test.1", "throwaway-secret", code,
                               server=oauth_portal.base_url)
    assert reply["expires_in"] == 3600 and reply["status"] == "L"
    assert reply["client_endpoint"] == f"{oauth_portal.base_url}/rest/"
    assert set(reply) >= {"access_token", "refresh_token", "scope", "domain", "member_id"}
    with Client(oauth_portal.base_url, reply["access_token"]) as b24:
        assert b24.server_time().result
    with pytest.raises(AuthError) as used:
        bitrix24.GetToken("local.test.1", "throwaway-secret", code, oauth_portal.base_url)
    assert used.value.code == "invalid_grant" and used.value.status == 400


@pytest.mark.parametrize(("method", "option", "grant"), [
    ("GetToken", "--code", "authorization_code"),
    ("RefreshToken", "--refresh", "refresh_token"),
])
def test_test_shows_a_token_request_and_sends_nothing(
    cli: Any, oauth_portal: EmulatorProcess, app: dict[str, str], method: str, option: str,
    grant: str,
) -> None:
    """``--test`` never sends: not even the requests that would spend a one-time code or
    rotate a refresh token (issue 9, point 3)."""
    code = oauth_portal.admin("POST", "oauth/codes", {"client_id": app["client_id"]})["code"]
    spent = {"--code": code, "--refresh": app["refresh_token"]}[option]
    before = oauth_portal.stats()["oauth"]
    done = cli("bitrix24", method, "--clientid", app["client_id"], "--clientsecret",
               app["client_secret"], option, spent, "--server", oauth_portal.base_url, "--test")
    assert done.code == 0, done.stderr
    shown = done.json()
    assert shown["method"] == "POST"
    assert shown["url"] == f"{oauth_portal.base_url}/oauth/token/"
    assert shown["form"]["grant_type"] == grant
    assert shown["form"]["client_id"] == app["client_id"]
    assert shown["form"]["client_secret"] == "***" and spent not in done.stdout
    assert app["client_secret"] not in done.stdout + done.stderr
    assert oauth_portal.stats()["oauth"] == before  # the OAuth server saw nothing
    # The code and the refresh token are still good: nothing spent them.
    assert bitrix24.get_token(app["client_id"], app["client_secret"], code,
                              server=oauth_portal.base_url)["access_token"]
    assert bitrix24.refresh_token(app["client_id"], app["client_secret"],
                                  app["refresh_token"], server=oauth_portal.base_url)


def test_refresh_token_rotates_and_retires_the_old_one(
    oauth_portal: EmulatorProcess, app: dict[str, str], cli: Any
) -> None:
    recorded = json.loads((RECORDINGS / "RefreshToken.json").read_text())
    reply = bitrix24.refresh_token(app["client_id"], app["client_secret"], app["refresh_token"],
                                   server=oauth_portal.base_url)
    assert set(reply) == set(recorded)
    assert reply["refresh_token"] != app["refresh_token"]
    again = cli("bitrix24", "RefreshToken", "--clientid", app["client_id"], "--clientsecret",
                app["client_secret"], "--refresh", app["refresh_token"], "--server",
                oauth_portal.base_url)
    assert again.code == 3 and "invalid_grant" in again.stderr
    fresh = cli("bitrix24", "RefreshToken", "--clientid", app["client_id"], "--clientsecret",
                app["client_secret"], "--refresh", reply["refresh_token"], "--server",
                oauth_portal.base_url)
    assert fresh.code == 0 and fresh.json()["access_token"]
    for text in (again.stderr, again.stdout, fresh.stderr):
        assert app["client_secret"] not in text and app["refresh_token"] not in text


@pytest.mark.parametrize(
    ("client_id", "secret", "refresh", "code", "status"),
    [
        ("unknown.app", "x", "y", "wrong_client", 200),  # sic: the real server says 200
        ("local.test.1", "wrong-secret", "y", "invalid_client", 400),
        ("local.test.1", "throwaway-secret", "not-a-token", "invalid_grant", 400),
    ],
)
def test_oauth_server_errors_keep_their_codes(
    oauth_portal: EmulatorProcess, client_id: str, secret: str, refresh: str, code: str,
    status: int
) -> None:
    with pytest.raises(AuthError) as caught:
        bitrix24.refresh_token(client_id, secret, refresh, server=oauth_portal.base_url)
    assert (caught.value.code, caught.value.status) == (code, status)


def test_missing_parameters_and_stale_codes(oauth_portal: EmulatorProcess) -> None:
    import httpx

    url = f"{oauth_portal.base_url}/oauth/token/"
    reply = httpx.get(url, params={"grant_type": "refresh_token", "client_id": "local.test.1",
                                   "client_secret": "throwaway-secret"})
    assert reply.status_code == 400
    assert reply.json() == {"error": "invalid_request",
                            "error_description": 'No "refresh_token" parameter found'}
    # The form POST works too (b24jssdk relies on it).
    form = httpx.post(url, data={"grant_type": "authorization_code", "client_id": "local.test.1",
                                 "client_secret": "throwaway-secret", "code": "nope"})
    assert form.json() == {"error": "invalid_grant"}


def test_an_expired_code_answers_like_the_recording(oauth_portal: EmulatorProcess) -> None:
    recorded = json.loads((RECORDINGS / "GetToken.json").read_text())
    code = oauth_portal.admin("POST", "oauth/codes", {"client_id": "local.test.1", "age": 31})
    with pytest.raises(AuthError) as caught:
        bitrix24.get_token("local.test.1", "throwaway-secret", code["code"],
                           server=oauth_portal.base_url)
    assert dict(caught.value.payload) == recorded


def test_client_refreshes_on_expiry_and_stores_the_rotation_0600(
    oauth_portal: EmulatorProcess, app: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "tokens" / "portal.json"
    before = _refreshes(oauth_portal)
    with Client(oauth_portal.base_url, app["access_token"],
                oauth=_oauth_app(oauth_portal, app, FileTokenStore(path))) as b24:
        assert b24.server_time().result
        oauth_portal.admin("POST", "tokens/expire", {"client_id": app["client_id"]})
        assert b24.server_time().result  # refreshed and repeated
        assert b24.create_chat({"TITLE": "after refresh"}).result > 0
    assert _refreshes(oauth_portal) == before + 1
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    saved = json.loads(path.read_text())
    assert saved["refresh_token"] not in (app["refresh_token"], "")
    # A new client starts from the store: the refresh token it was given is spent.
    oauth_portal.admin("POST", "tokens/expire", {"client_id": app["client_id"]})
    with Client(oauth_portal.base_url,
                oauth=_oauth_app(oauth_portal, app, FileTokenStore(path))) as b24:
        assert b24.server_time().result
    assert _refreshes(oauth_portal) == before + 2


def test_a_callback_store_and_a_client_without_an_access_token(
    oauth_portal: EmulatorProcess, app: dict[str, str]
) -> None:
    saved: list[OAuthTokens] = []
    with Client(oauth_portal.base_url, oauth=_oauth_app(oauth_portal, app, saved.append)) as b24:
        assert b24.server_time().result
    assert len(saved) == 1 and saved[0].refresh_token != app["refresh_token"]
    assert app["refresh_token"] not in repr(saved[0])
    assert saved[0].access_token not in repr(saved[0])


def test_a_failed_refresh_surfaces_its_error_once(
    oauth_portal: EmulatorProcess, app: dict[str, str], tmp_path: Path
) -> None:
    store = CallbackTokenStore(lambda tokens: None)
    wrong = OAuthApp(app["client_id"], "not-the-secret", app["refresh_token"], store,
                     oauth_portal.base_url)
    with Client(oauth_portal.base_url, app["access_token"], oauth=wrong) as b24:
        oauth_portal.admin("POST", "tokens/expire", {"client_id": app["client_id"]})
        with pytest.raises(AuthError) as caught:
            b24.server_time()
        assert caught.value.code == "invalid_client"
    unreachable_server = OAuthApp(app["client_id"], app["client_secret"],
                                  app["refresh_token"], store, "http://127.0.0.1:9")
    dead = Client(oauth_portal.base_url, app["access_token"], oauth=unreachable_server)
    with dead, pytest.raises(TransportError) as unreachable:
        dead.server_time()
    assert "OAuth server" in str(unreachable.value)
    assert app["client_secret"] not in str(unreachable.value)


def test_a_store_that_cannot_save_is_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = FileTokenStore(blocker / "tokens.json")
    with pytest.raises(TokenStoreError):
        store.save(OAuthTokens("a" * 32, "r" * 32))
    (tmp_path / "bad.json").write_text("{}")
    with pytest.raises(TokenStoreError):
        FileTokenStore(tmp_path / "bad.json").load()


def test_oauth_needs_a_domain_and_both_credentials(app: dict[str, str]) -> None:
    with pytest.raises(bitrix24.UsageError):
        Client("https://x.bitrix24.com/rest/1/code",
               oauth=OAuthApp("a", "b", "c", store=lambda t: None))
    with pytest.raises(bitrix24.UsageError):
        Client("https://x.bitrix24.com", oauth=OAuthApp("a", "", "c", store=lambda t: None))
    with pytest.raises(bitrix24.UsageError):
        Client("https://x.bitrix24.com", oauth=OAuthApp("a", "b", store=lambda t: None))
    assert "b" not in repr(OAuthApp("a", "b", "c")).replace("OAuthApp", "")


def test_twenty_threads_share_one_refresh(oauth_portal: EmulatorProcess,
                                          app: dict[str, str]) -> None:
    before = _refreshes(oauth_portal)
    saved: list[OAuthTokens] = []
    errors: list[BaseException] = []
    b24 = Client(oauth_portal.base_url, app["access_token"],
                 oauth=_oauth_app(oauth_portal, app, saved.append),
                 limits=None)  # 220 requests: the default bucket would pace them at 2/s
    barrier = threading.Barrier(20)
    expired = threading.Event()

    def worker(index: int) -> None:
        try:
            barrier.wait()
            for _ in range(5):
                b24.server_time()
            if index == 0:  # every thread is mid-run when the token dies
                oauth_portal.admin("POST", "tokens/expire", {"client_id": app["client_id"]})
                expired.set()
            expired.wait(10)
            for _ in range(5):
                b24.server_time()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    with b24:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert errors == []
    assert _refreshes(oauth_portal) == before + 1
    assert len(saved) == 1
    print(f"\nreliability: token expiry, 20 threads x 10 calls: refreshes "
          f"{_refreshes(oauth_portal) - before}, errors {len(errors)}")


def test_twenty_tasks_share_one_refresh(oauth_portal: EmulatorProcess,
                                        app: dict[str, str]) -> None:
    before = _refreshes(oauth_portal)
    saved: list[OAuthTokens] = []

    async def run() -> list[Any]:
        async with AsyncClient(
            oauth_portal.base_url, app["access_token"],
            oauth=_oauth_app(oauth_portal, app, saved.append), limits=None,
        ) as b24:
            await asyncio.gather(*(b24.server_time() for _ in range(20)))
            await asyncio.to_thread(
                oauth_portal.admin, "POST", "tokens/expire", {"client_id": app["client_id"]}
            )
            results = await asyncio.gather(
                *(b24.server_time() for _ in range(20)), return_exceptions=True
            )
            return list(results)

    results = asyncio.run(run())
    errors = [r for r in results if isinstance(r, BaseException)]
    print(f"\nreliability: token expiry, 20 tasks x 2 calls: refreshes "
          f"{_refreshes(oauth_portal) - before}, errors {len(errors)}")
    assert errors == []
    assert _refreshes(oauth_portal) == before + 1
    assert len(saved) == 1


def test_token_requests_name_the_endpoint_and_hide_the_secrets() -> None:
    from oint.bitrix24._auth.oauth import refresh_request, token_url

    assert token_url(None) == "https://oauth.bitrix.info/oauth/token/"
    assert token_url("oauth.bitrix24.tech") == "https://oauth.bitrix24.tech/oauth/token/"
    assert token_url("http://127.0.0.1:8024/") == "http://127.0.0.1:8024/oauth/token/"
    assert token_url("http://h/oauth/token/") == "http://h/oauth/token/"
    request = refresh_request(None, "local.1", "the-secret", "the-refresh")
    assert request.params["grant_type"] == "refresh_token"
    shown = request.describe() + repr(request)
    assert "the-secret" not in shown and "the-refresh" not in shown and "local.1" in shown
    with pytest.raises(bitrix24.UsageError):
        refresh_request(None, "local.1", "", "r")


def test_a_move_is_followed_only_to_the_named_host_unless_the_caller_opts_in() -> None:
    from oint.bitrix24 import PortalMovedError
    from oint.bitrix24._http.core import ClientCore
    from oint.bitrix24._http.wire import HttpReply

    core = ClientCore("http://old.bitrix24.com/rest/1/code")
    assert not core.follow_move(HttpReply(302, b"", "/rest/1/code/x"))
    assert not core.follow_move(HttpReply(200, b"", "https://new.bitrix24.com/"))
    with pytest.raises(PortalMovedError) as moved:
        core.follow_move(HttpReply(302, b"", "https://new.bitrix24.com/rest/1/code/x"))
    assert moved.value.location == "https://new.bitrix24.com/rest/1/***"
    assert core.endpoint.base == "http://old.bitrix24.com/rest/1/code"
    # The same host, up to https: the host the caller named.
    assert core.follow_move(HttpReply(301, b"", "https://old.bitrix24.com/rest/1/code/x"))
    assert core.endpoint.base == "https://old.bitrix24.com/rest/1/code"
    with pytest.raises(PortalMovedError, match="plain http"):
        core.follow_move(HttpReply(302, b"", "http://old.bitrix24.com/rest/1/code/x"))

    opted_in = ClientCore("https://old.bitrix24.com/rest/1/code", follow_moves=True)
    with pytest.raises(PortalMovedError, match="plain http"):
        opted_in.follow_move(HttpReply(302, b"", "http://new.bitrix24.com/rest/1/code/x"))
    assert opted_in.follow_move(HttpReply(308, b"", "https://new.bitrix24.com/rest/1/code/x"))
    assert opted_in.endpoint.base == "https://new.bitrix24.com/rest/1/code"
