"""One call on a fresh client: what the OPI-style module functions do."""

from __future__ import annotations

from typing import Any

from .._response import Response
from .._spec import Operation

__all__ = ["call_once"]


def call_once(
    url: str, token: str | None, operation: Operation, args: dict[str, Any]
) -> Response[Any]:
    # Build the request first: bad input fails before any connection is opened.
    request = operation.request(args)
    from .client import Client  # the HTTP stack loads only when a call is really made

    with Client(url, token) as client:
        return client.execute(request)
