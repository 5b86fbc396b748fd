"""The synchronous client's machinery: one connection pool, the call flow driven with
threads and ``time.sleep``. ``Client`` adds every operation as a typed method; the CLI uses
this base, which loads no region."""

from __future__ import annotations

import ssl
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
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
from .download import fetch_to_file
from .reply import ReplyReader, ReplyTooLarge
from .wire import HttpReply, PreparedCall

if TYPE_CHECKING:
    from .._auth.oauth import OAuthApp

__all__ = ["BaseClient"]

T = TypeVar("T")
_Self = TypeVar("_Self", bound="BaseClient")


class BaseClient(ClientCore):
    """``Client`` without the per-operation methods (see ``Client``)."""

    def __init__(
        self,
        url: str | None,
        token: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        verify: bool | str | ssl.SSLContext = True,
        debug: Callable[[str], None] | None = None,
        http_client: httpx.Client | None = None,
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
        self._refresh_lock = threading.Lock()
        self._http = http_client or build_http(
            httpx.Client, httpx.HTTPTransport, timeout=timeout, connect_timeout=connect_timeout,
            verify=verify,
        )

    def execute(self, request: ApiRequest) -> Response[Any]:
        """Send one prepared request, with the limits, retries and token refresh of this
        client, and return its envelope, or raise its error."""
        response: Response[Any] = self.drive(call_flow(self, request))
        return response

    def run(self, operation: Operation, args: Mapping[str, Any] | None = None) -> Any:
        """Run any declared operation (``operations.find("CreateChat")``) with its arguments
        by Python name: one request, the steps of a multi-request operation, or nothing
        for a local one."""
        if operation.is_local:
            return operation.run_local(args or {})
        return self.drive(plan_flow(self, operation.plan(args or {})))

    def _run(self, operation: Operation, args: dict[str, Any]) -> Any:
        return self.run(operation, args)

    def drive(self, flow: CallFlow) -> Any:
        """Run a flow to its end: send, wait and refresh as it asks; its result."""
        done: HttpReply | Exception | None = None
        try:
            while True:
                action = flow.send(done)
                done = None
                if isinstance(action, Send):
                    done = self._send(action.call)
                elif isinstance(action, Wait):
                    time.sleep(action.seconds)
                else:
                    self._refresh(action.stale)
        except StopIteration as finished:
            return finished.value

    def _send(self, call: PreparedCall) -> HttpReply | Exception:
        if isinstance(call.request, DownloadRequest):
            return fetch_to_file(self._http, call)
        content = call.content
        body = content.chunks() if isinstance(content, MultipartBody) else content
        return self._exchange(call.url, body, call.deadline, call.headers())

    def _exchange(
        self, url: str, content: bytes | Iterator[bytes], deadline: float | None,
        headers: dict[str, str],
    ) -> HttpReply | Exception:
        """One POST and its whole reply, within the attempt's time and the reply size cap;
        the failure is returned, for the call flow to judge."""
        reader = ReplyReader(self.max_reply_bytes)
        with attempt_deadline(self.attempt_end(deadline)):
            try:
                with self._http.stream("POST", url, content=content, headers=headers
                                       ) as reply:
                    reader.start(reply.status_code, reply.headers)
                    for chunk in reply.iter_bytes():
                        reader.add(chunk)
                        if over():  # when the transport could not be bounded
                            raise httpx.ReadTimeout("the attempt's time is up")
            except (httpx.HTTPError, httpx.InvalidURL, ReplyTooLarge) as exc:
                return exc
        return reader.reply()

    def _refresh(self, stale: str | None) -> None:
        # One refresh for all threads: the others wait here and then find a fresh token.
        with self._refresh_lock:
            if not self.needs_refresh(stale):
                return
            # And one for all processes, when the token store is shared (Redis).
            shared = self.shared_refresh_lock()
            if shared is not None:
                shared.acquire()
            try:
                if shared is not None and self.adopt_stored(stale):
                    return
                request = self.refresh_request()
                # The secrets go in a form body, never in a URL that a proxy or a log keeps.
                reply = self._exchange(request.url, request.body(), None,
                                       {"Content-Type": FORM})
                if isinstance(reply, Exception):
                    raise self.refresh_failure(request, reply) from None
                self.accept_tokens(reply.status, reply.content)
            finally:
                if shared is not None:
                    shared.release()

    def call(
        self, method: str, params: Mapping[str, Any] | None = None, *, reads: bool = False
    ) -> Response[Any]:
        """Call any REST method by name. ``reads=True`` marks it safe to repeat."""
        return self.execute(ApiRequest(method, dict(params or {}), reads=reads))

    def close(self) -> None:
        self._http.close()

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # Throughput: the plans (_batch, _paging) decide what to send; these only send.

    def _attempt(self, request: ApiRequest) -> Response[Any] | OintError:
        # The pacer took this request's bucket slot already (see _bulk.pacing).
        with prepaid():
            try:
                return self.execute(request)
            except OintError as exc:
                return exc

    def _drive(self, plan: Plan[T], window: int) -> Iterator[T]:
        pacer = Pacer(plan, self.limiter, window)
        pool = ThreadPoolExecutor(max_workers=window, thread_name_prefix="oint")
        pending: deque[Future[Response[Any] | OintError]] = deque()
        try:
            while True:
                for request in pacer.launch():
                    pending.append(pool.submit(self._attempt, request))
                if pacer.finished:
                    return
                if not pending:
                    time.sleep(pacer.pause or 0.0)
                    continue
                wait((pending[0],), timeout=pacer.pause)
                if pending[0].done():
                    yield from pacer.accept(pending.popleft().result())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def iter_batch(
        self, calls: Iterable[Call] | Mapping[str, Call], *, halt: bool = False,
        window: int = DEFAULT_WINDOW,
    ) -> Iterator[BatchOutcome]:
        """``batch`` that yields each call's outcome as its batch comes back (any number of
        calls, read lazily; ``window`` batches in flight)."""
        return self._drive(BatchPlan(calls, halt=halt), window)

    def batch(
        self, calls: Iterable[Call] | Mapping[str, Call], *, halt: bool = False,
        window: int = DEFAULT_WINDOW,
    ) -> list[BatchOutcome]:
        """Run any number of calls, 50 to a ``batch`` request; each call's outcome in order.

        A call is a request value (``calls.get_lead(5)``) or a ``(method, params)`` pair; give
        a mapping to name them for ``$result[name]`` references. An outcome is the call's
        ``Response``, its error (not raised), or None if ``halt`` stopped the batch first.
        """
        return list(self.iter_batch(calls, halt=halt, window=window))

    def iter_list(
        self, request: ApiRequest | str, params: Mapping[str, Any] | None = None, *,
        strategy: Strategy = "auto", window: int = WALK_WINDOW,
    ) -> Iterator[dict[str, Any]]:
        """Every record of a list method, in ID order, yielded as pages arrive.

        ``request`` is a list request value (``calls.get_leads_list({">ID": 5})``) or a method
        name; ``params`` adds parameters (``{"select": ["ID", "TITLE"]}``). With a known
        count, pages go out as parallel batches; without one (or ``strategy="cursor"``), by
        ID cursor with ``start=-1``. Memory holds ``window`` batches at most.
        """
        return self._drive(ListWalk(list_request(request, params), strategy=strategy), window)
