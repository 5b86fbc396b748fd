"""Reading every record of a list method: the walk's plan, without I/O.

Two strategies, both ordered by ID so that no record is missed or repeated:

- **offsets** (the count is known): the first page tells ``total``; every other page's
  ``start`` is known at once, so the pages go out 50 to a batch, several batches in
  flight. Records added during the walk get higher IDs than any planned page reaches;
  a cursor page after the last planned record picks them up. It rides in the last
  planned batch (filtering on that batch's last record through ``$result[...]``), so a
  portal a second away costs no extra round trip for it; if the last page came back
  shorter than counted (records deleted), the cursor page is asked for again alone.
- **cursor** (no count, or ``strategy="cursor"``): ``start=-1`` (the server skips its
  COUNT) with ``>ID`` of the last record seen. After a full page, the next 50 pages go in
  one batch, each command filtering on the previous one's last ID through
  ``$result[...]``, so one request still brings 2,500 records.

Records are handed on as each reply arrives, in ID order; a record whose ID is not above
the last one handed on is dropped (a repeat). A result that is a map of one list holds the
records under that key (``{"tasks": [...]}`` of tasks.task.list), and a record may carry
its ID key in lower case (a task's ``id``). A record deleted during an offsets walk
shifts later ones down a page, so one of them may be missed: walk with the cursor when
records are deleted meanwhile. A walk ends on an empty cursor page: with the offsets, the
one asked for with the last planned pages; with the cursor, one asked for after the
caller took every earlier record (so records added while the caller worked are read too).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Mapping
from typing import Any, Literal

from .._errors import OintError, ServerError, UsageError
from .._response import Response
from .._spec import ApiRequest
from .batch import MAX_COMMANDS, BatchOutcome, pack, unpack

__all__ = ["PAGE", "ListWalk", "Strategy", "list_request"]

PAGE = 50
_TAIL = "tail"
# The JSON text of the replies a walk keeps in flight, at most (estimated from the first
# page): 2,500 leads with all 51 default fields are about 3 MB of text and 10 MB once
# parsed, so whole records go four batches at a time; ID and TITLE alone, fifty.
WALK_BUDGET = 12 * 1024 * 1024
Strategy = Literal["auto", "offsets", "cursor"]
Record = dict[str, Any]


def list_request(
    request: ApiRequest | str, params: Mapping[str, Any] | None = None
) -> ApiRequest:
    """The list call to walk: a request value, or a method name, plus extra parameters."""
    if isinstance(request, str):
        return ApiRequest(request, dict(params or {}), reads=True)
    return ApiRequest(request.method, {**request.params, **(params or {})}, reads=True,
                      operation=request.operation)


class ListWalk:
    """The plan of one walk; ``Client.iter_list`` and ``AsyncClient.iter_list`` drive it."""

    def __init__(
        self, request: ApiRequest, *, strategy: Strategy = "auto", id_key: str = "ID"
    ) -> None:
        if strategy not in ("auto", "offsets", "cursor"):
            raise UsageError(f"unknown strategy {strategy!r}: auto, offsets or cursor")
        params = {k: v for k, v in request.params.items() if v is not None}
        for key, value in list(params.items()):
            if key.lower() == "start" and value in (0, "0"):
                del params[key]  # the default offset of a list request
            elif key.lower() == "start":
                raise UsageError("a walk reads every page itself: do not give start (offset)")
        order = next((v for k, v in params.items() if k.lower() == "order"), None)
        if order and {str(k).upper(): str(v).upper() for k, v in dict(order).items()} != {
            id_key.upper(): "ASC"
        }:
            raise UsageError(f"a walk orders by {id_key} ascending; sort the records yourself")
        params = {k: v for k, v in params.items() if k.lower() != "order"}
        params["order"] = {id_key: "ASC"}
        select = next((k for k in params if k.lower() == "select"), None)
        if select is not None:
            fields = [str(f) for f in params[select]]
            if id_key not in fields and "*" not in fields:
                params[select] = [id_key, *fields]  # the walk needs each record's ID
        filter_key = next((k for k in params if k.lower() == "filter"), "filter")
        self._filter: dict[str, Any] = dict(params.pop(filter_key, None) or {})
        self._method = request.method
        self._params = params
        self._strategy = strategy
        self._id_key = id_key
        self._last_id: int | None = None
        self._started = False
        self._offsets: deque[list[int]] = deque()  # planned pages, a batch's worth each
        self._last_page_size = 0  # records the last planned page holds, by the count
        self._in_flight: deque[tuple[str, Any]] = deque()  # (kind, detail), oldest first
        self._cursor_chain = 1  # pages the next cursor request asks for
        self._cursor_due = False
        self._wrap: str | None = None  # the key of a result holding its records in a map
        self._record_id_key = id_key  # the ID's key in records (``ID`` or ``id``)
        self.done = False
        self.total: int | None = None
        self.max_in_flight: int | None = None

    # -- what to send ---------------------------------------------------------------

    def _page(self, start: int, after: Any = None) -> ApiRequest:
        filter_ = dict(self._filter)
        if after is not None:
            own = self._filter.get(f">{self._id_key}")
            if own is not None and not isinstance(after, str):
                after = max(after, int(own))
            filter_[f">{self._id_key}"] = after
        params = {**self._params, "start": start}
        if filter_:
            params["filter"] = filter_
        return ApiRequest(self._method, params, reads=True)

    def next_requests(self, room: int) -> list[ApiRequest]:
        requests: list[ApiRequest] = []
        if self.done or room <= 0:
            return requests
        if not self._started:
            self._started = True
            if self._strategy == "cursor":
                self._cursor_due = True
            else:
                self._in_flight.append(("first", None))
                return [self._page(0)]
        while self._offsets and len(requests) < room:
            starts = self._offsets.popleft()
            chunk = [(f"p{i}", self._page(start)) for i, start in enumerate(starts)]
            if not self._offsets:  # the last planned batch: the tail rides along
                last = f"$result[p{len(starts) - 1}][{self._last_page_size - 1}][{self._id_key}]"
                chunk.append((_TAIL, self._page(-1, last)))
            self._in_flight.append(("offsets", chunk))
            requests.append(pack(chunk, halt=False))
        if self._cursor_due and not self._in_flight and not requests:
            self._cursor_due = False
            requests.append(self._cursor_request())
        return requests

    def _cursor_request(self) -> ApiRequest:
        after = self._last_id if self._last_id is not None else 0
        if self._cursor_chain == 1:
            self._in_flight.append(("cursor", None))
            return self._page(-1, after)
        chunk = [("p0", self._page(-1, after))]
        wrap = "" if self._wrap is None else f"[{self._wrap}]"
        for index in range(1, self._cursor_chain):
            reference = f"$result[p{index - 1}]{wrap}[{PAGE - 1}][{self._record_id_key}]"
            chunk.append((f"p{index}", self._page(-1, reference)))
        self._in_flight.append(("chain", chunk))
        return pack(chunk, halt=False)

    # -- what came back ---------------------------------------------------------------

    def _records(self, result: Any) -> list[Record]:
        """The records of a page: the result, or the one list a map holds."""
        if isinstance(result, Mapping) and len(result) == 1:
            [(key, value)] = result.items()
            if isinstance(value, list):
                self._wrap = str(key)
                return value
        if not isinstance(result, list):
            raise UsageError(f"{self._method} did not answer a list of records; it cannot "
                             "be walked")
        return result

    def _id_of(self, record: Record) -> int:
        try:
            if self._record_id_key not in record and self._id_key.lower() in record:
                self._record_id_key = self._id_key.lower()  # tasks write "id"
            return int(record[self._record_id_key])
        except (TypeError, ValueError, KeyError, OverflowError):
            raise ServerError(
                "ERROR_UNEXPECTED_ANSWER", f"{self._method} answered a record without a "
                f"numeric {self._id_key}: {record!r:.60}", method=self._method,
            ) from None

    def _fresh(self, result: Any) -> list[Record]:
        fresh = []
        for record in self._records(result):
            record_id = self._id_of(record)
            if self._last_id is None or record_id > self._last_id:
                self._last_id = record_id
                fresh.append(record)
        return fresh

    def accept(self, reply: Response[Any] | OintError) -> list[Record]:
        kind, detail = self._in_flight.popleft()
        if isinstance(reply, OintError):
            self.done = True
            raise reply  # a walk cannot skip a page
        if kind == "first":
            return self._accept_first(reply)
        if kind == "offsets":
            outcomes = unpack(detail, reply)
            tail = outcomes.pop() if detail[-1][0] == _TAIL else None
            pages = self._pages(outcomes)
            records = [r for page in pages for r in self._fresh(page)]
            if detail[-1][0] == _TAIL:
                records += self._accept_tail(tail, len(pages[-1]))
            return records
        if kind == "cursor":
            size = len(self._records(reply.result))
            records = self._fresh(reply.result)
            self._after_cursor(size, confirmed=True)
            return records
        records = []
        for outcome in unpack(detail, reply):
            # Stop at the first short page: the commands after it referred past the end,
            # so whatever they answered (records or errors) is not part of the walk.
            (page,) = self._pages([outcome])
            records += self._fresh(page)
            if len(page) < PAGE:
                self._after_cursor(len(page), confirmed=False)
                return records
        self._after_cursor(PAGE, confirmed=False)
        return records

    def _accept_first(self, reply: Response[Any]) -> list[Record]:
        records = self._fresh(reply.result)
        page = len(json.dumps(reply.result, separators=(",", ":"), default=str))
        batch = page * max(1, PAGE // max(1, len(records))) * MAX_COMMANDS
        self.max_in_flight = max(1, WALK_BUDGET // max(1, batch))
        self.total = reply.total
        if reply.next is None:
            self.done = True
        elif self._strategy == "auto" and reply.total is None:
            self._after_cursor(PAGE, confirmed=False)  # no count: the cursor needs none
        else:
            starts = list(range(PAGE, self.total or 0, PAGE))
            for index in range(0, len(starts), MAX_COMMANDS):
                self._offsets.append(starts[index:index + MAX_COMMANDS])
            if self._offsets and len(self._offsets[-1]) == MAX_COMMANDS:
                self._offsets.append([self._offsets[-1].pop()])  # room for the tail
            if starts:
                self._last_page_size = (self.total or 0) - starts[-1]
            if not self._offsets:
                self._cursor_due = True
        return records

    def _accept_tail(self, tail: BatchOutcome, last_page: int) -> list[Record]:
        # The tail filtered on the last planned page's last record: only if that page held
        # what the count promised did the reference name the record it meant.
        if (last_page == self._last_page_size and isinstance(tail, Response)
                and isinstance(tail.result, list)):
            records = self._fresh(tail.result)
            self._after_cursor(len(tail.result), confirmed=True)
            return records
        self._cursor_due = True  # ask for the tail again, alone
        return []

    def _pages(self, outcomes: list[BatchOutcome]) -> list[list[Record]]:
        pages = []
        for outcome in outcomes:
            if isinstance(outcome, OintError):
                self.done = True
                raise outcome
            if outcome is None:  # pragma: no cover  (batches of pages never halt)
                raise UsageError("the portal skipped a page of the walk")
            result = outcome.result
            pages.append(self._records(result) if isinstance(result, (list, Mapping)) else [])
        return pages

    def _after_cursor(self, size: int, *, confirmed: bool) -> None:
        # The walk ends only on an empty page asked for after every earlier record was
        # handed on (a single cursor request goes out only then): records added while the
        # caller was busy with the last pages are still read.
        if size == 0 and confirmed:
            self.done = True
            return
        self._cursor_chain = MAX_COMMANDS if size >= PAGE else 1
        self._cursor_due = True
