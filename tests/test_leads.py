"""Leads management: the seven operations, and crm.lead.list's real paging and filters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from clients import BucketlessClient
from oint import bitrix24
from oint.bitrix24 import Bitrix24Error, Client
from oint.emulator.process import EmulatorProcess, launch
from shapes import assert_shape, recorded

SEEDED = 130


@pytest.fixture(scope="module")
def seeded() -> Iterator[EmulatorProcess]:
    with launch(["--seed-leads", str(SEEDED)]) as running:
        yield running


def _fields() -> dict[str, Any]:
    return {
        "TITLE": "MegaClient", "NAME": "John", "LAST_NAME": "Doe", "STATUS_ID": "CONVERTED",
        "CURRENCY_ID": "BYN", "ADDRESS": "Pushkin st., b. 10", "ADDRESS_COUNTRY": "Russia",
        "EMAIL": [{"VALUE": "yo@example.com", "VALUE_TYPE": "HOME"},
                  {"VALUE": "hi@example.com", "VALUE_TYPE": "WORK"}],
        "PHONE": [{"VALUE": "88005553535", "VALUE_TYPE": "WORK"}],
    }


def test_create_get_update_delete_with_a_webhook(portal: EmulatorProcess) -> None:
    url = portal.webhook_url
    created = bitrix24.create_lead(url, _fields())
    assert_shape(created.json(), "CreateLead_wh")
    lead = bitrix24.get_lead(url, created.result)
    assert_shape(lead.json(), "GetLead_wh")
    assert lead.result["ID"] == str(created.result)
    assert (lead.result["HAS_EMAIL"], lead.result["HAS_PHONE"]) == ("Y", "Y")
    assert [e["VALUE"] for e in lead.result["EMAIL"]] == ["yo@example.com", "hi@example.com"]
    assert lead.result["OPPORTUNITY"] == "0.00" and lead.result["STATUS_SEMANTIC_ID"] == "S"
    updated = bitrix24.update_lead(url, created.result, {"TITLE": "Q&A = ü", "OPPORTUNITY": 12.5})
    assert_shape(updated.json(), "UpdateLead_wh")
    again = bitrix24.get_lead(url, created.result).result
    assert (again["TITLE"], again["OPPORTUNITY"]) == ("Q&A = ü", "12.50")
    deleted = bitrix24.delete_lead(url, created.result)
    assert_shape(deleted.json(), "DeleteLead_wh")
    with pytest.raises(Bitrix24Error) as caught:
        bitrix24.get_lead(url, created.result)
    assert caught.value.description == "Not found" and caught.value.status == 400


def test_operations_with_domain_and_token(portal: EmulatorProcess) -> None:
    with BucketlessClient(portal.base_url, portal.token) as b24:
        lead_id = b24.create_lead({"TITLE": "token"}).result
        assert b24.get_lead(lead_id).result["TITLE"] == "token"
        assert_shape(b24.get_lead_structure().json(), "GetLeadStructure_wh")
        assert b24.get_leads_list({"=ID": lead_id}).result[0]["TITLE"] == "token"
        assert b24.delete_lead(lead_id).result is True


def test_missing_or_bad_ids_are_errors(portal: EmulatorProcess) -> None:
    with BucketlessClient(portal.webhook_url) as b24:
        for call in (lambda: b24.get_lead(0), lambda: b24.delete_lead("-3"),
                     lambda: b24.update_lead(0, {"TITLE": "x"})):
            with pytest.raises(Bitrix24Error) as caught:
                call()
            assert caught.value.description == "ID is not defined or invalid."
        for call in (lambda: b24.delete_lead(10**9), lambda: b24.update_lead(10**9, {})):
            with pytest.raises(Bitrix24Error) as caught:
                call()
            assert caught.value.description == "Not found"


def test_a_lead_without_title_gets_one(portal: EmulatorProcess) -> None:
    with BucketlessClient(portal.webhook_url) as b24:
        lead_id = b24.create_lead({}).result
        lead = b24.get_lead(lead_id).result
        assert lead["TITLE"] == f"Lead #{lead_id}" and lead["STATUS_ID"] == "NEW"


def test_filter_structure_is_opis() -> None:
    structure = bitrix24.get_lead_filter_structure()
    expected = recorded("GetLeadFilterStructure")
    assert list(structure) == list(expected)
    assert {k: v for k, v in structure.items() if expected[k] != "***"} == {
        k: v for k, v in expected.items() if v != "***"}
    assert set(bitrix24.get_lead_filter_structure(empty=True).values()) == {""}


def test_pages_of_fifty_with_next_and_total(seeded: EmulatorProcess) -> None:
    with BucketlessClient(seeded.webhook_url) as b24:
        first = b24.get_leads_list()
        assert (len(first.result), first.total, first.next) == (50, SEEDED, 50)
        middle = b24.get_leads_list(offset=75)  # CDBResult floors start to a page
        assert middle.result[0]["ID"] == "51" and middle.next == 100
        last = b24.get_leads_list(offset=100)
        assert (len(last.result), last.total, last.next) == (30, SEEDED, None)
        assert "next" not in last
        assert_shape(last.json(), "GetLeadsList_wh")
        beyond = b24.get_leads_list(offset=500)
        assert (beyond.result, beyond.total) == ([], SEEDED)


def test_start_minus_one_skips_the_count(seeded: EmulatorProcess) -> None:
    with BucketlessClient(seeded.webhook_url) as b24:
        fast = b24.call("crm.lead.list", {"start": -1, "filter": {">ID": 100},
                                          "order": {"ID": "ASC"}}, reads=True)
        assert [r["ID"] for r in fast.result] == [str(i) for i in range(101, SEEDED + 1)]
        assert fast.total == 0 and fast.next is None


def _ids(b24: Client, filter_: dict[str, Any], **extra: Any) -> list[int]:
    reply = b24.call("crm.lead.list", {"filter": filter_, "select": ["ID"], **extra})
    return [int(r["ID"]) for r in reply.result]


def test_filter_prefixes(seeded: EmulatorProcess) -> None:
    with BucketlessClient(seeded.webhook_url) as b24:
        assert _ids(b24, {">ID": 125}) == [126, 127, 128, 129, 130]
        assert _ids(b24, {">=ID": 128}) == [128, 129, 130]
        assert _ids(b24, {"<ID": 3}) == [1, 2]
        assert _ids(b24, {"<=ID": "2"}) == [1, 2]
        assert _ids(b24, {">ID": 10, "<ID": 13}) == [11, 12]
        assert _ids(b24, {"ID": 7}) == [7]
        assert _ids(b24, {"=ID": [3, 5]}) == [3, 5]
        assert _ids(b24, {"@ID": [3, 5], "!ID": 3}) == [5]
        assert 4 not in _ids(b24, {"!ID": 4, "<ID": 6})
        assert _ids(b24, {"%TITLE": "Lead 12 "}) == [12]
        assert _ids(b24, {"%TITLE": "lead 12"}) == [12, *range(120, 130)][:50]
        big = b24.call("crm.lead.list", {"filter": {">OPPORTUNITY": 50000},
                                         "select": ["OPPORTUNITY"]}).result
        assert big and all(float(r["OPPORTUNITY"]) > 50000 for r in big)
        assert set(big[0]) == {"ID", "OPPORTUNITY"}


def test_order_and_select(seeded: EmulatorProcess) -> None:
    with BucketlessClient(seeded.webhook_url) as b24:
        assert _ids(b24, {"<ID": 4}, order={"ID": "DESC"}) == [3, 2, 1]
        rows = b24.call("crm.lead.list", {"order": {"OPPORTUNITY": "DESC"},
                                          "select": ["ID", "OPPORTUNITY", "TITLE"]}).result
        amounts = [float(r["OPPORTUNITY"]) for r in rows]
        assert amounts == sorted(amounts, reverse=True)
        assert list(rows[0]) == ["ID", "TITLE", "OPPORTUNITY"]
        with_phone = b24.call("crm.lead.list", {"select": ["TITLE", "PHONE"],
                                                "filter": {"<ID": 3}}).result
        assert list(with_phone[0]) == ["ID", "TITLE"]  # no phones: the key is absent


def test_list_and_fields_from_the_command_line(cli: Any, seeded: EmulatorProcess) -> None:
    done = cli("bitrix24", "GetLeadsList", "--url", seeded.webhook_url,
               "--filter", "{'>ID': 120}", "--offset", "0")
    assert done.code == 0, done.stderr
    assert [r["ID"] for r in done.json()["result"]] == [str(i) for i in range(121, 131)]
    fields = cli("bitrix24", "GetLeadStructure", "--url", seeded.webhook_url)
    assert fields.code == 0 and fields.json()["result"]["PHONE"]["isMultiple"] is True


def test_crud_from_the_command_line(cli_process: Any, portal: EmulatorProcess) -> None:
    url = portal.webhook_url
    created = cli_process("bitrix24", "CreateLead", "--url", url,
                          "--fields", "{'TITLE':'cli lead','NAME':'Ann'}")
    assert created.code == 0, created.stderr
    lead_id = str(created.json()["result"])
    got = cli_process("bitrix24", "GetLead", "--url", url, "--lead", lead_id)
    assert got.json()["result"]["NAME"] == "Ann"
    assert cli_process("bitrix24", "UpdateLead", "--url", url, "--lead", lead_id,
                       "--fields", "{'NAME':'Bo'}").json()["result"] is True
    assert cli_process("bitrix24", "DeleteLead", "--url", url, "--lead", lead_id).code == 0
    missing = cli_process("bitrix24", "GetLead", "--url", url, "--lead", lead_id)
    assert missing.code == 3 and missing.json()["error_description"] == "Not found"
    structure = cli_process("bitrix24", "GetLeadFilterStructure", "--empty")
    assert structure.code == 0 and set(structure.json().values()) == {""}
