"""The synchronous client: one connection pool, every operation as a method."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

import httpx

from ._core import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT,
    HEADERS,
    SOCKET_OPTIONS,
    ClientCore,
)
from ._operations_sync import SyncOperations
from ._response import Response
from ._spec import ApiRequest, Operation

__all__ = ["Client"]


class Client(ClientCore, SyncOperations):
    """A Bitrix24 portal, reached through a webhook URL or a domain plus an OAuth token.

    >>> with Client("https://portal.bitrix24.com/rest/1/code") as b24:
    ...     chat_id = b24.create_chat({"TITLE": "Deal 42", "USERS": [1, 10]}).result
    """

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        verify: bool | str = True,
        debug: Callable[[str], None] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(url, token, debug=debug)
        self._http = http_client or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            headers=HEADERS,
            follow_redirects=False,
            transport=httpx.HTTPTransport(verify=verify, socket_options=SOCKET_OPTIONS),
        )

    def execute(self, request: ApiRequest) -> Response[Any]:
        """Send one prepared request and return its envelope, or raise its error."""
        call = self.prepare(request)
        try:
            reply = self._http.post(call.url, content=call.content)
        except httpx.HTTPError as exc:
            raise self.transport_failure(call, exc) from None
        return self.interpret(call, reply.status_code, reply.content)

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
