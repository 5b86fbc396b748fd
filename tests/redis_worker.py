"""One worker process of the Redis tests: a client whose limits and OAuth tokens are kept in
Redis (or, for comparison, in the process), calling the portal from several threads.

    python tests/redis_worker.py CONFIG_JSON

It builds its client, prints ``ready``, waits for a line on stdin (so that every worker
starts at once), sends its calls and prints one JSON line: ``{"ok": N, "errors": [...]}``.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import redis

from oint.bitrix24 import (
    CallbackTokenStore,
    Client,
    Limits,
    OAuthApp,
    OAuthTokens,
    OintError,
)
from oint.bitrix24.redis import RedisLimits, RedisTokenStore


def build(config: dict[str, Any]) -> Client:
    r = redis.Redis.from_url(config["redis"])
    limits: Limits = Limits(drain=config["drain"], burst=config["burst"])
    if config["shared_limits"]:
        limits = RedisLimits(r, config["portal"], limits)
    oauth = None
    if "oauth" in config:
        app = config["oauth"]
        store: Any
        if app["store"] == "redis":
            store = RedisTokenStore(r, app["key"])
        else:  # each process on its own: the tokens it was given, in memory
            kept: list[OAuthTokens] = []
            store = CallbackTokenStore(kept.append, lambda: kept[-1] if kept else None)
        oauth = OAuthApp(app["client_id"], app["client_secret"], app["refresh_token"],
                         store=store, server=app["server"])
    return Client(config["url"], config.get("token"), limits=limits, oauth=oauth)


def main() -> None:
    config = json.loads(sys.argv[1])
    with build(config) as b24:
        print("ready", flush=True)
        sys.stdin.readline()

        def work(_: int) -> list[str]:
            errors = []
            for _ in range(config["calls"]):
                try:
                    b24.call(config["method"], {}, reads=True)
                except OintError as exc:
                    errors.append(getattr(exc, "code", None) or type(exc).__name__)
            return errors

        with ThreadPoolExecutor(config["threads"]) as pool:
            errors = [e for found in pool.map(work, range(config["threads"])) for e in found]
    print(json.dumps({"ok": config["threads"] * config["calls"] - len(errors),
                      "errors": errors}), flush=True)


if __name__ == "__main__":
    main()
