"""What the call flow and the transports hand each other: a call ready to send, and the
HTTP reply that came back. Plain values, so the flow (which decides) and the clients (which
send) depend on this module and not on each other."""

from __future__ import annotations

from dataclasses import dataclass

from .._spec import Step
from .bodies import JSON, Body, MultipartBody

__all__ = ["HttpReply", "PreparedCall"]


@dataclass(frozen=True, repr=False)
class PreparedCall:
    """A POST ready to go: its URL, body (bytes, or a multipart body read in pieces) and
    content type. ``token`` is the access token it carries (to know if a refresh is due);
    ``deadline`` the ``time.monotonic()`` by which the whole call must end."""

    request: Step
    url: str
    content: Body
    token: str | None = None
    content_type: str = JSON
    deadline: float | None = None

    def __repr__(self) -> str:
        # The URL may hold a webhook code and the body a token: neither goes into a repr.
        size = len(self.content) if isinstance(self.content, bytes) else self.content.length
        return f"<PreparedCall {self.request.method} ({size} bytes)>"

    def headers(self) -> dict[str, str]:
        """The headers that describe the body (its length too, for a streamed one)."""
        headers = {"Content-Type": self.content_type}
        if isinstance(self.content, MultipartBody):
            headers["Content-Length"] = str(self.content.length)
        return headers


@dataclass(frozen=True, repr=False)
class HttpReply:
    status: int
    content: bytes
    location: str | None = None

    def __repr__(self) -> str:
        # A server may echo the request (and its credentials) in a reply.
        return f"<HttpReply {self.status} ({len(self.content)} bytes)>"
