"""``AsyncClient``: the asyncio client with every operation as a typed, awaited method."""

from __future__ import annotations

from .._generated.client_methods import AsyncOperations
from .base_async_client import BaseAsyncClient

__all__ = ["AsyncClient"]


class AsyncClient(BaseAsyncClient, AsyncOperations):
    """``Client`` for asyncio code; safe inside an already running event loop.

    Its tasks share one leaky bucket and, with OAuth, one token refresh at a time.
    """
