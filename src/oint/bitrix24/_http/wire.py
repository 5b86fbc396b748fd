"""What the call flow and the transports hand each other: a call ready to send, and the
HTTP reply that came back. Plain values, so the flow (which decides) and the clients (which
send) depend on this module and not on each other."""

from __future__ import annotations

from dataclasses import dataclass

from .._spec import Step
from .bodies import JSON, Body, MultipartBody

__all__ = ["HttpReply", "PreparedCall"]


@dataclass(frozen=True)
class PreparedCall:
    """A POST ready to go: its URL, body (bytes, or a multipart body read in pieces) and
    content type. ``token`` is the access token it carries (to know if a refresh is due)."""

    request: Step
    url: str
    content: Body
    token: str | None = None
    content_type: str = JSON

    def headers(self) -> dict[str, str]:
        """The headers that describe the body (its length too, for a streamed one)."""
        headers = {"Content-Type": self.content_type}
        if isinstance(self.content, MultipartBody):
            headers["Content-Length"] = str(self.content.length)
        return headers


@dataclass(frozen=True)
class HttpReply:
    status: int
    content: bytes
    location: str | None = None
