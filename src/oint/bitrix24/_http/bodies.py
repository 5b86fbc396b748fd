"""Request bodies: JSON for REST calls, a form or multipart for service requests.

A multipart body is streamed: its files are read in pieces while the request is sent, and
its length is known beforehand (no chunked encoding, which some servers refuse for
uploads), so a file of any size costs the client one piece of memory.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

from .._errors import UsageError
from .._spec import FilePart
from .._values import on_the_wire

__all__ = ["FORM", "JSON", "Body", "MultipartBody", "encode_form", "encode_json"]

JSON = "application/json; charset=utf-8"
FORM = "application/x-www-form-urlencoded"


def _json_default(value: Any) -> Any:
    converted = on_the_wire(value)
    if converted is not value:
        return converted
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise UsageError(f"cannot send a value of type {type(value).__name__} as JSON")


def encode_json(body: Mapping[str, Any]) -> bytes:
    try:
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"),
                          default=_json_default)
        return text.encode()
    except RecursionError:
        raise UsageError("the parameters are nested too deeply to send") from None
    except UnicodeEncodeError:
        raise UsageError("the parameters hold text that is not valid Unicode (a lone "
                         "surrogate, as from bytes that were not UTF-8)") from None


def encode_form(fields: Mapping[str, str]) -> bytes:
    return urlencode(fields).encode()


def _quoted(text: str) -> str:
    # RFC 7578: names in a part header are quoted strings; a quote or line break in a file
    # name must not end the header early.
    return text.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace(
        "\n", "%0A"
    )


class MultipartBody:
    """``multipart/form-data`` of text fields and files, produced in pieces on demand."""

    def __init__(self, fields: Mapping[str, str], files: tuple[FilePart, ...]) -> None:
        # os.urandom, not the secrets module: the same bytes without importing hmac/hashlib.
        self.boundary = "oint-" + os.urandom(16).hex()
        self._fields = dict(fields)
        self._files = files
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        self.length = sum(len(piece) for piece in self._heads()) + sum(
            part.upload.size for part in files
        )

    def _field_head(self, name: str) -> bytes:
        return (f"--{self.boundary}\r\n"
                f'Content-Disposition: form-data; name="{_quoted(name)}"\r\n\r\n').encode()

    def _file_head(self, part: FilePart) -> bytes:
        head = (f"--{self.boundary}\r\n"
                f'Content-Disposition: form-data; name="{_quoted(part.field)}"; '
                f'filename="{_quoted(part.filename)}"\r\n')
        if part.content_type:
            head += f"Content-Type: {part.content_type}\r\n"
        return (head + "\r\n").encode()

    def _heads(self) -> Iterator[bytes]:
        """Every piece of the body except the files' own bytes (to count the length)."""
        for name, value in self._fields.items():
            yield self._field_head(name) + value.encode() + b"\r\n"
        for part in self._files:
            yield self._file_head(part) + b"\r\n"
        yield f"--{self.boundary}--\r\n".encode()

    def chunks(self) -> Iterator[bytes]:
        """The body from the start (each call starts again, so a retry resends it whole)."""
        for name, value in self._fields.items():
            yield self._field_head(name) + value.encode() + b"\r\n"
        for part in self._files:
            yield self._file_head(part)
            yield from part.upload.chunks()
            yield b"\r\n"
        yield f"--{self.boundary}--\r\n".encode()

    def describe(self) -> list[dict[str, Any]]:
        return [{"field": part.field, "filename": part.filename, "bytes": part.upload.size}
                for part in self._files]


Body = bytes | MultipartBody
