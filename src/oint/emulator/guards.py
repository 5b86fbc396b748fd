"""ASGI middleware that keeps every reply a JSON one and every connection usable.

``BodyLimits`` reads each request's body whole before the app sees it: past ``max_bytes``
the rest is read and thrown away and the request answered 413; a body that has not ended
``timeout`` seconds after its request began is answered 408 and its connection closed
(the answers of the portal's front server, nginx, given here in Bitrix24's JSON shape).

``LastResort`` turns any exception that escapes the app into a JSON error before a reply
has started, as the server's REST layer does (``RestException::initFromException``): a
database failure is 500 ``ERROR_CORE`` "SQL query error!", anything else 400
``ERROR_CORE``. Uncaught, Starlette would answer a plain-text 500 and uvicorn close the
kept-alive connection, so a client's next call on it would fail though it never ran.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import phpjson
from .errors import ApiError

__all__ = ["BodyLimits", "LastResort", "send_error"]

_log = logging.getLogger("oint.emulator")
_HEADERS = [
    (b"content-type", b"application/json; charset=utf-8"),
    (b"access-control-allow-origin", b"*"),
    (b"x-content-type-options", b"nosniff"),
]


async def send_error(send: Send, error: ApiError, close: bool = False) -> None:
    body = phpjson.dumps(error.payload())
    headers = [*_HEADERS, (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimits:
    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float,
                 exempt: Callable[[Scope], bool] = lambda scope: False) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.exempt = exempt  # requests whose handler streams the body, with its own limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.exempt(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        try:
            async with _deadline(self.timeout):
                more = True
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size <= self.max_bytes:
                        chunks.append(chunk)
                    more = message.get("more_body", False)
        except TimeoutError:
            await send_error(send, ApiError(
                "REQUEST_TIMEOUT", f"Request Time-out: the request's body did not arrive "
                f"whole within {self.timeout:g} s (oint emulator --body-timeout)", 408),
                close=True)
            return
        if size > self.max_bytes:
            await send_error(send, ApiError(
                "REQUEST_ENTITY_TOO_LARGE", f"Request Entity Too Large: the request's body is "
                f"over {self.max_bytes} bytes (oint emulator --max-body)", 413))
            return
        await self.app(scope, _replay(b"".join(chunks), receive), send)


if sys.version_info >= (3, 11):
    _deadline = asyncio.timeout
else:  # pragma: no cover - Python 3.10

    @contextlib.asynccontextmanager
    async def _deadline(seconds: float) -> AsyncIterator[None]:
        task = asyncio.current_task()
        assert task is not None
        fired = False

        def fire() -> None:
            nonlocal fired
            fired = True
            task.cancel()

        timer = asyncio.get_running_loop().call_later(seconds, fire)
        try:
            yield
        except asyncio.CancelledError:
            if fired:
                raise TimeoutError from None
            raise
        finally:
            timer.cancel()


def _replay(body: bytes, receive: Receive) -> Receive:
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()  # what comes after the body: the disconnect
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


class LastResort:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            if started:
                raise  # half a reply is out: only closing the connection can end it
            # The last segment only: a webhook's code is earlier in the path.
            where = str(scope.get("path", "")).rstrip("/").rsplit("/", 1)[-1]
            _log.error("unexpected %s on %s", type(exc).__name__, where, exc_info=exc)
            if isinstance(exc, sqlite3.Error):
                error = ApiError("ERROR_CORE", "SQL query error!", 500)
            else:
                error = ApiError("ERROR_CORE", "The portal could not handle this request "
                                 f"({type(exc).__name__})")
            await send_error(send, error)
