"""Request parameters as the server reads them: the query merged with a JSON or form body.

Form and query keys use PHP's bracket syntax (``fields[TITLE]=x``, ``USERS[]=1``), which
becomes nested maps and lists, as PHP's ``parse_str`` does, in one pass over the pairs.
A key nested deeper than PHP's ``max_input_nesting_level`` (64) is dropped with every
value of its top-level name, as PHP drops it.

A JSON body is read as Bitrix's ``Json::decode`` reads it (``json_decode`` with a depth of
512): text that is not UTF-8, a lone UTF-16 surrogate, ``NaN``, or nesting deeper than 512
make the whole body unreadable, which the server takes as no parameters at all; integers
beyond 64 bits become floats.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from .phpjson import DEPTH, deeper_than

__all__ = ["MAX_NESTING", "merge", "parse_body", "parse_query", "php_nest"]

MAX_NESTING = 64  # PHP's max_input_nesting_level

_SEGMENT = re.compile(r"\[([^\]]*)\]")
_CANONICAL_INDEX = re.compile(r"0|[1-9][0-9]{0,17}")  # a key PHP stores as an integer
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # high or low
_INT64_DIGITS = 19


class _Array(dict[str, Any]):
    """A PHP array being built: a map that remembers the key ``[]`` appends with next."""

    __slots__ = ("next",)

    def __init__(self) -> None:
        super().__init__()
        self.next = 0

    def store(self, key: str, value: Any) -> None:
        if _CANONICAL_INDEX.fullmatch(key):
            self.next = max(self.next, int(key) + 1)
        self[key] = value

    def append_key(self) -> str:
        key = str(self.next)
        self.next += 1
        return key


def _split_key(key: str) -> list[str]:
    bracket = key.find("[")
    if bracket <= 0:
        return [key]
    head, rest = key[:bracket], key[bracket:]
    parts = [head]
    position = 0
    for match in _SEGMENT.finditer(rest):
        if match.start() != position:
            break
        parts.append(match.group(1))
        position = match.end()
    return parts


def _listify(value: Any) -> Any:
    if isinstance(value, dict):
        items = {k: _listify(v) for k, v in value.items()}
        if items and list(items) == [str(i) for i in range(len(items))]:
            return list(items.values())
        return items
    return value


def php_nest(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """``[("a[b][]", "1")]`` -> ``{"a": {"b": ["1"]}}``, as PHP builds ``$_REQUEST``."""
    root = _Array()
    for key, value in pairs:
        parts = _split_key(key)
        if len(parts) - 1 > MAX_NESTING:
            root.pop(parts[0], None)
            continue
        node = root
        last = len(parts) - 1
        for index, segment in enumerate(parts):
            part = segment or node.append_key()  # "[]" appends at PHP's next integer key
            if index == last:
                node.store(part, value)
            else:
                child = node.get(part)
                if not isinstance(child, _Array):
                    child = _Array()
                    node.store(part, child)
                node = child
    result = _listify(root)
    return result if isinstance(result, dict) else {}


def parse_query(query: str) -> dict[str, Any]:
    return php_nest(parse_qsl(query, keep_blank_values=True))


def parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """A JSON or form body; an unreadable JSON body is an empty parameter set, as on the
    server."""
    if not body:
        return {}
    if "application/json" in content_type.lower():
        return _json_body(body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    return parse_query(text)


def merge(query: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Body keys override query keys (PHP's ``array_replace``)."""
    return {**query, **body}


def _json_body(body: bytes) -> dict[str, Any]:
    try:
        text = body.decode("utf-8")
        value = json.loads(text, parse_int=_php_int, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return {}
    if not isinstance(value, dict):
        return {}
    # Both checks walk the value only when the text could fail them.
    if text.count("[") + text.count("{") > DEPTH and deeper_than(value, DEPTH):
        return {}
    if _SURROGATE_ESCAPE.search(text) and _lone_surrogate(value):
        return {}
    return value


def _php_int(text: str) -> int | float:
    digits = len(text) - text.startswith("-")
    if digits < _INT64_DIGITS:
        return int(text)
    if digits == _INT64_DIGITS:
        number = int(text)
        if -(1 << 63) <= number < (1 << 63):
            return number
    return float(text)  # inf for a number past the float range, as PHP


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _lone_surrogate(value: Any) -> bool:
    # Python's decoder pairs valid surrogate escapes, so any left cannot be encoded.
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
