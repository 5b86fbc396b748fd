"""One call on a fresh client: what the OPI-style module functions do."""

from __future__ import annotations

from typing import Any

from .._spec import Operation

__all__ = ["call_once"]


def call_once(url: str | None, token: str | None, operation: Operation, args: dict[str, Any]
              ) -> Any:
    """Run ``operation`` on a client of its own; ``url`` None for one that asks only another
    server (GetToken, RefreshToken)."""
    # Plan first: bad input fails before any connection is opened.
    steps = operation.plan(args)
    from .._reliability.flow import plan_flow
    from .base_client import BaseClient  # the HTTP stack loads only when a call is really made

    with BaseClient(url, token) as client:
        return client.drive(plan_flow(client, steps))
