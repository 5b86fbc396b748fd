"""Fixtures: a real emulator process on 127.0.0.1, and runners for the ``oint`` command."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from oint.cli import main
from oint.cli._io import Console
from oint.emulator.process import EmulatorProcess, launch

SEED_CHAT = {"TYPE": "CHAT", "TITLE": "Private chat", "USERS": [10, 1]}
SEED_FIELDS_SINGLE_QUOTES = "{'TYPE':'CHAT','TITLE':'Private chat','USERS':[10,1]}"


@pytest.fixture(scope="session")
def portal() -> Iterator[EmulatorProcess]:
    with launch() as running:
        yield running


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def cli() -> Any:
    """Run ``oint`` in this process (fast); the environment has no OINT_* variables."""

    def run(*args: str, env: Mapping[str, str] | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(args), Console(out, err, dict(env or {})))
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def cli_process() -> Any:
    """Run the installed ``oint`` as a real child process."""

    def run(*args: str, env: Mapping[str, str] | None = None, stdin: str | None = None
            ) -> CliResult:
        base = {k: v for k, v in os.environ.items() if not k.startswith("OINT_")}
        done = subprocess.run(
            [sys.executable, "-m", "oint", *args], capture_output=True, text=True,
            env={**base, **(env or {})}, input=stdin, timeout=60, check=False,
        )
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run
