"""The OAuth server at ``/oauth/token/``: authorization codes and refresh tokens.

As on ``oauth.bitrix.info``: GET with query parameters (a POST form works too); each grant
returns a new access token (living ``token_lifetime``) and a new refresh token, and the
refresh token used is retired, so a client that loses a rotation can no longer refresh.
Errors carry the real codes: ``wrong_client`` (with HTTP 200), ``invalid_client``,
``invalid_request``, ``invalid_grant``, and ``expired_token`` for a stale code.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

from starlette.responses import Response

from . import phpjson
from .params import merge, parse_body, parse_query
from .settings import Settings
from .stats import Stats
from .store import Store

__all__ = ["OAuthServer"]

_GRANTS = ("authorization_code", "refresh_token")
_REFRESH_LIFETIME = 180 * 24 * 3600.0  # 180 days


class OAuthError(Exception):
    def __init__(self, code: str, description: str | None = None, status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.description = description
        self.status = status

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code}
        if self.description is not None:
            body["error_description"] = self.description
        return body


def _json(payload: Any, status: int = 200) -> Response:
    return Response(phpjson.dumps(payload), status_code=status,
                    media_type="application/json; charset=utf-8")


class OAuthServer:
    def __init__(self, store: Store, stats: Stats, settings: Settings) -> None:
        self.store = store
        self.stats = stats
        self.settings = settings
        self.member_id = hashlib.md5(secrets.token_bytes(8)).hexdigest()  # noqa: S324

    # the token endpoint

    def answer(self, query: str, content_type: str, body: bytes, base: str) -> Response:
        """The reply to a request of ``base``'s ``/oauth/token/`` (on the portal's worker)."""
        params = merge(parse_query(query), parse_body(content_type, body))
        grant = str(params.get("grant_type") or "")
        try:
            payload = self._grant(grant, params, base)
        except OAuthError as error:
            self.stats.oauth[f"error:{error.code}"] += 1
            return _json(error.payload(), error.status)
        self.stats.oauth[grant] += 1
        return _json(payload)

    def _grant(self, grant: str, params: dict[str, Any], base: str) -> dict[str, Any]:
        if grant not in _GRANTS:
            raise OAuthError("invalid_request", 'No "grant_type" parameter found'
                             if not grant else "Unsupported grant_type")
        client_id = str(params.get("client_id") or "")
        secret = self.store.scalar(
            "SELECT client_secret FROM oauth_apps WHERE client_id = ?", (client_id,)
        )
        if secret is None:
            raise OAuthError("wrong_client", status=200)  # sic: 200, and no description
        if not secrets.compare_digest(str(secret), str(params.get("client_secret") or "")):
            raise OAuthError("invalid_client")
        key = "code" if grant == "authorization_code" else "refresh_token"
        value = str(params.get(key) or "")
        if not value:
            raise OAuthError("invalid_request", f'No "{key}" parameter found')
        with self.store.transaction():
            if grant == "authorization_code":
                user_id = self._use_code(client_id, value)
            else:
                user_id = self._use_refresh(client_id, value)
            reply = self.issue(client_id, user_id, base)
        if grant == "authorization_code":
            # The documented code exchange reply has neither.
            del reply["expires"], reply["user_id"]
        return reply

    def _use_code(self, client_id: str, code: str) -> int:
        row = self.store.by_secret(
            "oauth_codes", "code", code, " AND client_id = ? AND used = 0", (client_id,)
        )
        if row is None:
            raise OAuthError("invalid_grant")
        self.store.execute("UPDATE oauth_codes SET used = 1 WHERE code = ?", (code,))
        if row["created_at"] + self.settings.code_lifetime < time.time():
            raise OAuthError("expired_token", "The authorization token provided has expired.")
        return int(row["user_id"])

    def _use_refresh(self, client_id: str, token: str) -> int:
        row = self.store.by_secret(
            "oauth_refresh", "token", token, " AND client_id = ? AND revoked = 0"
            " AND expires_at > ?", (client_id, time.time()),
        )
        if row is None:
            raise OAuthError("invalid_grant")
        self.store.execute("UPDATE oauth_refresh SET revoked = 1 WHERE token = ?", (token,))
        return int(row["user_id"])

    # what the admin API and the grants above share

    def register(self, client_id: str | None = None, secret: str | None = None) -> dict[str, str]:
        client_id = client_id or f"local.{secrets.token_hex(7)}.{secrets.randbelow(10**8):08d}"
        secret = secret or secrets.token_urlsafe(36)[:50]
        self.store.execute(
            "INSERT OR REPLACE INTO oauth_apps (client_id, client_secret) VALUES (?, ?)",
            (client_id, secret),
        )
        return {"client_id": client_id, "client_secret": secret}

    def known(self, client_id: str) -> bool:
        return self.store.scalar(
            "SELECT 1 FROM oauth_apps WHERE client_id = ?", (client_id,)
        ) is not None

    def new_code(self, client_id: str, user_id: int, age: float = 0.0) -> str:
        code = secrets.token_hex(16)
        self.store.execute(
            "INSERT INTO oauth_codes (code, client_id, user_id, created_at) VALUES (?, ?, ?, ?)",
            (code, client_id, user_id, time.time() - age),
        )
        return code

    def issue(self, client_id: str, user_id: int, base: str) -> dict[str, Any]:
        now = time.time()
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        lifetime = self.settings.token_lifetime
        self.store.add_token(access, user_id, now + lifetime, client_id)
        self.store.execute(
            "INSERT INTO oauth_refresh (token, client_id, user_id, expires_at) VALUES (?, ?, ?, ?)",
            (refresh, client_id, user_id, now + _REFRESH_LIFETIME),
        )
        host = base.split("://", 1)[-1]
        return {
            "access_token": access,
            "expires": int(now + lifetime),
            "expires_in": int(lifetime),
            "scope": "app",
            "domain": host,
            "server_endpoint": f"{base}/rest/",
            "status": "L",
            "client_endpoint": f"{base}/rest/",
            "member_id": self.member_id,
            "user_id": user_id,
            "refresh_token": refresh,
        }
