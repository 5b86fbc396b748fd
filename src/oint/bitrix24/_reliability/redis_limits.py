"""The portal's limits kept in Redis: one bucket and one operating window for every process
(on any machine) that names the same portal.

Each process keeping its own bucket would let N processes send N times the portal's rate,
and the portal would answer 503s. Here a reservation is one Lua script, run atomically by
Redis against Redis's own clock (the callers' clocks may disagree), with the same
arithmetic as ``LeakyBucket``; the operating window's figures are one hash per portal.
Keys expire once they no longer matter (an empty bucket, a closed window).

Every call is a blocking round trip to Redis (a fraction of a millisecond on a LAN); the
``AsyncClient`` makes it from the event loop's thread too, as it does the other decisions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._redis import redis, redis_errors
from .limits import Bucket, Clock, Limits, OperatingWindow, spend_prepaid

__all__ = ["RedisLimits"]

# KEYS[1]: the bucket, a hash {level, at}. ARGV: drain, burst, mode, wanted.
_BUCKET_SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local drain, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(state[1]) or 0
local at = tonumber(state[2]) or now
level = math.max(0, level - math.max(0, now - at) * drain)
local reply
if ARGV[3] == 'reserve' then
  level = level + 1
  reply = tostring(math.max(0, level - burst) / drain)
elseif ARGV[3] == 'take' then
  local taken = math.max(0, math.min(tonumber(ARGV[4]), math.floor(burst - level + 1e-9)))
  level = level + taken
  reply = {taken, tostring(math.max(0, level + 1 - burst) / drain)}
else
  level = math.max(level, burst)
  reply = 'saturated'
end
redis.call('HSET', KEYS[1], 'level', string.format('%.6f', level),
           'at', string.format('%.6f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((level / drain + 1) * 1000))
return reply
"""


class RedisBucket:
    """``LeakyBucket`` with its level in Redis."""

    def __init__(self, client: redis.Redis, key: str, drain: float, burst: float) -> None:
        self.drain = drain
        self.burst = burst
        self._key = key
        self._script = client.register_script(_BUCKET_SCRIPT)

    def _run(self, mode: str, wanted: int = 0) -> Any:
        with redis_errors("the shared rate limit"):
            return self._script(keys=[self._key], args=[self.drain, self.burst, mode, wanted])

    def reserve(self) -> float:
        if spend_prepaid():
            return 0.0
        return float(self._run("reserve"))

    def take(self, wanted: int) -> tuple[int, float]:
        taken, pause = self._run("take", wanted)
        return int(taken), float(pause)

    def saturate(self) -> None:
        self._run("saturate")


class RedisOperatingWindow(OperatingWindow):
    """``OperatingWindow`` with each method's usage in a Redis hash."""

    def __init__(self, limits: Limits, clock: Clock, client: redis.Redis, key: str) -> None:
        super().__init__(limits, clock)
        self._client = client
        self._key = key
        self._ttl = int(limits.operating_window) + 60

    def _save(self, usages: Mapping[str, tuple[float, float]]) -> None:
        mapping: dict[Any, Any] = {m: f"{used!r} {reset!r}" for m, (used, reset) in usages.items()}
        with redis_errors("the shared operating window"):
            pipe = self._client.pipeline(transaction=True)
            pipe.hset(self._key, mapping=mapping)
            pipe.expire(self._key, self._ttl)
            pipe.execute()

    def _load(self, method: str) -> tuple[float, float] | None:
        with redis_errors("the shared operating window"):
            value = self._client.hget(self._key, method)
        if value is None:
            return None
        used, reset = (value.decode() if isinstance(value, bytes) else str(value)).split()
        return float(used), float(reset)


class RedisLimits(Limits):
    """``Limits`` kept in Redis, shared by every process that names the same ``portal``.

    >>> limits = RedisLimits(redis.Redis.from_url(url), "b24-xxx.bitrix24.by")
    >>> Client("b24-xxx.bitrix24.by", token, limits=limits)

    ``client`` is a ``redis.Redis``; ``limits`` gives the numbers (``Limits.standard()``
    unless given, ``Limits.enterprise()`` for Enterprise plans); ``prefix`` starts every key.
    """

    client: redis.Redis
    portal: str
    prefix: str

    def __init__(
        self, client: redis.Redis, portal: str, limits: Limits | None = None, *,
        prefix: str = "oint:bitrix24",
    ) -> None:
        base = limits if limits is not None else Limits.standard()
        for name in ("drain", "burst", "operating_budget", "operating_window", "slow_at"):
            object.__setattr__(self, name, getattr(base, name))
        if not portal.strip():
            raise ValueError("RedisLimits needs the portal's name: processes that share a "
                             "bucket name the same portal")
        object.__setattr__(self, "client", client)
        object.__setattr__(self, "portal", portal.strip().lower())
        object.__setattr__(self, "prefix", prefix)
        self.__post_init__()

    def __repr__(self) -> str:
        return (f"RedisLimits({self.portal!r}, drain={self.drain!r}, burst={self.burst!r}, "
                f"operating_budget={self.operating_budget!r}, "
                f"operating_window={self.operating_window!r})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RedisLimits):
            return NotImplemented
        return repr(self) == repr(other) and self.client is other.client

    def __hash__(self) -> int:
        return hash(repr(self))

    def build(self, clock: Clock) -> tuple[Bucket, OperatingWindow]:
        key = f"{self.prefix}:{self.portal}"
        return (
            RedisBucket(self.client, f"{key}:bucket", self.client_drain, self.client_burst),
            RedisOperatingWindow(self, clock, self.client, f"{key}:operating"),
        )
