"""Batch packing, PHP http_build_query encoding and reply unpacking (no I/O)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from oint.bitrix24 import ApiRequest, InvalidArgumentError, Response, UsageError
from oint.bitrix24._bulk.batch import BatchPlan, command, http_build_query, unpack
from oint.emulator.params import parse_query


# Expected strings are what PHP's http_build_query writes for the same PHP array.
@pytest.mark.parametrize(
    ("params", "query"),
    [
        ({"ID": 5}, "ID=5"),
        ({"USERS": [10, 1]}, "USERS%5B0%5D=10&USERS%5B1%5D=1"),
        ({"filter": {">ID": 7, "%TITLE": "a b"}}, "filter%5B%3EID%5D=7&filter%5B%25TITLE%5D=a+b"),
        ({"fields": {"PHONE": [{"VALUE": "1", "VALUE_TYPE": "WORK"}]}},
         "fields%5BPHONE%5D%5B0%5D%5BVALUE%5D=1&fields%5BPHONE%5D%5B0%5D%5BVALUE_TYPE%5D=WORK"),
        ({"a": True, "b": False}, "a=1&b=0"),
        ({"a": None, "b": 1, "c": {"d": None}}, "b=1"),
        ({"a": [], "b": {}, "c": ""}, "c="),
        ({"TEXT": "x&y=z?#%+~"}, "TEXT=x%26y%3Dz%3F%23%25%2B%7E"),
        ({"TITLE": "Привет ü"}, "TITLE=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82+%C3%BC"),
        ({"x": 2.0, "y": 0.5, "z": -3}, "x=2&y=0.5&z=-3"),
        ({"d": dt.date(2024, 8, 22)}, "d=2024-08-22"),
        ({"a b": "1"}, "a+b=1"),
    ],
)
def test_http_build_query_follows_php(params: dict[str, Any], query: str) -> None:
    assert http_build_query(params) == query


def test_none_is_never_the_text_none() -> None:
    assert "None" not in http_build_query({"a": None, "b": [None, 1], "c": {"d": None}})
    assert http_build_query({"b": [None, 1]}) == "b%5B1%5D=1"  # PHP keeps the index


def test_the_emulator_reads_back_what_was_meant() -> None:
    params = {
        "fields": {"TITLE": "Q&A = ünï ~+%", "TAGS": ["a", "b"], "OPENED": "Y", "N": 3},
        "filter": {">=ID": 10, "!STATUS_ID": "NEW"},
        "flag": True,
    }
    assert parse_query(http_build_query(params)) == {
        "fields": {"TITLE": "Q&A = ünï ~+%", "TAGS": ["a", "b"], "OPENED": "Y", "N": "3"},
        "filter": {">=ID": "10", "!STATUS_ID": "NEW"},
        "flag": "1",
    }


def test_command_is_method_and_query() -> None:
    assert command(ApiRequest("crm.lead.get", {"id": 3})) == "crm.lead.get?id=3"
    assert command(ApiRequest("server.time")) == "server.time"


def test_unnamed_calls_get_non_numeric_keys_and_a_batch_of_reads_is_a_read() -> None:
    plan = BatchPlan([ApiRequest("server.time", reads=True)] * 120)
    requests = plan.next_requests(10)
    assert len(requests) == 3
    assert [len(r.params["cmd"]) for r in requests] == [50, 50, 20]
    assert list(requests[0].params["cmd"])[:2] == ["c0", "c1"]
    assert list(requests[2].params["cmd"])[-1] == "c119"
    assert all(r.method == "batch" and r.reads for r in requests)
    assert requests[0].params["halt"] == 0


def test_a_batch_with_one_write_is_a_write() -> None:
    plan = BatchPlan([ApiRequest("server.time", reads=True), ("im.chat.add", {"TITLE": "x"})])
    (request,) = plan.next_requests(1)
    assert not request.reads


@pytest.mark.parametrize("key", ["0", "12", "", "a[b]", "a b", "$x"])
def test_bad_names_are_refused(key: str) -> None:
    with pytest.raises(UsageError):
        BatchPlan({key: ("server.time", {})}).next_requests(1)


def test_references_must_stay_inside_one_batch_and_point_back() -> None:
    forward = {"a": ("im.chat.user.list", {"CHAT_ID": "$result[b]"}), "b": ("im.chat.add", {})}
    with pytest.raises(UsageError, match="runs after it"):
        BatchPlan(forward).next_requests(1)
    calls = {f"k{i}": ("im.chat.add", {}) for i in range(50)}
    calls["late"] = ("im.chat.user.list", {"CHAT_ID": "$result[k0]"})
    with pytest.raises(UsageError, match="same batch"):
        BatchPlan(calls).next_requests(2)


def _chunk() -> list[tuple[str, ApiRequest]]:
    return [("c0", ApiRequest("im.chat.add")), ("c1", ApiRequest("im.chat.get")),
            ("c2", ApiRequest("crm.lead.list"))]


@pytest.mark.parametrize("empty", [[], {}])
def test_unpack_reads_empty_maps_written_as_lists_or_objects(empty: Any) -> None:
    reply = Response({"result": {
        "result": {"c0": 7, "c1": None, "c2": [{"ID": "1"}]},
        "result_error": empty, "result_total": {"c2": 120}, "result_next": {"c2": 50},
        "result_time": {"c0": {"start": 1.0}},
    }})
    first, second, third = unpack(_chunk(), reply)
    assert isinstance(first, Response) and first.result == 7 and first.time == {"start": 1.0}
    assert isinstance(second, Response) and second.result is None
    assert isinstance(third, Response) and (third.total, third.next) == (120, 50)


def test_unpack_errors_and_calls_not_run() -> None:
    reply = Response({"result": {
        "result": [], "result_error": {"c0": {"error": "ERROR_BATCH_METHOD_NOT_ALLOWED",
                                              "error_description": "Method is not allowed"}},
        "result_total": [], "result_next": [], "result_time": [],
    }})
    error, skipped, _ = unpack(_chunk(), reply)
    assert isinstance(error, InvalidArgumentError)
    assert (error.code, error.method) == ("ERROR_BATCH_METHOD_NOT_ALLOWED", "im.chat.add")
    assert skipped is None


def test_halt_stops_the_plan_after_an_error() -> None:
    plan = BatchPlan([("im.chat.add", {})] * 120, halt=True)
    assert len(plan.next_requests(5)) == 1  # with halt, one batch at a time
    failed = Response({"result": {"result": {}, "result_error": {"c0": {"error": "X"}}}})
    outcomes = plan.accept(failed)
    assert len(outcomes) == 120
    assert outcomes[0] is not None and all(o is None for o in outcomes[1:])
    assert plan.next_requests(5) == []
