"""What the sync and async clients share: reading replies, and the reliability state.

Nothing here does I/O, so both clients run exactly the same request and envelope logic and
differ only in how they send. Building and showing requests is ``RequestBuilder``'s.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .._errors import (
    DeadlineError,
    OintError,
    OutcomeUnknownError,
    ReplyTooLargeError,
    TimeLimitError,
    TransportError,
    UsageError,
    api_error,
)
from .._reliability.limits import Clock, Limiter, Limits, OperatingWindow, SystemClock
from .._reliability.retry import Retry
from .._response import Response
from .._spec import ApiRequest, DownloadRequest, ServiceRequest, Step
from . import logs
from .endpoint import Endpoint
from .moves import move_target
from .reply import ReplyTooLarge, read_json, redact_json
from .requests import RequestBuilder, origin
from .wire import HttpReply, PreparedCall

if TYPE_CHECKING:
    from .._auth.oauth import OAuthApp, OAuthSession, TokenRequest
    from .._auth.token_store import RefreshLock

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_DEADLINE",
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_REPLY_BYTES",
    "DEFAULT_RETRY",
    "DEFAULT_TIMEOUT",
    "ClientCore",
]

# One attempt (connect, send, the whole reply): the cloud stops a request after 60 s, so
# waiting longer for a reply gains nothing.
DEFAULT_TIMEOUT = 60.0
DEFAULT_CONNECT_TIMEOUT = 10.0
# One call, all its attempts and every wait between them: a full operating window (10 min).
DEFAULT_DEADLINE = 600.0
# A batch of 50 list pages is a few MB; far more is not a Bitrix24 reply worth holding.
DEFAULT_MAX_REPLY_BYTES = 64 * 1024 * 1024
DEFAULT_LIMITS = Limits.standard()
DEFAULT_RETRY = Retry()
REDIRECTS = frozenset({301, 302, 303, 307, 308})

# Moves the client followed: a warning, so that it reaches stderr even when the application
# configured no logging (Python's last-resort handler prints warnings).
_log = logging.getLogger("oint.bitrix24")

# httpx exception names that prove the request never left this machine.
_NOT_SENT = frozenset({
    "ConnectError", "ConnectTimeout", "PoolTimeout", "UnsupportedProtocol", "InvalidURL",
})


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
        timeout: float = DEFAULT_TIMEOUT,
        deadline: float | None = DEFAULT_DEADLINE,
        max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
        follow_moves: bool = False,
    ) -> None:
        if timeout <= 0 or (deadline is not None and deadline <= 0) or max_reply_bytes <= 0:
            raise UsageError("timeout, deadline and max_reply_bytes must be positive")
        self.timeout = timeout
        self.deadline = deadline
        self.max_reply_bytes = max_reply_bytes
        self.follow_moves = follow_moves
        self._endpoint = None  # the log filter may ask for the secrets mid-construction
        self._clock = clock or SystemClock()
        self._random = random.Random()
        self.limiter = Limiter(limits, self._clock) if limits is not None else None
        # Even without limits, a 429 is retried after the reset the replies announced.
        self.operating = (self.limiter.operating if self.limiter is not None
                          else OperatingWindow(DEFAULT_LIMITS, self._clock))
        self.retry = retry
        self.oauth: OAuthSession | None = None
        logs.watch(self)  # the HTTP stack's log records hide this client's secrets
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

    def __repr__(self) -> str:
        endpoint = self._endpoint
        return f"<{type(self).__name__} {endpoint.display if endpoint else ''}>"

    # time limits

    def start_deadline(self) -> float | None:
        """When a call that starts now must be over (``time.monotonic()``), if ever."""
        return None if self.deadline is None else time.monotonic() + self.deadline

    def attempt_end(self, deadline: float | None) -> float:
        """When an attempt that starts now must be over: its own time, within the call's."""
        end = time.monotonic() + self.timeout
        return end if deadline is None else min(end, deadline)

    def wait_within(self, seconds: float, deadline: float | None, method: str, why: str
                    ) -> float:
        """``seconds`` to wait before sending, unless that would pass the call's deadline."""
        if deadline is not None and time.monotonic() + seconds >= deadline:
            raise DeadlineError(
                f"{method} was not sent: waiting {seconds:.1f} s {why} would pass the call's "
                f"deadline ({self.deadline:g} s)", method=method,
            )
        return seconds

    def interpret(self, call: PreparedCall, status: int, content: bytes) -> Any:
        request = call.request
        method = request.method
        if self._debug is not None:
            self._debug(f"HTTP {status}, {len(content)} bytes")
        if isinstance(request, ServiceRequest) and request.reply is not None:
            return request.reply(status, content)
        if isinstance(request, DownloadRequest) and status == 200:
            # The body went into the file (the client's download path); its size is there.
            import os

            saved = {"path": request.path, "size": os.path.getsize(request.path)}
            return Response({"result": saved}, method)
        payload, unreadable = read_json(content)
        if isinstance(payload, dict) and "error" in payload and "result" not in payload:
            # A server may echo the request, credentials included, in its description.
            raise api_error(self._hide(payload), status=status, method=method)
        if 300 <= status < 400:
            raise TransportError(
                f"the portal answered HTTP {status} (a redirect) to {method}", method=method,
                sent=True,
            )
        if not isinstance(payload, dict) or status >= 400:
            why = unreadable or ("not a JSON object" if not isinstance(payload, dict)
                                 else "no error code")
            if not request.reads and (status < 300 or status >= 500):
                # It got to the portal, and a success or a crash may follow the work done.
                raise OutcomeUnknownError(
                    f"the reply from {self._where(call)} to {method} could not be read "
                    f"(HTTP {status}, {why}); the call may have run on the portal, so it was "
                    "not repeated: check before sending it again",
                    method=method, sent=True,
                )
            raise api_error(
                {
                    "error": "ERROR_UNEXPECTED_ANSWER",
                    "error_description": f"Server returned an unexpected response "
                                         f"(HTTP {status}, {why})",
                },
                status=status,
                method=method,
            )
        if method == "batch":
            payload = self._hide_batch_errors(payload)
        response: Response[Any] = Response(payload, method)
        if isinstance(request, ApiRequest) and request.transform is not None:
            response = response.with_result(request.transform(response.result))
        return response

    def _hide(self, payload: dict[str, Any]) -> dict[str, Any]:
        try:
            hidden: dict[str, Any] = redact_json(payload, self.secrets)
        except RecursionError:  # only the error's own words survive a hostile nesting
            hidden = {key: self.redact(str(payload.get(key, "")))
                      for key in ("error", "error_description")}
        return hidden

    def _hide_batch_errors(self, payload: dict[str, Any]) -> dict[str, Any]:
        body = payload.get("result")
        if not isinstance(body, dict) or not body.get("result_error"):
            return payload
        errors = body["result_error"]
        hidden = self._hide({"e": errors})["e"] if isinstance(errors, (dict, list)) else {}
        return {**payload, "result": {**body, "result_error": hidden}}

    def _where(self, call: PreparedCall) -> str:
        """The address a call went to, for messages: the portal's base, or a service's
        origin (an upload URL carries a signature)."""
        if isinstance(call.request, ApiRequest):
            return self.redact(self.endpoint.base)
        return "://".join(origin(call.url))

    def transport_failure(self, call: PreparedCall, exc: Exception) -> OintError:
        """Our error for an httpx failure, its text redacted and its cause not chained."""
        request = call.request
        method = request.method
        hidden = request.secrets if isinstance(request, (ServiceRequest, DownloadRequest)) else ()
        kind = type(exc).__name__
        detail = self.redact(str(exc), hidden) or kind
        where = self._where(call)
        if isinstance(exc, ReplyTooLarge):
            text = (f"the reply from {where} to {method} (HTTP {exc.status}) is larger than "
                    f"{exc.limit} bytes (max_reply_bytes), so it was not read")
            if request.reads:
                return ReplyTooLargeError(text, method=method)
            return OutcomeUnknownError(
                f"{text}; the call may have run on the portal, so it was not repeated: check "
                "before sending it again", method=method, sent=True,
            )
        if kind in _NOT_SENT:
            return TransportError(f"cannot reach {where} ({kind}: {detail})", method=method)
        late = call.deadline is not None and time.monotonic() >= call.deadline
        if late:
            detail = f"{kind}: the call's deadline of {self.deadline:g} s passed"
        elif "Timeout" in kind:
            detail = f"{kind}: no complete reply within {self.timeout:g} s"
        else:
            detail = f"{kind}: {detail}"
        if request.reads:
            failure = DeadlineError if late else TransportError
            return failure(f"no reply from {where} to {method} ({detail})", method=method,
                           sent=True)
        return OutcomeUnknownError(
            f"no reply from {where} to {method} ({detail}); the call may have run on "
            "the portal, so it was not repeated: check before sending it again",
            method=method,
            sent=True,
        )

    # reliability: decisions the call flow asks for (no I/O)

    def retry_delay(self, error: OintError, request: Step, attempt: int,
                    deadline: float | None = None) -> float | None:
        """The pause before the next attempt, or None: no retry (the error is raised)."""
        delay = self._retry_delay(error, request, attempt)
        # The next attempt must have time left to run; else the last error says why.
        if delay is not None and deadline is not None and time.monotonic() + delay >= deadline:
            return None
        return delay

    def _retry_delay(self, error: OintError, request: Step, attempt: int) -> float | None:
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
        """Whether to send the call again where a redirect points (``moves.move_target``
        decides); a followed move is said in ``debug`` and as a warning on stderr."""
        if outcome.status not in REDIRECTS or not outcome.location:
            return False
        target = move_target(self.endpoint.base, outcome.location, self.follow_moves,
                             self.redact, self.note)
        if target is None:
            return False
        _log.warning("oint: the portal moved: %s -> %s; this client now sends there",
                     self.redact(self.endpoint.base), self.redact(target))
        self.endpoint = replace(self.endpoint, base=target)
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
        from .._auth.oauth import transport_failure

        return transport_failure(request, exc)

    def accept_tokens(self, status: int, content: bytes) -> None:
        assert self.oauth is not None
        tokens = self.oauth.accept(status, content)
        self.endpoint = replace(self.endpoint, token=tokens.access_token)
        self.note("the access token was refreshed and the rotated pair stored")

