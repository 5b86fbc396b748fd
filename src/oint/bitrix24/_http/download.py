"""Sending a ``DownloadRequest``: a GET whose body is streamed into a file, for each client.

The body goes into a temporary file beside the target, piece by piece, and replaces the
target only when it is whole: a file of any size costs one piece of memory, and a download
that fails part way leaves the target as it was (a repeat starts again). The temporary file
is made before the request goes out, so a path that cannot be written fails at once, with
nothing sent. An answer other than 200 is an error reply: its body is read (bounded) for
the error it carries, and nothing is written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from typing import IO

import httpx

from .._errors import UsageError
from .._spec import DownloadRequest
from .wire import HttpReply, PreparedCall

__all__ = ["fetch_to_file", "fetch_to_file_async"]

CHUNK = 1 << 16
_ERROR_BODY = 1 << 20  # an error reply is a JSON envelope, never this long


class _Target:
    """The temporary file a download is written to, and the move into place."""

    def __init__(self, path: str) -> None:
        self.path = path
        folder = os.path.dirname(os.path.abspath(path))
        if os.path.isdir(path):
            raise UsageError(f"cannot download to {path}: it is a folder; give a file path")
        try:
            handle, self.temporary = tempfile.mkstemp(dir=folder, prefix=".oint-download-")
        except OSError as exc:
            raise UsageError(f"cannot write to {path}: {exc.strerror}") from None
        self.file: IO[bytes] = os.fdopen(handle, "wb")

    def write(self, piece: bytes) -> None:
        try:
            self.file.write(piece)
        except OSError as exc:
            self.discard()
            raise UsageError(f"cannot write to {self.path}: {exc.strerror}") from None

    def keep(self) -> None:
        self.file.close()
        try:
            os.replace(self.temporary, self.path)
        except OSError as exc:
            self.discard()
            raise UsageError(f"cannot write to {self.path}: {exc.strerror}") from None

    def discard(self) -> None:
        self.file.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temporary)


def _request(call: PreparedCall) -> DownloadRequest:
    request = call.request
    assert isinstance(request, DownloadRequest)
    return request


def fetch_to_file(http: httpx.Client, call: PreparedCall) -> HttpReply | Exception:
    target = _Target(_request(call).path)
    kept = False
    try:
        # A download may be served from elsewhere (a storage's own address): it carries no
        # credentials of its own, so it may follow redirects.
        with http.stream("GET", call.url, follow_redirects=True) as reply:
            if reply.status_code != 200:
                return HttpReply(reply.status_code, _bounded(reply.iter_bytes()))
            for piece in reply.iter_bytes(CHUNK):
                target.write(piece)
        target.keep()
        kept = True
    except httpx.HTTPError as exc:
        return exc
    finally:
        if not kept:
            target.discard()
    return HttpReply(200, b"")


async def fetch_to_file_async(http: httpx.AsyncClient, call: PreparedCall
                              ) -> HttpReply | Exception:
    target = _Target(_request(call).path)
    kept = False
    try:
        async with http.stream("GET", call.url, follow_redirects=True) as reply:
            if reply.status_code != 200:
                body = bytearray()
                async for piece in reply.aiter_bytes():
                    body += piece[:_ERROR_BODY - len(body)]
                return HttpReply(reply.status_code, bytes(body))
            async for piece in reply.aiter_bytes(CHUNK):
                target.write(piece)
        target.keep()
        kept = True
    except httpx.HTTPError as exc:
        return exc
    finally:
        if not kept:
            target.discard()
    return HttpReply(200, b"")


def _bounded(pieces: Iterator[bytes]) -> bytes:
    body = bytearray()
    for piece in pieces:
        body += piece[:_ERROR_BODY - len(body)]
    return bytes(body)
