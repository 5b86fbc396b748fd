"""How the clients open connections: timeouts, TLS verification, socket options, headers.

Apart from the core so that building and showing a request (``--test``) loads no TLS stack.
"""

from __future__ import annotations

import socket
import ssl

from ... import __version__

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "HEADERS",
    "SOCKET_OPTIONS",
    "tls_verification",
]

# The cloud stops a request after 60 s, so waiting longer for a reply gains nothing.
DEFAULT_TIMEOUT = 60.0
DEFAULT_CONNECT_TIMEOUT = 10.0
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
