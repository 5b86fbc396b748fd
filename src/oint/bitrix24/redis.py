"""Many worker processes, one portal: limits and OAuth tokens kept in Redis.

    import redis
    from oint.bitrix24 import Client, OAuthApp
    from oint.bitrix24.redis import RedisLimits, RedisTokenStore

    r = redis.Redis.from_url("redis://localhost:6379/0")
    app = OAuthApp(client_id, client_secret, refresh_token,
                   store=RedisTokenStore(r, "myapp:tokens:b24-xxx.bitrix24.by"))
    with Client("b24-xxx.bitrix24.by", limits=RedisLimits(r, "b24-xxx.bitrix24.by"),
                oauth=app) as b24:
        ...

Needs the ``redis`` extra (``pip install 'oint[redis]'``); nothing else in oint imports it.
"""

from __future__ import annotations

from ._auth.redis_store import RedisTokenStore
from ._reliability.redis_limits import RedisLimits

__all__ = ["RedisLimits", "RedisTokenStore"]
