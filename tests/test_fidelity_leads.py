"""CRM leads on the current schema, as the newer recordings show it (GetLead.json and
GetLeadStructure.json, 2025; the ``_wh`` ones are 2024's): LAST_COMMUNICATION_TIME is a field,
the last activity is writable, and a lead with an address has a location address id."""

from __future__ import annotations

from typing import Any

import httpx

from oint.emulator.process import EmulatorProcess
from shapes import recorded


def _call(portal: EmulatorProcess, method: str, **params: Any) -> Any:
    reply = httpx.post(f"{portal.webhook_url}/{method}", json=params)
    assert reply.status_code == 200, reply.text
    return reply.json()["result"]


def test_the_fields_are_the_current_servers(portal: EmulatorProcess) -> None:
    fields = _call(portal, "crm.lead.fields")
    real = recorded("GetLeadStructure")["result"]
    assert list(fields) == list(real)
    for name in ("LAST_ACTIVITY_TIME", "LAST_ACTIVITY_BY", "LAST_COMMUNICATION_TIME",
                 "ADDRESS_LOC_ADDR_ID"):
        assert {k: v for k, v in fields[name].items() if k != "title"} == {
            k: v for k, v in real[name].items() if k != "title"}, name


def test_a_lead_reads_as_the_current_server_writes_it(portal: EmulatorProcess) -> None:
    lead_id = _call(portal, "crm.lead.add", fields={
        "TITLE": "MegaClient", "ADDRESS": "Pushkin st., b. 10", "ADDRESS_COUNTRY": "Russia",
        "EMAIL": [{"VALUE": "yo@example.com", "VALUE_TYPE": "HOME"}],
        "PHONE": [{"VALUE": "88005553535", "VALUE_TYPE": "WORK"}]})
    lead = _call(portal, "crm.lead.get", ID=lead_id)
    assert list(lead) == list(recorded("GetLead")["result"])
    assert lead["LAST_COMMUNICATION_TIME"] is None
    located = lead["ADDRESS_LOC_ADDR_ID"]
    assert isinstance(located, str) and located.isdigit()  # "5686" in the recording
    # The list's fields stay 2024's: no LAST_COMMUNICATION_TIME there.
    [listed] = _call(portal, "crm.lead.list", filter={"ID": lead_id})
    assert list(listed) == list(recorded("GetLeadsList_wh")["result"][0])


def test_the_location_address_follows_the_address(portal: EmulatorProcess) -> None:
    bare = _call(portal, "crm.lead.add", fields={"TITLE": "No address"})
    assert _call(portal, "crm.lead.get", ID=bare)["ADDRESS_LOC_ADDR_ID"] is None
    lead_id = _call(portal, "crm.lead.add", fields={"TITLE": "Moves", "ADDRESS_CITY": "Minsk"})
    located = _call(portal, "crm.lead.get", ID=lead_id)["ADDRESS_LOC_ADDR_ID"]
    _call(portal, "crm.lead.update", ID=lead_id, fields={"ADDRESS_CITY": "Brest"})
    assert _call(portal, "crm.lead.get", ID=lead_id)["ADDRESS_LOC_ADDR_ID"] == located
    _call(portal, "crm.lead.update", ID=lead_id, fields={"ADDRESS_CITY": ""})
    assert _call(portal, "crm.lead.get", ID=lead_id)["ADDRESS_LOC_ADDR_ID"] is None


def test_the_last_activity_may_be_written(portal: EmulatorProcess) -> None:
    lead_id = _call(portal, "crm.lead.add", fields={
        "TITLE": "Active", "LAST_ACTIVITY_BY": 3,
        "LAST_ACTIVITY_TIME": "2025-01-02T03:04:05+00:00"})
    lead = _call(portal, "crm.lead.get", ID=lead_id)
    assert (lead["LAST_ACTIVITY_BY"], lead["LAST_ACTIVITY_TIME"]) == (
        "3", "2025-01-02T03:04:05+00:00")
