"""What the sync and async clients share: reading replies, and the reliability state.

Nothing here does I/O, so both clients run exactly the same request and envelope logic and
differ only in how they send. Building and showing requests is ``RequestBuilder``'s.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

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
from .._spec import ApiRequest, DownloadRequest, ServiceRequest, Step
from .endpoint import Endpoint
from .requests import RequestBuilder, origin
from .wire import HttpReply, PreparedCall

if TYPE_CHECKING:
    from .._auth.oauth import OAuthApp, OAuthSession, TokenRequest

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_RETRY",
    "ClientCore",
]

DEFAULT_LIMITS = Limits.standard()
DEFAULT_RETRY = Retry()
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


# httpx exception names that prove the request never left this machine.
_NOT_SENT = frozenset({"ConnectError", "ConnectTimeout", "PoolTimeout", "UnsupportedProtocol"})


class ClientCore(RequestBuilder):
    """Endpoint, request building, reply interpretation, redaction and the reliability
    state every thread or task of one client shares: limits, retry policy, OAuth tokens.

    ``url`` None makes a client for service requests only (the OAuth server of GetToken
    and RefreshToken): it has no portal to call.
    """

    def __init__(
        self,
        url: str | None,
        token: str | None = None,
        *,
        debug: Callable[[str], None] | None = None,
        limits: Limits | None = DEFAULT_LIMITS,
        retry: Retry | None = DEFAULT_RETRY,
        oauth: OAuthApp | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._clock = clock or SystemClock()
        self._random = random.Random()
        self.limiter = Limiter(limits, self._clock) if limits is not None else None
        # Even without limits, a 429 is retried after the reset the replies announced.
        self.operating = (self.limiter.operating if self.limiter is not None
                          else OperatingWindow(DEFAULT_LIMITS, self._clock))
        self.retry = retry
        self.oauth: OAuthSession | None = None
        if url is None:
            if oauth is not None or token:
                raise UsageError("a token or OAuth app needs the portal's domain")
            super().__init__(None, debug)
            return
        if oauth is None:
            super().__init__(Endpoint.parse(url, token), debug)
            return
        # Without an access token yet, the first call refreshes before it is sent.
        probe = Endpoint.parse(url, token or "pending")
        if probe.webhook_code:
            raise UsageError("OAuth needs the portal's domain, not a webhook URL")
        from .._auth.oauth import OAuthSession  # only OAuth clients need the machinery

        self.oauth = OAuthSession(oauth, urlsplit(probe.base).netloc)
        stored = self.oauth.tokens
        # A token from the store is newer than one from the caller's configuration.
        token = stored.access_token if stored else token
        super().__init__(replace(probe, token=token or None), debug)

    @property
    def secrets(self) -> tuple[str, ...]:
        oauth = self.oauth.secrets if self.oauth is not None else ()
        portal = self._endpoint.secrets if self._endpoint is not None else ()
        return (*portal, *oauth)

    def interpret(self, call: PreparedCall, status: int, content: bytes) -> Any:
        method = call.request.method
        if self._debug is not None:
            self._debug(f"HTTP {status}, {len(content)} bytes")
        request = call.request
        if isinstance(request, ServiceRequest) and request.reply is not None:
            return request.reply(status, content)
        if isinstance(request, DownloadRequest) and status == 200:
            # The body went into the file (the client's download path); its size is there.
            import os

            saved = {"path": request.path, "size": os.path.getsize(request.path)}
            return Response({"result": saved}, method)
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
        response: Response[Any] = Response(payload, method)
        if isinstance(request, ApiRequest) and request.transform is not None:
            response = response.with_result(request.transform(response.result))
        return response

    def transport_failure(self, call: PreparedCall, exc: Exception) -> TransportError:
        """Our error for an httpx failure, its text redacted and its cause not chained."""
        request = call.request
        method = request.method
        hidden = request.secrets if isinstance(request, (ServiceRequest, DownloadRequest)) else ()
        kind = type(exc).__name__
        detail = self.redact(str(exc), hidden) or kind
        where = (self.redact(self.endpoint.base) if isinstance(request, ApiRequest)
                 else "://".join(origin(call.url)))
        if kind in _NOT_SENT:
            return TransportError(f"cannot reach {where} ({kind}: {detail})", method=method)
        if request.reads:
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

    def retry_delay(self, error: OintError, request: Step, attempt: int) -> float | None:
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

    def refresh_request(self) -> TokenRequest:
        assert self.oauth is not None
        request = self.oauth.request()
        self.note(f"refreshing the access token: {request.describe()}")
        return request

    def refresh_failure(self, request: TokenRequest, exc: Exception) -> TransportError:
        from .._auth.oauth import transport_failure

        return transport_failure(request, exc)

    def accept_tokens(self, status: int, content: bytes) -> None:
        assert self.oauth is not None
        tokens = self.oauth.accept(status, content)
        self.endpoint = replace(self.endpoint, token=tokens.access_token)
        self.note("the access token was refreshed and the rotated pair stored")

