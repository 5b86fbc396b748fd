"""JSON as PHP's ``json_encode`` writes it for Bitrix24 (JSON_HEX_TAG|AMP|APOS|QUOT)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["DEPTH", "PhpObject", "deeper_than", "dumps"]

DEPTH = 512  # how deep json_encode and json_decode nest by default

_HEX = {"<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "'": "\\u0027", "/": "\\/"}
# An escape sequence is matched whole so that a backslash is never read as half of a pair.
_TOKEN = re.compile(r"\\(.)|[<>&'/]")


def _escape(match: re.Match[str]) -> str:
    escaped = match.group(1)
    if escaped is None:
        return _HEX[match.group(0)]
    return "\\u0022" if escaped == '"' else match.group(0)


_SCALARS = frozenset({str, int, float, bool, type(None)})


class PhpObject(dict[str, Any]):
    """A PHP object rather than an array: written as an object (``{}`` when it has no
    fields, ``{"0": ...}`` when its keys are numbers), as a ``DateTime`` or ``stdClass``
    in a reply is."""


def _is_sequential(value: Mapping[Any, Any]) -> bool:
    """Keys exactly 0..n-1 in order, as ints or as the decimal strings PHP turns into ints."""
    return all(key in (index, str(index)) for index, key in enumerate(value))


def _php_arrays(value: Any) -> Any:
    # PHP has one array type: json_encode writes an empty one as [] and one keyed exactly
    # 0..n-1 in order as a list; any other keys make an object. Scalars are passed over
    # without a call each, because list replies hold hundreds of thousands of them.
    if isinstance(value, Mapping):
        if isinstance(value, PhpObject):
            return {str(k): _php_arrays(v) for k, v in value.items()}
        if not value:
            return []
        if _is_sequential(value):
            return [v if type(v) in _SCALARS else _php_arrays(v) for v in value.values()]
        return {
            (k if type(k) is str else str(k)): (v if type(v) in _SCALARS else _php_arrays(v))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _SCALARS else _php_arrays(v) for v in value]
    return value


def _php_arrays_deep(value: Any) -> Any:
    """``_php_arrays`` without recursion, for a reply nested deeper than Python's stack
    lets the fast one go (PHP's 512 levels, under a message's ``params``)."""
    root: list[Any] = [None]
    work: list[tuple[Any, Any, Any]] = [(value, root, 0)]
    while work:
        source, parent, key = work.pop()
        if isinstance(source, Mapping):
            if not source:
                parent[key] = {} if isinstance(source, PhpObject) else []
                continue
            target: dict[str, Any] = {}
            parent[key] = target
            for raw, item in source.items():
                name = raw if type(raw) is str else str(raw)
                target[name] = None  # its place in the order, filled when its turn comes
                work.append((item, target, name))
        elif isinstance(source, (list, tuple)):
            parent[key] = items = [None] * len(source)
            work.extend((item, items, index) for index, item in enumerate(source))
        else:
            parent[key] = source
    return root[0]


def deeper_than(value: Any, limit: int = DEPTH) -> bool:
    """Whether arrays and maps nest more than ``limit`` levels (no recursion either)."""
    work = [(value, 1)]
    while work:
        node, depth = work.pop()
        if isinstance(node, (Mapping, list, tuple)):
            if depth > limit:
                return True
            children = node.values() if isinstance(node, Mapping) else node
            work.extend((child, depth + 1) for child in children
                        if isinstance(child, (Mapping, list, tuple)))
    return False


def dumps(value: Any) -> bytes:
    try:
        converted = _php_arrays(value)
    except RecursionError:
        converted = _php_arrays_deep(value)
    text = json.dumps(converted, ensure_ascii=True, separators=(",", ":"))
    return _TOKEN.sub(_escape, text).encode("ascii")
