"""How the clients open connections: timeouts, TLS verification, socket options, headers.

Apart from the core so that building and showing a request (``--test``) loads no TLS stack.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from typing import Any, TypeVar

from ... import __version__

__all__ = [
    "HEADERS",
    "SOCKET_OPTIONS",
    "build_http",
    "tls_verification",
]

HEADERS = {
    "Accept": "application/json",
    "User-Agent": f"oint/{__version__}",
}

# httpcore writes a request's head and body separately; without TCP_NODELAY the second
# small write may wait for the peer's delayed ACK (up to 40 ms a call on Linux).
SOCKET_OPTIONS = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]


def tls_verification(verify: bool | str | ssl.SSLContext) -> bool | ssl.SSLContext:
    """``verify`` as httpx wants it: a CA bundle path becomes an SSL context."""
    if isinstance(verify, str):
        return ssl.create_default_context(cafile=verify)
    return verify


H = TypeVar("H")


def build_http(client: Callable[..., H], transport: Callable[..., Any], *, timeout: float,
               connect_timeout: float, verify: bool | str | ssl.SSLContext) -> H:
    """The httpx client (sync or async, by the classes given) that both clients send with:
    TLS verified, TCP_NODELAY, no redirect followed by httpx, attempts bounded in time."""
    import httpx  # loaded already by whichever client asks

    from .deadline import bound_attempts

    pool = transport(verify=tls_verification(verify), socket_options=SOCKET_OPTIONS)
    bound_attempts(pool)  # no attempt outlives its deadline, trickle or not
    return client(timeout=httpx.Timeout(timeout, connect=connect_timeout), headers=HEADERS,
                  follow_redirects=False, transport=pool)
