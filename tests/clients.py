"""Clients whose limits match the test emulators, which run without a rate bucket.

A default client mirrors a real portal's bucket (2 requests a second after a burst of 50),
so against an emulator without one it would sleep for nothing. Tests of the limits
themselves build their clients with the limits they test.
"""

from __future__ import annotations

from typing import Any

from oint.bitrix24 import AsyncClient, Client

__all__ = ["BucketlessAsyncClient", "BucketlessClient"]


class BucketlessClient(Client):
    def __init__(self, url: str | None, token: str | None = None, **options: Any) -> None:
        options.setdefault("limits", None)
        super().__init__(url, token, **options)


class BucketlessAsyncClient(AsyncClient):
    def __init__(self, url: str | None, token: str | None = None, **options: Any) -> None:
        options.setdefault("limits", None)
        super().__init__(url, token, **options)
