"""``oint emulator``: run a local Bitrix24 portal."""

from __future__ import annotations

import argparse
import secrets
import sys
from typing import NoReturn, TextIO

__all__ = ["run"]

DESCRIPTION = """\
Run a local Bitrix24 portal on loopback. Webhook URLs look like
http://HOST:PORT/rest/USER/CODE; with --token, use http://HOST:PORT as the domain.
Without --webhook and --token, throw-away credentials are made and printed."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"oint emulator: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="oint emulator", description=DESCRIPTION)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8024, help="port (0 picks a free one)")
    parser.add_argument("--db", default=":memory:", help="SQLite file that keeps the state")
    parser.add_argument(
        "--webhook", action="append", default=[], metavar="USER/CODE",
        help="register an incoming webhook (repeatable)",
    )
    parser.add_argument(
        "--token", action="append", default=[], metavar="[USER/]TOKEN",
        help="register a valid OAuth access token, for user 1 unless given (repeatable)",
    )
    parser.add_argument(
        "--tls-cert", metavar="PEM", help="serve HTTPS with this certificate (needs --tls-key); "
        "for clients that build https:// URLs themselves",
    )
    parser.add_argument("--tls-key", metavar="PEM", help="the private key of --tls-cert")
    parser.add_argument(
        "--seed-leads", type=int, default=0, metavar="N",
        help="start with N generated CRM leads, written straight to the store (for benchmarks)",
    )
    return parser


def _credential(text: str, what: str) -> tuple[int, str]:
    user, sep, secret = text.rpartition("/")
    if not sep and what == "token":
        user = "1"  # a bare token belongs to the administrator
    if not user.isdigit() or not secret:
        shape = "USER/CODE" if what == "webhook" else "[USER/]TOKEN"
        raise ValueError(f"--{what} must look like {shape}")
    return int(user), secret


def run(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    options = _parser().parse_args(argv)
    try:
        webhooks = [_credential(w, "webhook") for w in options.webhook]
        tokens = [_credential(t, "token") for t in options.token]
    except ValueError as exc:
        print(f"oint emulator: {exc}", file=stderr)
        return 2
    if bool(options.tls_cert) != bool(options.tls_key):
        print("oint emulator: --tls-cert and --tls-key go together", file=stderr)
        return 2
    if not 0 <= options.port <= 65535:
        print("oint emulator: --port must be between 0 and 65535", file=stderr)
        return 2
    try:
        from .app import create_app
        from .handlers import SCHEMAS
        from .server import bind, serve
        from .store import Store
    except ImportError as exc:
        print(
            f"oint emulator: missing {exc.name}; install it with: pip install 'oint[emulator]'",
            file=stderr,
        )
        return 1
    generated = not webhooks and not tokens
    if generated:
        webhooks = [(1, secrets.token_hex(8))]
        tokens = [(1, secrets.token_hex(16))]
    try:
        store = Store(options.db, SCHEMAS)
    except Exception as exc:  # sqlite3 errors: a path we cannot open, a file that is not a DB
        print(f"oint emulator: cannot open --db {options.db}: {exc}", file=stderr)
        return 1
    for user_id, code in webhooks:
        store.add_webhook(user_id, code)
    for user_id, token in tokens:
        store.add_token(token, user_id)
    if options.seed_leads > 0:
        from .handlers.crm_lead import seed_leads

        seed_leads(store, options.seed_leads)
    try:
        sock = bind(options.host, options.port)
    except OSError as exc:
        print(f"oint emulator: cannot listen on {options.host}:{options.port}: {exc.strerror}",
              file=stderr)
        return 1
    host, port = sock.getsockname()[:2]
    scheme = "https" if options.tls_cert else "http"
    base = f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"

    def announce() -> None:
        print(f"ready {base}", file=stdout, flush=True)
        if generated:
            print(f"webhook {base}/rest/{webhooks[0][0]}/{webhooks[0][1]}", file=stdout)
            print(f"token {tokens[0][1]} (domain {base})", file=stdout, flush=True)

    try:
        tls = (options.tls_cert, options.tls_key) if options.tls_cert else None
        serve(create_app(store), sock, announce, tls)
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
    return 0
