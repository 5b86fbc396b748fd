"""What the sync and async clients share: building the HTTP call and reading the reply.

Nothing here does I/O, so both clients run exactly the same request and envelope logic and
differ only in how they send.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import __version__
from ._endpoint import REDACTED, Endpoint
from ._errors import (
    OutcomeUnknownError,
    TransportError,
    UsageError,
    api_error,
)
from ._response import Response
from ._spec import ApiRequest

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "HEADERS",
    "SOCKET_OPTIONS",
    "ClientCore",
    "PreparedCall",
]

# The cloud stops a request after 60 s, so waiting longer for a reply gains nothing.
DEFAULT_TIMEOUT = 60.0
DEFAULT_CONNECT_TIMEOUT = 10.0
HEADERS = {
    "Accept": "application/json",
    "Content-Type": "application/json; charset=utf-8",
    "User-Agent": f"oint/{__version__}",
}

# httpcore writes a request's head and body separately; without TCP_NODELAY the second
# small write may wait for the peer's delayed ACK (up to 40 ms a call on Linux).
SOCKET_OPTIONS = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]

# httpx exception names that prove the request never left this machine.
_NOT_SENT = frozenset({"ConnectError", "ConnectTimeout", "PoolTimeout", "UnsupportedProtocol"})


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise UsageError(f"cannot send a value of type {type(value).__name__} as JSON")


def encode_body(body: Mapping[str, Any]) -> bytes:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    return text.encode()


@dataclass(frozen=True)
class PreparedCall:
    request: ApiRequest
    url: str
    content: bytes


class ClientCore:
    """Endpoint, request building, reply interpretation and redaction."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        debug: Callable[[str], None] | None = None,
    ) -> None:
        self.endpoint = Endpoint.parse(url, token)
        self._debug = debug

    def prepare(self, request: ApiRequest) -> PreparedCall:
        # None means "not sent"; 0, False and "" are values and go out as given.
        body = {key: value for key, value in request.params.items() if value is not None}
        if self.endpoint.token:
            body["auth"] = self.endpoint.token
        content = encode_body(body)
        call = PreparedCall(request, self.endpoint.url_for(request.method), content)
        if self._debug is not None:
            self._debug(self.describe(call))
        return call

    def describe(self, call: PreparedCall) -> str:
        """The call as text with every secret hidden (for --debug and --test)."""
        return json.dumps(self.describe_json(call), ensure_ascii=False)

    def describe_json(self, call: PreparedCall) -> dict[str, Any]:
        body = json.loads(call.content)
        if self.endpoint.token:
            body["auth"] = REDACTED
        return {"method": "POST", "url": self.endpoint.redact(call.url), "body": body}

    def interpret(self, call: PreparedCall, status: int, content: bytes) -> Response[Any]:
        method = call.request.method
        if self._debug is not None:
            self._debug(f"HTTP {status}, {len(content)} bytes")
        try:
            payload = json.loads(content) if content else None
        except ValueError:
            payload = None
        if isinstance(payload, dict) and "error" in payload and "result" not in payload:
            raise api_error(payload, status=status, method=method)
        if 300 <= status < 400:
            raise TransportError(
                f"the portal answered HTTP {status} (a redirect) to {method}", method=method,
                sent=True,
            )
        if not isinstance(payload, dict) or status >= 400:
            raise api_error(
                {
                    "error": "ERROR_UNEXPECTED_ANSWER",
                    "error_description": f"Server returned an unexpected response (HTTP {status})",
                },
                status=status,
                method=method,
            )
        return Response(payload, method)

    def transport_failure(self, call: PreparedCall, exc: Exception) -> TransportError:
        """Our error for an httpx failure, its text redacted and its cause not chained."""
        method = call.request.method
        kind = type(exc).__name__
        detail = self.endpoint.redact(str(exc)) or kind
        where = self.endpoint.display
        if kind in _NOT_SENT:
            return TransportError(f"cannot reach {where} ({kind}: {detail})", method=method)
        if call.request.reads:
            return TransportError(
                f"no reply from {where} to {method} ({kind}: {detail})", method=method, sent=True
            )
        return OutcomeUnknownError(
            f"no reply from {where} to {method} ({kind}: {detail}); the call may have run on "
            "the portal, so it was not repeated: check before sending it again",
            method=method,
            sent=True,
        )
