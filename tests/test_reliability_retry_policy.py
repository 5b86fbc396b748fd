"""The retry policy alone: which errors may be repeated, and after how long."""

from __future__ import annotations

import pytest

from oint.bitrix24 import (
    AccessError,
    ExpiredTokenError,
    OutcomeUnknownError,
    OverloadError,
    RateLimitError,
    Retry,
    ServerError,
    TimeLimitError,
    TransportError,
)

QUERY_LIMIT = RateLimitError("QUERY_LIMIT_EXCEEDED", "Too many requests", status=503)
TIME_LIMIT = TimeLimitError("OPERATION_TIME_LIMIT", "Method is blocked", status=429)
OVERLOAD = OverloadError("OVERLOAD_LIMIT", "REST API is blocked due to overload.", status=503)
NOT_SENT = TransportError("cannot reach", method="im.message.add")
LOST = TransportError("no reply", method="im.dialog.get", sent=True)
UNKNOWN = OutcomeUnknownError("no reply; the call may have run", method="im.message.add",
                              sent=True)
INTERNAL = ServerError("INTERNAL_SERVER_ERROR", "", status=500)
# A module's refusal (the tasks module's, REST docs): the same answer every time.
MODULE_REFUSAL = ServerError("ERROR_CORE", "TASKS_ERROR_ASSERT_EXCEPTION<br>", status=400)


@pytest.mark.parametrize(
    ("error", "reads", "expected"),
    [
        (QUERY_LIMIT, False, True),
        (TIME_LIMIT, False, True),
        (NOT_SENT, False, True),
        (LOST, True, True),
        (INTERNAL, True, True),
        (MODULE_REFUSAL, True, False),
        (UNKNOWN, False, False),
        (UNKNOWN, True, False),  # never, even if mislabelled
        (INTERNAL, False, False),  # a write that failed on the server may have half run
        (OVERLOAD, False, False),
        (OVERLOAD, True, False),
        (AccessError("ACCESS_DENIED", "Access denied!"), True, False),
        (ExpiredTokenError("expired_token", ""), True, False),  # refreshed, not retried
    ],
)
def test_what_may_be_repeated(error: Exception, reads: bool, expected: bool) -> None:
    assert Retry().retryable(error, reads=reads) is expected  # type: ignore[arg-type]


def test_backoff_doubles_up_to_the_cap_and_jitter_only_shortens() -> None:
    retry = Retry(backoff=0.5, multiplier=2.0, max_backoff=3.0, jitter=0.5)
    assert [retry.backoff_for(n, 0.0) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert retry.backoff_for(2, 0.999) == pytest.approx(0.5, abs=1e-3)


def test_attempts_are_bounded_and_count_the_first_try() -> None:
    retry = Retry(attempts=3, network_attempts=2)
    assert retry.delay(QUERY_LIMIT, attempt=1, reads=False) is not None
    assert retry.delay(QUERY_LIMIT, attempt=2, reads=False) is not None
    assert retry.delay(QUERY_LIMIT, attempt=3, reads=False) is None
    assert retry.delay(NOT_SENT, attempt=1, reads=False) is not None
    assert retry.delay(NOT_SENT, attempt=2, reads=False) is None
    with pytest.raises(ValueError):
        Retry(attempts=0)


def test_429_waits_for_the_reset_or_gives_up_when_it_is_too_far() -> None:
    retry = Retry(time_limit_wait=10.0, max_wait=120.0, jitter=0.0)
    assert retry.delay(TIME_LIMIT, attempt=1, reads=False, until_reset=30.0) == 31.0
    assert retry.delay(TIME_LIMIT, attempt=1, reads=False) == 10.0  # reset unknown
    assert retry.delay(TIME_LIMIT, attempt=1, reads=False, until_reset=500.0) is None


def test_bulk_preset_is_more_patient() -> None:
    assert Retry.bulk().attempts > Retry().attempts
    assert Retry.bulk().max_backoff >= Retry().max_backoff
