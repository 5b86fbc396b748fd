"""The asyncio client's machinery: the call flow driven with tasks and ``asyncio.sleep``.
``AsyncClient`` adds every operation as a typed, awaited method."""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from .._bulk.batch import BatchOutcome, BatchPlan, Call
from .._bulk.pacing import Pacer
from .._bulk.paging import ListWalk, Strategy, list_request
from .._bulk.plans import DEFAULT_WINDOW, WALK_WINDOW, Plan
from .._errors import OintError
from .._reliability.flow import CallFlow, Send, Wait, call_flow, plan_flow
from .._reliability.limits import Clock, Limits, prepaid
from .._reliability.retry import Retry
from .._response import Response
from .._spec import ApiRequest, DownloadRequest, Operation
from .bodies import FORM, MultipartBody
from .connection import build_http
from .core import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_DEADLINE,
    DEFAULT_LIMITS,
    DEFAULT_MAX_REPLY_BYTES,
    DEFAULT_RETRY,
    DEFAULT_TIMEOUT,
    ClientCore,
)
from .deadline import attempt_deadline, over
from .download import fetch_to_file_async
from .reply import ReplyReader, ReplyTooLarge
from .wire import HttpReply, PreparedCall

if TYPE_CHECKING:
    from .._auth.oauth import OAuthApp

__all__ = ["BaseAsyncClient"]

T = TypeVar("T")
_Self = TypeVar("_Self", bound="BaseAsyncClient")


class BaseAsyncClient(ClientCore):
    """``AsyncClient`` without the per-operation methods (see ``AsyncClient``)."""

    def __init__(
        self,
        url: str | None,
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
        deadline: float | None = DEFAULT_DEADLINE,
        max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
        follow_moves: bool = False,
    ) -> None:
        super().__init__(
            url, token, debug=debug, limits=limits, retry=retry, oauth=oauth, clock=clock,
            timeout=timeout, deadline=deadline, max_reply_bytes=max_reply_bytes,
            follow_moves=follow_moves,
        )
        self._refresh_lock = asyncio.Lock()
        self._http = http_client or build_http(
            httpx.AsyncClient, httpx.AsyncHTTPTransport, timeout=timeout,
            connect_timeout=connect_timeout, verify=verify,
        )

    async def execute(self, request: ApiRequest) -> Response[Any]:
        """Send one prepared request, with the limits, retries and token refresh of this
        client, and return its envelope, or raise its error."""
        response: Response[Any] = await self.drive(call_flow(self, request))
        return response

    async def run(self, operation: Operation, args: Mapping[str, Any] | None = None) -> Any:
        """Run any declared operation (``operations.find("CreateChat")``) with its arguments
        by Python name: one request, the steps of a multi-request operation, or nothing
        for a local one."""
        if operation.is_local:
            return operation.run_local(args or {})
        return await self.drive(plan_flow(self, operation.plan(args or {})))

    async def _run(self, operation: Operation, args: dict[str, Any]) -> Any:
        return await self.run(operation, args)

    async def drive(self, flow: CallFlow) -> Any:
        """Run a flow to its end: send, wait and refresh as it asks; its result."""
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
            return finished.value

    async def _send(self, call: PreparedCall) -> HttpReply | Exception:
        if isinstance(call.request, DownloadRequest):
            return await fetch_to_file_async(self._http, call)
        content = call.content
        body = _pieces(content) if isinstance(content, MultipartBody) else content
        return await self._exchange(call.url, body, call.deadline, call.headers())

    async def _exchange(
        self, url: str, content: bytes | AsyncIterator[bytes], deadline: float | None,
        headers: dict[str, str],
    ) -> HttpReply | Exception:
        """One POST and its whole reply, within the attempt's time and the reply size cap;
        the failure is returned, for the call flow to judge."""
        reader = ReplyReader(self.max_reply_bytes)
        with attempt_deadline(self.attempt_end(deadline)):
            try:
                async with self._http.stream("POST", url, content=content, headers=headers
                                             ) as reply:
                    reader.start(reply.status_code, reply.headers)
                    async for chunk in reply.aiter_bytes():
                        reader.add(chunk)
                        if over():  # when the transport could not be bounded
                            raise httpx.ReadTimeout("the attempt's time is up")
            except (httpx.HTTPError, httpx.InvalidURL, ReplyTooLarge) as exc:
                return exc
        return reader.reply()

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
                # The secrets go in a form body, never in a URL that a proxy or a log keeps.
                reply = await self._exchange(request.url, request.body(), None,
                                             {"Content-Type": FORM})
                if isinstance(reply, Exception):
                    raise self.refresh_failure(request, reply) from None
                self.accept_tokens(reply.status, reply.content)
            finally:
                if shared is not None:
                    shared.release()

    async def call(
        self, method: str, params: Mapping[str, Any] | None = None, *, reads: bool = False
    ) -> Response[Any]:
        """Call any REST method by name. ``reads=True`` marks it safe to repeat."""
        return await self.execute(ApiRequest(method, dict(params or {}), reads=reads))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self: _Self) -> _Self:
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


async def _pieces(body: MultipartBody) -> AsyncIterator[bytes]:
    # httpx's async client streams only async iterables; the pieces are small reads.
    for piece in body.chunks():
        yield piece
