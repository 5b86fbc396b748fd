"""``batch``: many calls in one request. Packing, command encoding and unpacking; no I/O.

A batch command is ``method?query`` where the query is what PHP's ``http_build_query``
makes of the parameters, because the server reads it back with ``parse_str``. The rules
(PHP's, RFC 1738 flavour), with the two places where Python values need a decision:

- keys and values are percent-encoded as PHP's ``urlencode`` does: letters, digits and
  ``-_.`` stay, a space is ``+``, every other byte of the UTF-8 text is ``%XX`` (so ``&``,
  ``=``, ``+``, ``#``, ``%`` and ``~`` in a value survive);
- a mapping is ``key[sub]=...``, a list or tuple ``key[0]=...&key[1]=...``, to any depth
  (brackets encoded as ``%5B``/``%5D``, which ``parse_str`` reads as brackets);
- ``None`` is left out, as PHP leaves out ``null``: the same "None is not sent" rule as the
  JSON body (never the text "None", fast_bitrix24 #156);
- an empty list or mapping is left out: PHP writes nothing for an empty array, so the server
  cannot receive one inside a batch;
- ``True`` is ``1`` and ``False`` is ``0`` (PHP casts booleans to int); ``Y``/``N`` flags are
  strings and go as they are;
- integers as digits; an integral float without ``.0`` (PHP's ``2``), other floats
  by Python's shortest repr;
  dates as ISO 8601 and bytes as base64, as in the JSON body.

Command keys are never bare numbers: the server turns numeric keys into a JSON list
(fast_bitrix24 #44), so unnamed calls are keyed ``c<position>``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any, TypeAlias
from urllib.parse import quote_plus

from .._errors import OintError, UsageError, api_error
from .._response import Response
from .._spec import ApiRequest
from .._values import on_the_wire

__all__ = [
    "MAX_COMMANDS",
    "BatchOutcome",
    "BatchPlan",
    "Call",
    "command",
    "http_build_query",
    "to_request",
    "unpack",
]

MAX_COMMANDS = 50

# A call as the caller gives it: a declaration's request, or a raw (method, params) pair.
Call: TypeAlias = ApiRequest | tuple[str, Mapping[str, Any]]
# What one call of a batch came to: its envelope, its error, or None when ``halt`` stopped
# the batch before it ran.
BatchOutcome: TypeAlias = Response[Any] | OintError | None

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_REFERENCE = re.compile(r"\$(?:result|next|total|time|error)\[([^\]]+)\]")


def _quote(text: str) -> str:
    # Python's quote_plus keeps "~", PHP's urlencode does not.
    return quote_plus(text, safe="").replace("~", "%7E")


def _scalar(value: Any) -> str:
    value = on_the_wire(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def _pairs(prefix: str, value: Any) -> Iterator[tuple[str, str]]:
    if value is None:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _pairs(f"{prefix}%5B{_quote(str(key))}%5D", item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            yield from _pairs(f"{prefix}%5B{index}%5D", item)
    else:
        yield prefix, _quote(_scalar(value))


def http_build_query(params: Mapping[str, Any]) -> str:
    """``params`` as PHP's ``http_build_query`` writes them (the rules are in the module doc)."""
    return "&".join(
        f"{key}={value}"
        for name, item in params.items()
        for key, value in _pairs(_quote(str(name)), item)
    )


def command(request: ApiRequest) -> str:
    """One batch command: ``method?query``."""
    query = http_build_query(request.params)
    return f"{request.method}?{query}" if query else request.method


def to_request(call: Call) -> ApiRequest:
    if isinstance(call, ApiRequest):
        return call
    if isinstance(call, tuple) and len(call) == 2 and isinstance(call[0], str):
        method, params = call
        # A raw call may change something: it counts as a write unless declared otherwise.
        return ApiRequest(method, dict(params or {}))
    raise UsageError(
        f"a batch call is an ApiRequest or a (method, params) pair, not {type(call).__name__}"
    )


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield from _REFERENCE.findall(value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _references(str(key))
            yield from _references(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _references(item)


def _named(calls: Iterable[Call] | Mapping[str, Call]) -> Iterator[tuple[str, ApiRequest]]:
    if isinstance(calls, Mapping):
        for key, call in calls.items():
            if not isinstance(key, str) or not _KEY.match(key):
                raise UsageError(
                    f"batch key {key!r} must start with a letter or _ and hold only letters, "
                    "digits, _ and - (numeric keys make the server answer a list)"
                )
            yield key, to_request(call)
    else:
        for index, call in enumerate(calls):
            yield f"c{index}", to_request(call)


def pack(chunk: list[tuple[str, ApiRequest]], halt: bool) -> ApiRequest:
    """One ``batch`` request for at most 50 named calls.

    A batch that holds a write is a write: if its reply is lost, the writes may have run.
    """
    keys = {key for key, _ in chunk}
    seen: set[str] = set()
    for key, request in chunk:
        for target in _references(request.params):
            if target in keys and target not in seen:
                raise UsageError(f"batch call {key!r} refers to {target!r}, which runs after it")
            if target not in keys:
                raise UsageError(
                    f"batch call {key!r} refers to {target!r}, which is not in the same batch "
                    f"of {MAX_COMMANDS}: references work only inside one batch"
                )
        seen.add(key)
    return ApiRequest(
        "batch",
        {"halt": 1 if halt else 0, "cmd": {key: command(request) for key, request in chunk}},
        reads=all(request.reads for _, request in chunk),
    )


def _as_map(value: Any) -> Mapping[str, Any]:
    # PHP writes an empty map as [], so each of the reply's maps may be [] or {}.
    if isinstance(value, Mapping):
        return value
    if isinstance(value, list):
        return {str(index): item for index, item in enumerate(value)}
    return {}


def unpack(
    chunk: list[tuple[str, ApiRequest]], reply: Response[Any] | OintError
) -> list[BatchOutcome]:
    """Each call's outcome, in the chunk's order."""
    if isinstance(reply, OintError):
        return [reply for _ in chunk]
    body = _as_map(reply.result)
    results, errors = _as_map(body.get("result")), _as_map(body.get("result_error"))
    totals, nexts = _as_map(body.get("result_total")), _as_map(body.get("result_next"))
    times = _as_map(body.get("result_time"))
    outcomes: list[BatchOutcome] = []
    for key, request in chunk:
        if key in errors:
            payload = errors[key]
            if not isinstance(payload, Mapping):
                payload = {"error": str(payload), "error_description": ""}
            outcomes.append(api_error(payload, method=request.method))
        elif key in results:
            envelope: dict[str, Any] = {"result": results[key]}
            if key in nexts:
                envelope["next"] = nexts[key]
            if key in totals:
                envelope["total"] = totals[key]
            if key in times:
                envelope["time"] = times[key]
            response: Response[Any] = Response(envelope, request.method)
            if request.transform is not None:  # a declaration's reshaping, as outside a batch
                response = response.with_result(request.transform(response.result))
            outcomes.append(response)
        else:
            outcomes.append(None)  # halt stopped the batch before this call
    return outcomes


class BatchPlan:
    """Calls packed 50 to a ``batch`` request; their outcomes come back in the input order.

    ``calls`` is read lazily, so a long stream of calls needs memory for the batches in
    flight only. With ``halt``, batches go one after another and the first error stops the
    rest (the calls not run come back as None).
    """

    def __init__(
        self, calls: Iterable[Call] | Mapping[str, Call], *, halt: bool = False,
        size: int = MAX_COMMANDS,
    ) -> None:
        if not 1 <= size <= MAX_COMMANDS:
            raise UsageError(f"a batch holds 1 to {MAX_COMMANDS} calls, not {size}")
        self._calls = _named(calls)
        self._size = size
        self.halt = halt
        self._chunks: list[list[tuple[str, ApiRequest]]] = []  # sent, reply not yet read
        self._exhausted = False
        self._halted = False

    max_in_flight = None  # the window alone bounds it: calls come back small or as asked

    def next_requests(self, room: int) -> list[ApiRequest]:
        if self.halt:
            room = min(room, 1 - len(self._chunks))
        requests: list[ApiRequest] = []
        while room > len(requests) and not (self._exhausted or self._halted):
            chunk = list(islice(self._calls, self._size))
            if not chunk:
                self._exhausted = True
                break
            requests.append(pack(chunk, self.halt))
            self._chunks.append(chunk)
        return requests

    def accept(self, reply: Response[Any] | OintError) -> list[BatchOutcome]:
        chunk = self._chunks.pop(0)
        outcomes = unpack(chunk, reply)
        if self.halt and any(isinstance(o, OintError) or o is None for o in outcomes):
            self._halted = True
            outcomes += [None for _ in self._calls]
        return outcomes
