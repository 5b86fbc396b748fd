"""Throughput of oint, fast_bitrix24 and b24pysdk against the emulator, in one run.

    ./bench/run.sh [--rate 2/50] [--messages 5000] [--leads 100000] [--clients ...]

Each client gets a fresh emulator (HTTPS with a local certificate, the given leaky bucket,
the same seed) for each workload, and runs in a process of its own:

- write: N ``im.message.add`` calls into one chat (``crm.lead.add`` if the emulator has no
  ``im.message.add``), checked afterwards in the emulator's store for missing and doubled
  messages;
- read: every one of M seeded leads through the client's fastest documented way to read
  them all (oint ``iter_list``, fast_bitrix24 ``get_all``, b24pysdk ``as_list_fast``).

The ideal is what a client that costs nothing would take: the fewest requests the workload
needs (batches of 50 calls; for reads, batches of 50 pages), each waiting for the bucket
(which starts empty, as for a client that just started) and for the emulator, which serves
one request at a time. Its service time per request is measured first with bare HTTP
posts, so the ideal counts the emulator's own work and the table measures the clients.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from oint.bitrix24 import Client
from oint.emulator.process import EmulatorProcess, start

HERE = Path(__file__).resolve().parent
CLIENTS = ("oint", "fast_bitrix24", "b24pysdk")


def _rate(text: str) -> tuple[float, int] | None:
    if text == "off":
        return None
    drain, _, burst = text.partition("/")
    return float(drain), int(burst)


def _emulator_options() -> str:
    done = subprocess.run([sys.executable, "-m", "oint", "emulator", "--help"],
                          capture_output=True, text=True, check=True)
    return done.stdout


class Bench:
    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.rate = _rate(options.rate)
        self.cert, self.key = options.tls_cert, options.tls_key
        help_text = _emulator_options()
        self.has_bucket = "--rate-limit" in help_text
        self.tmp = Path(tempfile.mkdtemp(prefix="oint-bench-"))
        self.write_method = "im.message.add"

    def emulator(self, name: str, *extra: str, bucket: bool = True) -> EmulatorProcess:
        args = ["--tls-cert", self.cert, "--tls-key", self.key, *extra]
        if bucket and self.rate and self.has_bucket:
            args += ["--rate-limit", self.options.rate]
        return start(args, db=str(self.tmp / f"{name}-{time.monotonic_ns()}.db"))

    def _client(self, portal: EmulatorProcess) -> Client:
        return Client(portal.webhook_url, verify=self.cert)

    # -- what the bucket and the emulator allow --------------------------------------------

    def calibrate(self, workload: str) -> list[float]:
        """Seconds the emulator takes to serve each request of the minimal set, one by one."""
        portal = self.emulator("calibrate", *self.seed_args(workload), bucket=False)
        try:
            with self._client(portal) as b24, httpx.Client(verify=self.cert) as raw:
                commands = self.minimal_commands(workload, b24)
                times = []
                for cmd in commands:
                    began = time.perf_counter()
                    reply = raw.post(f"{portal.webhook_url}/batch", json={"cmd": cmd})
                    reply.read()
                    times.append(time.perf_counter() - began)
                return times
        finally:
            portal.stop()

    def seed_args(self, workload: str) -> list[str]:
        return ["--seed-leads", str(self.options.leads)] if workload == "read" else []

    def minimal_commands(self, workload: str, b24: Client) -> list[dict[str, str]]:
        if workload == "read":
            pages = math.ceil(self.options.leads / 50)
            return [{f"p{i}": f"crm.lead.list?order%5BID%5D=ASC&start={(b + i) * 50}"
                     for i in range(min(50, pages - b))} for b in range(0, pages, 50)]
        chat = self.prepare_write(b24)
        n = self.options.messages
        if self.write_method == "im.message.add":
            text = [f"im.message.add?DIALOG_ID=chat{chat}&MESSAGE=bench+{i}" for i in range(n)]
        else:
            text = [f"crm.lead.add?fields%5BTITLE%5D=bench+{i}" for i in range(n)]
        return [{f"c{i}": t for i, t in enumerate(text[b:b + 50])} for b in range(0, n, 50)]

    def ideal(self, service: list[float]) -> float:
        # Request i may start once the bucket lets it through and the emulator is free.
        finish = 0.0
        for index, seconds in enumerate(service):
            allowed = 0.0
            if self.rate:
                drain, burst = self.rate
                allowed = max(0.0, (index + 1 - burst) / drain)
            finish = max(finish, allowed) + seconds
        return finish

    # -- the workloads -----------------------------------------------------------------

    def prepare_write(self, b24: Client) -> int:
        chat = int(b24.create_chat({"TITLE": "bench", "USERS": [2]}).result)
        probe = b24.batch([("im.message.add", {"DIALOG_ID": f"chat{chat}", "MESSAGE": "probe"})])
        if getattr(probe[0], "code", "") == "ERROR_METHOD_NOT_FOUND":
            self.write_method = "crm.lead.add"
        return chat

    def run(self, client: str, workload: str) -> dict[str, Any]:
        portal = self.emulator(f"{client}-{workload}", *self.seed_args(workload))
        try:
            config: dict[str, Any] = {"webhook": portal.webhook_url, "cert": self.cert}
            if workload == "write":
                with self._client(portal) as b24:
                    config["chat"] = self.prepare_write(b24)
                config.update(method=self.write_method, count=self.options.messages)
                time.sleep(2.0)  # let the bucket drain the two set-up requests
            else:
                config["count"] = self.options.leads
            result = self.worker(client, workload, config)
        finally:
            portal.stop()
        if workload == "write":
            result.update(self.check_writes(portal, config))
        return result

    def worker(self, client: str, workload: str, config: dict[str, Any]) -> dict[str, Any]:
        env = {**os.environ, "SSL_CERT_FILE": self.cert, "REQUESTS_CA_BUNDLE": self.cert}
        done = subprocess.run(
            [sys.executable, str(HERE / "worker.py"), client, workload, json.dumps(config)],
            capture_output=True, text=True, env=env, timeout=3600, check=False,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return {"seconds": float("nan"), "errors": [f"worker failed: {tail}"]}
        result: dict[str, Any] = json.loads(lines[-1])
        return result

    def check_writes(self, portal: EmulatorProcess, config: dict[str, Any]) -> dict[str, Any]:
        db_path = next(a for a in portal.process.args[portal.process.args.index("--db") + 1:])
        with sqlite3.connect(str(db_path)) as db:
            if config["method"] == "im.message.add":
                rows = db.execute("SELECT text FROM messages WHERE chat_id = ? AND text LIKE "
                                  "'bench %'", (config["chat"],)).fetchall()
            else:
                rows = db.execute("SELECT TITLE FROM crm_leads WHERE TITLE LIKE 'bench %'"
                                  ).fetchall()
        texts = [r[0] for r in rows]
        expected = {f"bench {i}" for i in range(config["count"])}
        return {"records": len(texts), "missing": len(expected - set(texts)),
                "duplicates": len(texts) - len(set(texts))}


def _row(name: str, result: dict[str, Any], ideal: float, oint_seconds: float) -> str:
    seconds = result["seconds"]
    versus = "" if name == "oint" else f"{seconds / oint_seconds:.2f}x"
    errors = len(result["errors"])
    return (f"| {name} | {seconds:.2f} | {seconds / ideal:.2f}x | {versus or '1.00x'} "
            f"| {errors} | {result.get('missing', '?')} | {result.get('duplicates', '?')} "
            f"| {result.get('peak_rss_mb', float('nan')):.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", default="2/50", help="bucket DRAIN/BURST, or off")
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--workloads", default="write,read")
    parser.add_argument("--tls-cert", required=True)
    parser.add_argument("--tls-key", required=True)
    options = parser.parse_args()
    bench = Bench(options)
    clients = [c for c in options.clients.split(",") if c]
    bucket = options.rate if bench.rate else "off"
    if bench.rate and not bench.has_bucket:
        bucket += " (NOT ENFORCED: this emulator has no --rate-limit yet)"
    print(f"emulator over HTTPS on 127.0.0.1, bucket {bucket}; python {sys.version.split()[0]}",
          flush=True)
    errors: list[str] = []
    for workload in options.workloads.split(","):
        service = bench.calibrate(workload)
        ideal = bench.ideal(service)
        results = {c: bench.run(c, workload) for c in clients}
        title = (f"bulk write: {options.messages} {bench.write_method} calls"
                 if workload == "write" else f"list read: {options.leads} leads")
        print(f"\n{title}; ideal {ideal:.2f} s ({len(service)} requests, emulator "
              f"{sum(service):.2f} s of them)\n")
        print("| client | seconds | vs ideal | vs oint | errors | missing | doubled "
              "| peak RSS MB |")
        print("|---|---|---|---|---|---|---|---|")
        oint_seconds = results.get("oint", {}).get("seconds", float("nan"))
        for name, result in results.items():
            print(_row(name, result, ideal, oint_seconds), flush=True)
            errors += [f"{name} {workload}: {e}" for e in result["errors"]]
    if "oint" in clients:
        print("\nmemory of an oint walk (iter_list, nothing kept):\n")
        print("| records | seconds | peak RSS MB |\n|---|---|---|")
        for count in (1000, options.leads):
            portal = bench.emulator("walk", "--seed-leads", str(options.leads), bucket=False)
            try:
                walk = bench.worker("oint", "walk", {"webhook": portal.webhook_url,
                                                      "cert": bench.cert, "count": count})
            finally:
                portal.stop()
            print(f"| {count} | {walk['seconds']:.2f} | {walk['peak_rss_mb']:.0f} |", flush=True)
    if errors:
        print("\nerrors surfaced:")
        for error in errors:
            print(f"  {error}")


if __name__ == "__main__":
    main()
