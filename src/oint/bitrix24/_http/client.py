"""The synchronous client: one connection pool, every operation as a method."""

from __future__ import annotations

import ssl
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from types import TracebackType
from typing import Any, TypeVar

import httpx

from .._auth.oauth import OAuthApp
from .._bulk.batch import BatchOutcome, BatchPlan, Call
from .._bulk.pacing import Pacer
from .._bulk.paging import ListWalk, Strategy, list_request
from .._bulk.plans import DEFAULT_WINDOW, WALK_WINDOW, Plan
from .._errors import OintError
from .._operations_sync import SyncOperations
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

__all__ = ["Client"]

T = TypeVar("T")


class Client(ClientCore, SyncOperations):
    """A Bitrix24 portal, reached through a webhook URL or a domain plus an OAuth token.

    >>> with Client("https://portal.bitrix24.com/rest/1/code") as b24:
    ...     chat_id = b24.create_chat({"TITLE": "Deal 42", "USERS": [1, 10]}).result

    One client may be shared by any number of threads: they share its connection pool,
    its leaky bucket (``limits``) and, with OAuth, one token refresh at a time.
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
        http_client: httpx.Client | None = None,
        limits: Limits | None = DEFAULT_LIMITS,
        retry: Retry | None = DEFAULT_RETRY,
        oauth: OAuthApp | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(
            url, token, debug=debug, limits=limits, retry=retry, oauth=oauth, clock=clock
        )
        self._refresh_lock = threading.Lock()
        self._http = http_client or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            headers=HEADERS,
            follow_redirects=False,
            transport=httpx.HTTPTransport(
                verify=tls_verification(verify), socket_options=SOCKET_OPTIONS
            ),
        )

    def execute(self, request: ApiRequest) -> Response[Any]:
        """Send one prepared request, with the limits, retries and token refresh of this
        client, and return its envelope, or raise its error."""
        flow = call_flow(self, request)
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
            return finished.value  # type: ignore[no-any-return]

    def _send(self, call: PreparedCall) -> HttpReply | Exception:
        try:
            reply = self._http.post(call.url, content=call.content)
        except httpx.HTTPError as exc:
            return exc
        return HttpReply(reply.status_code, reply.content, reply.headers.get("location"))

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
                try:
                    reply = self._http.get(request.url, params=request.params)
                except httpx.HTTPError as exc:
                    raise self.refresh_failure(request, exc) from None
                self.accept_tokens(reply.status_code, reply.content)
            finally:
                if shared is not None:
                    shared.release()

    def call(
        self, method: str, params: Mapping[str, Any] | None = None, *, reads: bool = False
    ) -> Response[Any]:
        """Call any REST method by name. ``reads=True`` marks it safe to repeat."""
        return self.execute(ApiRequest(method, dict(params or {}), reads=reads))

    def _run(self, operation: Operation, args: dict[str, Any]) -> Any:
        return self.execute(operation.request(args))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
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
        calls, read lazily). Batches go out as fast as the bucket admits them, at most
        ``window`` in flight."""
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
        ID cursor with ``start=-1``. Batches go out as fast as the bucket admits them, at
        most ``window`` in flight and about 12 MB of replies (whole records: four batches).
        """
        return self._drive(ListWalk(list_request(request, params), strategy=strategy), window)
