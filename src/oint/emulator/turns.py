"""Handlers run one at a time, and the event loop reads the network between two of them.

A real portal's network delay runs beside its work: a request travels while the server
serves others. The emulator's handlers are synchronous and run on the event loop, so when
several requests become ready at once (their ``--latency`` sleeps ended together), asyncio
would run all their handlers in one go, reading no socket meanwhile; requests sent during
that time would start their latency only afterwards, and a client with many requests in
flight would see the latency twice. Here each handler runs in a loop iteration of its
own, in arrival order, so new requests are read (and their latency starts) in between.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["Turns"]

T = TypeVar("T")


class Turns:
    def __init__(self) -> None:
        self._queue: deque[tuple[asyncio.Future[Any], Callable[[], Any]]] = deque()
        self._scheduled = False

    async def run(self, work: Callable[[], T]) -> T:
        """``work()`` in its turn; its result or its exception."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((future, work))
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._next)
        return await future

    def _next(self) -> None:
        future, work = self._queue.popleft()
        if not future.cancelled():  # its client went away meanwhile
            try:
                future.set_result(work())
            except Exception as exc:  # handed to the request that asked
                future.set_exception(exc)
        if self._queue:
            # call_soon from a callback runs in the next loop iteration, after the
            # selector has read whatever arrived meanwhile.
            asyncio.get_running_loop().call_soon(self._next)
        else:
            self._scheduled = False
