"""What the Redis-backed limits and token store share: the ``redis`` client library (the
``redis`` extra), and its failures turned into oint's errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ._errors import OintError, TransportError

try:
    import redis
except ImportError as exc:  # pragma: no cover  (the tests run with the extra)
    raise ImportError(
        "oint's Redis support needs the redis client: pip install 'oint[redis]'"
    ) from exc

__all__ = ["redis", "redis_errors"]


@contextmanager
def redis_errors(what: str, error: type[OintError] = TransportError) -> Iterator[None]:
    """Raise a Redis failure as ``error``, saying what it was for (no traceback to the user:
    Redis's own text names the server, never its password)."""
    try:
        yield
    except redis.RedisError as exc:
        raise error(f"cannot use Redis for {what} ({type(exc).__name__}: {exc})") from None
