"""Serving the app with uvicorn on a socket we bind ourselves (so ``--port 0`` works)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import uvicorn

__all__ = ["bind", "serve"]


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this; without it a reply written in two parts waits
    # for the client's delayed ACK on every kept-alive request.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(1024)
    return sock


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_ready()


def serve(
    app: Any, sock: socket.socket, on_ready: Callable[[], None],
    tls: tuple[str, str] | None = None,
) -> None:
    """Serve until stopped; ``tls`` is (certificate file, key file) for HTTPS."""
    certfile, keyfile = tls or (None, None)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", timeout_keep_alive=30,
        ssl_certfile=certfile, ssl_keyfile=keyfile,
    )
    _Server(config, on_ready).run(sockets=[sock])
