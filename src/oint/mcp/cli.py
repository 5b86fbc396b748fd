"""``oint mcp``: serve the operations to an MCP client, over stdio or streamable HTTP.

Bad options are one line on stderr and exit 2, before anything is served. The MCP SDK is
imported only once the options are good (it is the ``mcp`` extra).
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, NoReturn

from ..bitrix24._errors import UsageError
from ..bitrix24.operations import REGION_MODULES
from ..cli._io import Console
from ..cli._status import ExitStatus
from ..cli._target import ENV_TOKEN, ENV_URL
from ._catalog import ALL_REGIONS

if TYPE_CHECKING:
    from ..bitrix24._auth.oauth import OAuthApp
    from ..bitrix24._reliability.limits import Limits

__all__ = ["run"]

# An OAuth application's credentials, for a server that refreshes its own access token.
# Only from the environment: a command line shows in process lists.
ENV_CLIENT_ID = "OINT_BITRIX24_CLIENT_ID"
ENV_CLIENT_SECRET = "OINT_BITRIX24_CLIENT_SECRET"
ENV_REFRESH_TOKEN = "OINT_BITRIX24_REFRESH_TOKEN"
ENV_OAUTH_SERVER = "OINT_BITRIX24_OAUTH_SERVER"

DESCRIPTION = f"""\
Serve Bitrix24 to an MCP client (an AI assistant): every operation of oint, through the
client's rate limiter, safe retries, OAuth refresh and secret redaction.

By default five tools: find_operations, describe_operation, run_operation, read_list
(records of a list, up to a limit) and call (any REST method). --tools adds the chosen
regions' operations as typed tools of their own. Resources: the operation reference, the
portal's server.time and current user.

The portal: --url/--token or {ENV_URL}/{ENV_TOKEN}. For OAuth refresh
set {ENV_CLIENT_ID}, {ENV_CLIENT_SECRET} and {ENV_REFRESH_TOKEN}
({ENV_OAUTH_SERVER} for another OAuth server); rotated tokens are kept in
~/.config/oint/bitrix24-tokens/.

{textwrap.fill("Regions: " + ", ".join(REGION_MODULES) + ".", 88)}"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="oint mcp", description=DESCRIPTION, allow_abbrev=False,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help=f"webhook URL, or the portal's domain with --token "
                                      f"(env {ENV_URL})")
    parser.add_argument("--token", help=f"OAuth access token (env {ENV_TOKEN})")
    parser.add_argument("--tools", default="", metavar="REGION,...|all",
                        help="also serve these regions' operations as typed tools")
    parser.add_argument("--read-only", action="store_true",
                        help="serve and run only operations that read")
    parser.add_argument("--http", metavar="HOST:PORT",
                        help="serve streamable HTTP at http://HOST:PORT/mcp instead of stdio")
    parser.add_argument("--rate-limit", default="standard", metavar="DRAIN/BURST",
                        help="the portal's bucket the client keeps to: standard (2/50, the "
                             "default), enterprise (5/250), DRAIN/BURST, or off")
    parser.add_argument("--debug", action="store_true",
                        help="print each retry, wait and refresh to stderr (secrets hidden)")
    return parser


def _regions(text: str) -> tuple[str, ...]:
    names = [n.strip().lower().replace("-", "_") for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n != ALL_REGIONS and n not in REGION_MODULES]
    if unknown:
        raise UsageError(f"--tools: no region {unknown[0]!r}; regions: "
                         f"{', '.join(REGION_MODULES)}, or {ALL_REGIONS}")
    return tuple(names)


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or int(port) > 65535:
        raise UsageError(f"--http must be HOST:PORT, e.g. 127.0.0.1:8000, got {text!r}")
    return host, int(port)


def _limits(text: str) -> Limits | str | None:
    """``--rate-limit``: "standard" (built with the client), a preset, DRAIN/BURST, or off."""
    name = text.strip().lower()
    if name in ("standard", "off"):
        return None if name == "off" else "standard"
    from ..bitrix24._reliability.limits import Limits

    if name == "enterprise":
        return Limits.enterprise()
    drain, _, burst = name.partition("/")
    try:
        numbers = float(drain), int(burst)
    except ValueError:
        raise UsageError("--rate-limit is standard, enterprise, off or DRAIN/BURST such as "
                         f"2/50, got {text!r}") from None
    try:
        return Limits(drain=numbers[0], burst=numbers[1])
    except ValueError as exc:
        raise UsageError(f"--rate-limit {text}: {exc}") from None


def _oauth(environ: Mapping[str, str]) -> OAuthApp | None:
    client_id, secret = environ.get(ENV_CLIENT_ID), environ.get(ENV_CLIENT_SECRET)
    if not client_id and not secret:
        return None
    if not (client_id and secret):
        raise UsageError(f"OAuth refresh needs both {ENV_CLIENT_ID} and {ENV_CLIENT_SECRET}")
    from ..bitrix24._auth.oauth import OAuthApp

    return OAuthApp(client_id, secret, environ.get(ENV_REFRESH_TOKEN) or None,
                    server=environ.get(ENV_OAUTH_SERVER) or None)


def run(words: list[str], console: Console) -> int:
    parser = _parser()
    if "--help" in words or "-h" in words:
        console.out(parser.format_help().rstrip())
        return ExitStatus.SUCCESS
    try:
        options = parser.parse_args(words)
        regions = _regions(options.tools)
        http = _address(options.http) if options.http else None
        url = options.url or console.environ.get(ENV_URL)
        token = options.token or console.environ.get(ENV_TOKEN) or None
        if not url:
            raise UsageError(f"--url is required (or set {ENV_URL})")
        from ._calls import Portal

        portal = Portal(url, token, oauth=_oauth(console.environ),
                        debug=console.err if options.debug else None,
                        limits=_limits(options.rate_limit))
    except UsageError as exc:
        console.err(f"oint mcp: {exc}")
        return ExitStatus.USAGE
    try:
        from . import _server
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("mcp", "mcp_types", "anyio"):
            raise
        console.err("oint mcp: the MCP SDK is not installed: pip install 'oint[mcp]'")
        return ExitStatus.USAGE
    from ._catalog import Catalog

    catalog = Catalog(regions, read_only=options.read_only)
    what = portal.endpoint.display + ": the compact tools"
    if ALL_REGIONS in regions:
        what += " and typed tools of every region"
    elif regions:
        what += " and typed tools of " + ", ".join(regions)
    if options.read_only:
        what += ", read-only"
    _server.serve(catalog, portal, http=http, stderr=console.stderr, what=what)
    return ExitStatus.SUCCESS
