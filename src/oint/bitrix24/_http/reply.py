"""Reading a reply: its body up to the size cap, its JSON, and its secrets hidden.

A reply is collected chunk by chunk and refused as soon as it passes ``max_reply_bytes``
(or its Content-Length announces it will), so a huge one is never held whole. JSON that
cannot be parsed, however deep it nests, comes back as a reason, never an exception.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .endpoint import redact
from .wire import HttpReply

__all__ = ["ReplyReader", "ReplyTooLarge", "read_json", "redact_json"]


class ReplyTooLarge(Exception):
    """A reply's body passed the client's cap (raised while reading, turned into an error
    by ``ClientCore.transport_failure``)."""

    def __init__(self, limit: int, status: int) -> None:
        self.limit = limit
        self.status = status
        super().__init__(f"the reply is larger than {limit} bytes")


class ReplyReader:
    """One reply's body, collected up to ``limit`` bytes: a larger one stops the reading
    (it is never held whole), as soon as its Content-Length announces it or its bytes pass
    the limit."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._chunks: list[bytes] = []
        self._size = 0
        self._status = 0
        self._location: str | None = None

    def start(self, status: int, headers: Mapping[str, str]) -> None:
        self._status = status
        self._location = headers.get("location")
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._limit:
            raise ReplyTooLarge(self._limit, status)

    def add(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > self._limit:
            raise ReplyTooLarge(self._limit, self._status)
        self._chunks.append(chunk)

    def reply(self) -> HttpReply:
        return HttpReply(self._status, b"".join(self._chunks), self._location)


def redact_json(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {redact(str(k), secrets): redact_json(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_json(item, secrets) for item in value]
    return value


def read_json(content: bytes) -> tuple[Any, str]:
    """The reply's JSON, or None and why it could not be read."""
    if not content:
        return None, "an empty body"
    try:
        return json.loads(content), ""
    except RecursionError:
        return None, "JSON nested deeper than the parser allows"
    except ValueError:
        return None, "not JSON"
