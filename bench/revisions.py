"""oint's package as it was at a git revision, for benchmarks that put it beside today's."""

from __future__ import annotations

import subprocess
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def package_at(revision: str, target: Path) -> Path:
    """Extract ``src/oint`` at ``revision`` (its generated code included) below ``target``,
    a new folder; the folder to put on ``PYTHONPATH``."""
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(CHECKOUT), "archive", revision, "src/oint"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"
