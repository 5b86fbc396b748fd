"""How many requests a walk or batch run puts in flight: what the bucket admits, up to a cap.

The pacer alone with a fake clock and plan, then batch runs through an emulator's bucket.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from oint.bitrix24 import AsyncClient, Client, Limits, Response, UsageError
from oint.bitrix24._bulk.pacing import Near, Pacer
from oint.bitrix24._reliability.limits import LeakyBucket, Limiter, prepaid
from oint.bitrix24._spec import ApiRequest
from oint.emulator.process import launch


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return 1_700_000_000.0 + self.now


class Numbers:
    """A plan of ``count`` requests, any number in flight; replies become their numbers."""

    max_in_flight: int | None = None

    def __init__(self, count: int, method: str = "server.time") -> None:
        self.left = list(range(count))
        self.sent: list[int] = []
        self.method = method

    def next_requests(self, room: int) -> list[ApiRequest]:
        taken, self.left = self.left[:room], self.left[room:]
        self.sent += taken
        return [ApiRequest(self.method, {"n": n}) for n in taken]

    def accept(self, reply: Any) -> Sequence[int]:
        return [self.sent.pop(0)]


def test_headroom_keeps_half_a_second_of_drain_and_one_percent() -> None:
    assert (Limits.standard().client_burst, Limits.standard().client_drain) == (49, 1.98)
    assert Limits.enterprise().client_burst == 247
    assert Limits(drain=10, burst=10).client_burst == 5
    assert Limits(drain=1, burst=1).client_burst == 1  # one request always goes


def test_the_burst_goes_at_once_then_one_per_freed_slot() -> None:
    clock = FakeClock()
    limiter = Limiter(Limits(drain=2.0, burst=10), clock)
    pacer = Pacer(Numbers(30), limiter, cap=50, near=None)  # a far portal
    assert len(pacer.launch()) == 9  # 10 less one of headroom
    assert pacer.pause == pytest.approx(1 / 1.98)
    assert pacer.launch() == [] and pacer.in_flight == 9
    clock.now += 1 / 1.98
    assert len(pacer.launch()) == 1
    clock.now += 2.5 / 1.98
    assert len(pacer.launch()) == 2


def test_the_cap_bounds_what_is_in_flight_and_waiting() -> None:
    pacer = Pacer(Numbers(30), Limiter(Limits(), FakeClock()), cap=4, near=None)
    assert len(pacer.launch()) == 4
    assert pacer.launch() == [] and pacer.pause is None  # only a reply frees room
    assert pacer.accept(None) == [0]  # type: ignore[arg-type]
    assert len(pacer.launch()) == 1


def test_without_limits_the_cap_alone_decides() -> None:
    pacer = Pacer(Numbers(100), None, cap=50, near=None)
    assert len(pacer.launch()) == 50
    with pytest.raises(UsageError, match="at least 1"):
        Pacer(Numbers(1), None, cap=0)


def test_a_method_slowed_by_its_operating_window_goes_one_at_a_time() -> None:
    clock = FakeClock()
    limiter = Limiter(Limits(operating_budget=10.0), clock)
    limiter.operating.record("im.message.add",
                             {"operating": 9.0, "operating_reset_at": clock.time() + 60})
    pacer = Pacer(Numbers(10, "im.message.add"), limiter, cap=50, near=None)
    assert len(pacer.launch()) == 1
    assert pacer.launch() == [] and pacer.pause is None


def test_a_portal_that_answers_at_once_gets_a_short_pipeline() -> None:
    # Many requests at once would each cost a connection and a thread, for nothing: a
    # server that answers at once answers them one after another anyway.
    clock = FakeClock()
    pacer = Pacer(Numbers(30), Limiter(Limits(), clock), cap=50, near=Near(0.05, 4),
                  clock=clock.monotonic)
    assert len(pacer.launch()) == 4
    assert pacer.pause == pytest.approx(0.05)  # when the first request would prove it far
    clock.now += 0.01
    assert pacer.accept(None) == [0]  # type: ignore[arg-type]
    for _ in range(20):  # settled: four at a time, however long later replies take
        assert len(pacer.launch()) == 1 and pacer.pause is None
        clock.now += 1.0
        pacer.accept(None)  # type: ignore[arg-type]


def test_a_first_request_out_long_opens_the_bucket() -> None:
    clock = FakeClock()
    pacer = Pacer(Numbers(30), Limiter(Limits(), clock), cap=50, near=Near(0.05, 4),
                  clock=clock.monotonic)
    assert len(pacer.launch()) == 4
    clock.now += 0.02
    assert pacer.launch() == [] and pacer.pause == pytest.approx(0.03)
    clock.now += 0.03  # a portal 0.3 to 1 s away: no reply yet
    assert len(pacer.launch()) == 26  # the rest, which the burst admits


def test_a_slow_first_reply_opens_the_bucket_too() -> None:
    clock = FakeClock()
    pacer = Pacer(Numbers(100), None, cap=50, near=Near(0.05, 1), clock=clock.monotonic)
    assert len(pacer.launch()) == 1  # a walk's first page goes alone
    clock.now += 0.3
    pacer.accept(None)  # type: ignore[arg-type]
    assert len(pacer.launch()) == 50


def test_a_prepaid_request_does_not_take_a_second_slot() -> None:
    bucket = LeakyBucket(1.0, 2, FakeClock())
    assert bucket.take(5) == (2, pytest.approx(1.0))
    with prepaid():
        assert bucket.reserve() == 0.0  # its slot was taken by take()
        assert bucket.reserve() == pytest.approx(1.0)  # a retry takes a new one
    assert bucket.reserve() == pytest.approx(2.0)


@pytest.fixture(scope="module")
def bucketed() -> Any:
    with launch(["--rate-limit", "10/10", "--latency", "0.2"]) as running:
        yield running


def _messages(chat: int, count: int) -> list[tuple[str, dict[str, Any]]]:
    return [("im.message.add", {"DIALOG_ID": f"chat{chat}", "MESSAGE": f"paced {n}"})
            for n in range(count)]


def test_a_batch_run_follows_the_bucket_without_a_503(bucketed: Any) -> None:
    limits = Limits(drain=10, burst=10)
    with Client(bucketed.webhook_url, limits=limits) as b24:
        chat = b24.create_chat({"TITLE": "paced", "USERS": [2]}).result
        bucketed.admin("POST", "stats/reset", {})
        outcomes = b24.batch(_messages(chat, 1000))  # 20 batches through a bucket of 10
    assert all(isinstance(o, Response) for o in outcomes)
    ids = [o.result for o in outcomes if isinstance(o, Response)]
    assert len(set(ids)) == 1000
    assert bucketed.stats()["refused"].get("QUERY_LIMIT_EXCEEDED", 0) == 0


def test_an_async_batch_run_too(bucketed: Any) -> None:
    async def run() -> list[Any]:
        async with AsyncClient(bucketed.webhook_url, limits=Limits(drain=10, burst=10)) as b24:
            chat = (await b24.create_chat({"TITLE": "paced async"})).result
            return [o async for o in b24.iter_batch(_messages(chat, 500), window=3)]

    bucketed.admin("POST", "stats/reset", {})
    outcomes = asyncio.run(run())
    assert [isinstance(o, Response) for o in outcomes] == [True] * 500
    assert bucketed.stats()["refused"].get("QUERY_LIMIT_EXCEEDED", 0) == 0
