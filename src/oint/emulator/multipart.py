"""A ``multipart/form-data`` body read in pieces, as it arrives: a file part's bytes are
handed on piece by piece, never gathered whole (what PHP does with an upload, minus the
temporary file it keeps whole until the script runs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = ["Data", "MultipartReader", "Part", "boundary_of"]

_HEADERS_LIMIT = 16 * 1024  # a part's headers longer than this are not a form's
_PARAM = re.compile(r';\s*([A-Za-z0-9_*.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


@dataclass(frozen=True)
class Part:
    """The start of a part: its form field, and its file name if it is a file."""

    name: str
    filename: str | None


@dataclass(frozen=True)
class Data:
    """Bytes of the current part."""

    data: bytes


def _params(header: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, raw in _PARAM.findall(header):
        value = raw.strip()
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        found[key.lower()] = value
    return found


def _part(head: bytes) -> Part:
    headers: dict[str, str] = {}
    for line in head.decode("utf-8", "replace").split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    params = _params(headers.get("content-disposition", ""))
    filename = params.get("filename")
    extended = params.get("filename*")
    if extended and "''" in extended:  # RFC 5987: charset''percent-encoded
        filename = unquote(extended.split("''", 1)[1])
    return Part(params.get("name", ""), filename)


def boundary_of(content_type: str) -> bytes | None:
    """The boundary of a multipart/form-data body, or None if it is not one."""
    kind, _, rest = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        return None
    boundary = _params(";" + rest).get("boundary", "")
    return boundary.encode("latin-1", "replace") if boundary else None


class MultipartReader:
    """Feed the body in pieces; each piece gives the parts that start and their bytes."""

    def __init__(self, boundary: bytes) -> None:
        self._delimiter = b"\r\n--" + boundary
        self._buffer = b"\r\n"  # so that the first delimiter reads like the others
        self._state = "preamble"

    @property
    def finished(self) -> bool:
        """Whether the closing delimiter came."""
        return self._state == "done"

    def feed(self, piece: bytes) -> Iterator[Part | Data]:
        self._buffer += piece
        while True:
            if self._state in ("preamble", "body"):
                found = self._buffer.find(self._delimiter)
                if found < 0:
                    keep = len(self._delimiter) - 1
                    if self._state == "body" and len(self._buffer) > keep:
                        yield Data(self._buffer[:-keep])
                    self._buffer = self._buffer[-keep:]
                    return
                if self._state == "body" and found:
                    yield Data(self._buffer[:found])
                self._buffer = self._buffer[found + len(self._delimiter):]
                self._state = "delimiter"
            elif self._state == "delimiter":
                end = self._buffer.find(b"\r\n")
                if self._buffer.startswith(b"--"):
                    self._state, self._buffer = "done", b""
                    return
                if end < 0:
                    return
                self._buffer = self._buffer[end + 2:]  # past any padding after a delimiter
                self._state = "headers"
            elif self._state == "headers":
                if self._buffer.startswith(b"\r\n"):  # a part without headers
                    head, rest = b"", self._buffer[2:]
                else:
                    end = self._buffer.find(b"\r\n\r\n")
                    if end < 0:
                        if len(self._buffer) > _HEADERS_LIMIT:
                            raise ValueError("a part's headers never end")
                        return
                    head, rest = self._buffer[:end], self._buffer[end + 4:]
                yield _part(head)
                self._buffer = rest
                self._state = "body"
            else:
                self._buffer = b""
                return
