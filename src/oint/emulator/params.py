"""Request parameters as the server reads them: the query merged with a JSON or form body.

Form and query keys use PHP's bracket syntax (``fields[TITLE]=x``, ``USERS[]=1``), which
becomes nested maps and lists, as PHP's ``parse_str`` does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

__all__ = ["merge", "parse_body", "parse_query", "php_nest"]

_SEGMENT = re.compile(r"\[([^\]]*)\]")


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
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = _split_key(key)
        node = root
        for index, segment in enumerate(parts):
            last = index == len(parts) - 1
            # "[]" appends: PHP takes the next integer key
            part = segment or str(sum(1 for k in node if k.isdigit()))
            if last:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = {}
                    node[part] = child
                node = child
    result = _listify(root)
    return result if isinstance(result, dict) else {}


def parse_query(query: str) -> dict[str, Any]:
    return php_nest(parse_qsl(query, keep_blank_values=True))


def parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """A JSON or form body; unreadable JSON is an empty parameter set, as on the server."""
    if not body:
        return {}
    if "application/json" in content_type.lower():
        try:
            value = json.loads(body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    return parse_query(text)


def merge(query: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Body keys override query keys (PHP's ``array_replace``)."""
    return {**query, **body}
