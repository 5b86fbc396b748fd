"""The ``oint`` command: ``oint <library> <Method> --option value ...``.

It parses, calls, renders, and maps every failure to one line and an exit code; no HTTP
logic lives here. Libraries are imported only when named, to keep start-up fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .. import __version__
from ._help import GLOBAL_OPTIONS
from ._io import Console
from ._status import ExitStatus

__all__ = ["main"]

LIBRARIES = {
    "bitrix24": "Bitrix24 REST API; `oint bitrix24` lists its methods",
    "emulator": "run a local Bitrix24 portal; `oint emulator --help`",
}



def banner() -> str:
    lines = [
        f"oint {__version__}: Bitrix24 from the shell, compatible with OPI's oint",
        "",
        "Usage: oint <library> <Method> --option value ...",
        "",
        "Libraries:",
        *(f"  {name:<10} {text}" for name, text in LIBRARIES.items()),
        "",
        "Global options:",
        *(f"  {name:<12} {text}" for name, text in GLOBAL_OPTIONS),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, console: Console | None = None) -> int:
    console = console or Console()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return int(_dispatch(args, console))
    except KeyboardInterrupt:
        console.err("oint: interrupted")
        return ExitStatus.INTERRUPTED


def _dispatch(args: list[str], console: Console) -> int:
    if not args or args[0] in ("--help", "-h", "help"):
        console.out(banner())
        return ExitStatus.SUCCESS
    if args[0] == "--version":
        console.out(f"oint {__version__}")
        return ExitStatus.SUCCESS
    library, rest = args[0], args[1:]
    if library == "bitrix24":
        from .bitrix24 import run

        return run(rest, console)
    if library == "emulator":
        from ..emulator.cli import run as run_emulator

        return run_emulator(rest, console.stdout, console.stderr)
    console.err(
        f"oint: unknown library {library!r}; available: {', '.join(LIBRARIES)} "
        "(Incorrect command! Check input correctness)"
    )
    return ExitStatus.UNKNOWN_LIBRARY
