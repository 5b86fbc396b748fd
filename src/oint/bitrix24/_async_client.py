"""The asyncio client: the same operations as ``Client``, awaited."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, TypeVar

import httpx

from ._batch import BatchOutcome, BatchPlan, Call
from ._core import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT,
    HEADERS,
    SOCKET_OPTIONS,
    ClientCore,
)
from ._errors import OintError
from ._operations_async import AsyncOperations
from ._paging import ListWalk, Strategy, list_request
from ._pipeline import DEFAULT_WINDOW, WALK_WINDOW, Plan
from ._response import Response
from ._spec import ApiRequest, Operation

__all__ = ["AsyncClient"]

T = TypeVar("T")


class AsyncClient(ClientCore, AsyncOperations):
    """``Client`` for asyncio code; safe inside an already running event loop."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        verify: bool | str = True,
        debug: Callable[[str], None] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(url, token, debug=debug)
        self._http = http_client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            headers=HEADERS,
            follow_redirects=False,
            transport=httpx.AsyncHTTPTransport(verify=verify, socket_options=SOCKET_OPTIONS),
        )

    async def execute(self, request: ApiRequest) -> Response[Any]:
        """Send one prepared request and return its envelope, or raise its error."""
        call = self.prepare(request)
        try:
            reply = await self._http.post(call.url, content=call.content)
        except httpx.HTTPError as exc:
            raise self.transport_failure(call, exc) from None
        return self.interpret(call, reply.status_code, reply.content)

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
        try:
            return await self.execute(request)
        except OintError as exc:
            return exc

    async def _drive(self, plan: Plan[T], window: int) -> AsyncIterator[T]:
        pending: deque[asyncio.Task[Response[Any] | OintError]] = deque()
        try:
            while True:
                for request in plan.next_requests(window - len(pending)):
                    pending.append(asyncio.ensure_future(self._attempt(request)))
                if not pending:
                    return
                for item in plan.accept(await pending.popleft()):
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
