"""Turning ``--option value`` words into a method's arguments and the global switches."""

from __future__ import annotations

from typing import Any

from ..bitrix24._errors import UsageError
from ..bitrix24._spec import Kind, Operation

__all__ = ["TOKEN_OPTION", "URL_OPTION", "Invocation", "arguments", "parse"]

URL_OPTION = "url"
TOKEN_OPTION = "token"
SWITCHES = ("debug", "test", "help", "all")
VALUED_GLOBALS = ("out", "from")


class Invocation:
    """What the command line asked for."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}  # by CLI option name
        self.switches: set[str] = set()
        self.out: str | None = None
        self.source: str | None = None  # --from: a file of JSON lines, or - for stdin


def arguments(op: Operation, invocation: Invocation) -> dict[str, Any]:
    """The operation's arguments (by Python name) that the command line gave."""
    by_cli = {p.cli: p.name for p in op.params}
    return {by_cli[k]: v for k, v in invocation.values.items() if k in by_cli}


def option_names(op: Operation) -> list[str]:
    names = [p.cli for p in op.params]
    if op.needs_portal:
        names = [URL_OPTION, *names, TOKEN_OPTION]
    return names


def parse(op: Operation, words: list[str]) -> Invocation:
    known = set(option_names(op))
    flags = {p.cli for p in op.params if p.kind in (Kind.BOOLEAN, Kind.FLAG)}
    found = Invocation()
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if not word.startswith("--") or word == "--":
            raise UsageError(f"unexpected argument {word!r}: options look like --name value")
        name, has_value, value = word[2:].partition("=")
        if name in SWITCHES and not has_value:
            found.switches.add(name)
            continue
        if name not in known and name not in VALUED_GLOBALS:
            raise UsageError(
                f"{op.name} has no option --{name}; its options: "
                + ", ".join(f"--{n}" for n in option_names(op))
            )
        if not has_value:
            following = words[index] if index < len(words) else None
            if name in flags and (following is None or following.startswith("--")):
                value = "true"  # a boolean option may stand alone as a switch
            elif following is None:
                raise UsageError(f"--{name} needs a value")
            else:
                value = following
                index += 1
        if name in found.values or (name == "out" and found.out is not None) or (
            name == "from" and found.source is not None
        ):
            raise UsageError(f"--{name} is given twice")
        if name == "out" and name not in known:  # DownloadFile's --out is its own option
            found.out = value
        elif name == "from":
            found.source = value
        else:
            found.values[name] = value
    return found
