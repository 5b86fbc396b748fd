"""PHP's JSON rule for arrays, seen where clients meet it: ``batch`` replies.

PHP has one array type, and ``json_encode`` writes one keyed exactly 0..n-1 in order as a
JSON list, any other as an object, an empty one as ``[]``. So a batch whose command keys are
``0..n-1`` (b24pysdk's ``call_batch`` always sends them; fast_bitrix24's ``call_batch`` passes
the caller's keys; a JSON list or ``cmd[0]=`` form does the same) gets its per-command maps
back as lists. The requests below are the ones those clients send (seen on the wire against
the emulator), made here with plain HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from oint.emulator import phpjson
from oint.emulator.process import EmulatorProcess, launch

LEADS = 120


@pytest.fixture(scope="module")
def seeded() -> Iterator[EmulatorProcess]:
    with launch(["--seed-leads", str(LEADS)]) as running:
        yield running


def _batch(portal: EmulatorProcess, body: dict[str, Any]) -> dict[str, Any]:
    reply = httpx.post(f"{portal.webhook_url}/batch.json", json=body)
    assert reply.status_code == 200
    result: dict[str, Any] = reply.json()["result"]
    return result


def test_php_writes_maps_keyed_from_zero_as_lists() -> None:
    assert phpjson.dumps({"0": "a", "1": "b"}) == b'["a","b"]'
    assert phpjson.dumps({0: {"1": "x"}, 1: {}}) == b'[{"1":"x"},[]]'
    assert phpjson.dumps({"1": "a", "2": "b"}) == b'{"1":"a","2":"b"}'  # not from zero
    assert phpjson.dumps({"1": "a", "0": "b"}) == b'{"1":"a","0":"b"}'  # not in order
    assert phpjson.dumps({"0": "a", "01": "b"}) == b'{"0":"a","01":"b"}'  # "01" stays text
    assert phpjson.dumps(phpjson.PhpObject({"0": 1})) == b'{"0":1}'  # an object stays one
    assert phpjson.dumps(phpjson.PhpObject()) == b"{}"


def test_numeric_keys_bring_lists(seeded: EmulatorProcess) -> None:
    # b24pysdk's call_batch: {"cmd": {"0": ..., "1": ...}, "halt": false}, methods in its case.
    result = _batch(seeded, {"cmd": {"0": "crm.lead.Get?id=1", "1": "crm.lead.Get?id=2"},
                             "halt": False})
    assert [lead["ID"] for lead in result["result"]] == ["1", "2"]
    assert isinstance(result["result_time"], list) and len(result["result_time"]) == 2
    assert result["result_error"] == [] and result["result_total"] == []
    assert result["result_next"] == []


@pytest.mark.parametrize("send", ["json list", "form", "query"])
def test_a_list_of_commands_or_cmd_0_brings_lists(seeded: EmulatorProcess, send: str) -> None:
    url = f"{seeded.webhook_url}/batch.json"
    commands = ["server.time", "crm.lead.get?ID=3"]
    if send == "json list":
        reply = httpx.post(url, json={"cmd": commands})
    elif send == "form":
        reply = httpx.post(url, data={f"cmd[{i}]": c for i, c in enumerate(commands)})
    else:  # bitrix24-rest's GET, query unencoded and ending in "&"
        reply = httpx.get(f"{url}?cmd[0]=server.time&cmd[1]=crm.lead.get%3FID%3D3&")
    result = reply.json()["result"]
    assert isinstance(result["result"], list) and result["result"][1]["ID"] == "3"
    assert isinstance(result["result_time"], list)


def test_a_failed_command_leaves_a_gap_and_objects(seeded: EmulatorProcess) -> None:
    result = _batch(seeded, {"cmd": {"0": "crm.lead.get?id=1", "1": "crm.lead.get?id=0",
                                     "2": "crm.lead.get?id=2"}, "halt": False})
    assert sorted(result["result"]) == ["0", "2"]  # 0 and 2 only: PHP writes an object
    assert result["result_error"] == {
        "1": {"error": "", "error_description": "ID is not defined or invalid."}}
    assert sorted(result["result_time"]) == ["0", "2"]


def test_keys_from_one_chain_pages_by_reference(seeded: EmulatorProcess) -> None:
    # b24pysdk's as_list_fast: keys "1", "2", ..., each page after the last id of the one
    # before; the keys do not start at 0, so the reply keeps them as an object.
    page = "crm.lead.List?order[ID]=ASC&filter[%3EID]={}&start=-1"
    result = _batch(seeded, {"cmd": {"1": page.format(50),
                                     "2": page.format("%24result%5B1%5D%5B49%5D%5BID%5D")},
                             "halt": False})
    assert sorted(result["result"]) == ["1", "2"]
    assert [lead["ID"] for lead in result["result"]["1"]][:1] == ["51"]
    assert [lead["ID"] for lead in result["result"]["2"]] == [str(n) for n in range(101, 121)]
    assert result["result_total"] == {"1": 0, "2": 0}  # start=-1 counts nothing


def test_pages_in_a_batch_bring_total_and_next_lists(seeded: EmulatorProcess) -> None:
    result = _batch(seeded, {"cmd": {"0": "crm.lead.list?start=50",
                                     "1": "crm.lead.list?start=100"}, "halt": True})
    assert [len(page) for page in result["result"]] == [50, 20]
    assert result["result_total"] == [LEADS, LEADS]
    assert result["result_next"] == [100]  # only the page that has another after it


def test_named_keys_keep_objects(seeded: EmulatorProcess) -> None:
    # fast_bitrix24's own batches label commands "cmd0000000000", "order0000000001", ...
    result = _batch(seeded, {"cmd": {"cmd0000000000": "server.time",
                                     "cmd0000000001": "crm.lead.get?ID=1"}, "halt": 0})
    assert sorted(result["result"]) == ["cmd0000000000", "cmd0000000001"]
    assert result["result_error"] == []
