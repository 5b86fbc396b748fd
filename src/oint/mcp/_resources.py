"""The readable resources: the operation reference, the portal's time and current user."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ._calls import Portal, answer, to_text
from ._catalog import ToolError

__all__ = ["RESOURCES", "Resource", "read"]


class Resource:
    __slots__ = ("description", "mime_type", "name", "reader", "uri")

    def __init__(self, uri: str, name: str, description: str, mime_type: str,
                 reader: Callable[[Portal], Awaitable[str]]) -> None:
        self.uri = uri
        self.name = name
        self.description = description
        self.mime_type = mime_type
        self.reader = reader


async def _reference(_: Portal) -> str:
    # Rendered from the declarations, as docs/operations.md is: an installed package has
    # no docs/ folder, and the text follows the regions this build has.
    from ..bitrix24._codegen import load_regions, reference_doc

    return reference_doc(load_regions())


def _rest(method: str) -> Callable[[Portal], Awaitable[str]]:
    async def read(portal: Portal) -> str:
        return to_text(answer(await portal.client().call(method, reads=True)))

    return read


RESOURCES = (
    Resource("oint://docs/operations.md", "operations",
             "Every operation: its CLI options, REST method and Python signature",
             "text/markdown", _reference),
    Resource("bitrix24://server.time", "server-time", "The portal's current time (server.time)",
             "application/json", _rest("server.time")),
    Resource("bitrix24://user.current", "current-user",
             "The user this server acts as (user.current)", "application/json",
             _rest("user.current")),
)


async def read(uri: str, portal: Portal) -> tuple[Resource, str]:
    for resource in RESOURCES:
        if resource.uri == uri:
            return resource, portal.redact(await resource.reader(portal))
    raise ToolError("UNKNOWN_RESOURCE", f"no resource {uri!r}")


def listing() -> list[dict[str, Any]]:
    return [{"uri": r.uri, "name": r.name, "description": r.description,
             "mime_type": r.mime_type} for r in RESOURCES]
