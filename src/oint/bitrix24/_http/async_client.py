"""``AsyncClient``: the asyncio client with every operation as a typed, awaited method."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._generated.client_methods import AsyncOperations
from .base_async_client import BaseAsyncClient

if TYPE_CHECKING:
    import os

    from .._response import Response
    from ..operations.files import DownloadedFile

__all__ = ["AsyncClient"]


class AsyncClient(BaseAsyncClient, AsyncOperations):
    """``Client`` for asyncio code; safe inside an already running event loop.

    Its tasks share one leaky bucket and, with OAuth, one token refresh at a time.
    """

    async def download(self, file: int | str, path: str | os.PathLike[str]
                       ) -> Response[DownloadedFile]:
        """Stream a disk file into ``path``, by its ID or its ``DOWNLOAD_URL``: written beside
        ``path`` and moved into place when whole, in pieces (DownloadFile)."""
        return await self.download_file(file, path)
