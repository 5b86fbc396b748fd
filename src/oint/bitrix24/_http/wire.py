"""What the call flow and the transports hand each other: a call ready to send, and the
HTTP reply that came back. Plain values, so the flow (which decides) and the clients (which
send) depend on this module and not on each other."""

from __future__ import annotations

from dataclasses import dataclass

from .._spec import ApiRequest

__all__ = ["HttpReply", "PreparedCall"]


@dataclass(frozen=True, repr=False)
class PreparedCall:
    request: ApiRequest
    url: str
    content: bytes
    token: str | None = None  # the access token it carries (to know if a refresh is due)
    deadline: float | None = None  # time.monotonic() by which the whole call must end

    def __repr__(self) -> str:
        # The URL may hold a webhook code and the body a token: neither goes into a repr.
        return f"<PreparedCall {self.request.method} ({len(self.content)} bytes)>"


@dataclass(frozen=True, repr=False)
class HttpReply:
    status: int
    content: bytes
    location: str | None = None

    def __repr__(self) -> str:
        # A server may echo the request (and its credentials) in a reply.
        return f"<HttpReply {self.status} ({len(self.content)} bytes)>"
