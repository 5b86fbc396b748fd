"""The MCP SDK's side: the low-level ``Server`` with our tools and resources, over stdio or
streamable HTTP. The only module that imports ``mcp``."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import Any, TextIO

import anyio
import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPError

from .. import __version__
from ._calls import Portal, Toolbox, failure
from ._catalog import CALL, DESCRIBE, FIND, READ_LIST, RUN, Catalog, Tool, ToolError
from ._resources import listing, read

__all__ = ["build", "serve"]

INSTRUCTIONS = (
    f"Bitrix24 through oint. {FIND} finds an operation by words or region, {DESCRIBE} "
    f"shows its arguments, {RUN} runs it; {READ_LIST} reads many records of a list "
    f"operation up to a limit; {CALL} calls a REST method no operation covers. Calls are "
    "paced to the portal's rate limits. A write whose reply was lost comes back as "
    "OUTCOME_UNKNOWN: it may have run, so check (read it back) before repeating it."
)
# The JSON-RPC code for an unknown resource (the MCP specification's).
RESOURCE_NOT_FOUND = -32002


def _sdk_tool(tool: Tool) -> types.Tool:
    return types.Tool(name=tool.name, description=tool.description,
                      input_schema=tool.input_schema,
                      annotations=types.ToolAnnotations(**tool.annotations))


def build(catalog: Catalog, toolbox: Toolbox) -> Server[Any]:
    """The MCP server: tools from the catalog, answered by the toolbox; the resources."""
    portal = toolbox.portal

    async def list_tools(_: Any, __: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[_sdk_tool(tool) for tool in catalog.tools()])

    async def call_tool(_: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        if catalog.tool(params.name) is None:
            raise MCPError(types.INVALID_PARAMS, f"unknown tool {params.name!r}")
        outcome = await toolbox.call(params.name, params.arguments or {})
        return types.CallToolResult(content=[types.TextContent(text=outcome.text)],
                                    structured_content=outcome.data, is_error=outcome.is_error)

    async def list_resources(_: Any, __: Any) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=[types.Resource(**r) for r in listing()])

    async def read_resource(_: Any, params: types.ReadResourceRequestParams
                            ) -> types.ReadResourceResult:
        try:
            resource, text = await read(params.uri, portal)
        except ToolError as exc:
            raise MCPError(RESOURCE_NOT_FOUND, str(exc)) from None
        except Exception as exc:  # a failed read is an error reply, never a crash
            outcome = failure(exc, portal.redact)
            raise MCPError(types.INTERNAL_ERROR, outcome.text, outcome.data) from None
        return types.ReadResourceResult(contents=[types.TextResourceContents(
            uri=resource.uri, mime_type=resource.mime_type, text=text)])

    def input_schema(name: str) -> dict[str, Any] | None:
        tool = catalog.tool(name)
        return tool.input_schema if tool is not None else None

    return Server(
        "oint", version=__version__, instructions=INSTRUCTIONS,
        get_tool_input_schema=input_schema,
        on_list_tools=list_tools, on_call_tool=call_tool,
        on_list_resources=list_resources, on_read_resource=read_resource,
    )


class _Redacting(logging.Formatter):
    """Log lines (the SDK's and uvicorn's included) with every secret hidden."""

    def __init__(self, hide: Callable[[str], str]) -> None:
        super().__init__("oint mcp: %(levelname)s %(name)s: %(message)s")
        self._hide = hide

    def format(self, record: logging.LogRecord) -> str:
        return self._hide(super().format(record))


def _log_to(stream: TextIO, portal: Portal) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_Redacting(portal.redact))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)


def _loopback(host: str) -> bool:
    import ipaddress

    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)  # clients that come before uvicorn serves wait in the backlog
    return sock


async def _serve_http(server: Server[Any], host: str, port: int,
                      announce: Callable[[str], None]) -> None:
    import uvicorn

    app = server.streamable_http_app(host=host)
    sock = _listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    announce(f"serving streamable HTTP on http://{shown}:{sock.getsockname()[1]}/mcp")
    if not _loopback(host):
        # The endpoint has no authentication of its own: it lends the portal's credentials.
        announce(f"warning: {host} is not a loopback address; whoever reaches it acts on "
                 "the portal with this server's credentials")
    # log_config=None: uvicorn's loggers go to the root handler, which redacts.
    config = uvicorn.Config(app, log_level="warning", log_config=None, lifespan="on")
    await uvicorn.Server(config).serve(sockets=[sock])


async def _serve_stdio(server: Server[Any], announce: Callable[[str], None]) -> None:
    from mcp.server.stdio import stdio_server

    async with stdio_server() as (reader, writer):
        announce("serving on stdio")
        await server.run(reader, writer, server.create_initialization_options())


def serve(catalog: Catalog, portal: Portal, *, http: tuple[str, int] | None,
          stderr: TextIO, what: str) -> None:
    """Serve until the client goes away (stdio) or the process is stopped (HTTP)."""
    _log_to(stderr, portal)
    server = build(catalog, Toolbox(catalog, portal))

    def announce(text: str) -> None:
        stderr.write(f"oint mcp: {text}\n")
        stderr.flush()

    async def main() -> None:
        announce(what)
        try:
            if http is None:
                await _serve_stdio(server, announce)
            else:
                await _serve_http(server, *http, announce)
        finally:
            await portal.aclose()

    anyio.run(main)
