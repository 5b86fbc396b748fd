"""CLI start-up and CreateChat cost, measured against a local emulator in one run.

    .venv/bin/python bench/cli_and_client.py [--runs 10] [--calls 500]

Prints medians of wall time over ``--runs`` runs of: ``python3 -c pass``,
``oint bitrix24 GetChatStructure`` (no HTTP stack) and ``oint bitrix24 CreateChat`` against
the emulator; then CreateChat calls per second through one ``Client`` in one process
(client-side limits off, so that the figure is the client's cost, not the bucket's pace).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from oint.bitrix24 import Client
from oint.emulator.process import launch

FIELDS = "{'TYPE':'CHAT','TITLE':'Private chat','USERS':[10,1]}"


def median_seconds(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--calls", type=int, default=500)
    options = parser.parse_args()
    oint = str(Path(sys.executable).with_name("oint"))
    with launch() as portal:
        rows = [
            ("python3 -c pass", median_seconds([sys.executable, "-c", "pass"], options.runs)),
            ("oint bitrix24 GetChatStructure",
             median_seconds([oint, "bitrix24", "GetChatStructure"], options.runs)),
            ("oint bitrix24 CreateChat (emulator)",
             median_seconds([oint, "bitrix24", "CreateChat", "--url", portal.webhook_url,
                             "--fields", FIELDS], options.runs)),
        ]
        # limits=None: the emulator runs without a bucket here, and this measures the
        # client's own cost per call, not the portal's 2 requests a second.
        with Client(portal.webhook_url, limits=None) as b24:
            b24.create_chat({"TITLE": "warm-up"})
            began = time.perf_counter()
            for _ in range(options.calls):
                b24.create_chat({"TYPE": "CHAT", "TITLE": "Private chat", "USERS": [10, 1]})
            elapsed = time.perf_counter() - began
    baseline = rows[0][1]
    print(f"median wall time over {options.runs} runs")
    for name, seconds in rows:
        print(f"  {name:<40} {seconds * 1000:8.1f} ms  ({seconds / baseline:4.1f}x python -c pass)")
    print(f"Client.create_chat, {options.calls} calls in one process: "
          f"{options.calls / elapsed:8.1f} calls/s ({elapsed / options.calls * 1000:.2f} ms/call)")


if __name__ == "__main__":
    main()
