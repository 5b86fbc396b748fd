"""What three Bitrix24 clients nobody here wrote send, as plain HTTP: the emulator must take
their requests as a real portal does.

fast_bitrix24 posts JSON to ``<webhook>/<method>`` (no ``.json``); b24pysdk posts JSON to
``<method>.json`` with method names in its own case (``crm.lead.List``) and pages with
``start=-1``; bitrix24-rest sends GET with a hand-built, unencoded query string that ends in
``&`` and always carries ``start=0``, and treats any status but 200/201 as an error.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from oint.emulator.process import EmulatorProcess, launch

LEADS = 120


@pytest.fixture(scope="module")
def seeded() -> Iterator[EmulatorProcess]:
    with launch(["--seed-leads", str(LEADS)]) as running:
        yield running


def test_bitrix24_rest_gets_with_a_raw_query(seeded: EmulatorProcess) -> None:
    base = seeded.webhook_url
    made = httpx.get(f"{base}/im.chat.add.json?TITLE=rest chat&USERS[0]=2&USERS[1]=3&start=0&")
    assert made.status_code == 200
    chat = made.json()["result"]
    members = httpx.get(f"{base}/im.chat.user.list.json?CHAT_ID={chat}&start=0&").json()
    assert members["result"] == [1, 2, 3]
    lead = httpx.get(f"{base}/crm.lead.add.json?fields[TITLE]=rest lead&"
                     "fields[PHONE][0][VALUE]=123&fields[PHONE][0][VALUE_TYPE]=WORK&start=0&")
    got = httpx.get(f"{base}/crm.lead.get.json?ID={lead.json()['result']}&start=0&").json()
    assert (got["result"]["TITLE"], got["result"]["PHONE"][0]["VALUE"]) == ("rest lead", "123")


def test_bitrix24_rest_pages_by_total(seeded: EmulatorProcess) -> None:
    # It reads total from the first page and asks for every later start at once.
    first = httpx.get(f"{seeded.webhook_url}/crm.lead.list.json?start=0&").json()
    assert (len(first["result"]), first["next"]) == (50, 50)
    total = first["total"]
    pages = [httpx.get(f"{seeded.webhook_url}/crm.lead.list.json?start={start}&").json()
             for start in range(50, total, 50)]
    ids = [lead["ID"] for page in [first, *pages] for lead in page["result"]]
    assert len(ids) == len(set(ids)) == total
    assert "next" not in pages[-1]


def test_bitrix24_rest_sees_errors_by_status(seeded: EmulatorProcess) -> None:
    reply = httpx.get(f"{seeded.webhook_url}/im.chat.user.list.json?CHAT_ID=0&start=0&")
    assert reply.status_code == 400
    assert reply.json() == {"error": "CHAT_ID_EMPTY", "error_description": "Chat ID can't be empty"}


def test_b24pysdk_fast_list_and_method_case(seeded: EmulatorProcess) -> None:
    reply = httpx.post(f"{seeded.webhook_url}/crm.lead.List.json",
                       json={"order": {"ID": "ASC"}, "start": -1}).json()
    assert [lead["ID"] for lead in reply["result"]][:2] == ["1", "2"]
    assert len(reply["result"]) == 50 and reply["total"] == 0 and "next" not in reply


def test_fast_bitrix24_posts_json_without_the_suffix(seeded: EmulatorProcess) -> None:
    reply = httpx.post(f"{seeded.webhook_url}/crm.lead.list",
                       json={"select": ["ID", "TITLE"], "filter": {">ID": 100, "<=ID": LEADS},
                             "order": {"ID": "ASC"}}).json()
    assert all(set(lead) == {"ID", "TITLE"} for lead in reply["result"])
    assert reply["total"] == LEADS - 100
