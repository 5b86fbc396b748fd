"""The ``oint`` command: ``oint <library> <Method> --option value ...``.

It parses, calls, renders, and maps every failure to one line and an exit code; no HTTP
logic lives here. Libraries are imported only when named, to keep start-up fast.
"""

from __future__ import annotations

import os
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
    "mcp": "serve Bitrix24 to AI assistants (Model Context Protocol); `oint mcp --help`",
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
    refusal = _check_environment(args, console)
    if refusal:
        console.err(refusal)
        return ExitStatus.USAGE
    try:
        return int(_dispatch(args, console))
    except KeyboardInterrupt:
        console.err("oint: interrupted")
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:
        # `oint ... | head -1`: the reader has what it wanted. Nothing more can be printed,
        # and Python's own flush at exit must not complain either.
        _silence(console.stdout)
        return ExitStatus.BROKEN_PIPE


def _check_environment(args: list[str], console: Console) -> str:
    """Why the command cannot run at all (closed streams, bytes that are not text), or ""."""
    if console.stderr is None:  # closed: failures still get their exit code
        console.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    for number, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # undecodable bytes arrive as lone surrogates
            return f"oint: argument {number} is not valid UTF-8 text"
    if console.stdout is None:
        if not any(arg == "--out" or arg.startswith("--out=") for arg in args):
            return "oint: stdout is closed, so nothing could be printed: give --out PATH"
        console.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    return ""


def _silence(stream: object) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())  # type: ignore[attr-defined]
    except (OSError, AttributeError, ValueError):
        pass  # not a real descriptor (a test's stream): nothing will flush it


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
