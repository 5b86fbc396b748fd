"""A tiny HTTP server on 127.0.0.1 for replies no Bitrix24 portal (nor the emulator) gives:
a redirect to a stranger, a reply trickling in, a huge or malformed body. It records what
it received, so a test can show that nothing secret reached it."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def text(self) -> str:
        return " ".join([self.method, self.path, json.dumps(self.headers),
                         self.body.decode("utf-8", "replace")])


Respond = Callable[[BaseHTTPRequestHandler, Seen], None]


class Loopback:
    def __init__(self, respond: Respond) -> None:
        self.respond = respond
        self.seen: list[Seen] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                size = int(self.headers.get("content-length") or 0)
                seen = Seen(self.command, self.path, dict(self.headers.items()),
                            self.rfile.read(size))
                owner.seen.append(seen)
                # The client may give up mid-reply: what these tests make it do.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    owner.respond(self, seen)

            do_GET = do_POST = _any

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that hung up mid-reply is what these tests make happen

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def everything_seen(self) -> str:
        return "\n".join(seen.text() for seen in self.seen)


@contextmanager
def serving(respond: Respond) -> Iterator[Loopback]:
    server = Loopback(respond)
    thread = threading.Thread(target=server._server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server._server.shutdown()
        server._server.server_close()


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"",
         headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def send_json(handler: BaseHTTPRequestHandler, payload: Any, status: int = 200) -> None:
    send(handler, status, json.dumps(payload).encode())


def trickle(handler: BaseHTTPRequestHandler, body: bytes, every: float,
            headers_too: bool = False) -> None:
    """Send ``body`` one byte at a time, ``every`` seconds apart (the head as well, if
    ``headers_too``): each read gets something, the whole never comes in time."""
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    if not headers_too:
        handler.wfile.write(head)
        handler.wfile.flush()
        head = b""
    for index in range(len(head + body)):
        handler.wfile.write((head + body)[index:index + 1])
        handler.wfile.flush()
        time.sleep(every)
