"""The ASGI app: routes, parameter reading, authentication and the reply envelope.

A REST call is checked in the server's order: the method exists (404), then the
credentials (401), then the handler runs inside one store transaction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import errors, phpjson
from .errors import ApiError
from .handlers import HANDLERS, Context, Outcome, Reply
from .params import merge, parse_body, parse_query
from .store import Store
from .timing import OperatingMeter, time_block

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
    """One emulated portal: its store and the REST pipeline."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.operating = OperatingMeter()

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
        handler = HANDLERS.get(method.lower())
        if handler is None:
            raise errors.method_not_found()
        args = {str(k).upper(): v for k, v in params.items() if str(k).lower() not in _AUTH_KEYS}
        context = Context(
            self.store, caller.user_id, caller.key, start,
            invoke=lambda name, nested: self.invoke(caller, name, nested),
        )
        began = time.perf_counter()
        with self.store.transaction():
            produced = handler(context, args)
        processing = time.perf_counter() - began
        self.operating.charge(caller.key, method, start, processing)
        operating, reset_at = self.operating.usage(caller.key, method, start)
        timing = time_block(start, time.time(), processing, operating, reset_at)
        if isinstance(produced, Reply):
            return Outcome(produced.result, timing, produced.total, produced.next)
        return Outcome(produced, timing)

    async def rest(self, request: Request) -> Response:
        segments = [s for s in request.path_params["path"].split("/") if s]
        if len(segments) == 3:
            webhook: tuple[str, str] | None = (segments[0], segments[1])
        elif len(segments) == 1:
            webhook = None
        else:
            return error_reply(errors.method_not_found())
        method = segments[-1].lower().removesuffix(".json")
        query = parse_query(request.url.query)
        body = parse_body(request.headers.get("content-type", ""), await request.body())
        params = merge(query, body)
        try:
            # The server's order: the method must exist before credentials are looked at.
            if method not in HANDLERS:
                raise errors.method_not_found()
            caller = self.authenticate(webhook, params, request)
            outcome = self.invoke(caller, method, params)
        except ApiError as error:
            return error_reply(error)
        return reply(outcome.envelope())


def create_app(store: Store) -> Starlette:
    portal = Portal(store)
    app = Starlette(
        routes=[Route("/rest/{path:path}", portal.rest, methods=["GET", "POST"])],
    )
    app.state.portal = portal
    return app
