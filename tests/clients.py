"""Clients whose limits match the test emulators, which run without a rate bucket.

A default client mirrors a real portal's bucket (2 requests a second after a burst of 50),
so against an emulator without one it would sleep for nothing. Tests of the limits
themselves build their clients with the limits they test.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from oint.bitrix24 import AsyncClient, Client
from oint.emulator.process import EmulatorProcess, launch

__all__ = ["BucketlessAsyncClient", "BucketlessClient", "portal_of_users"]


class BucketlessClient(Client):
    def __init__(self, url: str | None, token: str | None = None, **options: Any) -> None:
        options.setdefault("limits", None)
        super().__init__(url, token, **options)


class BucketlessAsyncClient(AsyncClient):
    def __init__(self, url: str | None, token: str | None = None, **options: Any) -> None:
        options.setdefault("limits", None)
        super().__init__(url, token, **options)


@contextmanager
def portal_of_users(*user_ids: int) -> Iterator[tuple[EmulatorProcess, dict[int, Client]]]:
    """An emulator where user 1 (the administrator) and each of ``user_ids`` call through
    a webhook of their own; their clients by user id."""
    codes = {user_id: secrets.token_hex(8) for user_id in user_ids}
    webhooks = [arg for user_id, code in codes.items() for arg in ("--webhook",
                                                                   f"{user_id}/{code}")]
    with launch(webhooks) as running, ExitStack() as stack:
        clients = {1: stack.enter_context(BucketlessClient(running.webhook_url))}
        for user_id, code in codes.items():
            clients[user_id] = stack.enter_context(
                BucketlessClient(f"{running.base_url}/rest/{user_id}/{code}"))
        yield running, clients
