"""Client.iter_list and AsyncClient.iter_list against the emulator: every record once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from clients import BucketlessAsyncClient, BucketlessClient
from oint.bitrix24 import Client, Response, UsageError, calls
from oint.bitrix24._bulk.paging import ListWalk, list_request
from oint.emulator.process import EmulatorProcess, launch

SEEDED = 2630  # 53 pages: one plain page, then one batch of 50 and one of 2


@pytest.fixture(scope="module")
def seeded() -> Iterator[EmulatorProcess]:
    with launch(["--seed-leads", str(SEEDED)]) as running:
        yield running


def _ids(records: list[dict[str, Any]]) -> list[int]:
    return [int(r["ID"]) for r in records]


@pytest.mark.parametrize("strategy", ["auto", "cursor"])
def test_every_record_once_in_order(seeded: EmulatorProcess, strategy: Any) -> None:
    with BucketlessClient(seeded.webhook_url) as b24:
        ids = _ids(list(b24.iter_list(calls.get_leads_list(), strategy=strategy)))
    assert ids == list(range(1, SEEDED + 1))


def test_filter_and_select(seeded: EmulatorProcess) -> None:
    with BucketlessClient(seeded.webhook_url) as b24:
        records = list(b24.iter_list(calls.get_leads_list({">ID": 2000, "<=ID": 2120}),
                                     {"select": ["TITLE"]}))
        assert _ids(records) == list(range(2001, 2121))
        assert set(records[0]) == {"ID", "TITLE"}  # ID is added: the walk needs it
        assert list(b24.iter_list("crm.lead.list", {"filter": {">ID": 10**6}})) == []


def test_the_walk_goes_by_pages_and_batches(seeded: EmulatorProcess) -> None:
    # The plan alone: one plain page for the count, then the other 52 pages in two batches,
    # the last one with the tail: a cursor page after the last counted record.
    walk = ListWalk(list_request(calls.get_leads_list()))
    (first,) = walk.next_requests(4)
    assert (first.method, first.params["start"], first.params["order"]) == (
        "crm.lead.list", 0, {"ID": "ASC"})
    with BucketlessClient(seeded.webhook_url) as b24:
        walk.accept(b24.execute(first))
        assert walk.total == SEEDED
        batches = walk.next_requests(4)
        assert [len(b.params["cmd"]) for b in batches] == [50, 3]
        assert all(b.method == "batch" and b.reads for b in batches)
        assert next(iter(batches[0].params["cmd"].values())).endswith("&start=50")
        # 2,630 = 52 full pages and one of 30: the tail filters on the 30th record.
        assert batches[1].params["cmd"]["tail"].endswith(
            "&start=-1&filter%5B%3EID%5D=%24result%5Bp1%5D%5B29%5D%5BID%5D")
        records = [r for b in batches for r in walk.accept(b24.execute(b))]
        assert _ids(records) == list(range(51, SEEDED + 1))
        assert walk.done and walk.next_requests(4) == []  # no round trip for the tail


def test_a_last_batch_of_fifty_pages_leaves_room_for_the_tail() -> None:
    walk = ListWalk(list_request("crm.lead.list"))
    walk.next_requests(1)
    first = {"result": [{"ID": n} for n in range(1, 51)], "total": 2550, "next": 50}
    walk.accept(Response(first, "crm.lead.list"))
    assert [len(b.params["cmd"]) for b in walk.next_requests(4)] == [49, 2]


def test_records_deleted_during_an_offsets_walk_send_the_tail_again() -> None:
    with launch(["--seed-leads", "160"]) as portal, Client(portal.webhook_url) as b24:
        seen = []
        for record in b24.iter_list("crm.lead.list", {"select": ["ID"]}, window=1):
            seen.append(int(record["ID"]))
            if len(seen) == 10:  # the last page now holds 9 records, not the 10 counted
                b24.call("crm.lead.delete", {"id": 100})
        stats = portal.stats()
    assert seen == [n for n in range(1, 161) if n != 100]
    # The first page, the batch (3 pages and the tail), then the tail again, alone.
    assert stats["calls"]["crm.lead.list"] == 1 + 4 + 1


@pytest.mark.parametrize("strategy", ["auto", "cursor"])
def test_records_added_during_the_walk_are_neither_missed_nor_repeated(
    strategy: Any,
) -> None:
    with launch(["--seed-leads", "300"]) as portal, BucketlessClient(portal.webhook_url) as b24:
        seen: list[int] = []
        added: list[int] = []
        for record in b24.iter_list("crm.lead.list", {"select": ["ID"]}, strategy=strategy,
                                    window=1):
            seen.append(int(record["ID"]))
            if len(seen) in (10, 120):  # mid-walk, and again once the count was taken
                added += [b24.create_lead({"TITLE": f"late {n}"}).result for n in range(60)]
        assert seen == sorted(seen) and len(seen) == len(set(seen))
        assert seen == list(range(1, 300 + len(added) + 1))


def test_a_walk_refuses_what_it_cannot_honour() -> None:
    with pytest.raises(UsageError, match="start"):
        ListWalk(list_request("crm.lead.list", {"start": 50}))
    with pytest.raises(UsageError, match="orders by ID"):
        ListWalk(list_request("crm.lead.list", {"order": {"TITLE": "ASC"}}))
    ListWalk(list_request("crm.lead.list", {"order": {"id": "asc"}}))


def test_errors_stop_the_walk(seeded: EmulatorProcess) -> None:
    with BucketlessClient(seeded.webhook_url) as b24, \
            pytest.raises(Exception, match="ERROR_METHOD"):
        list(b24.iter_list("crm.no.list"))


def test_async_walk_and_sync_client_inside_a_running_loop(seeded: EmulatorProcess) -> None:
    async def main() -> tuple[list[int], list[int]]:
        async with BucketlessAsyncClient(seeded.base_url, seeded.token) as b24:
            walked = [int(r["ID"]) async for r in b24.iter_list(calls.get_leads_list())]
            batch = await b24.batch([calls.get_lead(1), calls.get_lead(2)])
            assert [o.result["ID"] for o in batch if o is not None and not
                    isinstance(o, Exception)] == ["1", "2"]
        # What notebooks do: a blocking client called while an event loop runs.
        with BucketlessClient(seeded.webhook_url) as sync:
            inside = _ids(list(sync.iter_list(calls.get_leads_list({"<=ID": 120}))))
        return walked, inside

    walked, inside = asyncio.run(main())
    assert walked == list(range(1, SEEDED + 1))
    assert inside == list(range(1, 121))
