"""One call from first try to final answer, as a generator both clients drive.

The flow decides; it never waits or sends. It yields what it needs done (``Wait``, ``Send``,
``Refresh``) and is handed back what happened (an ``HttpReply`` or the transport's exception).
``Client`` drives it with ``time.sleep`` and ``httpx.Client``, ``AsyncClient`` with
``asyncio.sleep`` and ``httpx.AsyncClient``: the reliability rules exist once (as httpx runs
one ``auth_flow`` generator from both of its clients).

Per attempt: wait for the method's operating window, take a slot in the bucket, send, then
read the reply. A 3xx with a ``Location`` means the portal moved: the same body goes to the
new address if the client may follow it (``ClientCore.follow_move``). A 401 ``expired_token``
refreshes the token once and repeats the call (the portal rejected it before running it).
Everything else goes to ``Retry.delay``. No wait or attempt runs past the call's deadline.

An operation of several requests is a plan (``Operation.plan``): ``plan_flow`` runs each of
its steps through ``call_flow`` in turn, so every step meets the same rules.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._errors import Bitrix24Error, ExpiredTokenError, OintError, RateLimitError
from .._http.wire import HttpReply, PreparedCall
from .._spec import ApiRequest, Step, Steps

if TYPE_CHECKING:
    from .._http.core import ClientCore

__all__ = ["Action", "CallFlow", "Refresh", "Send", "Wait", "call_flow", "plan_flow"]

MAX_MOVES = 3  # a portal that keeps redirecting is broken, not moving


@dataclass(frozen=True)
class Wait:
    seconds: float


@dataclass(frozen=True)
class Send:
    call: PreparedCall


@dataclass(frozen=True)
class Refresh:
    """Refresh the access token unless it is no longer ``stale`` (another caller did)."""

    stale: str | None


Action = Wait | Send | Refresh
# Returns a Response for a REST call, and what the request's reader makes of a service reply.
CallFlow = Generator[Action, "HttpReply | Exception | None", Any]


def call_flow(core: ClientCore, request: Step) -> CallFlow:
    method = request.method
    on_portal = isinstance(request, ApiRequest)
    # The portal's bucket counts every request to its host, an upload URL's too.
    in_bucket = on_portal or core.on_portal(getattr(request, "url", ""))
    attempt = 0
    refreshed = False
    moves = 0
    deadline = core.start_deadline()  # every wait and attempt below ends by it
    if on_portal and core.oauth is not None and core.endpoint.token is None:
        yield Refresh(None)  # built with a refresh token only: get the first access token
    while True:
        attempt += 1
        if core.limiter is not None and in_bucket:
            if isinstance(request, ApiRequest):
                wait = core.limiter.operating_delay(method, request.params)
                if wait > 0:
                    core.note(f"{method}: waiting {wait:.1f} s for its operating-time window")
                    yield Wait(core.wait_within(wait, deadline, method,
                                                "for its operating window"))
            wait = core.limiter.bucket.reserve()
            if wait > 0:
                yield Wait(core.wait_within(wait, deadline, method, "for the rate limit"))
        call = core.prepare(request, deadline)
        outcome = yield Send(call)
        assert outcome is not None
        error: OintError
        if isinstance(outcome, Exception):
            error = core.transport_failure(call, outcome)
        elif on_portal and moves < MAX_MOVES and core.follow_move(outcome):
            moves += 1
            attempt -= 1  # the old address refused it, so nothing ran: not a retry
            continue
        else:
            try:
                value = core.interpret(call, outcome.status, outcome.content)
            except Bitrix24Error as exc:
                error = exc
            else:
                if isinstance(request, ApiRequest):
                    core.operating.record_reply(method, request.params, value)
                return value
        if (on_portal and isinstance(error, ExpiredTokenError) and core.oauth is not None
                and not refreshed):
            refreshed = True
            attempt -= 1
            yield Refresh(call.token)
            continue
        if isinstance(error, RateLimitError) and core.limiter is not None:
            core.limiter.bucket.saturate()
        delay = core.retry_delay(error, request, attempt, deadline)
        if delay is None:
            raise error
        core.note(f"{method}: attempt {attempt} failed ({_name(error)}); retrying in {delay:.2f} s")
        yield Wait(delay)


def plan_flow(core: ClientCore, steps: Steps) -> CallFlow:
    """Every step of an operation's plan through ``call_flow``, each reply handed back."""
    reply: Any = None
    try:
        while True:
            try:
                step = steps.send(reply)
            except StopIteration as done:
                return done.value
            reply = yield from call_flow(core, step)
    finally:
        steps.close()


def _name(error: OintError) -> str:
    return getattr(error, "code", None) or type(error).__name__
