"""Throughput of oint, fast_bitrix24 and b24pysdk against the emulator, in one run.

    ./bench/run.sh [--rate 2/50] [--latencies 0,0.3,1.0] [--messages 5000] [--leads 100000]

Each client gets a fresh emulator (HTTPS with a local certificate, the given leaky bucket,
the given ``--latency`` before each request is handled, the same seed) for each workload
and latency, and runs in a process of its own:

- write: N ``im.message.add`` calls into one chat (``crm.lead.add`` if the emulator has no
  ``im.message.add``), checked afterwards in the emulator's store for missing and doubled
  messages;
- read: the ID and TITLE of every one of M seeded leads through the client's fastest
  documented way to read them all (oint ``iter_list``, fast_bitrix24 ``get_all``,
  b24pysdk ``as_list_fast``).

The ideal is what a client that costs nothing would take: the fewest requests the workload
needs (batches of 50 calls; for reads, one page to learn the count, then batches of 50
pages of the rest, which cannot be planned before the count is known), each sent when the
bucket admits it (it starts empty, as for a client that just started), reaching the
emulator ``latency`` seconds later, and served when the emulator is free (it serves one
request at a time). Its service time per request is measured first with bare HTTP posts
one after another, so the ideal counts the emulator's own work and the latency, and the
table measures the clients. 503s are the refusals the emulator's bucket counted.

``--before REV`` adds oint as it was at a git revision (``oint@REV``, its package taken with
``git archive``) beside today's, against the same emulator: what a change did, in one run.
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
from revisions import package_at

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

    def emulator(self, name: str, *extra: str, bucket: bool = True, latency: float = 0.0
                 ) -> EmulatorProcess:
        args = ["--tls-cert", self.cert, "--tls-key", self.key, *extra]
        if latency:
            args += ["--latency", f"{latency:g}"]
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
            # The first page alone (it tells the count), then the other pages 50 a batch.
            pages = math.ceil(self.options.leads / 50)
            page = ("crm.lead.list?order%5BID%5D=ASC&select%5B0%5D=ID&select%5B1%5D=TITLE"
                    "&start={}")
            return [{"p0": page.format(0)}] + [
                {f"p{i}": page.format((b + i) * 50) for i in range(min(50, pages - b))}
                for b in range(1, pages, 50)]
        chat = self.prepare_write(b24)
        n = self.options.messages
        if self.write_method == "im.message.add":
            text = [f"im.message.add?DIALOG_ID=chat{chat}&MESSAGE=bench+{i}" for i in range(n)]
        else:
            text = [f"crm.lead.add?fields%5BTITLE%5D=bench+{i}" for i in range(n)]
        return [{f"c{i}": t for i, t in enumerate(text[b:b + 50])} for b in range(0, n, 50)]

    def ideal(self, service: list[float], latency: float, workload: str) -> float:
        # Request i goes out once the bucket admits it (and, for a read, once the first
        # page told the count), arrives `latency` later, and is served when the emulator
        # is free.
        free = first_done = 0.0
        for index, seconds in enumerate(service):
            allowed = 0.0
            if self.rate:
                drain, burst = self.rate
                allowed = max(0.0, (index + 1 - burst) / drain)
            if workload == "read" and index:
                allowed = max(allowed, first_done)
            free = max(free, allowed + latency) + seconds
            if index == 0:
                first_done = free
        return free

    # -- the workloads -----------------------------------------------------------------

    def prepare_write(self, b24: Client) -> int:
        chat = int(b24.create_chat({"TITLE": "bench", "USERS": [2]}).result)
        probe = b24.batch([("im.message.add", {"DIALOG_ID": f"chat{chat}", "MESSAGE": "probe"})])
        if getattr(probe[0], "code", "") == "ERROR_METHOD_NOT_FOUND":
            self.write_method = "crm.lead.add"
        return chat

    def run(self, client: str, workload: str, latency: float) -> dict[str, Any]:
        portal = self.emulator(f"{client}-{workload}", *self.seed_args(workload),
                               latency=latency)
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
            stats = httpx.get(f"{portal.base_url}/_oint/stats", verify=self.cert).json()
            result["refused"] = stats["refused"].get("QUERY_LIMIT_EXCEEDED", 0)
        finally:
            portal.stop()
        if workload == "write":
            result.update(self.check_writes(portal, config))
        return result

    def at_revision(self, revision: str) -> str:
        """The folder holding oint's package as it was at ``revision`` (for ``oint@REV``)."""
        target = self.tmp / f"at-{revision}"
        src = target / "src"
        return str(src if target.exists() else package_at(revision, target))

    def worker(self, client: str, workload: str, config: dict[str, Any]) -> dict[str, Any]:
        env = {**os.environ, "SSL_CERT_FILE": self.cert, "REQUESTS_CA_BUNDLE": self.cert}
        if client.startswith("oint@"):
            env["PYTHONPATH"] = self.at_revision(client.partition("@")[2])
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


def _row(latency: float, name: str, result: dict[str, Any], ideal: float,
         oint_seconds: float) -> str:
    seconds = result["seconds"]
    return (f"| {latency:g} | {name} | {seconds:.2f} | {seconds / ideal:.2f}x "
            f"| {seconds / oint_seconds:.2f}x | {result.get('refused', '?')} "
            f"| {len(result['errors'])} | {result.get('missing', '?')} "
            f"| {result.get('duplicates', '?')} | {result.get('peak_rss_mb', float('nan')):.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", default="2/50", help="bucket DRAIN/BURST, or off")
    parser.add_argument("--latencies", default="0,0.3,1.0",
                        help="seconds the emulator waits before handling each request")
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--clients", default=",".join(CLIENTS))
    parser.add_argument("--workloads", default="write,read")
    parser.add_argument("--before", action="append", default=[], metavar="REV",
                        help="also run oint as it was at this git revision (oint@REV)")
    parser.add_argument("--tls-cert", required=True)
    parser.add_argument("--tls-key", required=True)
    options = parser.parse_args()
    bench = Bench(options)
    clients = [c for c in options.clients.split(",") if c]
    clients += [f"oint@{revision}" for revision in options.before]
    latencies = [float(text) for text in options.latencies.split(",")]
    bucket = options.rate if bench.rate else "off"
    if bench.rate and not bench.has_bucket:
        bucket += " (NOT ENFORCED: this emulator has no --rate-limit yet)"
    print(f"emulator over HTTPS on 127.0.0.1, bucket {bucket}, latency "
          f"{', '.join(f'{x:g}' for x in latencies)} s; python {sys.version.split()[0]}; "
          f"{os.cpu_count()} cores", flush=True)
    errors: list[str] = []
    for workload in options.workloads.split(","):
        service = bench.calibrate(workload)
        title = (f"bulk write: {options.messages} {bench.write_method} calls"
                 if workload == "write" else f"list read: {options.leads} leads")
        print(f"\n{title} ({len(service)} requests at least, the emulator busy "
              f"{sum(service):.2f} s of them)\n")
        print("| latency s | client | seconds | vs ideal | vs oint | 503s | errors | missing "
              "| doubled | peak RSS MB |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for latency in latencies:
            ideal = bench.ideal(service, latency, workload)
            print(f"| {latency:g} | ideal | {ideal:.2f} | 1.00x | | | | | | |", flush=True)
            results = {c: bench.run(c, workload, latency) for c in clients}
            oint_seconds = results.get("oint", {}).get("seconds", float("nan"))
            for name, result in results.items():
                print(_row(latency, name, result, ideal, oint_seconds), flush=True)
                errors += [f"{name} {workload} at {latency:g} s: {e}" for e in result["errors"]]
    if "oint" in clients:
        print("\nmemory of an oint walk of whole records (51 fields; iter_list, nothing "
              "kept, latency 0, no bucket):\n")
        print("| records | client | seconds | peak RSS MB |\n|---|---|---|---|")
        for count, kind in ((1000, "Client"), (options.leads, "Client"),
                            (options.leads, "AsyncClient")):
            portal = bench.emulator("walk", "--seed-leads", str(options.leads), bucket=False)
            try:
                walk = bench.worker("oint", "walk", {
                    "webhook": portal.webhook_url, "cert": bench.cert, "count": count,
                    "async": kind == "AsyncClient"})
            finally:
                portal.stop()
            print(f"| {count} | {kind} | {walk['seconds']:.2f} | {walk['peak_rss_mb']:.0f} |",
                  flush=True)
    if errors:
        print("\nerrors surfaced:")
        for error in errors:
            print(f"  {error}")


if __name__ == "__main__":
    main()
