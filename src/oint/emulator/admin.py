"""The admin API: faults, counts and OAuth helpers for tests, on the portal's own port.

Everything lives under ``/_oint/``, a prefix no Bitrix24 path uses, so the admin API never
answers on a REST or OAuth path. It answers loopback clients only: an emulator started on
a public address still cannot be reconfigured from elsewhere.

    GET    /_oint/stats            requests, refusals, faults injected, OAuth grants, rows
    POST   /_oint/stats/reset
    GET    /_oint/faults           the current faults
    PUT    /_oint/faults           change some: {"storm": 0.1, "methods": ["im.message.add"]}
    DELETE /_oint/faults           no faults
    POST   /_oint/tokens/expire    {"client_id": ...} or {} for every access token
    POST   /_oint/oauth/apps       register an app: {"client_id"?, "client_secret"?}
    POST   /_oint/oauth/codes      {"client_id", "user_id"?, "age"?}: a code, as if a user
                                   consented ``age`` seconds ago (codes live 30 s)
    POST   /_oint/oauth/grants     {"client_id", "user_id"?}: tokens, as if a code was used
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .faults import FaultInjector, Faults
from .oauth import OAuthServer
from .stats import Stats
from .store import Store

__all__ = ["PREFIX", "Administered", "admin_routes"]

PREFIX = "/_oint"
Endpoint = Callable[[Request], Awaitable[Response]]


class Administered(Protocol):
    """What the admin API reaches of a portal (the app's ``Portal`` is one); a protocol, so
    that this module does not import the app that imports it."""

    @property
    def store(self) -> Store: ...

    @property
    def stats(self) -> Stats: ...

    @property
    def injector(self) -> FaultInjector: ...

    @property
    def oauth(self) -> OAuthServer: ...


class _BadRequest(Exception):
    pass


def _loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    return host == "::1" or host.startswith("127.") or host == "localhost"


def _guarded(endpoint: Endpoint) -> Endpoint:
    async def guarded(request: Request) -> Response:
        if not _loopback(request):
            return JSONResponse({"error": "the admin API answers loopback clients only"}, 403)
        try:
            return await endpoint(request)
        except _BadRequest as exc:
            return JSONResponse({"error": str(exc)}, 400)

    return guarded


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise _BadRequest("the body must be a JSON object") from None
    if not isinstance(data, dict):
        raise _BadRequest("the body must be a JSON object")
    return data


def _client_id(portal: Administered, data: dict[str, Any]) -> tuple[str, int]:
    client_id = str(data.get("client_id") or "")
    if not portal.oauth.known(client_id):
        raise _BadRequest("unknown client_id: register the app first")
    user_id = data.get("user_id", 1)
    if not isinstance(user_id, int) or not portal.store.user_exists(user_id):
        raise _BadRequest("user_id must be an existing user")
    return client_id, user_id


def admin_routes(portal: Administered) -> list[Route]:
    async def stats(request: Request) -> Response:
        return JSONResponse(portal.stats.snapshot(portal.store))

    async def reset_stats(request: Request) -> Response:
        portal.stats.reset()
        return JSONResponse(portal.stats.snapshot(portal.store))

    async def faults(request: Request) -> Response:
        if request.method == "PUT":
            try:
                portal.injector.configure(portal.injector.faults.changed(await _body(request)))
            except ValueError as exc:
                raise _BadRequest(str(exc)) from None
        elif request.method == "DELETE":
            portal.injector.configure(Faults(seed=portal.injector.faults.seed))
        return JSONResponse(portal.injector.faults.to_json())

    async def expire(request: Request) -> Response:
        data = await _body(request)
        client_id = data.get("client_id")
        count = portal.store.expire_tokens(time.time(), str(client_id) if client_id else None)
        return JSONResponse({"expired": count})

    async def apps(request: Request) -> Response:
        data = await _body(request)
        return JSONResponse(portal.oauth.register(data.get("client_id"),
                                                  data.get("client_secret")))

    async def codes(request: Request) -> Response:
        data = await _body(request)
        client_id, user_id = _client_id(portal, data)
        age = data.get("age", 0)
        if not isinstance(age, (int, float)) or age < 0:
            raise _BadRequest("age is a number of seconds, 0 or more")
        return JSONResponse({"code": portal.oauth.new_code(client_id, user_id, float(age))})

    async def grants(request: Request) -> Response:
        client_id, user_id = _client_id(portal, await _body(request))
        with portal.store.transaction():
            tokens = portal.oauth.issue(client_id, user_id, str(request.base_url).rstrip("/"))
        return JSONResponse(tokens)

    table: list[tuple[str, Endpoint, list[str]]] = [
        ("/stats", stats, ["GET"]),
        ("/stats/reset", reset_stats, ["POST"]),
        ("/faults", faults, ["GET", "PUT", "DELETE"]),
        ("/tokens/expire", expire, ["POST"]),
        ("/oauth/apps", apps, ["POST"]),
        ("/oauth/codes", codes, ["POST"]),
        ("/oauth/grants", grants, ["POST"]),
    ]
    return [Route(PREFIX + path, _guarded(fn), methods=methods) for path, fn, methods in table]
