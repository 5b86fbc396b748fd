"""The client's limiters alone: pure deciders read an injected clock and return a delay."""

from __future__ import annotations

import threading

import pytest

from oint.bitrix24 import Limits
from oint.bitrix24._reliability.limits import LeakyBucket, Limiter, OperatingWindow, operating_delay


class FakeClock:
    def __init__(self, wall: float = 1_700_000_000.0) -> None:
        self.now = 0.0
        self.wall = wall

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.wall + self.now


def test_presets_match_the_documented_plans() -> None:
    assert (Limits.standard().drain, Limits.standard().burst) == (2.0, 50)
    assert (Limits.enterprise().drain, Limits.enterprise().burst) == (5.0, 250)
    assert (Limits().operating_budget, Limits().operating_window) == (480.0, 600.0)
    with pytest.raises(ValueError):
        Limits(drain=0)
    with pytest.raises(ValueError):
        Limits(slow_at=1.5)


def test_bucket_gives_the_burst_at_once_then_paces_at_the_drain_rate() -> None:
    clock = FakeClock()
    bucket = LeakyBucket(2.0, 50, clock)
    assert [bucket.reserve() for _ in range(50)] == [0.0] * 50
    # Slots beyond the burst are handed out in order, half a second apart.
    assert [bucket.reserve() for _ in range(3)] == pytest.approx([0.5, 1.0, 1.5])
    clock.now += 10.0  # 20 requests drained
    assert bucket.reserve() == pytest.approx(0.0)


def test_bucket_drains_while_idle_and_never_below_empty() -> None:
    clock = FakeClock()
    bucket = LeakyBucket(5.0, 250, clock)
    for _ in range(100):
        bucket.reserve()
    clock.now += 1000.0
    assert bucket.level == 0.0
    assert bucket.reserve() == 0.0


def test_saturate_spends_the_burst_the_portal_says_is_gone() -> None:
    clock = FakeClock()
    bucket = LeakyBucket(2.0, 50, clock)
    bucket.saturate()
    assert bucket.reserve() == pytest.approx(0.5)


def test_bucket_is_shared_by_threads_without_losing_a_slot() -> None:
    bucket = LeakyBucket(1.0, 10, FakeClock())
    waits: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(25):
            wait = bucket.reserve()
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 200 slots, the first 10 free, then one a second: every wait is distinct.
    assert sorted(waits) == pytest.approx([0.0] * 10 + [float(n) for n in range(1, 191)])


def test_operating_delay_ramps_between_slow_at_and_the_budget() -> None:
    limits = Limits(operating_budget=100.0, slow_at=0.8)
    assert operating_delay(50.0, 300.0, limits) == 0.0
    assert operating_delay(80.0, 300.0, limits) == 0.0
    assert operating_delay(90.0, 300.0, limits) == pytest.approx(150.0)
    # At the budget the server would answer 429: wait past the (rounded) reset.
    assert operating_delay(100.0, 300.0, limits) == pytest.approx(301.0)
    assert operating_delay(150.0, 0.0, limits) == 0.0  # the basket already dropped


def test_operating_window_is_per_method_and_forgets_after_the_reset() -> None:
    clock = FakeClock()
    window = OperatingWindow(Limits(operating_budget=10.0), clock)
    window.record("im.message.add", {"operating": 12.0, "operating_reset_at": clock.time() + 30})
    window.record("server.time", {"operating": 0.1, "operating_reset_at": clock.time() + 30})
    assert window.delay("IM.MESSAGE.ADD") == pytest.approx(31.0)
    assert window.delay("server.time") == 0.0
    assert window.delay("im.chat.add") == 0.0
    clock.now += 31.0
    assert window.delay("im.message.add") == 0.0
    assert window.reset_at("im.message.add") is None


def test_replies_without_operating_figures_change_nothing() -> None:
    window = OperatingWindow(Limits(), FakeClock())
    window.record("crm.lead.add", {"start": 1.0, "finish": 2.0})  # a self-hosted portal
    assert window.delay("crm.lead.add") == 0.0


def test_a_batch_is_charged_per_command_and_waits_for_its_busiest_method() -> None:
    clock = FakeClock()
    limiter = Limiter(Limits(operating_budget=10.0), clock)
    params = {"cmd": {"a": "im.message.add?DIALOG_ID=chat1", "b": "server.time"}}
    busy = {"operating": 11.0, "operating_reset_at": clock.time() + 20}
    calm = {"operating": 0.5, "operating_reset_at": clock.time() + 20}
    envelope = {"result": {"result": {}, "result_time": {"a": busy, "b": calm}},
                "time": {"operating": 0, "operating_reset_at": clock.time() + 600}}
    limiter.operating.record_reply("batch", params, envelope)
    assert limiter.operating_delay("batch", params) == pytest.approx(21.0)
    assert limiter.operating_delay("batch", {"cmd": ["server.time"]}) == 0.0
    assert limiter.operating_delay("batch", {}) == 0.0
