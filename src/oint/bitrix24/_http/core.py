"""What the sync and async clients share: building the HTTP call and reading the reply.

Nothing here does I/O, so both clients run exactly the same request and envelope logic and
differ only in how they send.
"""

from __future__ import annotations

import json
import random
import socket
import ssl
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from ... import __version__
from .._auth.oauth import OAuthApp, OAuthSession, TokenRequest, transport_failure
from .._auth.token_store import RefreshLock
from .._errors import (
    OintError,
    OutcomeUnknownError,
    TimeLimitError,
    TransportError,
    UsageError,
    api_error,
)
from .._reliability.limits import Clock, Limiter, Limits, OperatingWindow, SystemClock
from .._reliability.retry import Retry
from .._response import Response
from .._spec import ApiRequest
from .._values import on_the_wire
from .endpoint import REDACTED, Endpoint, redact
from .wire import HttpReply, PreparedCall

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_LIMITS",
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "HEADERS",
    "SOCKET_OPTIONS",
    "ClientCore",
    "tls_verification",
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

DEFAULT_LIMITS = Limits.standard()
DEFAULT_RETRY = Retry()
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def tls_verification(verify: bool | str | ssl.SSLContext) -> bool | ssl.SSLContext:
    """``verify`` as httpx wants it: a CA bundle path becomes an SSL context."""
    if isinstance(verify, str):
        return ssl.create_default_context(cafile=verify)
    return verify


# httpx exception names that prove the request never left this machine.
_NOT_SENT = frozenset({"ConnectError", "ConnectTimeout", "PoolTimeout", "UnsupportedProtocol"})


def _json_default(value: Any) -> Any:
    converted = on_the_wire(value)
    if converted is not value:
        return converted
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise UsageError(f"cannot send a value of type {type(value).__name__} as JSON")


def encode_body(body: Mapping[str, Any]) -> bytes:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=_json_default)
    return text.encode()


class ClientCore:
    """Endpoint, request building, reply interpretation, redaction and the reliability
    state every thread or task of one client shares: limits, retry policy, OAuth tokens."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        debug: Callable[[str], None] | None = None,
        limits: Limits | None = DEFAULT_LIMITS,
        retry: Retry | None = DEFAULT_RETRY,
        oauth: OAuthApp | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._debug = debug
        self._clock = clock or SystemClock()
        self._random = random.Random()
        self.limiter = Limiter(limits, self._clock) if limits is not None else None
        # Even without limits, a 429 is retried after the reset the replies announced.
        self.operating = (self.limiter.operating if self.limiter is not None
                          else OperatingWindow(DEFAULT_LIMITS, self._clock))
        self.retry = retry
        self.oauth: OAuthSession | None = None
        if oauth is None:
            self.endpoint = Endpoint.parse(url, token)
            return
        # Without an access token yet, the first call refreshes before it is sent.
        probe = Endpoint.parse(url, token or "pending")
        if probe.webhook_code:
            raise UsageError("OAuth needs the portal's domain, not a webhook URL")
        self.oauth = OAuthSession(oauth, urlsplit(probe.base).netloc)
        stored = self.oauth.tokens
        # A token from the store is newer than one from the caller's configuration.
        token = stored.access_token if stored else token
        self.endpoint = replace(probe, token=token or None)

    @property
    def secrets(self) -> tuple[str, ...]:
        oauth = self.oauth.secrets if self.oauth is not None else ()
        return (*self.endpoint.secrets, *oauth)

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def note(self, text: str) -> None:
        """A line for --debug (already free of secrets)."""
        if self._debug is not None:
            self._debug(self.redact(text))

    def prepare(self, request: ApiRequest) -> PreparedCall:
        # None means "not sent"; 0, False and "" are values and go out as given.
        body = {key: value for key, value in request.params.items() if value is not None}
        endpoint = self.endpoint  # one snapshot: a refresh or a move may swap it meanwhile
        if endpoint.token:
            body["auth"] = endpoint.token
        content = encode_body(body)
        call = PreparedCall(request, endpoint.url_for(request.method), content, endpoint.token)
        if self._debug is not None:
            self._debug(self.describe(call))
        return call

    def describe(self, call: PreparedCall) -> str:
        """The call as text with every secret hidden (for --debug and --test)."""
        return json.dumps(self.describe_json(call), ensure_ascii=False)

    def describe_json(self, call: PreparedCall) -> dict[str, Any]:
        body = json.loads(call.content)
        if "auth" in body and call.token:
            body["auth"] = REDACTED
        return {"method": "POST", "url": self.redact(call.url), "body": body}

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
        detail = self.redact(str(exc)) or kind
        where = self.redact(self.endpoint.base)
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

    # reliability: decisions the call flow asks for (no I/O)

    def retry_delay(self, error: OintError, request: ApiRequest, attempt: int) -> float | None:
        if self.retry is None:
            return None
        until_reset = None
        if isinstance(error, TimeLimitError):
            reset_at = self.operating.reset_at(request.method)
            until_reset = reset_at - self._clock.time() if reset_at is not None else None
        return self.retry.delay(
            error, attempt=attempt, reads=request.reads, until_reset=until_reset,
            random=self._random.random(),
        )

    def follow_move(self, outcome: HttpReply) -> bool:
        """On a redirect from a portal whose address changed, point the client at the new
        address (scheme and host; the path stays) and say so; else change nothing."""
        if outcome.status not in _REDIRECTS or not outcome.location:
            return False
        target = urlsplit(outcome.location)
        current = urlsplit(self.endpoint.base)
        if target.scheme not in ("http", "https") or not target.netloc:
            return False
        if current.scheme == "https" and target.scheme == "http":
            return False  # never hand the credentials to a plain-text address
        if (target.scheme, target.netloc) == (current.scheme, current.netloc):
            return False
        base = f"{target.scheme}://{target.netloc}{current.path}"
        self.note(f"the portal moved: {self.redact(self.endpoint.base)} -> {self.redact(base)}")
        self.endpoint = replace(self.endpoint, base=base)
        return True

    def needs_refresh(self, stale: str | None) -> bool:
        """Whether a caller that saw ``stale`` must refresh: no, if another one already did."""
        return self.oauth is not None and self.endpoint.token == stale

    def shared_refresh_lock(self) -> RefreshLock | None:
        """The token store's lock across processes, if it is shared by several."""
        return self.oauth.shared_lock() if self.oauth is not None else None

    def adopt_stored(self, stale: str | None) -> bool:
        """Under the shared lock: whether another process already refreshed ``stale``; if
        so, its pair is now this client's too."""
        assert self.oauth is not None
        tokens = self.oauth.catch_up(stale)
        if tokens is None:
            return False
        self.endpoint = replace(self.endpoint, token=tokens.access_token)
        self.note("another process refreshed the access token: using the stored pair")
        return True

    def refresh_request(self) -> TokenRequest:
        assert self.oauth is not None
        request = self.oauth.request()
        self.note(f"refreshing the access token: {request.describe()}")
        return request

    def refresh_failure(self, request: TokenRequest, exc: Exception) -> TransportError:
        return transport_failure(request, exc)

    def accept_tokens(self, status: int, content: bytes) -> None:
        assert self.oauth is not None
        tokens = self.oauth.accept(status, content)
        self.endpoint = replace(self.endpoint, token=tokens.access_token)
        self.note("the access token was refreshed and the rotated pair stored")

