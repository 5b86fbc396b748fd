"""The emulator's limits, faults, OAuth server and admin API, over raw HTTP (any client)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from oint.emulator.process import EmulatorProcess, launch


@pytest.fixture(scope="module")
def tight() -> Iterator[EmulatorProcess]:
    """A portal with a small bucket and a 1 s budget per method over a 5 s window."""
    with launch(["--rate-limit", "5/3", "--operating-limit", "1/5"]) as running:
        yield running


def _post(portal: EmulatorProcess, method: str, **params: Any) -> httpx.Response:
    return httpx.post(f"{portal.webhook_url}/{method}", json=params, timeout=10)


def test_the_bucket_refuses_above_the_burst_then_drains(tight: EmulatorProcess) -> None:
    time.sleep(1.0)  # let earlier tests' requests drain
    replies = [_post(tight, "server.time") for _ in range(6)]
    statuses = [r.status_code for r in replies]
    assert statuses[:3] == [200, 200, 200]
    assert 503 in statuses[3:]
    refused = next(r for r in replies if r.status_code == 503)
    assert refused.json() == {"error": "QUERY_LIMIT_EXCEEDED",
                              "error_description": "Too many requests"}
    time.sleep(0.5)  # 2.5 requests drained
    assert _post(tight, "server.time").status_code == 200


def test_the_shared_portal_has_no_bucket(portal: EmulatorProcess) -> None:
    # The shared portal has no bucket: plain tests are not slowed down.
    assert all(_post(portal, "server.time").status_code == 200 for _ in range(60))


def test_a_heavy_method_gets_429_and_others_do_not(tight: EmulatorProcess) -> None:
    tight.set_faults(operating_cost={"im.chat.add": 0.6})
    try:
        time.sleep(1.0)
        first = _post(tight, "im.chat.add", TITLE="heavy 1").json()["time"]
        time.sleep(0.3)
        second = _post(tight, "im.chat.add", TITLE="heavy 2").json()["time"]
        # Real figures: the method's own seconds in the window, and when the oldest drops.
        assert first["operating"] == pytest.approx(0.6, abs=0.05)
        assert second["operating"] == pytest.approx(1.2, abs=0.1)
        assert second["operating_reset_at"] == int(first["start"] + 5)
        time.sleep(0.3)
        blocked = _post(tight, "im.chat.add", TITLE="heavy 3")
        assert blocked.status_code == 429
        assert blocked.json() == {"error": "OPERATION_TIME_LIMIT",
                                  "error_description":
                                      "Method is blocked due to operation time limit."}
        other = _post(tight, "server.time")
        assert other.status_code == 200 and other.json()["time"]["operating"] < 0.1
        # operating_reset_at is rounded down to the second.
        time.sleep(max(0.0, second["operating_reset_at"] + 1.0 - time.time()))
        assert _post(tight, "im.chat.add", TITLE="heavy 4").status_code == 200
    finally:
        tight.admin("DELETE", "faults")


def test_faults_from_the_command_line_are_counted() -> None:
    args = ["--fault-503", "0.3", "--fault-500", "0.2", "--fault-seed", "7",
            "--fault-methods", "server.time"]
    with launch(args) as running:
        statuses = [_post(running, "server.time").status_code for _ in range(40)]
        assert _post(running, "im.chat.user.list", CHAT_ID=999_999).status_code == 200
        stats = running.stats()
        faults = stats["faults"]
        assert statuses.count(503) == faults["storm"]["server.time"] > 0
        assert statuses.count(500) == faults["error500"]["server.time"] > 0
        assert stats["calls"]["server.time"] == statuses.count(200)
        assert stats["requests"] == 41


def test_a_dropped_reply_comes_after_the_write(portal: EmulatorProcess) -> None:
    chat = _post(portal, "im.chat.add", TITLE="drops").json()["result"]
    before = portal.stats()["rows"]["messages"]
    portal.set_faults(drop=1.0, methods=["im.message.add"])
    try:
        with pytest.raises(httpx.RemoteProtocolError):
            _post(portal, "im.message.add", DIALOG_ID=f"chat{chat}", MESSAGE="lost reply")
    finally:
        portal.admin("DELETE", "faults")
    assert portal.stats()["rows"]["messages"] == before + 1
    assert "Traceback" not in portal.log()


def test_a_stalled_reply_times_out_after_the_write(portal: EmulatorProcess) -> None:
    chat = _post(portal, "im.chat.add", TITLE="stalls").json()["result"]
    before = portal.stats()["rows"]["messages"]
    portal.set_faults(stall=1.0, stall_seconds=2.0, methods=["im.message.add"])
    try:
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"{portal.webhook_url}/im.message.add", timeout=0.5,
                       json={"DIALOG_ID": f"chat{chat}", "MESSAGE": "slow reply"})
    finally:
        portal.admin("DELETE", "faults")
    assert portal.stats()["rows"]["messages"] == before + 1


def test_a_moved_portal_redirects_with_the_path_and_query(portal: EmulatorProcess) -> None:
    port = portal.base_url.rsplit(":", 1)[1]
    portal.set_faults(moved_to=f"http://localhost:{port}")
    try:
        reply = httpx.post(f"{portal.webhook_url}/server.time?x=1")
        assert reply.status_code == 302
        assert reply.headers["location"] == (
            f"http://localhost:{port}/rest/1/{portal.webhook_code}/server.time?x=1"
        )
    finally:
        portal.admin("DELETE", "faults")


def test_the_admin_api_never_answers_on_rest_or_oauth_paths(portal: EmulatorProcess) -> None:
    for path in ("/rest/_oint/stats", f"/rest/1/{portal.webhook_code}/_oint/stats",
                 "/rest/_oint/faults"):
        reply = httpx.get(portal.base_url + path)
        assert reply.status_code == 404
        assert reply.json()["error"] == "ERROR_METHOD_NOT_FOUND"
    assert httpx.get(portal.base_url + "/oauth/token/_oint/stats").status_code == 404
    assert httpx.get(portal.base_url + "/_oint/stats").status_code == 200
    bad = httpx.put(portal.base_url + "/_oint/faults", json={"storm": 2})
    assert bad.status_code == 400 and "share" in bad.json()["error"]
    assert httpx.put(portal.base_url + "/_oint/faults", json={"nope": 1}).status_code == 400


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rate-limit", "2"], "--rate-limit must look like DRAIN/BURST"),
        (["--rate-limit", "0/50"], "--rate-limit must look like DRAIN/BURST"),
        (["--operating-limit", "x"], "--operating-limit must look like BUDGET/WINDOW"),
        (["--fault-503", "1.5"], "storm is a share of requests"),
        (["--app", "noseparator"], "--app must look like CLIENT_ID:SECRET"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(cli_process: Any, args: list[str],
                                             message: str) -> None:
    result = cli_process("emulator", "--port", "0", *args)
    assert result.code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_plan_names_are_accepted() -> None:
    from oint.emulator.limits import parse_rate

    assert parse_rate("standard") == (2.0, 50)
    assert parse_rate("Enterprise") == (5.0, 250)
    assert parse_rate("20/50") == (20.0, 50)
