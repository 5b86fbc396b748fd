"""The environment of a timed start-up: the package as an installed copy runs it."""

from __future__ import annotations

import os
from pathlib import Path


def environment(package: Path | None = None) -> dict[str, str]:
    """This process's environment for a timed child, with ``package`` (a copy's folder) on
    ``PYTHONPATH`` instead of the installed package when given."""
    env = dict(os.environ)
    if package is not None:
        env["PYTHONPATH"] = str(package)
    # The commands under test name their portal (or need none), never the shell's.
    env.pop("OINT_BITRIX24_URL", None)
    # An installed package has its bytecode compiled (pip does it); a shell that forbids
    # writing it would time the compiler instead of the start-up.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env
