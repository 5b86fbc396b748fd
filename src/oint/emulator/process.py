"""Start the emulator as a child process: for tests, benchmarks and users' own scripts.

    with launch() as portal:
        bitrix24.create_chat(portal.webhook_url, {"TITLE": "Test"})

Only the standard library is used here, so importing this module does not need the
``emulator`` extra; the child process does.
"""

from __future__ import annotations

import json
import os
import secrets
import selectors
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

__all__ = ["EmulatorProcess", "launch"]

START_TIMEOUT_SECONDS = 30.0
ADMIN_TIMEOUT_SECONDS = 10.0


@dataclass
class EmulatorProcess:
    """A running emulator with one webhook and one token of user ``user_id``."""

    base_url: str
    webhook_code: str
    token: str
    user_id: int
    process: subprocess.Popen[str]
    log_path: str

    @property
    def webhook_url(self) -> str:
        return f"{self.base_url}/rest/{self.user_id}/{self.webhook_code}"

    def admin(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Call the admin API (``/_oint/<path>``) and return its JSON."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310  (our own http:// loopback URL)
            f"{self.base_url}/_oint/{path.lstrip('/')}", data=data, method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=ADMIN_TIMEOUT_SECONDS) as reply:  # noqa: S310
                return json.loads(reply.read())
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"admin {method} {path}: {exc.read().decode()}") from None

    def stats(self) -> dict[str, Any]:
        """What the portal saw: requests, refusals, faults injected, OAuth grants, rows."""
        result: dict[str, Any] = self.admin("GET", "stats")
        return result

    def set_faults(self, **changes: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.admin("PUT", "faults", changes)
        return result

    def log(self) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return log.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def start(
    extra_args: Sequence[str] = (),
    *,
    db: str | None = None,
    user_id: int = 1,
    host: str = "127.0.0.1",
) -> EmulatorProcess:
    code, token = secrets.token_hex(12), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "oint", "emulator", "--host", host, "--port", "0",
        "--webhook", f"{user_id}/{code}", "--token", f"{user_id}/{token}", *extra_args,
    ]
    if db is not None:
        command += ["--db", db]
    log_fd, log_path = tempfile.mkstemp(prefix="oint-emulator-", suffix=".log")
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=log_fd, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    os.close(log_fd)
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=0.1):
                if process.poll() is not None:
                    break
                continue
            line = process.stdout.readline()
            if line.startswith("ready "):
                return EmulatorProcess(
                    line.split()[1], code, token, user_id, process, log_path
                )
            if not line:
                break
    process.kill()
    process.wait()
    with open(log_path, encoding="utf-8", errors="replace") as log:
        detail = log.read().strip().splitlines()[-1:] or ["no output"]
    raise RuntimeError(f"the emulator did not start: {detail[0]}")


@contextmanager
def launch(
    extra_args: Sequence[str] = (), *, db: str | None = None, user_id: int = 1
) -> Iterator[EmulatorProcess]:
    portal = start(extra_args, db=db, user_id=user_id)
    try:
        yield portal
    finally:
        portal.stop()
        os.unlink(portal.log_path)
