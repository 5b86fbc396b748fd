"""How long one heavy request holds up the emulator's other clients.

    .venv/bin/python bench/emulator_stall.py [N]

One client posts ``im.chat.add`` with N ``USERS[]`` in a form body (default 20,000, about
0.27 MB) while another calls ``server.time`` every 50 ms on its own connection; prints how
long the heavy call took and the slowest ``server.time`` meanwhile. Everything goes to a
fresh emulator on 127.0.0.1.
"""

from __future__ import annotations

import sys
import threading
import time

import httpx

from oint.emulator.process import launch


def main(users: int) -> None:
    body = "TITLE=crowd&" + "&".join(f"USERS[]={i}" for i in range(1, users + 1))
    worst = 0.0
    done = threading.Event()
    with launch() as portal:
        url = portal.webhook_url

        def other_client() -> None:
            nonlocal worst
            with httpx.Client(timeout=600) as other:
                other.post(f"{url}/server.time")
                while not done.is_set():
                    started = time.perf_counter()
                    other.post(f"{url}/server.time")
                    worst = max(worst, time.perf_counter() - started)
                    time.sleep(0.05)

        watcher = threading.Thread(target=other_client)
        watcher.start()
        time.sleep(0.3)
        with httpx.Client(timeout=600) as heavy:
            started = time.perf_counter()
            reply = heavy.post(f"{url}/im.chat.add", content=body,
                               headers={"content-type": "application/x-www-form-urlencoded"})
            took = time.perf_counter() - started
        time.sleep(0.3)
        done.set()
        watcher.join()
    print(f"{users} USERS[] ({len(body):,} bytes): HTTP {reply.status_code} in {took:.2f} s; "
          f"slowest server.time meanwhile {worst * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
