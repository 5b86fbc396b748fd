"""Deals management: the seven operations, pipelines and their stages (CLOSED follows the
stage), crm.deal.list's paging, and the link to the lead a deal was converted from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clients import BucketlessClient
from oint import bitrix24
from oint.bitrix24 import Bitrix24Error, calls
from oint.emulator.handlers import SCHEMAS
from oint.emulator.model.crm_deal import convert_lead, get_deal
from oint.emulator.model.crm_lead import add_lead, delete_lead, get_lead
from oint.emulator.process import EmulatorProcess, launch
from oint.emulator.store import Store
from shapes import assert_shape, recorded

# OPI's deal: its pipeline 5 does not exist, so the deal lands in the general one.
DEAL = {"TITLE": "Planned sale", "TYPE_ID": "GOODS", "STAGE_ID": "NEW", "COMPANY_ID": 1,
        "CONTACT_ID": 3, "OPENED": "Y", "ASSIGNED_BY_ID": 1, "PROBABILITY": 30,
        "CURRENCY_ID": "USD", "OPPORTUNITY": 5000, "CATEGORY_ID": 5,
        "BEGINDATE": "2024-01-01", "CLOSEDATE": "2030-01-01"}


@pytest.fixture(scope="module")
def crm() -> Iterator[EmulatorProcess]:
    with launch() as running:
        yield running


def _error(call: Any) -> Bitrix24Error:
    with pytest.raises(Bitrix24Error) as caught:
        call()
    return caught.value


def test_create_get_update_delete(crm: EmulatorProcess) -> None:
    url = crm.webhook_url
    created = bitrix24.create_deal(url, DEAL)
    assert_shape(created.json(), "CreateDeal")
    deal = bitrix24.get_deal(url, created.result)
    assert_shape(deal.json(), "GetDeal")
    got = deal.result
    # What the real portal answered for the same deal (GetDeal's recording), id aside.
    expected = recorded("GetDeal")["result"]
    for key in ("TITLE", "TYPE_ID", "STAGE_ID", "PROBABILITY", "CURRENCY_ID", "OPPORTUNITY",
                "IS_MANUAL_OPPORTUNITY", "TAX_VALUE", "LEAD_ID", "COMPANY_ID", "CONTACT_ID",
                "BEGINDATE", "CLOSEDATE", "OPENED", "CLOSED", "CATEGORY_ID",
                "STAGE_SEMANTIC_ID", "IS_NEW", "IS_RECURRING", "IS_RETURN_CUSTOMER"):
        assert got[key] == expected[key], key
    updated = bitrix24.update_deal(url, created.result, {"TITLE": "Sale in RUB",
                                                         "CURRENCY_ID": "RUB",
                                                         "OPPORTUNITY": 50000})
    assert_shape(updated.json(), "UpdateDeal")
    again = bitrix24.get_deal(url, created.result).result
    assert (again["TITLE"], again["OPPORTUNITY"], again["CURRENCY_ID"]) == (
        "Sale in RUB", "50000.00", "RUB")
    deleted = bitrix24.delete_deal(url, created.result)
    assert_shape(deleted.json(), "DeleteDeal")
    error = _error(lambda: bitrix24.get_deal(url, created.result))
    assert (error.description, error.status) == ("Not found", 400)
    raw = httpx.post(f"{url}/crm.deal.get", json={"id": created.result})
    assert raw.json() == {"error": "", "error_description": "Not found"}


def test_the_stage_decides_closed(crm: EmulatorProcess) -> None:
    with BucketlessClient(crm.webhook_url) as b24:
        deal_id = b24.create_deal({"TITLE": "Stages"}).result
        fresh = b24.get_deal(deal_id).result
        assert (fresh["STAGE_ID"], fresh["CATEGORY_ID"], fresh["IS_NEW"]) == ("NEW", "0", "Y")
        assert (fresh["TYPE_ID"], fresh["CURRENCY_ID"], fresh["COMPANY_ID"]) == (
            "SALE", "USD", "0")
        for stage, semantic, closed in (("EXECUTING", "P", "N"), ("WON", "S", "Y"),
                                        ("LOSE", "F", "Y"), ("PREPARATION", "P", "N")):
            b24.update_deal(deal_id, {"STAGE_ID": stage, "CLOSED": "Y"})
            got = b24.get_deal(deal_id).result
            assert (got["STAGE_SEMANTIC_ID"], got["CLOSED"], got["IS_NEW"]) == (
                semantic, closed, "N"), stage


def test_pipelines_have_their_own_stages(crm: EmulatorProcess) -> None:
    with BucketlessClient(crm.webhook_url) as b24:
        deal_id = b24.create_deal({"TITLE": "Partner", "CATEGORY_ID": 1}).result
        got = b24.get_deal(deal_id).result
        assert (got["CATEGORY_ID"], got["STAGE_ID"]) == ("1", "C1:NEW")
        b24.update_deal(deal_id, {"STAGE_ID": "C1:WON", "CATEGORY_ID": 0})
        got = b24.get_deal(deal_id).result
        assert (got["CATEGORY_ID"], got["STAGE_ID"], got["CLOSED"]) == ("1", "C1:WON", "Y")
        raw = httpx.post(f"{crm.webhook_url}/crm.deal.update",
                         json={"id": deal_id, "fields": {"STAGE_ID": "WON"}})
        assert (raw.status_code, raw.json()) == (400, {
            "error": "", "error_description": "The stage WON is not one of the deal's pipeline"})
        error = _error(lambda: b24.create_deal({"CATEGORY_ID": 1, "STAGE_ID": "NEW"}))
        assert "NEW" in error.description
        assert b24.get_deal(deal_id).result["STAGE_ID"] == "C1:WON"  # nothing changed


def test_fields_and_errors(crm: EmulatorProcess) -> None:
    with BucketlessClient(crm.webhook_url) as b24:
        fields = b24.get_deal_structure()
        assert_shape(fields.json(), "GetDealStructure")
        assert list(fields.result) == list(recorded("GetDealStructure")["result"])
        assert fields.result["CATEGORY_ID"]["isImmutable"] is True
        assert fields.result["LEAD_ID"]["isReadOnly"] is True
        for call in (lambda: b24.get_deal(0), lambda: b24.delete_deal("-3"),
                     lambda: b24.update_deal(0, {"TITLE": "x"})):
            assert _error(call).description == "ID is not defined or invalid."
        for call in (lambda: b24.delete_deal(10**9), lambda: b24.update_deal(10**9, {})):
            assert _error(call).description == "Not found"
    reply = httpx.post(f"{crm.webhook_url}/crm.deal.add", json={"fields": "text"})
    assert reply.json() == {"error": "", "error_description": "Parameter 'fields' must be array."}
    assert bitrix24.get_deals_filter_structure() == recorded("GetDealsFilterStructure")
    assert set(bitrix24.get_deals_filter_structure(empty=True).values()) == {""}


def test_lists_filter_and_page(crm: EmulatorProcess) -> None:
    with BucketlessClient(crm.webhook_url) as b24:
        batch = [calls.create_deal({"TITLE": f"Bulk {i}", "OPPORTUNITY": i * 100})
                 for i in range(120)]
        # Batches may run side by side: the ids need not follow the order of the calls.
        made = sorted(outcome.result for outcome in b24.batch(batch))
        first = b24.get_deals_list({">=ID": made[0]})
        assert (len(first.result), first.total, first.next) == (50, 120, 50)
        last = b24.get_deals_list({">=ID": made[0]}, offset=110)  # floored to a page
        assert (len(last.result), last.next) == (20, None)
        assert_shape(last.json(), "GetDealsList_wh")
        rich = b24.call("crm.deal.list", {"filter": {">OPPORTUNITY": 11500, "%TITLE": "Bulk"},
                                          "select": ["ID", "OPPORTUNITY"]}).result
        assert sorted(r["OPPORTUNITY"] for r in rich) == ["11600.00", "11700.00", "11800.00",
                                                         "11900.00"]
        walked = list(b24.iter_list(calls.get_deals_list({"%TITLE": "Bulk"})))
        assert [int(d["ID"]) for d in walked] == made
        none = b24.get_deals_list({"TITLE": "Sale in RUB", "CURRENCY_ID": "KZT"})
        assert_shape(none.json(), "GetDealsList")


def test_deals_from_the_command_line(cli_process: Any, cli: Any, crm: EmulatorProcess
                                     ) -> None:
    url = crm.webhook_url
    created = cli_process("bitrix24", "CreateDeal", "--url", url, "--fields",
                          "{'TITLE':'cli deal','STAGE_ID':'PREPARATION','OPPORTUNITY':12.5}")
    assert created.code == 0, created.stderr
    deal_id = str(created.json()["result"])
    got = cli_process("bitrix24", "GetDeal", "--url", url, "--deal", deal_id)
    assert got.json()["result"]["OPPORTUNITY"] == "12.50"
    assert cli_process("bitrix24", "UpdateDeal", "--url", url, "--deal", deal_id,
                       "--fields", "{'STAGE_ID':'WON'}").json()["result"] is True
    listed = cli_process("bitrix24", "GetDealsList", "--url", url, "--filter",
                         f"{{'ID':{deal_id}}}")
    assert listed.json()["result"][0]["CLOSED"] == "Y"
    everything = cli("bitrix24", "GetDealsList", "--url", url, "--filter",
                     "{'%TITLE':'Bulk'}", "--all")
    assert everything.code == 0, everything.stderr
    assert len([json.loads(line) for line in everything.stdout.splitlines()]) == 120
    assert cli_process("bitrix24", "DeleteDeal", "--url", url, "--deal",
                       deal_id).json()["result"] is True
    structure = cli_process("bitrix24", "GetDealStructure", "--url", url)
    assert structure.json()["result"]["STAGE_ID"]["statusType"] == "DEAL_STAGE"


class _Actor:
    def __init__(self, store: Store) -> None:
        self.store, self.user_id, self.now = store, 1, 1_725_000_000.0


def test_a_converted_lead_links_its_deal_until_it_is_deleted() -> None:
    actor = _Actor(Store(":memory:", SCHEMAS))
    lead_id = add_lead(actor, {"TITLE": "MegaClient", "OPPORTUNITY": 700, "CURRENCY_ID": "BYN",
                               "SOURCE_ID": "CALL"})
    deal_id = convert_lead(actor, lead_id)
    deal = get_deal(actor, deal_id)
    assert deal is not None
    assert (deal["LEAD_ID"], deal["TITLE"], deal["OPPORTUNITY"], deal["CURRENCY_ID"],
            deal["SOURCE_ID"]) == (str(lead_id), "MegaClient", "700.00", "BYN", "CALL")
    lead = get_lead(actor, lead_id)
    assert lead is not None and lead["STATUS_ID"] == "CONVERTED"
    assert delete_lead(actor, lead_id)
    kept = get_deal(actor, deal_id)
    assert kept is not None and kept["LEAD_ID"] is None  # the deal stays, unlinked
