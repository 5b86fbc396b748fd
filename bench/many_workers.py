"""Many worker processes, one portal: the limiter and the OAuth tokens shared through Redis.

    ./bench/run.sh workers [--rate 2/50] [--processes 8] [--threads 4] [--messages 2000]

P processes of T threads each (as Celery, RQ or multiprocessing workers would be) send M
``im.message.add`` calls, one call each, into one chat of one emulator, as one OAuth app.
Halfway through the bucket's ideal time every access token expires. The run is made twice
on fresh emulators: once with ``RedisLimits`` (one bucket for all processes), once with
each process's own ``Limits``; both keep the tokens in a ``RedisTokenStore``.

The ideal is the bucket's: the first ``burst`` calls at once, then ``drain`` a second.
503s are the refusals the emulator's bucket counted; refreshes and ``invalid_grant`` are
the grants its OAuth server counted. Missing and doubled messages are read from its store.
Needs a redis-server: ``bench/run.sh workers`` starts a throw-away one on loopback.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import redis

from oint.bitrix24 import Client, Limits, OAuthApp, OAuthTokens, OintError
from oint.bitrix24.redis import RedisLimits, RedisTokenStore
from oint.emulator.process import EmulatorProcess, start

APP = ("local.bench.1", "bench-secret")


def _rate(text: str) -> tuple[float, int]:
    drain, _, burst = text.partition("/")
    return float(drain), int(burst)


def worker(config: dict[str, Any]) -> None:
    """One process: build the client, say ready, wait for go, send its share."""
    r = redis.Redis.from_url(config["redis"])
    drain, burst = config["rate"]
    limits = Limits(drain=drain, burst=burst)
    if config["shared"]:
        limits = RedisLimits(r, config["portal"], limits)
    app = OAuthApp(*APP, store=RedisTokenStore(r, config["tokens"]), server=config["base"])
    with Client(config["base"], limits=limits, oauth=app) as b24:
        print("ready", flush=True)
        sys.stdin.readline()

        def send(numbers: list[int]) -> list[str]:
            errors = []
            for number in numbers:
                try:
                    b24.call("im.message.add", {"DIALOG_ID": f"chat{config['chat']}",
                                                "MESSAGE": f"bench {number}"})
                except OintError as exc:
                    errors.append(getattr(exc, "code", None) or type(exc).__name__)
            return errors

        shares = [config["numbers"][t::config["threads"]] for t in range(config["threads"])]
        with ThreadPoolExecutor(config["threads"]) as pool:
            errors = [e for found in pool.map(send, shares) for e in found]
    print(json.dumps({"errors": errors}), flush=True)


class Run:
    def __init__(self, options: argparse.Namespace, shared: bool) -> None:
        self.options = options
        self.shared = shared
        self.rate = _rate(options.rate)
        self.tmp = Path(tempfile.mkdtemp(prefix="oint-workers-"))
        self.db = self.tmp / "portal.db"
        self.portal: EmulatorProcess = start(
            ["--rate-limit", options.rate, "--app", ":".join(APP)], db=str(self.db))
        self.key = f"oint-bench:{os.getpid()}:{time.monotonic_ns()}"

    def prepare(self) -> dict[str, Any]:
        with Client(self.portal.webhook_url, limits=None) as b24:
            chat = int(b24.create_chat({"TITLE": "workers", "USERS": [2]}).result)
        grant = self.portal.admin("POST", "oauth/grants", {"client_id": APP[0]})
        store = RedisTokenStore(redis.Redis.from_url(self.options.redis), f"{self.key}:tokens")
        store.save(OAuthTokens(grant["access_token"], grant["refresh_token"],
                               time.time() + 3600))
        time.sleep(1.0)  # the set-up request drains from the portal's bucket
        self.portal.admin("POST", "stats/reset", {})
        return {"redis": self.options.redis, "rate": self.rate, "shared": self.shared,
                "portal": self.key, "tokens": f"{self.key}:tokens",
                "base": self.portal.base_url, "chat": chat, "threads": self.options.threads}

    def go(self) -> dict[str, Any]:
        config = self.prepare()
        count, processes = self.options.messages, self.options.processes
        workers = [subprocess.Popen(
            [sys.executable, __file__, "--worker", json.dumps(
                {**config, "numbers": list(range(p, count, processes))})],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            for p in range(processes)]
        for process in workers:
            assert process.stdout is not None
            if process.stdout.readline().strip() != "ready":
                raise SystemExit("a worker did not start")
        began = time.monotonic()
        for process in workers:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        expire = threading.Timer(self.ideal() / 2, self.portal.admin,
                                 ("POST", "tokens/expire", {"client_id": APP[0]}))
        expire.start()
        errors: list[str] = []
        for process in workers:
            out, _ = process.communicate(timeout=3600)
            lines = [line for line in out.splitlines() if line.startswith("{")]
            errors += json.loads(lines[-1])["errors"] if lines else ["worker failed"]
        seconds = time.monotonic() - began
        expire.cancel()
        stats = self.portal.stats()
        self.portal.stop()
        return {"seconds": seconds, "errors": errors, **self.check(config["chat"]),
                "refused": stats["refused"].get("QUERY_LIMIT_EXCEEDED", 0),
                "refreshes": stats["oauth"].get("refresh_token", 0),
                "invalid_grant": stats["oauth"].get("error:invalid_grant", 0)}

    def ideal(self) -> float:
        drain, burst = self.rate
        return max(0.0, (self.options.messages - burst) / drain)

    def check(self, chat: int) -> dict[str, int]:
        with sqlite3.connect(str(self.db)) as db:
            texts = [row[0] for row in db.execute(
                "SELECT text FROM messages WHERE chat_id = ? AND text LIKE 'bench %'", (chat,))]
        expected = {f"bench {n}" for n in range(self.options.messages)}
        return {"missing": len(expected - set(texts)),
                "doubled": len(texts) - len(set(texts))}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(json.loads(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", default="2/50", help="the portal's bucket, DRAIN/BURST")
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--redis", default=os.environ.get("OINT_TEST_REDIS_URL"))
    options = parser.parse_args()
    if not options.redis:
        raise SystemExit("no Redis: give --redis URL, or run ./bench/run.sh workers")
    print(f"{options.processes} processes x {options.threads} threads, {options.messages} "
          f"im.message.add calls, one per request, one OAuth app; bucket {options.rate}; "
          f"every access token expires halfway; python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores\n", flush=True)
    print("| limiter | seconds | vs ideal | 503s | errors | missing | doubled | token "
          "refreshes | invalid_grant |\n|---|---|---|---|---|---|---|---|---|", flush=True)
    for shared in (True, False):
        run = Run(options, shared)
        result = run.go()
        errors = sorted(set(result["errors"]))
        print(f"| {'RedisLimits (shared)' if shared else 'Limits (per process)'} "
              f"| {result['seconds']:.1f} | {result['seconds'] / run.ideal():.2f}x "
              f"| {result['refused']} | {len(result['errors'])}"
              f"{' (' + ', '.join(errors) + ')' if errors else ''} | {result['missing']} "
              f"| {result['doubled']} | {result['refreshes']} | {result['invalid_grant']} |",
              flush=True)
    print(f"\nideal: {run.ideal():.1f} s (the first {run.rate[1]} calls at once, then "
          f"{run.rate[0]:g} a second)")


if __name__ == "__main__":
    main()
