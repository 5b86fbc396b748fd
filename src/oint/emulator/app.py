"""The ASGI app: routes, parameter reading, authentication and the reply envelope.

A REST request passes, in order: injected latency, a moved portal's redirect, the rate
bucket (503), injected refusals (503, 500), the method exists (404), the credentials (401),
then each method call: its operating-time check (429) and the handler inside one store
transaction. Injected reply losses happen last, after the call committed.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from . import errors, phpjson
from .admin import admin_routes
from .errors import ApiError
from .faults import DroppedReply, FaultInjector, internal_server_error, overload_limit
from .handlers import HANDLERS, Context, Outcome, Reply
from .limits import RateBucket, operation_time_limit, query_limit_exceeded
from .oauth import OAuthServer
from .params import merge, parse_body, parse_query
from .settings import Settings
from .stats import Stats
from .store import Store
from .timing import OperatingMeter, time_block
from .turns import Turns

__all__ = ["Portal", "create_app"]

HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "origin, content-type, accept",
    "X-Content-Type-Options": "nosniff",
}
_AUTH_KEYS = ("auth", "access_token")


@dataclass(frozen=True)
class Caller:
    user_id: int
    key: str  # what per-app accounting is keyed on


def reply(payload: Any, status: int = 200, extra_headers: dict[str, str] | None = None) -> Response:
    return Response(
        phpjson.dumps(payload),
        status_code=status,
        media_type="application/json; charset=utf-8",
        headers={**HEADERS, **(extra_headers or {})},
    )


def error_reply(error: ApiError) -> Response:
    # Errors carry no time block, as on the real server.
    return reply(error.payload(), error.status)


class Portal:
    """One emulated portal: its store, limits, faults, OAuth server and the REST pipeline."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings = settings or Settings()
        window = settings.operating[1] if settings.operating else 600.0
        self.operating = OperatingMeter(window)
        self.bucket = RateBucket(*settings.rate) if settings.rate else None
        self.stats = Stats()
        self.injector = FaultInjector(settings.faults, self.stats)
        self.oauth = OAuthServer(store, self.stats, settings)
        self.turns = Turns()

    def authenticate(
        self, webhook: tuple[str, str] | None, params: dict[str, Any], request: Request
    ) -> Caller:
        if webhook is not None:
            user, code = webhook
            user_id = self.store.webhook_user(int(user), code) if user.isdigit() else None
            if user_id is None:
                raise errors.invalid_credentials()
            return Caller(user_id, f"webhook:{user_id}:{code}")
        token = next((str(params[k]) for k in params if k.lower() in _AUTH_KEYS), "")
        header = request.headers.get("authorization", "")
        if not token and header.lower().startswith("bearer "):
            token = header[7:].strip()
        if not token:
            raise errors.no_auth_found()
        row = self.store.token(token)
        if row is None:
            raise errors.invalid_token()
        if row["expires_at"] is not None and row["expires_at"] <= time.time():
            raise errors.expired_token()
        return Caller(int(row["user_id"]), f"app:{row['client_id'] or row['user_id']}")

    def invoke(self, caller: Caller, method: str, params: dict[str, Any]) -> Outcome:
        """Run one REST method for an authenticated caller: the handler in a transaction,
        then the operating-time accounting. Raises ApiError."""
        start = time.time()
        method = method.lower()
        handler = HANDLERS.get(method)
        if handler is None:
            raise errors.method_not_found()
        # The outer batch is not charged; each command is, against its own method.
        metered = method != "batch"
        if metered:
            self._check_operating(caller, method, start)
        args = {str(k).upper(): v for k, v in params.items() if str(k).lower() not in _AUTH_KEYS}
        context = Context(
            self.store, caller.user_id, caller.key, start,
            invoke=lambda name, nested: self.invoke(caller, name, nested),
        )
        began = time.perf_counter()
        with self.store.transaction():
            produced = handler(context, args)
        processing = time.perf_counter() - began
        self.stats.calls[method] += 1
        if metered:
            charged = processing + self.injector.cost(method)
            self.operating.charge(caller.key, method, start, charged)
        operating, reset_at = self.operating.usage(caller.key, method, start)
        timing = time_block(start, time.time(), processing, operating, reset_at)
        if isinstance(produced, Reply):
            return Outcome(produced.result, timing, produced.total, produced.next)
        return Outcome(produced, timing)

    def _check_operating(self, caller: Caller, method: str, now: float) -> None:
        # Checked before the call, so the call that crosses the budget still completes.
        if self.settings.operating is None:
            return
        used, _ = self.operating.usage(caller.key, method, now)
        if used > self.settings.operating[0]:
            self.stats.refused["OPERATION_TIME_LIMIT"] += 1
            raise operation_time_limit()

    def _refusal(self, request: Request, method: str) -> Response | None:
        """A reply that stops the request before any method runs, if one is due."""
        moved = self.injector.faults.moved_to
        if moved and urlsplit(moved).netloc != request.headers.get("host"):
            self.stats.fault("moved", method)
            target = moved + request.url.path + (f"?{request.url.query}" if request.url.query
                                                 else "")
            return RedirectResponse(target, status_code=302)
        source = request.client.host if request.client else ""
        if self.bucket is not None and not self.bucket.admit(source, time.monotonic()):
            self.stats.refused["QUERY_LIMIT_EXCEEDED"] += 1
            return error_reply(query_limit_exceeded())
        for kind, error in (("storm", query_limit_exceeded), ("overload", overload_limit),
                            ("error500", internal_server_error)):
            if self.injector.roll(kind, method):
                return error_reply(error())
        return None

    async def rest(self, request: Request) -> Any:
        self.stats.requests += 1
        segments = [s for s in request.path_params["path"].split("/") if s]
        if len(segments) == 3:
            webhook: tuple[str, str] | None = (segments[0], segments[1])
        elif len(segments) == 1:
            webhook = None
        else:
            return error_reply(errors.method_not_found())
        method = segments[-1].lower().removesuffix(".json")
        faults = self.injector.faults
        if faults.latency and self.injector.applies(method):
            await asyncio.sleep(faults.latency)
        refusal = self._refusal(request, method)
        if refusal is not None:
            return refusal
        query = parse_query(request.url.query)
        body = parse_body(request.headers.get("content-type", ""), await request.body())
        params = merge(query, body)
        try:
            # The server's order: the method must exist before credentials are looked at.
            if method not in HANDLERS:
                raise errors.method_not_found()
            outcome = await self.turns.run(
                lambda: self.invoke(self.authenticate(webhook, params, request), method, params)
            )
        except ApiError as error:
            return error_reply(error)
        # The call has run and committed: from here on only the reply can be lost.
        if self.injector.roll("drop", method):
            return DroppedReply(outcome.envelope())
        if self.injector.roll("stall", method):
            await asyncio.sleep(faults.stall_seconds)
        return reply(outcome.envelope())


def create_app(store: Store, settings: Settings | None = None) -> Starlette:
    portal = Portal(store, settings)
    app = Starlette(
        routes=[
            Route("/rest/{path:path}", portal.rest, methods=["GET", "POST"]),
            Route("/oauth/token/", portal.oauth.token, methods=["GET", "POST"]),
            Route("/oauth/token", portal.oauth.token, methods=["GET", "POST"]),
            *admin_routes(portal),
        ],
    )
    app.state.portal = portal
    return app
