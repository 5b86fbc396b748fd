"""``batch``: up to 50 calls in one request, each run through the same checks as alone.

Commands are ``method?query``; the query is read with the PHP rules of form bodies
(``params.parse_query``), as the server reads it with ``parse_str``. ``$result[key]...``
(and ``$next``, ``$total``, ``$time``, ``$error``) pull values from earlier commands.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import ApiError
from ..params import parse_query
from ._args import flag
from ._registry import Context, handler

MAX_COMMANDS = 50
_NOT_IN_BATCH = frozenset({"batch", "upload", "download"})
_REFERENCE = re.compile(r"\$(result|next|total|time|error)\[([^\]]*)\]((?:\[[^\]]*\])*)")
_STEP = re.compile(r"\[([^\]]*)\]")


def _lookup(buckets: Mapping[str, Any], match: re.Match[str]) -> Any:
    # The server descends as far as the path exists and uses what it reached.
    value: Any = buckets[match.group(1)]
    for step in [match.group(2), *_STEP.findall(match.group(3))]:
        if isinstance(value, Mapping) and step in value:
            value = value[step]
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            break
    return value


def _php_string(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else ""
    if value is None:
        return ""
    if isinstance(value, (Mapping, list)):
        return "Array"
    return str(value)


def _substitute(value: Any, buckets: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        whole = _REFERENCE.fullmatch(value)
        if whole:
            return _lookup(buckets, whole)  # the raw value, an array included
        return _REFERENCE.sub(lambda m: _php_string(_lookup(buckets, m)), value)
    if isinstance(value, Mapping):
        return {
            _php_string(_substitute(str(k), buckets)): _substitute(v, buckets)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_substitute(item, buckets) for item in value]
    return value


def _commands(cmd: Any) -> list[tuple[str, str]]:
    if isinstance(cmd, Mapping):
        return [(str(k), str(v)) for k, v in cmd.items()]
    if isinstance(cmd, list):
        return [(str(i), str(v)) for i, v in enumerate(cmd)]
    return []


@handler("batch")
def batch(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    halt = flag(params.get("HALT"), False)
    results: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    totals: dict[str, Any] = {}
    nexts: dict[str, Any] = {}
    times: dict[str, Any] = {}
    buckets = {"result": results, "error": errors, "total": totals, "next": nexts,
               "time": times}
    for index, (key, text) in enumerate(_commands(params.get("CMD"))):
        if index >= MAX_COMMANDS:
            errors[key] = {"error": "ERROR_BATCH_LENGTH_EXCEEDED",
                           "error_description": "Max batch length exceeded"}
            continue
        method, _, query = text.partition("?")
        method = method.strip().lower()
        try:
            if method in _NOT_IN_BATCH:
                raise ApiError("ERROR_BATCH_METHOD_NOT_ALLOWED",
                               "Method is not allowed for batch usage", 405)
            outcome = ctx.invoke(method, _substitute(parse_query(query), buckets))
        except ApiError as error:
            errors[key] = error.payload()
            if halt:
                break
            continue
        results[key] = outcome.result
        if outcome.total is not None:
            totals[key] = outcome.total
        if outcome.next is not None:
            nexts[key] = outcome.next
        times[key] = outcome.time
    return {"result": results, "result_error": errors, "result_total": totals,
            "result_next": nexts, "result_time": times}
