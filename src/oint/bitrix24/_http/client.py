"""``Client``: the synchronous client with every operation as a typed method."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._generated.client_methods import SyncOperations
from .base_client import BaseClient

if TYPE_CHECKING:
    import os

    from .._response import Response
    from ..operations.files import DownloadedFile

__all__ = ["Client"]


class Client(BaseClient, SyncOperations):
    """A Bitrix24 portal, reached through a webhook URL or a domain plus an OAuth token.

    >>> with Client("https://portal.bitrix24.com/rest/1/code") as b24:
    ...     chat_id = b24.create_chat({"TITLE": "Deal 42", "USERS": [1, 10]}).result

    One client may be shared by any number of threads: they share its connection pool,
    its leaky bucket (``limits``) and, with OAuth, one token refresh at a time.
    """

    def download(self, file: int | str, path: str | os.PathLike[str]
                 ) -> Response[DownloadedFile]:
        """Stream a disk file into ``path``, by its ID or its ``DOWNLOAD_URL``: written beside
        ``path`` and moved into place when whole, in pieces (DownloadFile)."""
        return self.download_file(file, path)
