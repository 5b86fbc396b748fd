"""Limits and OAuth tokens shared through Redis by many processes, against a real
redis-server (``./scripts/test.sh`` starts one and sets OINT_TEST_REDIS_URL) and emulators.

Each worker is a process of its own (``redis_worker.py``), as Celery or RQ workers are.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oint.bitrix24 import (
    AuthError,
    Client,
    Limits,
    OAuthApp,
    OAuthTokens,
    TokenStoreError,
    TransportError,
)
from oint.bitrix24._reliability.limits import LeakyBucket, SystemClock
from oint.emulator.process import EmulatorProcess, launch

redis = pytest.importorskip("redis")
from oint.bitrix24.redis import RedisLimits, RedisTokenStore  # noqa: E402

WORKER = Path(__file__).with_name("redis_worker.py")


@pytest.fixture(scope="module")
def server() -> Any:
    url = os.environ.get("OINT_TEST_REDIS_URL")
    if not url:
        pytest.skip("no redis-server: run ./scripts/test.sh, which starts one")
    client = redis.Redis.from_url(url)
    client.ping()
    return client


@pytest.fixture
def portal_name() -> str:
    return f"test-{uuid.uuid4().hex[:12]}.bitrix24.by"


def run_workers(configs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Start every worker, let them all go at once, and collect their results."""
    workers = [subprocess.Popen([sys.executable, str(WORKER), json.dumps(config)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
               for config in configs]
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = []
        for worker in workers:
            out, _ = worker.communicate(timeout=120)
            assert worker.returncode == 0, out
            results.append(json.loads(out.strip().splitlines()[-1]))
        return results
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()


# -- the bucket and the operating window in Redis ------------------------------------------


def test_the_redis_bucket_reserves_as_the_local_one(server: Any, portal_name: str) -> None:
    limits = RedisLimits(server, portal_name, Limits(drain=2.0, burst=10))
    bucket, _ = limits.build(SystemClock())
    local = LeakyBucket(limits.client_drain, limits.client_burst, SystemClock())
    started = time.monotonic()
    shared = [bucket.reserve() for _ in range(12)]
    mirrored = [local.reserve() for _ in range(12)]
    # Waits count from the moment of asking, so on a loaded machine each one is shorter
    # by the time spent since the first reserve; the bounds allow for that and no more.
    reserving = time.monotonic() - started
    # 10 less the headroom (one request at 2/s) go at once, then one per 1/1.98 s.
    assert shared[:9] == mirrored[:9] == [0.0] * 9
    for slot, (wait, local_wait) in enumerate(zip(shared[9:], mirrored[9:], strict=True), start=1):
        assert slot / 1.98 - reserving - 0.02 <= wait <= slot / 1.98 + 0.02
        assert slot / 1.98 - reserving - 0.02 <= local_wait <= slot / 1.98 + 0.02
    # take() gives only what is free now, and says when the next slot frees.
    taken, pause = bucket.take(5)
    elapsed = time.monotonic() - started
    assert taken == 0
    assert 4 / 1.98 - elapsed - 0.02 <= pause <= 4 / 1.98 + 0.02
    bucket.saturate()


def test_take_never_hands_out_a_slot_that_needs_a_wait(server: Any, portal_name: str) -> None:
    bucket, _ = RedisLimits(server, portal_name, Limits(drain=4.0, burst=8)).build(SystemClock())
    started = time.monotonic()
    taken, pause = bucket.take(20)
    assert (taken, pause) == (6, pytest.approx(0.25 / 0.99, abs=0.02))  # 8 less 2 of headroom
    time.sleep(0.6)
    taken, _ = bucket.take(20)
    # One slot frees every 1/3.96 s: 2 in the 0.6 s slept, more only if the sleep overran.
    assert 2 <= taken <= int((time.monotonic() - started) * 3.96)


def test_processes_share_one_bucket_and_never_lose_a_slot(server: Any, portal_name: str) -> None:
    code = (
        "import json, sys, time, redis\n"
        "from oint.bitrix24 import Limits\n"
        "from oint.bitrix24.redis import RedisLimits\n"
        "from oint.bitrix24._reliability.limits import SystemClock\n"
        "limits = RedisLimits(redis.Redis.from_url(sys.argv[1]), sys.argv[2],"
        " Limits(drain=1.0, burst=11))\n"
        "bucket, _ = limits.build(SystemClock())\n"
        "slots = []\n"
        "for _ in range(25):\n"
        "    wait = bucket.reserve()\n"
        "    slots.append([wait, time.time() + wait])\n"
        "print(json.dumps(slots))\n"
    )
    url = os.environ["OINT_TEST_REDIS_URL"]
    procs = [subprocess.Popen([sys.executable, "-c", code, url, portal_name],
                              stdout=subprocess.PIPE, text=True) for _ in range(4)]
    slots = [slot for p in procs for slot in json.loads(p.communicate(timeout=60)[0])]
    # 100 slots of one bucket: 10 free at once (11 less the headroom), the others handed
    # out one every 1/0.99 s, each once, whichever process asked. A process can be put
    # to sleep between its reserve and its clock reading, which shifts that one slot's
    # time: so each gap is checked against half the spacing (a slot handed out twice
    # would show a gap of about nothing), and the spacing over the whole run.
    assert sum(1 for wait, _ in slots if wait == 0.0) >= 10
    queued = sorted(at for wait, at in slots if wait > 0)
    gaps = [b - a for a, b in itertools.pairwise(queued)]
    assert min(gaps) > 0.5 / 0.99
    assert queued[-1] - queued[0] > (len(queued) - 1) / 0.99 - 0.2


def test_the_operating_window_is_shared(server: Any, portal_name: str) -> None:
    limits = RedisLimits(server, portal_name, Limits(operating_budget=10.0))
    _, mine = limits.build(SystemClock())
    _, theirs = RedisLimits(redis.Redis.from_url(os.environ["OINT_TEST_REDIS_URL"]),
                            portal_name.upper(), Limits(operating_budget=10.0)
                            ).build(SystemClock())
    reset = time.time() + 30
    params = {"cmd": {"a": "im.message.add?DIALOG_ID=chat1", "b": "im.message.add?x=1"}}
    envelope = {"result": {"result_time": {
        "a": {"operating": 9.0, "operating_reset_at": reset},
        "b": {"operating": 12.0, "operating_reset_at": reset}}}}
    mine.record_reply("batch", params, envelope)
    assert theirs.delay("IM.MESSAGE.ADD") == pytest.approx(31.0, abs=0.5)
    assert theirs.reset_at("im.message.add") == pytest.approx(reset)
    assert theirs.delay("server.time") == 0.0


def test_redis_limits_read_as_limits(server: Any, portal_name: str) -> None:
    limits = RedisLimits(server, portal_name, Limits.enterprise())
    assert (limits.drain, limits.burst) == (5.0, 250)
    assert portal_name in repr(limits) and "Redis<" not in repr(limits)
    with pytest.raises(ValueError):
        RedisLimits(server, " ")


def test_an_unreachable_redis_is_a_clear_error(portal: EmulatorProcess) -> None:
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=1)
    with Client(portal.webhook_url, limits=RedisLimits(dead, "nowhere")) as b24, \
            pytest.raises(TransportError, match="cannot use Redis for the shared") as failed:
        b24.server_time()
    assert not failed.value.sent


# -- many processes, one portal --------------------------------------------------------------


@pytest.fixture
def bucket_portal(tmp_path: Path) -> Iterator[EmulatorProcess]:
    with launch(["--rate-limit", "10/10"], db=str(tmp_path / "portal.db")) as running:
        yield running


def _senders(portal: EmulatorProcess, name: str, shared: bool) -> list[dict[str, Any]]:
    return [{"url": portal.webhook_url, "redis": os.environ["OINT_TEST_REDIS_URL"],
             "portal": name, "shared_limits": shared, "drain": 10.0, "burst": 10,
             "threads": 3, "calls": 6, "method": "server.time"} for _ in range(4)]


def test_processes_with_the_redis_limiter_meet_no_503(
    server: Any, portal_name: str, bucket_portal: EmulatorProcess
) -> None:
    started = time.monotonic()
    results = run_workers(_senders(bucket_portal, portal_name, shared=True))
    elapsed = time.monotonic() - started
    refused = bucket_portal.stats()["refused"].get("QUERY_LIMIT_EXCEEDED", 0)
    assert [r["errors"] for r in results] == [[], [], [], []]
    assert refused == 0
    # 72 calls: 5 at once, the rest at 9.9 a second.
    assert elapsed >= 67 / 9.9 * 0.95


def test_processes_with_their_own_limiters_overrun_the_portal(
    server: Any, portal_name: str, bucket_portal: EmulatorProcess
) -> None:
    run_workers(_senders(bucket_portal, portal_name, shared=False))
    # Four buckets of 5 start 20 calls at once into the portal's 10: the rest were refused
    # (and retried), which the shared bucket above avoids.
    assert bucket_portal.stats()["refused"].get("QUERY_LIMIT_EXCEEDED", 0) > 0


# -- OAuth tokens in Redis -------------------------------------------------------------------


@pytest.fixture(scope="module")
def oauth_portal() -> Iterator[EmulatorProcess]:
    with launch(["--app", "local.redis.1:throwaway-secret"]) as running:
        yield running


def _oauth_workers(portal: EmulatorProcess, store: str, key: str) -> list[dict[str, Any]]:
    registered = portal.admin("POST", "oauth/apps", {})
    tokens = portal.admin("POST", "oauth/grants", {"client_id": registered["client_id"]})
    if store == "redis":
        RedisTokenStore(redis.Redis.from_url(os.environ["OINT_TEST_REDIS_URL"]), key).save(
            OAuthTokens(tokens["access_token"], tokens["refresh_token"], time.time() + 3600))
    portal.admin("POST", "tokens/expire", {"client_id": registered["client_id"]})
    app = {**registered, "refresh_token": tokens["refresh_token"], "server": portal.base_url,
           "store": store, "key": key}
    return [{"url": portal.base_url, "token": tokens["access_token"], "oauth": app,
             "redis": os.environ["OINT_TEST_REDIS_URL"], "portal": "unused",
             "shared_limits": False, "drain": 100.0, "burst": 100, "threads": 4, "calls": 3,
             "method": "server.time"} for _ in range(6)]


def _grants(portal: EmulatorProcess) -> tuple[int, int]:
    oauth = portal.stats()["oauth"]
    return oauth.get("refresh_token", 0), oauth.get("error:invalid_grant", 0)


def test_an_expired_token_is_refreshed_once_for_all_processes(
    server: Any, oauth_portal: EmulatorProcess
) -> None:
    key = f"test:tokens:{uuid.uuid4().hex}"
    before = _grants(oauth_portal)
    results = run_workers(_oauth_workers(oauth_portal, "redis", key))
    after = _grants(oauth_portal)
    assert [r["errors"] for r in results] == [[]] * 6
    assert sum(r["ok"] for r in results) == 72
    assert (after[0] - before[0], after[1] - before[1]) == (1, 0)
    stored = RedisTokenStore(server, key).load()
    assert stored is not None and stored.refresh_token  # the rotated pair, for the next run


def test_without_a_shared_store_processes_reuse_a_refresh_token(
    server: Any, oauth_portal: EmulatorProcess
) -> None:
    # The control: each process refreshes with the token it was given; the OAuth server
    # refuses all but the first with invalid_grant, so those processes' calls fail.
    before = _grants(oauth_portal)
    results = run_workers(_oauth_workers(oauth_portal, "memory", "unused"))
    after = _grants(oauth_portal)
    assert after[0] - before[0] == 1
    assert after[1] - before[1] >= 1
    assert any("invalid_grant" in r["errors"] for r in results)


def test_the_refresh_lock_expires_and_waiting_for_it_is_bounded(server: Any) -> None:
    key = f"test:tokens:{uuid.uuid4().hex}"
    holder = RedisTokenStore(server, key, lock_timeout=1.0).refresh_lock()
    holder.acquire()  # a process that died holding it
    waiter = RedisTokenStore(server, key, wait_timeout=0.3).refresh_lock()
    with pytest.raises(TokenStoreError, match="refreshing the OAuth tokens"):
        waiter.acquire()
    patient = RedisTokenStore(server, key, wait_timeout=5.0).refresh_lock()
    started = time.monotonic()
    patient.acquire()  # the dead holder's lock expired
    assert time.monotonic() - started < 2.0
    patient.release()
    holder.release()  # long expired: nothing to release, and no error


def test_the_token_store_keeps_one_record_per_key(server: Any) -> None:
    store = RedisTokenStore(server, f"test:tokens:{uuid.uuid4().hex}")
    assert store.load() is None
    store.save(OAuthTokens("access-1", "refresh-1", 1_700_000_000.0, "http://x/rest/"))
    loaded = store.load()
    assert loaded is not None and (loaded.access_token, loaded.refresh_token) == (
        "access-1", "refresh-1")
    assert "access-1" not in repr(store) and "refresh-1" not in repr(loaded)
    server.set(store.key, "not json")
    with pytest.raises(TokenStoreError, match="not a token record"):
        store.load()


def test_a_redis_store_works_with_one_client_too(
    server: Any, oauth_portal: EmulatorProcess
) -> None:
    registered = oauth_portal.admin("POST", "oauth/apps", {})
    tokens = oauth_portal.admin("POST", "oauth/grants", {"client_id": registered["client_id"]})
    store = RedisTokenStore(server, f"test:tokens:{uuid.uuid4().hex}")
    app = OAuthApp(registered["client_id"], registered["client_secret"],
                   tokens["refresh_token"], store=store, server=oauth_portal.base_url)
    with Client(oauth_portal.base_url, tokens["access_token"], oauth=app) as b24:
        assert b24.server_time().result
        oauth_portal.admin("POST", "tokens/expire", {"client_id": registered["client_id"]})
        assert b24.server_time().result
    stored = store.load()
    assert stored is not None and stored.access_token != tokens["access_token"]
    with pytest.raises(AuthError):  # the retired refresh token is spent
        from oint import bitrix24

        bitrix24.refresh_token(registered["client_id"], registered["client_secret"],
                               tokens["refresh_token"], server=oauth_portal.base_url)
