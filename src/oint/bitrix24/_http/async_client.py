"""The asyncio client: the same operations as ``Client``, awaited."""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, TypeVar

import httpx

from .._auth.oauth import OAuthApp
from .._bulk.batch import BatchOutcome, BatchPlan, Call
from .._bulk.pacing import Pacer
from .._bulk.paging import ListWalk, Strategy, list_request
from .._bulk.plans import DEFAULT_WINDOW, WALK_WINDOW, Plan
from .._errors import OintError
from .._operations_async import AsyncOperations
from .._reliability.flow import Send, Wait, call_flow
from .._reliability.limits import Clock, Limits, prepaid
from .._reliability.retry import Retry
from .._response import Response
from .._spec import ApiRequest, Operation
from .core import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_LIMITS,
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
    HEADERS,
    SOCKET_OPTIONS,
    ClientCore,
    tls_verification,
)
from .wire import HttpReply, PreparedCall

__all__ = ["AsyncClient"]

T = TypeVar("T")


class AsyncClient(ClientCore, AsyncOperations):
    """``Client`` for asyncio code; safe inside an already running event loop.

    Its tasks share one leaky bucket and, with OAuth, one token refresh at a time.
    """

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        verify: bool | str | ssl.SSLContext = True,
        debug: Callable[[str], None] | None = None,
        http_client: httpx.AsyncClient | None = None,
        limits: Limits | None = DEFAULT_LIMITS,
        retry: Retry | None = DEFAULT_RETRY,
        oauth: OAuthApp | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(
            url, token, debug=debug, limits=limits, retry=retry, oauth=oauth, clock=clock
        )
        self._refresh_lock = asyncio.Lock()
        self._http = http_client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            headers=HEADERS,
            follow_redirects=False,
            transport=httpx.AsyncHTTPTransport(
                verify=tls_verification(verify), socket_options=SOCKET_OPTIONS
            ),
        )

    async def execute(self, request: ApiRequest) -> Response[Any]:
        """Send one prepared request, with the limits, retries and token refresh of this
        client, and return its envelope, or raise its error."""
        flow = call_flow(self, request)
        done: HttpReply | Exception | None = None
        try:
            while True:
                action = flow.send(done)
                done = None
                if isinstance(action, Send):
                    done = await self._send(action.call)
                elif isinstance(action, Wait):
                    await asyncio.sleep(action.seconds)
                else:
                    await self._refresh(action.stale)
        except StopIteration as finished:
            return finished.value  # type: ignore[no-any-return]

    async def _send(self, call: PreparedCall) -> HttpReply | Exception:
        try:
            reply = await self._http.post(call.url, content=call.content)
        except httpx.HTTPError as exc:
            return exc
        return HttpReply(reply.status_code, reply.content, reply.headers.get("location"))

    async def _refresh(self, stale: str | None) -> None:
        # One refresh for all tasks: the others wait here and then find a fresh token.
        async with self._refresh_lock:
            if not self.needs_refresh(stale):
                return
            # And one for all processes, when the token store is shared (Redis); waiting
            # for it blocks, so not on the event loop's thread.
            shared = self.shared_refresh_lock()
            if shared is not None:
                await asyncio.to_thread(shared.acquire)
            try:
                if shared is not None and self.adopt_stored(stale):
                    return
                request = self.refresh_request()
                try:
                    reply = await self._http.get(request.url, params=request.params)
                except httpx.HTTPError as exc:
                    raise self.refresh_failure(request, exc) from None
                self.accept_tokens(reply.status_code, reply.content)
            finally:
                if shared is not None:
                    shared.release()

    async def call(
        self, method: str, params: Mapping[str, Any] | None = None, *, reads: bool = False
    ) -> Response[Any]:
        """Call any REST method by name. ``reads=True`` marks it safe to repeat."""
        return await self.execute(ApiRequest(method, dict(params or {}), reads=reads))

    async def _run(self, operation: Operation, args: dict[str, Any]) -> Any:
        return await self.execute(operation.request(args))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # Throughput: the plans (_batch, _paging) decide what to send; these only send.

    async def _attempt(self, request: ApiRequest) -> Response[Any] | OintError:
        # The pacer took this request's bucket slot already (see _bulk.pacing).
        with prepaid():
            try:
                return await self.execute(request)
            except OintError as exc:
                return exc

    async def _drive(self, plan: Plan[T], window: int) -> AsyncIterator[T]:
        pacer = Pacer(plan, self.limiter, window)
        pending: deque[asyncio.Task[Response[Any] | OintError]] = deque()
        try:
            while True:
                for request in pacer.launch():
                    pending.append(asyncio.ensure_future(self._attempt(request)))
                if pacer.finished:
                    return
                if not pending:
                    await asyncio.sleep(pacer.pause or 0.0)
                    continue
                await asyncio.wait((pending[0],), timeout=pacer.pause)
                if pending[0].done():
                    for item in pacer.accept(pending.popleft().result()):
                        yield item
        finally:
            for task in pending:
                task.cancel()

    def iter_batch(
        self, calls: Iterable[Call] | Mapping[str, Call], *, halt: bool = False,
        window: int = DEFAULT_WINDOW,
    ) -> AsyncIterator[BatchOutcome]:
        """``batch`` that yields each call's outcome as its batch comes back."""
        return self._drive(BatchPlan(calls, halt=halt), window)

    async def batch(
        self, calls: Iterable[Call] | Mapping[str, Call], *, halt: bool = False,
        window: int = DEFAULT_WINDOW,
    ) -> list[BatchOutcome]:
        """``Client.batch``, awaited."""
        return [outcome async for outcome in self.iter_batch(calls, halt=halt, window=window)]

    def iter_list(
        self, request: ApiRequest | str, params: Mapping[str, Any] | None = None, *,
        strategy: Strategy = "auto", window: int = WALK_WINDOW,
    ) -> AsyncIterator[dict[str, Any]]:
        """``Client.iter_list`` as an async iterator (``async for lead in b24.iter_list(...)``)."""
        return self._drive(ListWalk(list_request(request, params), strategy=strategy), window)
