"""The bytes of the disk's files: kept by content, apart from the tree.

A file's bytes are stored once per content, under the content's SHA-256 (its ``key``): in
the store's ``disk_contents`` table when the portal lives in memory, in a file of that name
in ``<db>.files/`` beside the SQLite file with ``--db``. Each stored copy of a file (the
server's ``b_file`` row, ``FILE_ID`` in replies) is a ``disk_files`` row naming its
content, so copies cost no bytes, and a content goes when its last copy does.

Uploads arrive in pieces (``ContentWriter``) and are hashed on the way, so a file of any
size costs the emulator one piece of memory when it has a folder to write to.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from ..store import Store

__all__ = [
    "CHUNK",
    "Content",
    "ContentWriter",
    "content_chunks",
    "content_head",
    "drop_if_unused",
    "new_file_id",
    "put_bytes",
]

CHUNK = 1 << 16
CONTENT_TABLES = """
CREATE TABLE IF NOT EXISTS disk_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    content TEXT NOT NULL,  -- the key of its bytes
    size INTEGER NOT NULL,
    md5 TEXT  -- the etag; computed on first use for files of an older layout
);
CREATE INDEX IF NOT EXISTS disk_files_content ON disk_files (content);
CREATE TABLE IF NOT EXISTS disk_contents (
    key TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
"""


@dataclass(frozen=True)
class Content:
    """Stored bytes: their key, size and MD5 (the server's etag)."""

    key: str
    size: int
    md5: str


def _folder(store: Store) -> str | None:
    """Where a ``--db`` portal keeps its files' bytes; None for a portal in memory."""
    if store.path in ("", ":memory:"):
        return None
    return os.path.abspath(store.path) + ".files"


class ContentWriter:
    """Bytes arriving in pieces, hashed on the way; ``finish`` stores them."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._sha = hashlib.sha256()
        self._md5 = hashlib.md5(usedforsecurity=False)
        self.size = 0
        folder = _folder(store)
        self._path: str | None = None
        self._sink: io.BufferedWriter | io.BytesIO
        if folder is None:
            self._sink = io.BytesIO()
        else:
            os.makedirs(folder, exist_ok=True)
            handle, self._path = tempfile.mkstemp(dir=folder, prefix=".upload-")
            self._sink = os.fdopen(handle, "wb")

    def write(self, piece: bytes) -> None:
        self._sha.update(piece)
        self._md5.update(piece)
        self.size += len(piece)
        self._sink.write(piece)

    def finish(self) -> Content:
        content = Content(self._sha.hexdigest(), self.size, self._md5.hexdigest())
        if self._path is None:
            assert isinstance(self._sink, io.BytesIO)
            self._store.execute("INSERT OR IGNORE INTO disk_contents (key, data) VALUES (?, ?)",
                                (content.key, sqlite3.Binary(self._sink.getbuffer())))
            self._sink = io.BytesIO()
            return content
        self._sink.close()
        os.replace(self._path, os.path.join(os.path.dirname(self._path), content.key))
        self._path = None
        return content

    def abandon(self) -> None:
        """Forget what was written (the upload failed part way)."""
        self._sink.close()
        if self._path is not None:
            os.unlink(self._path)
            self._path = None


def put_bytes(store: Store, data: bytes) -> Content:
    """Store bytes given whole (a ``fileContent`` of base64)."""
    writer = ContentWriter(store)
    try:
        writer.write(data)
        return writer.finish()
    except BaseException:
        writer.abandon()
        raise


def new_file_id(store: Store, content: Content) -> int:
    """A stored copy of the content (the ``FILE_ID`` of a file)."""
    return store.insert("INSERT INTO disk_files (content, size, md5) VALUES (?, ?, ?)",
                        (content.key, content.size, content.md5))


def content_chunks(store: Store, key: str, limit: int | None = None) -> Iterator[bytes]:
    """The bytes of a content in pieces (at most ``limit`` of them)."""
    held = store.scalar("SELECT data FROM disk_contents WHERE key = ?", (key,))
    if held is not None:
        data = bytes(held)[:limit]
        for start in range(0, len(data), CHUNK):
            yield data[start:start + CHUNK]
        return
    folder = _folder(store)
    if folder is None:
        return
    left = limit
    with open(os.path.join(folder, key), "rb") as file:
        while left is None or left > 0:
            piece = file.read(CHUNK if left is None else min(CHUNK, left))
            if not piece:
                return
            if left is not None:
                left -= len(piece)
            yield piece


def content_head(store: Store, key: str, size: int = CHUNK) -> bytes:
    """The first bytes of a content (enough to tell an image and its size)."""
    return b"".join(content_chunks(store, key, size))


def drop_if_unused(store: Store, key: str) -> None:
    """Forget a content no stored file names any more."""
    if store.scalar("SELECT 1 FROM disk_files WHERE content = ? LIMIT 1", (key,)) is not None:
        return
    if store.execute("DELETE FROM disk_contents WHERE key = ?", (key,)):
        return
    folder = _folder(store)
    if folder is not None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(folder, key))
