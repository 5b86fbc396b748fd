"""The admin API: faults, counts and OAuth helpers for tests, on the portal's own port.

Everything lives under ``/_oint/``, a prefix no Bitrix24 path uses, so the admin API never
answers on a REST or OAuth path. It answers loopback clients only (127.0.0.0/8 and ::1,
also as an IPv4 client of a dual-stack ``--host ::`` sees them, ``::ffff:127.0.0.1``): an
emulator started on a public address still cannot be reconfigured from elsewhere.

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

import ipaddress
import json
import time
from collections.abc import Callable, Coroutine
from typing import Any, Protocol, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .faults import FaultInjector, Faults
from .oauth import OAuthServer
from .stats import Stats
from .store import Store

__all__ = ["PREFIX", "Administered", "admin_routes", "loopback"]

PREFIX = "/_oint"
T = TypeVar("T")
# Runs on the portal's worker thread, as everything that uses the store: the request and
# its JSON body (empty for GET and DELETE) in, the reply's JSON out.
Endpoint = Callable[[Request, dict[str, Any]], Any]


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

    def offload(self, function: Callable[..., T], *args: Any) -> Coroutine[Any, Any, T]: ...


class _BadRequest(Exception):
    pass


def loopback(host: str) -> bool:
    """Whether a client's address is this machine's own."""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.partition("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _guarded(portal: Administered, endpoint: Endpoint
             ) -> Callable[[Request], Coroutine[Any, Any, Response]]:
    async def guarded(request: Request) -> Response:
        if not loopback(request.client.host if request.client else ""):
            return JSONResponse({"error": "the admin API answers loopback clients only"}, 403)
        try:
            data = await _body(request) if request.method in ("POST", "PUT") else {}
            return JSONResponse(await portal.offload(endpoint, request, data))
        except _BadRequest as exc:
            return JSONResponse({"error": str(exc)}, 400)

    return guarded


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise _BadRequest("the body must be a JSON object") from None
    if not isinstance(data, dict):
        raise _BadRequest("the body must be a JSON object")
    return data


def _client_id(portal: Administered, data: dict[str, Any]) -> tuple[str, int]:
    client_id = str(data.get("client_id") or "")
    if not portal.oauth.known(client_id):
        raise _BadRequest("unknown client_id: register the app first")
    user_id = data.get("user_id", 1)
    if not isinstance(user_id, int) or not 0 < user_id < 1 << 63 \
            or not portal.store.user_exists(user_id):
        raise _BadRequest("user_id must be an existing user")
    return client_id, user_id


def admin_routes(portal: Administered) -> list[Route]:
    def stats(request: Request, data: dict[str, Any]) -> Any:
        return portal.stats.snapshot(portal.store)

    def reset_stats(request: Request, data: dict[str, Any]) -> Any:
        portal.stats.reset()
        return portal.stats.snapshot(portal.store)

    def faults(request: Request, data: dict[str, Any]) -> Any:
        if request.method == "PUT":
            try:
                portal.injector.configure(portal.injector.faults.changed(data))
            except ValueError as exc:
                raise _BadRequest(str(exc)) from None
        elif request.method == "DELETE":
            portal.injector.configure(Faults(seed=portal.injector.faults.seed))
        return portal.injector.faults.to_json()

    def expire(request: Request, data: dict[str, Any]) -> Any:
        client_id = data.get("client_id")
        count = portal.store.expire_tokens(time.time(), str(client_id) if client_id else None)
        return {"expired": count}

    def apps(request: Request, data: dict[str, Any]) -> Any:
        return portal.oauth.register(data.get("client_id"), data.get("client_secret"))

    def codes(request: Request, data: dict[str, Any]) -> Any:
        client_id, user_id = _client_id(portal, data)
        age = data.get("age", 0)
        if not isinstance(age, (int, float)) or age < 0:
            raise _BadRequest("age is a number of seconds, 0 or more")
        return {"code": portal.oauth.new_code(client_id, user_id, float(age))}

    def grants(request: Request, data: dict[str, Any]) -> Any:
        client_id, user_id = _client_id(portal, data)
        with portal.store.transaction():
            return portal.oauth.issue(client_id, user_id, str(request.base_url).rstrip("/"))

    table: list[tuple[str, Endpoint, list[str]]] = [
        ("/stats", stats, ["GET"]),
        ("/stats/reset", reset_stats, ["POST"]),
        ("/faults", faults, ["GET", "PUT", "DELETE"]),
        ("/tokens/expire", expire, ["POST"]),
        ("/oauth/apps", apps, ["POST"]),
        ("/oauth/codes", codes, ["POST"]),
        ("/oauth/grants", grants, ["POST"]),
    ]
    return [Route(PREFIX + path, _guarded(portal, fn), methods=methods)
            for path, fn, methods in table]
