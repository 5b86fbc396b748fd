"""The reliability suite: the client against a faulty emulator over real HTTP.

Each case counts what the emulator stored against what the client was asked to do. The
figures are printed as ``reliability: ...`` lines (run pytest with ``-s`` to see them).
The 1,000-message storm runs twice: against a 50/s bucket (same algorithm, a 25th of the
wait) in every run, and against the real 2/s bucket under the ``realrate`` marker (about
nine minutes; ``-m 'not realrate'`` skips it).
"""

from __future__ import annotations

import sqlite3
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from oint.bitrix24 import (
    Client,
    Limits,
    OAuthApp,
    OintError,
    OutcomeUnknownError,
    OverloadError,
    Retry,
)
from oint.emulator.process import EmulatorProcess, launch

MESSAGES = 1000


def report(text: str) -> None:
    print(f"\nreliability: {text}")


@contextmanager
def portal_with(args: list[str], tmp_path: Path) -> Iterator[tuple[EmulatorProcess, Path]]:
    db = tmp_path / "portal.sqlite"
    with launch(args, db=str(db)) as running:
        yield running, db


def stored_texts(db: Path, chat_id: int) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        # The users' messages, not those the server posts itself (author 0).
        rows = conn.execute("SELECT text FROM messages WHERE chat_id = ? AND author_id != 0",
                            (chat_id,))
        return [str(row[0]) for row in rows]


def send_all(b24: Client, chat_id: int, texts: list[str], threads: int
             ) -> dict[str, BaseException | None]:
    def send(text: str) -> BaseException | None:
        try:
            b24.call("im.message.add", {"DIALOG_ID": f"chat{chat_id}", "MESSAGE": text})
        except OintError as exc:
            return exc
        return None

    with ThreadPoolExecutor(threads) as pool:
        return dict(zip(texts, pool.map(send, texts), strict=True))


def storm(tmp_path: Path, drain: float, burst: int) -> None:
    args = ["--rate-limit", f"{drain:g}/{burst}", "--fault-503", "0.1",
            "--fault-methods", "im.message.add", "--fault-seed", "11"]
    with portal_with(args, tmp_path) as (portal, db), \
            Client(portal.webhook_url, limits=Limits(drain=drain, burst=burst)) as b24:
        chat_id = b24.create_chat({"TITLE": "storm"}).result
        texts = [f"storm message {n:04d}" for n in range(MESSAGES)]
        started = time.monotonic()
        outcomes = send_all(b24, chat_id, texts, threads=8)
        elapsed = time.monotonic() - started
        stats = portal.stats()
    errors = [e for e in outcomes.values() if e is not None]
    stored = stored_texts(db, chat_id)
    injected = stats["faults"].get("storm", {}).get("im.message.add", 0)
    refused = stats["refused"].get("QUERY_LIMIT_EXCEEDED", 0)
    attempts = stats["calls"]["im.message.add"] + injected + refused
    # One request (the chat) went first; every attempt after it takes a slot.
    ideal = max(0.0, (MESSAGES + 1 - burst) / drain)
    ideal_attempts = max(0.0, (attempts + 1 - burst) / drain)
    report(
        f"storm at {drain:g}/{burst}: {MESSAGES} calls, {attempts} attempts, "
        f"503s injected {injected}, refused by the bucket {refused}, stored {len(stored)}, "
        f"duplicates {len(stored) - len(set(stored))}, errors surfaced {len(errors)}, "
        f"{elapsed:.1f} s (bucket's ideal {ideal:.1f} s for the calls, "
        f"{ideal_attempts:.1f} s for the attempts)"
    )
    assert errors == []
    assert sorted(stored) == texts  # every message exactly once
    assert injected > 0
    assert elapsed >= ideal * 0.95  # the client kept to the bucket ...
    assert elapsed <= ideal_attempts * 1.5 + 10  # ... without crawling


def test_a_thousand_messages_through_a_503_storm_and_a_fast_bucket(tmp_path: Path) -> None:
    # The real bucket's algorithm at 25 times its drain: about 20 s, run every time.
    storm(tmp_path, drain=50.0, burst=50)


@pytest.mark.realrate
def test_a_thousand_messages_through_a_503_storm_and_the_real_bucket(tmp_path: Path) -> None:
    storm(tmp_path, drain=2.0, burst=50)


def test_lost_write_replies_are_outcome_unknown_and_never_repeated(tmp_path: Path) -> None:
    args = ["--fault-503", "0.1", "--fault-drop", "0.1", "--fault-stall", "0.05@2",
            "--fault-methods", "im.message.add", "--fault-seed", "5"]
    count = 300
    with portal_with(args, tmp_path) as (portal, db), \
            Client(portal.webhook_url, timeout=1.0, limits=None) as b24:
        chat_id = b24.create_chat({"TITLE": "lost replies"}).result
        texts = [f"lost {n:03d}" for n in range(count)]
        outcomes = send_all(b24, chat_id, texts, threads=8)
        faults = portal.stats()["faults"]
    unknown = {t: e for t, e in outcomes.items() if isinstance(e, OutcomeUnknownError)}
    others = [e for e in outcomes.values() if e is not None and e not in unknown.values()]
    lost = faults.get("drop", {}).get("im.message.add", 0)
    stalled = faults.get("stall", {}).get("im.message.add", 0)
    stored = stored_texts(db, chat_id)
    report(
        f"lost replies: {count} calls, drops {lost}, stalls {stalled}, 503s "
        f"{faults.get('storm', {}).get('im.message.add', 0)}, outcome unknown "
        f"{len(unknown)}, other errors {len(others)}, stored {len(stored)}, duplicates "
        f"{len(stored) - len(set(stored))}"
    )
    assert others == []
    assert lost > 0 and stalled > 0
    assert len(unknown) == lost + stalled  # each lost reply reported, none repeated
    assert sorted(stored) == texts  # the lost ones ran, once
    for error in unknown.values():
        assert "im.message.add" in str(error) and "may have run" in str(error)
        assert error.method == "im.message.add"


def test_reads_are_retried_through_timeouts_resets_and_500s(tmp_path: Path) -> None:
    args = ["--fault-drop", "0.15", "--fault-stall", "0.1@1.5", "--fault-500", "0.1",
            "--fault-methods", "im.chat.user.list,server.time", "--fault-seed", "3"]
    count = 80
    with portal_with(args, tmp_path) as (portal, _), \
            Client(portal.webhook_url, timeout=0.5, limits=None,
                   retry=Retry(network_attempts=6, backoff=0.05)) as b24:
        chat_id = b24.create_chat({"TITLE": "reads", "USERS": [2, 3]}).result
        results = []
        for n in range(count):
            if n % 2:
                results.append(b24.get_chat_users(chat_id).result)
            else:
                results.append(b24.server_time().result)
        stats = portal.stats()
    faults = {kind: sum(by.values()) for kind, by in stats["faults"].items()}
    report(f"reads: {count} calls, faults injected {faults}, all answered "
           f"{len(results) == count}, requests {stats['requests']}")
    assert results[1] == [1, 2, 3]
    assert all(faults.get(kind, 0) > 0 for kind in ("drop", "stall", "error500"))


def test_a_429_on_one_method_does_not_slow_the_others(tmp_path: Path) -> None:
    with portal_with(["--operating-limit", "1/5"], tmp_path) as (portal, _):
        portal.set_faults(operating_cost={"server.time": 0.6})
        with Client(portal.webhook_url, limits=None) as b24:
            chat_id = b24.create_chat({"TITLE": "light"}).result

            def heavy() -> float:
                started = time.monotonic()
                for _ in range(3):
                    b24.server_time()  # the third is refused, waits for the reset, runs
                return time.monotonic() - started

            def light() -> float:
                time.sleep(0.3)  # start once the heavy method is blocked
                started = time.monotonic()
                for n in range(30):
                    b24.call("im.message.add", {"DIALOG_ID": f"chat{chat_id}",
                                                "MESSAGE": f"light {n}"})
                return time.monotonic() - started

            with ThreadPoolExecutor(2) as pool:
                heavy_run, light_run = pool.submit(heavy), pool.submit(light)
                heavy_time, light_time = heavy_run.result(), light_run.result()
        refused = portal.stats()["refused"].get("OPERATION_TIME_LIMIT", 0)
    report(f"429 isolation: heavy method 3 calls in {heavy_time:.1f} s with {refused} "
           f"429s; light method 30 calls in {light_time:.2f} s")
    assert refused >= 1
    assert heavy_time >= 3.0
    # Held behind the heavy method, the light one would wait for the window's reset,
    # about 4 s after its start; 3 s leaves a loaded machine room for 30 quick calls.
    assert light_time < 3.0


def test_the_operating_window_slows_a_method_before_the_server_blocks_it(
    tmp_path: Path,
) -> None:
    with portal_with(["--operating-limit", "1/5"], tmp_path) as (portal, _):
        portal.set_faults(operating_cost={"server.time": 0.6})
        limits = Limits(operating_budget=1.0, operating_window=5.0)
        with Client(portal.webhook_url, limits=limits) as b24:
            started = time.monotonic()
            for _ in range(3):
                b24.server_time()
            elapsed = time.monotonic() - started
        refused = portal.stats()["refused"].get("OPERATION_TIME_LIMIT", 0)
    report(f"operating window: 3 heavy calls in {elapsed:.1f} s, 429s {refused}")
    assert refused == 0
    assert elapsed >= 3.0


def test_overload_is_never_retried(tmp_path: Path) -> None:
    with portal_with(["--fault-overload", "1"], tmp_path) as (portal, _), \
            Client(portal.webhook_url) as b24:
        with pytest.raises(OverloadError) as caught:
            b24.server_time()
        assert portal.stats()["requests"] == 1
    assert caught.value.code == "OVERLOAD_LIMIT" and caught.value.status == 503


def test_a_moved_portal_gets_the_same_body_at_its_new_address(tmp_path: Path) -> None:
    with portal_with([], tmp_path) as (portal, db):
        port = portal.base_url.rsplit(":", 1)[1]
        # localhost is not the host named (127.0.0.1): the caller opts in to follow.
        with Client(portal.webhook_url, follow_moves=True) as b24:
            chat_id = b24.create_chat({"TITLE": "moving"}).result
            portal.set_faults(moved_to=f"http://localhost:{port}")
            b24.call("im.message.add", {"DIALOG_ID": f"chat{chat_id}", "MESSAGE": "moved"})
            b24.call("im.message.add", {"DIALOG_ID": f"chat{chat_id}", "MESSAGE": "again"})
            assert b24.endpoint.base.startswith(f"http://localhost:{port}/rest/1/")
        moves = portal.stats()["faults"]["moved"]
        assert stored_texts(db, chat_id) == ["moved", "again"]
    assert moves == {"im.message.add": 1}  # the second call went straight to the new host


def test_the_cli_says_a_lost_write_may_have_run_and_exits_4(
    tmp_path: Path, cli: Any
) -> None:
    with portal_with(["--fault-drop", "1", "--fault-methods", "im.chat.add"],
                     tmp_path) as (portal, _):
        before = portal.stats()["rows"]["chats"]  # the general chat is there from the start
        result = cli("bitrix24", "CreateChat", "--url", portal.webhook_url,
                     "--fields", "{'TITLE': 'maybe'}")
        chats = portal.stats()["rows"]["chats"] - before
    assert result.code == 4
    assert "outcome unknown" in result.stderr and "may have run" in result.stderr
    assert "im.chat.add" in result.stderr and result.stderr.count("\n") == 1
    assert portal.webhook_code not in result.stderr
    assert chats == 1  # it did run, once


def test_no_secret_leaks_through_any_reliability_failure(tmp_path: Path, cli: Any) -> None:
    args = ["--fault-503", "0.3", "--fault-drop", "0.2", "--fault-stall", "0.1@1",
            "--fault-500", "0.1", "--fault-seed", "9", "--app", "local.leak.1:leak-secret-value"]
    lines: list[str] = []
    texts: list[str] = []
    with portal_with(args, tmp_path) as (portal, _):
        grant = portal.admin("POST", "oauth/grants", {"client_id": "local.leak.1"})
        secrets = [portal.webhook_code, portal.token, "leak-secret-value",
                   grant["access_token"], grant["refresh_token"]]

        def attempt(action: Callable[[], Any]) -> None:
            try:
                action()
            except OintError as exc:
                texts.append("".join(traceback.format_exception(exc)) + repr(exc))

        hook = Client(portal.webhook_url, timeout=0.5, debug=lines.append, limits=None,
                      retry=Retry(backoff=0.01))
        credentials = OAuthApp("local.leak.1", "leak-secret-value", grant["refresh_token"],
                               lambda tokens: texts.append(repr(tokens)), portal.base_url)
        app = Client(portal.base_url, grant["access_token"], oauth=credentials,
                     debug=lines.append, limits=None, timeout=0.5, retry=Retry(backoff=0.01))
        wrong = Client(portal.base_url, grant["access_token"], debug=lines.append,
                       oauth=replace(credentials, client_secret="wrong-leak-secret-value"),
                       limits=None)
        with hook, app, wrong:
            for n in range(20):
                attempt(lambda n=n: hook.create_chat({"TITLE": f"leak {n}"}))
                attempt(hook.server_time)
            portal.admin("POST", "tokens/expire", {})
            for _ in range(5):
                attempt(app.server_time)
            portal.admin("POST", "tokens/expire", {})
            attempt(wrong.server_time)
        portal.admin("DELETE", "faults")
        portal.set_faults(overload=1.0)
        attempt(lambda: Client(portal.webhook_url, debug=lines.append).server_time())
        for words in (
            ("bitrix24", "CreateChat", "--url", portal.webhook_url, "--fields", "{}", "--debug"),
            ("bitrix24", "RefreshToken", "--clientid", "local.leak.1", "--clientsecret",
             "leak-secret-value", "--refresh", grant["refresh_token"], "--server",
             portal.base_url),
            ("bitrix24", "GetToken", "--clientid", "local.leak.1", "--clientsecret",
             "leak-secret-value", "--code", grant["refresh_token"], "--server",
             "http://127.0.0.1:9"),
        ):
            result = cli(*words)
            texts.extend([result.stderr])
        log = portal.log()
    report(f"secret leak check: {len(texts)} failure texts, {len(lines)} debug lines, "
           f"{len(log)} bytes of emulator log")
    assert len(texts) > 10 and any("may have run" in t for t in texts)
    assert any("refreshing the access token" in line for line in lines)
    for secret in secrets:
        for text in [*texts, *lines, log]:
            assert secret not in text
