"""The ``oint`` command: ``oint <library> <Method> --option value ...``.

It parses, calls, renders, and maps every failure to one line and an exit code; no HTTP
logic lives here. Libraries are imported only when named, to keep start-up fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from .. import __version__
from ._io import Console
from ._status import ExitStatus

__all__ = ["main"]

LIBRARIES = {
    "bitrix24": "Bitrix24 REST API; `oint bitrix24` lists its methods",
    "emulator": "run a local Bitrix24 portal; `oint emulator --help`",
    "mcp": "serve Bitrix24 to AI assistants (Model Context Protocol); `oint mcp --help`",
}

GLOBAL_OPTIONS = (
    ("--help", "help for the library or method"),
    ("--debug", "print the request and reply status to stderr (secrets hidden)"),
    ("--test", "print the request that would be sent, and send nothing"),
    ("--out PATH", "write the JSON result to PATH instead of stdout"),
    ("--from FILE", "one call per line, each a JSON object of the method's options (- is "
                    "stdin); batched, results as JSON lines in input order"),
    ("--all", "list methods: every record of every page, as JSON lines"),
)


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
    if library == "mcp":
        from ..mcp.cli import run as run_mcp

        return run_mcp(rest, console)
    console.err(
        f"oint: unknown library {library!r}; available: {', '.join(LIBRARIES)} "
        "(Incorrect command! Check input correctness)"
    )
    return ExitStatus.UNKNOWN_LIBRARY
