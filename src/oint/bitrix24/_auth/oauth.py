"""OAuth 2.0 with the Bitrix24 authorization server: code exchange, refresh, rotation.

The token endpoint is ``<server>/oauth/token/``. Bitrix24 documents a GET with query
parameters (``grant_type``, ``client_id``, ``client_secret`` and ``code`` or
``refresh_token``) and accepts the same as a form POST, which oint sends: a query string
ends up in proxy and server logs, a body does not. Each refresh returns a new refresh
token; the old one must be replaced at once. The secrets travel only to the OAuth server,
never to the portal, and every message about a token request is redacted.

Building requests and reading replies is I/O-free: the clients send them (a refresh, and
the GetToken and RefreshToken operations, each one service step).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

from .._errors import ServerError, TransportError, UsageError, api_error
from .._http.endpoint import REDACTED, redact
from .token_store import (
    CallbackTokenStore,
    FileTokenStore,
    OAuthTokens,
    RefreshLock,
    TokenStore,
    default_token_path,
)

__all__ = [
    "DEFAULT_OAUTH_SERVER",
    "OAuthApp",
    "OAuthSession",
    "TokenRequest",
    "auth_link",
    "code_request",
    "read_reply",
    "refresh_request",
    "token_url",
]

DEFAULT_OAUTH_SERVER = "https://oauth.bitrix.info"
_TOKEN_PATH = "/oauth/token/"
_METHOD = "oauth/token"  # what errors of the OAuth server name as their "method"
_RETIRED_KEPT = 8
# A pair another process stored is taken only if its access token lives this much longer;
# else this process refreshes (with that pair's refresh token).
_ADOPT_MARGIN = 30.0


def token_url(server: str | None = None) -> str:
    """The token endpoint of ``server``: a bare host or an origin gets ``/oauth/token/``."""
    text = (server or DEFAULT_OAUTH_SERVER).strip().rstrip("/")
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise UsageError("the OAuth server must be an http(s) URL without a query")
    path = parts.path if parts.path.endswith("/oauth/token") else parts.path + "/oauth/token"
    return f"{parts.scheme}://{parts.netloc}{path}/"


def auth_link(domain: str, client_id: str) -> str:
    """The page where a user grants the app access: ``https://<portal>/oauth/authorize/``.

    A domain given with its scheme keeps it (OPI produced no link at all then).
    """
    text = domain.strip().rstrip("/")
    if not text:
        raise UsageError("the portal domain is empty")
    if "://" not in text:
        text = "https://" + text
    return f"{text}/oauth/authorize/?{urlencode({'client_id': client_id})}"


@dataclass(frozen=True, repr=False)
class TokenRequest:
    """One form POST to the token endpoint. ``secrets`` are what any text about it must
    hide."""

    url: str
    params: dict[str, str]
    secrets: tuple[str, ...]

    def body(self) -> bytes:
        return urlencode(self.params).encode()

    def describe(self) -> str:
        shown = {k: (REDACTED if v in self.secrets else v) for k, v in self.params.items()}
        return f"POST {self.url} {urlencode(shown, safe='*')}"

    __repr__ = describe


def _request(
    server: str | None, grant: str, client_id: str, client_secret: str, param: tuple[str, str]
) -> TokenRequest:
    key, value = param
    for name, given in (("client id", client_id), ("client secret", client_secret), (key, value)):
        if not given:
            raise UsageError(f"the {name.replace('_', ' ')} is empty")
    params = {"grant_type": grant, "client_id": client_id, "client_secret": client_secret,
              key: value}
    return TokenRequest(token_url(server), params, (client_secret, value))


def code_request(server: str | None, client_id: str, client_secret: str, code: str
                 ) -> TokenRequest:
    return _request(server, "authorization_code", client_id, client_secret, ("code", code))


def refresh_request(server: str | None, client_id: str, client_secret: str, refresh: str
                    ) -> TokenRequest:
    return _request(server, "refresh_token", client_id, client_secret, ("refresh_token", refresh))


def read_reply(status: int, content: bytes, secrets: tuple[str, ...] = ()) -> dict[str, Any]:
    """The token reply, or the OAuth server's error as an exception (its words redacted:
    a server may echo the request, ``secrets`` included).

    ``wrong_client`` comes with HTTP 200, so the body decides, not the status.
    """
    try:
        payload = json.loads(content) if content else None
    except (ValueError, RecursionError):
        payload = None
    if isinstance(payload, dict) and payload.get("error"):
        error = {key: redact(str(payload.get(key) or ""), secrets)
                 for key in ("error", "error_description")}
        raise api_error(error, status=status, method=_METHOD)
    if not isinstance(payload, dict) or status >= 400 or not payload.get("access_token"):
        raise ServerError(
            "ERROR_UNEXPECTED_ANSWER",
            f"the OAuth server returned an unexpected response (HTTP {status})",
            status=status, method=_METHOD,
        )
    return payload


def tokens_from(payload: Mapping[str, Any], now: float) -> OAuthTokens:
    expires = payload.get("expires")
    expires_in = payload.get("expires_in")
    if isinstance(expires, (int, float)):
        expires_at: float | None = float(expires)
    elif isinstance(expires_in, (int, float)):
        expires_at = now + float(expires_in)
    else:
        expires_at = None
    endpoint = payload.get("client_endpoint")
    return OAuthTokens(
        str(payload["access_token"]),
        str(payload.get("refresh_token") or ""),
        expires_at,
        endpoint if isinstance(endpoint, str) else None,
    )


def transport_failure(request: TokenRequest, exc: Exception) -> TransportError:
    host = urlsplit(request.url).netloc
    detail = redact(str(exc), request.secrets) or type(exc).__name__
    # A token request changes nothing the caller can see twice; say only that it failed.
    return TransportError(
        f"no token from the OAuth server {host} ({type(exc).__name__}: {detail})",
        method=_METHOD,
    )


@dataclass(frozen=True, repr=False)
class OAuthApp:
    """An application's credentials, for a client that refreshes its own access token.

    ``store`` keeps the rotated tokens: a ``TokenStore`` (``FileTokenStore``,
    ``CallbackTokenStore``), a plain function that receives each new ``OAuthTokens``, or
    None for a file under ``~/.config/oint/bitrix24-tokens/`` (0600). ``server`` is the
    OAuth server, ``https://oauth.bitrix.info`` by default.
    """

    client_id: str
    client_secret: str
    refresh_token: str | None = None
    store: TokenStore | Callable[[OAuthTokens], None] | None = None
    server: str | None = None

    def __repr__(self) -> str:
        return f"OAuthApp(client_id={self.client_id!r}, server={self.server!r})"


def _store_for(app: OAuthApp, portal_host: str) -> TokenStore:
    if app.store is None:
        return FileTokenStore(default_token_path(app.client_id, portal_host))
    if hasattr(app.store, "save"):
        return cast("TokenStore", app.store)
    return CallbackTokenStore(app.store)


class OAuthSession:
    """A client's OAuth credentials and its current tokens, kept in a ``TokenStore``.

    The store's tokens win over the refresh token the client was built with: after the
    first rotation that one is spent, and the store has its successor.
    """

    def __init__(self, app: OAuthApp, portal_host: str) -> None:
        if not app.client_id or not app.client_secret:
            raise UsageError("OAuth refresh needs both a client id and a client secret")
        self.client_id = app.client_id
        self._client_secret = app.client_secret
        self.store = _store_for(app, portal_host)
        self.server = app.server
        self.tokens = self.store.load()
        self._refresh = self.tokens.refresh_token if self.tokens else (app.refresh_token or "")
        if not self._refresh:
            raise UsageError("OAuth refresh needs a refresh token (or a token store holding one)")
        self._retired: list[str] = []
        token_url(app.server)  # a bad server URL fails now, not at the first expiry

    def __repr__(self) -> str:
        return f"OAuthSession(client_id={self.client_id!r}, store={self.store!r})"

    @property
    def secrets(self) -> tuple[str, ...]:
        current = (self.tokens.access_token,) if self.tokens else ()
        return (self._client_secret, self._refresh, *current, *self._retired)

    def request(self) -> TokenRequest:
        return refresh_request(self.server, self.client_id, self._client_secret, self._refresh)

    def accept(self, status: int, content: bytes) -> OAuthTokens:
        """Read a refresh reply and keep the rotated pair: in memory, then in the store."""
        tokens = tokens_from(read_reply(status, content, self.secrets), time.time())
        if not tokens.refresh_token:  # not seen from Bitrix24, but then the old one lives on
            tokens = replace(tokens, refresh_token=self._refresh)
        self._keep(tokens)
        self.store.save(tokens)
        return tokens

    def _keep(self, tokens: OAuthTokens) -> None:
        # Retired tokens are still redacted: an old one may sit in a late error message.
        old = (self.tokens.access_token,) if self.tokens else ()
        self._retired = [*self._retired, *old, self._refresh][-_RETIRED_KEPT:]
        self.tokens = tokens
        self._refresh = tokens.refresh_token

    def shared_lock(self) -> RefreshLock | None:
        """The lock that makes a refresh single-flight across processes, when the store is
        shared by several (``SharedTokenStore``); None otherwise."""
        make = getattr(self.store, "refresh_lock", None)
        return cast("RefreshLock", make()) if callable(make) else None

    def catch_up(self, stale: str | None) -> OAuthTokens | None:
        """Under the shared lock: take the store's pair, which another process may have
        rotated; return it if it replaces ``stale`` and lives on, so no refresh is needed."""
        stored = self.store.load()
        if stored is None or stored.refresh_token == self._refresh:
            return None
        self._keep(stored)
        if stored.access_token == stale:
            return None
        if stored.expires_at is not None and stored.expires_at < time.time() + _ADOPT_MARGIN:
            return None
        return stored
