"""What the call flow and the transports hand each other: a call ready to send, and the
HTTP reply that came back. Plain values, so the flow (which decides) and the clients (which
send) depend on this module and not on each other."""

from __future__ import annotations

from dataclasses import dataclass

from .._spec import ApiRequest

__all__ = ["HttpReply", "PreparedCall"]


@dataclass(frozen=True)
class PreparedCall:
    request: ApiRequest
    url: str
    content: bytes
    token: str | None = None  # the access token it carries (to know if a refresh is due)


@dataclass(frozen=True)
class HttpReply:
    status: int
    content: bytes
    location: str | None = None
