"""Bytes in and out of the disk: the signed ``upload`` and ``download`` links, and the
messenger's download address.

``/rest/[<user>/<code>/]upload[.json]?token=...``: the second step of the two-step upload.
The credentials are checked as for any call, then the link's signature
(``ACCESS_DENIED``, "Link check failed"), the folder and the caller's right to add to it;
the body is read as it arrives (``multipart.py``) and the ``file`` part streamed into the
disk's content store, so a large file costs one piece of memory; the reply is the new
file, in a ``result`` without a ``time`` block, as the server's token calls answer. A body
over the cloud's 2 GB is refused as its web server refuses it: 413, before it is read.

``/rest/[<user>/<code>/]download[.json]?token=...``: the file's bytes, as an attachment.
``/bitrix/services/main/ajax.php?action=disk.api.file.download&fileId=N``: the address in
the messenger's file replies (``urlDownload``); it serves the file's bytes without
credentials, standing in for the browser session the real one expects.
"""

from __future__ import annotations

import mimetypes
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from .errors import ApiError
from .faults import DroppedReply
from .handlers import Context
from .handlers._args import flag
from .handlers._disk import access_denied, module_error, not_found
from .handlers.disk import FILE_FIELD, store_upload
from .links import DOWNLOAD, UPLOAD, link_query
from .model.disk import file_content_key, file_row, folder_row, may_access, storage_of
from .model.disk_content import ContentWriter, content_chunks
from .multipart import Data, MultipartReader, Part, boundary_of
from .params import parse_query
from .php import intval
from .stats import Stats
from .store import Store

__all__ = ["AJAX_PATH", "MAX_BODY", "METHODS", "Portal", "ajax", "file_response", "serve",
           "streams_body"]

METHODS = frozenset({DOWNLOAD, UPLOAD})
AJAX_PATH = "/bitrix/services/main/ajax.php"
_AJAX_DOWNLOADS = frozenset({"disk.api.file.download", "disk.file.download"})
MAX_BODY = 2 * 1024 ** 3  # the cloud's web servers take no larger request
_TOO_LARGE = (b"<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
              b"<center><h1>413 Request Entity Too Large</h1></center>\r\n</body>\r\n</html>\r\n")


class Portal(Protocol):
    """What a transfer needs of the portal (``app.Portal``)."""

    store: Store
    stats: Stats
    injector: Any

    def authenticate(self, webhook: tuple[str, str] | None, params: dict[str, Any],
                     authorization: str = "", origin: str = "") -> Any: ...

    def context(self, caller: Any, now: float) -> Context: ...

    async def offload(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function`` on the thread that owns the store."""


T = TypeVar("T")


def streams_body(scope: Any) -> bool:
    """Whether a request's body is an upload, read here in pieces (the app's body limits,
    which read bodies whole, leave it alone; its own limit is ``MAX_BODY``)."""
    path = str(scope.get("path", ""))
    return path.startswith("/rest/") and path.rstrip("/").removesuffix(".json").endswith(
        f"/{UPLOAD}")


# The app's JSON reply (its headers, PHP's JSON): ``reply(payload, status)``.
Reply = Callable[[Any, int], Response]


async def serve(portal: Portal, request: Request, method: str,
                webhook: tuple[str, str] | None, reply: Reply) -> Any:
    """A signed upload or download link, used."""
    query = parse_query(request.url.query)
    origin = f"{request.url.scheme}://{request.url.netloc}"
    authorization = request.headers.get("authorization", "")

    def checked() -> tuple[Context, dict[str, Any]]:
        caller = portal.authenticate(webhook, query, authorization, origin)
        ctx = portal.context(caller, time.time())
        target = link_query(ctx, method, str(query.get("token", "")))
        if target is None:
            raise access_denied("Link check failed")
        return ctx, target

    try:
        # The store is used on the portal's own thread only.
        ctx, target = await portal.offload(checked)
        if method == DOWNLOAD:
            return await portal.offload(_download, ctx, target)
        return await _upload(portal, ctx, request, target, reply)
    except ApiError as error:
        if method == UPLOAD:
            await _drain(request)  # so that the client, still sending, reads the answer
        return reply(error.payload(), error.status)


async def _drain(request: Request) -> None:
    try:
        async for _ in request.stream():
            pass
    except RuntimeError:
        pass  # already read


# -- downloads -------------------------------------------------------------------------------

def _download(ctx: Context, target: dict[str, Any]) -> Response:
    row = file_row(ctx, intval(target.get("id")))
    if row is None:
        raise not_found(target.get("id"))
    if not may_access(ctx, storage_of(ctx, row), row):
        raise access_denied()
    return file_response(ctx, row)


def _attachment(name: str) -> str:
    plain = name.encode("ascii", "replace").decode().replace('"', "'")
    return f"attachment; filename=\"{plain}\"; filename*=utf-8''{quote(name, safe='')}"


def file_response(ctx: Context, row: Any) -> Response:
    """A file's bytes, streamed, with its name and type."""
    name = str(row["name"])
    key = file_content_key(ctx, row)
    headers = {"Content-Disposition": _attachment(name), "Content-Length": str(row["size"])}
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    # The bytes are read on the thread that owns the store: a portal in memory
    # hands them over whole (it holds them anyway), one with files beside it a file to read.
    held = ctx.store.scalar("SELECT data FROM disk_contents WHERE key = ?", (key,))
    if key is None or held is not None:
        return Response(bytes(held or b""), media_type=kind, headers=headers)
    chunks = content_chunks(ctx.store, key)
    return StreamingResponse(_pieces(chunks), media_type=kind, headers=headers)


async def _pieces(chunks: Any) -> AsyncIterator[bytes]:
    for piece in chunks:
        yield piece


def ajax(portal: Portal) -> Callable[[Request], Awaitable[Response]]:
    """The messenger's download address (no credentials: see the module's docstring)."""

    async def download(request: Request) -> Response:
        query = request.query_params
        if query.get("action") not in _AJAX_DOWNLOADS:
            return Response(status_code=404)
        ctx = Context(portal.store, 0, "ajax", time.time(), invoke=_no_calls)

        def found() -> Response:
            row = file_row(ctx, intval(query.get("fileId")))
            return Response(status_code=404) if row is None else file_response(ctx, row)

        return await portal.offload(found)

    return download


def _no_calls(method: str, params: dict[str, Any]) -> Any:
    raise RuntimeError("a download makes no calls")


# -- uploads ---------------------------------------------------------------------------------

async def _upload(portal: Portal, ctx: Context, request: Request, target: dict[str, Any],
                  reply: Reply) -> Any:
    def destination() -> Any:
        folder = folder_row(ctx, intval(target.get("id")))
        if folder is None:
            raise not_found(target.get("id"))
        if not may_access(ctx, storage_of(ctx, folder), folder):
            raise access_denied()
        return folder

    folder = await portal.offload(destination)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return Response(_TOO_LARGE, status_code=413, media_type="text/html")
    received = await _receive_file(ctx, request)
    if received is None:
        return Response(_TOO_LARGE, status_code=413, media_type="text/html")
    name, writer = received
    if writer is None:
        raise module_error(f"Error: required parameter {FILE_FIELD}", "DISK_BASE_SERVICE_22001")
    def stored() -> Any:
        content = writer.finish()
        with portal.store.transaction():
            return store_upload(ctx, folder, name, None, content=content,
                                unique=flag(target.get("generateUniqueName"), False))

    made = await portal.offload(stored)
    portal.stats.calls[UPLOAD] += 1
    if portal.injector.roll("drop", UPLOAD):
        return DroppedReply({"result": made})
    return reply({"result": made}, 200)


async def _receive_file(ctx: Context, request: Request
                        ) -> tuple[str, ContentWriter | None] | None:
    """The name and bytes of the body's ``file`` part (None: the body is over the limit;
    no writer: the body has no whole file part)."""
    boundary = boundary_of(request.headers.get("content-type", ""))
    reader = MultipartReader(boundary) if boundary else None
    writer: ContentWriter | None = None
    name, current, received = "", False, 0
    try:
        async for piece in request.stream():
            received += len(piece)
            if received > MAX_BODY:
                raise _TooLarge
            for event in reader.feed(piece) if reader is not None else ():
                if isinstance(event, Part):
                    # PHP keeps the first file of the field, named by its base name.
                    current = (event.name == FILE_FIELD and bool(event.filename)
                               and writer is None)
                    if current:
                        name = os.path.basename(str(event.filename).replace("\\", "/"))
                        writer = ContentWriter(ctx.store)
                elif isinstance(event, Data) and current and writer is not None:
                    writer.write(event.data)
    except BaseException as failure:
        if writer is not None:
            writer.abandon()
        if isinstance(failure, _TooLarge):
            return None
        if isinstance(failure, ValueError):  # not a form: no file in it
            return name, None
        raise
    if writer is not None and (reader is None or not reader.finished):
        writer.abandon()  # a body cut short holds no whole file
        writer = None
    return name, writer


class _TooLarge(Exception):
    pass
