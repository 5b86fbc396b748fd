"""The portal's time zone (``oint emulator --timezone``) and the ``time`` block as the real
server writes it: ``start``, ``processing`` and ``operating`` as integers when they are
whole, ``date_start``/``date_finish`` with the portal's offset (the recordings show both,
e.g. ``CreateCalendar.json``: ``"start": 1765376683``, ``"processing": 0``,
``"date_start": "2025-12-10T17:24:43+03:00"``).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import httpx
import pytest

from oint.emulator import phpjson
from oint.emulator.process import EmulatorProcess, launch
from oint.emulator.timing import time_block
from shapes import recorded

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def berlin() -> Iterator[EmulatorProcess]:
    with launch(["--timezone", "Europe/Berlin"]) as running:
        yield running


def _offset_now(zone: dt.tzinfo) -> str:
    """The zone's UTC offset now, as ISO 8601 writes it (+01:00 in winter in Berlin)."""
    text = dt.datetime.now(zone).strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def test_whole_numbers_of_the_time_block_are_integers() -> None:
    block = json.loads(phpjson.dumps(time_block(1765376683.0, 1765376683.46182, 0.0, 0.0,
                                                1765377283)))
    model = recorded("CreateCalendar")["time"]
    assert {key: type(value) for key, value in block.items()} == {
        key: type(value) for key, value in model.items()}
    assert (block["start"], block["processing"], block["operating"]) == (1765376683, 0, 0)
    assert block["date_start"] == "2025-12-10T14:24:43+00:00"  # a UTC portal
    measured = json.loads(phpjson.dumps(time_block(1.5, 2.0, 0.25, 0.75, 600)))
    assert (measured["start"], measured["processing"], measured["operating"]) == (1.5, 0.25,
                                                                                   0.75)


def test_the_time_block_on_the_wire(portal: EmulatorProcess) -> None:
    # A batch is not metered itself: its operating is a whole 0, written as PHP writes it.
    reply = httpx.post(f"{portal.webhook_url}/batch.json",
                       json={"cmd": {"a": "server.time"}})
    assert '"operating":0}' in reply.text
    assert reply.json()["time"]["date_start"].endswith("+00:00")


def test_every_date_is_on_the_portals_clock(berlin: EmulatorProcess) -> None:
    offset = _offset_now(BERLIN)
    url = berlin.webhook_url
    server = httpx.post(f"{url}/server.time.json").json()
    assert server["result"].endswith(offset)
    assert server["time"]["date_start"].endswith(offset)
    assert server["time"]["date_finish"].endswith(offset)
    lead = httpx.post(f"{url}/crm.lead.add.json", json={"fields": {"TITLE": "x"}}).json()
    created = httpx.post(f"{url}/crm.lead.get.json", json={"id": lead["result"]}).json()
    assert created["result"]["DATE_CREATE"].endswith(offset)
    settings = httpx.post(f"{url}/calendar.user.settings.get.json").json()["result"]
    now = dt.datetime.now(BERLIN).utcoffset()
    assert (settings["timezoneName"], settings["timezoneOffsetUTC"]) == (
        "Europe/Berlin", int(now.total_seconds()) if now else 0)
    # A calendar's dates are the portal's wall clock too.
    section = httpx.post(f"{url}/calendar.section.add.json",
                         json={"type": "user", "name": "Here"}).json()["result"]
    listed = httpx.post(f"{url}/calendar.section.get.json", json={"type": "user"}).json()
    stamp = next(s for s in listed["result"] if s["ID"] == str(section))["DATE_CREATE"]
    written = dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BERLIN)
    assert abs(written.timestamp() - dt.datetime.now(dt.timezone.utc).timestamp()) < 120


def test_an_unknown_zone_is_refused_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "oint", "emulator", "--port", "0", "--timezone", "Mars/Base"],
        capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("oint emulator: --timezone: unknown time zone 'Mars/Base'; give an "
                           "IANA name such as Europe/Berlin, or UTC\n")
