"""Help texts in OPI's shape: the method tree of a library and the options of a method."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..bitrix24._spec import Operation

__all__ = ["GLOBAL_OPTIONS", "library_help", "method_help"]

GLOBAL_OPTIONS = (
    ("--help", "help for the library or method"),
    ("--debug", "print the request and reply status to stderr (secrets hidden)"),
    ("--test", "print the request that would be sent, and send nothing"),
    ("--out PATH", "write the JSON result to PATH instead of stdout"),
    ("--from FILE", "one call per line, each a JSON object of the method's options (- is "
                    "stdin); batched, results as JSON lines in input order"),
    ("--all", "list methods: every record of every page, as JSON lines"),
)

URL_HELP = "URL of webhook or a Bitrix24 domain, when token used (env OINT_BITRIX24_URL)"
TOKEN_HELP = "Access token, when app auth method used (env OINT_BITRIX24_TOKEN)"


def library_help() -> str:
    from ..bitrix24._generated.index import REGIONS

    lines = [" ■ Library - bitrix24", " ■ Available methods:", ""]
    for region, _, names in REGIONS:
        lines.append(f" └─┬─ {region}")
        for index, name in enumerate(names):
            branch = "└─" if index == len(names) - 1 else "├─"
            lines.append(f"   {branch} {name}")
        lines.append("")
    lines.append("Help for a method: oint bitrix24 <Method> --help")
    return "\n".join(lines)


def _optional(default: object) -> str:
    shown = "Empty value" if default is None or default == "" else str(default).lower()
    return f" (optional, def. val. - {shown})"


def method_help(op: Operation) -> str:
    where = op.where
    lines = [f" ■ Method {op.name}", f"   {op.summary} ({where}); region: {op.region}", ""]
    if op.needs_portal:
        lines.append(f"   --url - {URL_HELP}")
    for param in op.params:
        suffix = "" if param.required else _optional(param.default)
        lines.append(f"   --{param.cli} - {param.help}{suffix}")
    if op.needs_portal:
        lines.append(f"   --token - {TOKEN_HELP}{_optional(None)}")
    lines += ["", "   Global options:"]
    own = {f"--{p.cli}" for p in op.params}  # DownloadFile's --out is its own
    lines += [f"   {name} - {text}" for name, text in GLOBAL_OPTIONS
              if name.split()[0] not in own]
    return "\n".join(lines)
