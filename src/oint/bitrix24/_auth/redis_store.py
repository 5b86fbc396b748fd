"""OAuth tokens in Redis, for many processes (on any machine) acting as one app on a portal.

Every refresh retires the refresh token it used, so two processes must never refresh with
the same one: the second would get ``invalid_grant`` and could not refresh again. The
refresh is therefore single-flight across processes: under a lock in Redis, a process
first reads the stored pair, and if another one has rotated it meanwhile, it takes that
pair instead of refreshing. The lock expires by itself (``lock_timeout``) so that a process
killed mid-refresh does not block the others for good; a process gives up waiting for it
after ``wait_timeout`` with ``TokenStoreError``.

The tokens are stored in clear under ``key``, as ``FileTokenStore`` stores them in a file:
the Redis server must be one only the app's processes can read.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from .._errors import TokenStoreError
from .._redis import redis, redis_errors
from .token_store import OAuthTokens, read_record

__all__ = ["RedisTokenStore"]

# Longer than a refresh can take with the client's default timeouts (10 s to connect,
# 60 s for the reply): a lock that expired mid-refresh would let a second one start.
DEFAULT_LOCK_TIMEOUT = 90.0


class _RefreshLock:
    def __init__(self, lock: Any, key: str, wait: float) -> None:
        self._lock = lock
        self._key = key
        self._wait = wait

    def acquire(self) -> None:
        with redis_errors("the OAuth refresh lock", TokenStoreError):
            acquired = self._lock.acquire()
        if not acquired:
            raise TokenStoreError(
                f"another process has been refreshing the OAuth tokens in Redis ({self._key}) "
                f"for more than {self._wait:g} s; try again later"
            )

    def release(self) -> None:
        # A lock that expired meanwhile is no longer ours: nothing is left to release.
        with contextlib.suppress(redis.RedisError):
            self._lock.release()


class RedisTokenStore:
    """Tokens under one Redis ``key``, shared by every process of the app on one portal.

    >>> store = RedisTokenStore(redis.Redis.from_url(url), "myapp:b24-xxx.bitrix24.by")
    >>> OAuthApp(client_id, client_secret, refresh_token, store=store)
    """

    def __init__(
        self, client: redis.Redis, key: str, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        wait_timeout: float = DEFAULT_LOCK_TIMEOUT,
    ) -> None:
        if not key:
            raise ValueError("RedisTokenStore needs a key")
        self._client = client
        self.key = key
        self.lock_timeout = lock_timeout
        self.wait_timeout = wait_timeout

    def __repr__(self) -> str:
        return f"RedisTokenStore({self.key!r})"

    def load(self) -> OAuthTokens | None:
        with redis_errors("the OAuth tokens", TokenStoreError):
            text = self._client.get(self.key)
        return None if text is None else read_record(text, f"the Redis key {self.key}")

    def save(self, tokens: OAuthTokens) -> None:
        with redis_errors("saving the rotated OAuth tokens", TokenStoreError):
            self._client.set(self.key, json.dumps(tokens.to_json()))

    def refresh_lock(self) -> _RefreshLock:
        """The lock a refresh holds, across every process that uses this key."""
        # Not thread-local: the AsyncClient takes it in a worker thread and releases it in
        # the event loop's thread.
        lock = self._client.lock(
            f"{self.key}:refresh", timeout=self.lock_timeout,
            blocking_timeout=self.wait_timeout, thread_local=False,
        )
        return _RefreshLock(lock, self.key, self.wait_timeout)
