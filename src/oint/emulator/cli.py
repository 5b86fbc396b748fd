"""``oint emulator``: run a local Bitrix24 portal."""

from __future__ import annotations

import argparse
import contextvars
import secrets
import sys
from typing import TYPE_CHECKING, NoReturn, TextIO

if TYPE_CHECKING:
    from datetime import tzinfo

    from .settings import Settings
    from .store import Store

__all__ = ["run"]

DESCRIPTION = """\
Run a local Bitrix24 portal on loopback. Webhook URLs look like
http://HOST:PORT/rest/USER/CODE; with --token, use http://HOST:PORT as the domain.
Without --webhook and --token, throw-away credentials are made and printed.
The OAuth server is http://HOST:PORT/oauth/token/; the admin API (faults, counts,
OAuth codes) is under http://HOST:PORT/_oint/ for loopback clients."""

SHARE = "SHARE"


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
        "--app", action="append", default=[], metavar="CLIENT_ID:SECRET",
        help="register an OAuth app with the OAuth server (repeatable)",
    )
    limits = parser.add_argument_group("limits")
    limits.add_argument(
        "--rate-limit", metavar="DRAIN/BURST",
        help="the leaky bucket: requests per second drained / burst (2/50, or a plan: "
             "standard, enterprise); off by default",
    )
    limits.add_argument(
        "--operating-limit", default="480/600", metavar="BUDGET/WINDOW",
        help="seconds of server time a method may use per window, then 429 (default "
             "480/600; off to disable)",
    )
    limits.add_argument(
        "--token-lifetime", type=float, default=3600.0, metavar="SECONDS",
        help="life of access tokens the OAuth server issues (default 3600)",
    )
    limits.add_argument(
        "--max-body", default="64M", metavar="BYTES",
        help="largest request body, then 413 (K, M, G suffixes; default 64M)",
    )
    limits.add_argument(
        "--body-timeout", type=float, default=60.0, metavar="SECONDS",
        help="time for a request's body to arrive whole, then 408 and the connection "
             "closed (default 60)",
    )
    faults = parser.add_argument_group("faults (shares are probabilities per request)")
    faults.add_argument("--fault-503", type=float, default=0.0, metavar=SHARE,
                        help="answer 503 QUERY_LIMIT_EXCEEDED")
    faults.add_argument("--fault-overload", type=float, default=0.0, metavar=SHARE,
                        help="answer 503 OVERLOAD_LIMIT")
    faults.add_argument("--fault-500", type=float, default=0.0, metavar=SHARE,
                        help="answer 500 INTERNAL_SERVER_ERROR (before the call runs)")
    faults.add_argument("--fault-drop", type=float, default=0.0, metavar=SHARE,
                        help="run the call, then close the connection (the reply is lost)")
    faults.add_argument("--fault-stall", default="0", metavar="SHARE[@SECONDS]",
                        help="run the call, then hold the reply (default 5 s)")
    faults.add_argument("--latency", type=float, default=0.0, metavar="SECONDS",
                        help="added before each request is handled")
    faults.add_argument("--fault-methods", default="", metavar="M1,M2",
                        help="only these REST methods get faults (default: all)")
    faults.add_argument("--fault-seed", type=int, default=None, metavar="N",
                        help="seed of the random choice of requests (repeatable runs)")
    parser.add_argument(
        "--tls-cert", metavar="PEM", help="serve HTTPS with this certificate (needs --tls-key); "
        "for clients that build https:// URLs themselves",
    )
    parser.add_argument("--tls-key", metavar="PEM", help="the private key of --tls-cert")
    parser.add_argument(
        "--timezone", default="UTC", metavar="ZONE",
        help="the portal's time zone, in every date it writes (an IANA name such as "
             "Europe/Berlin; default UTC)",
    )
    parser.add_argument(
        "--seed-leads", type=int, default=0, metavar="N",
        help="start with N generated CRM leads, written straight to the store (for benchmarks)",
    )
    return parser


def _settings(options: argparse.Namespace) -> Settings:
    from .faults import Faults
    from .limits import parse_rate
    from .settings import Settings, parse_operating

    share, _, seconds = options.fault_stall.partition("@")
    try:
        faults = Faults().changed({
            "storm": options.fault_503, "overload": options.fault_overload,
            "error500": options.fault_500, "drop": options.fault_drop,
            "stall": float(share), "stall_seconds": float(seconds or 5.0),
            "latency": options.latency, "methods": options.fault_methods,
            "seed": options.fault_seed,
        })
    except ValueError as exc:
        raise ValueError(f"bad fault option: {exc}") from None
    if options.token_lifetime <= 0:
        raise ValueError("--token-lifetime must be positive")
    if not options.body_timeout > 0:
        raise ValueError("--body-timeout must be a positive number of seconds")
    return Settings(
        rate=parse_rate(options.rate_limit) if options.rate_limit else None,
        operating=parse_operating(options.operating_limit),
        token_lifetime=options.token_lifetime,
        max_body=_size(options.max_body),
        body_timeout=options.body_timeout,
        faults=faults,
    )


_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def _size(text: str) -> int:
    """``65536``, ``64K``, ``64M``, ``2G``: a positive number of bytes."""
    number, unit = text.strip().upper().removesuffix("B"), ""
    if number[-1:] in _UNITS:
        number, unit = number[:-1], number[-1]
    if not number.isascii() or not number.isdigit() or int(number) <= 0:
        raise ValueError("--max-body must be a positive number of bytes, with K, M or G "
                         "(e.g. 64M)")
    return int(number) * _UNITS[unit]


def _check_listening(options: argparse.Namespace) -> None:
    if not 0 <= options.port <= 65535:
        raise ValueError("--port must be between 0 and 65535")
    if bool(options.tls_cert) != bool(options.tls_key):
        raise ValueError("--tls-cert and --tls-key go together")


def _app(text: str) -> tuple[str, str]:
    client_id, sep, secret = text.partition(":")
    if not sep or not client_id or not secret:
        raise ValueError("--app must look like CLIENT_ID:SECRET")
    return client_id, secret


def _credential(text: str, what: str) -> tuple[int, str]:
    user, sep, secret = text.rpartition("/")
    if not sep and what == "token":
        user = "1"  # a bare token belongs to the administrator
    if not user.isdigit() or not secret:
        shape = "USER/CODE" if what == "webhook" else "[USER/]TOKEN"
        raise ValueError(f"--{what} must look like {shape}")
    return int(user), secret


def _zone(name: str) -> tzinfo:
    from .settings import parse_timezone

    return parse_timezone(name)


def _populate(
    store: Store, webhooks: list[tuple[int, str]], tokens: list[tuple[int, str]], leads: int,
    zone: tzinfo,
) -> None:
    from .timing import use_zone

    use_zone(zone)  # before anything writes a date: the seeding, then every request
    for user_id, code in webhooks:
        store.add_webhook(user_id, code)
    for user_id, token in tokens:
        store.add_token(token, user_id)
    if leads > 0:
        from .model.crm_lead import seed_leads

        seed_leads(store, leads)


def run(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    options = _parser().parse_args(argv)
    # The portal's time zone is set in a context of this run's own: a run inside another
    # program (a test) leaves that program's dates alone.
    return contextvars.copy_context().run(_run, options, stdout, stderr)


def _run(options: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    try:
        from .app import create_app
        from .faults import quiet_dropped_replies
        from .handlers import SCHEMAS
        from .server import bind, serve
        from .store import Store, StoreError
    except ImportError as exc:
        print(
            f"oint emulator: missing {exc.name}; install it with: pip install 'oint[emulator]'",
            file=stderr,
        )
        return 1
    try:
        _check_listening(options)
        webhooks = [_credential(w, "webhook") for w in options.webhook]
        tokens = [_credential(t, "token") for t in options.token]
        apps = [_app(a) for a in options.app]
        settings = _settings(options)
        zone = _zone(options.timezone)
    except ValueError as exc:
        print(f"oint emulator: {exc}", file=stderr)
        return 2
    generated = not webhooks and not tokens
    if generated:
        webhooks = [(1, secrets.token_hex(8))]
        tokens = [(1, secrets.token_hex(16))]
    try:
        store = Store(options.db, SCHEMAS)
    except StoreError as exc:  # the message names the file and says what to do
        print(f"oint emulator: --db {exc}", file=stderr)
        return 2
    _populate(store, webhooks, tokens, options.seed_leads, zone)
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

    app = create_app(store, settings)
    for client_id, secret in apps:
        app.state.portal.oauth.register(client_id, secret)
    quiet_dropped_replies()
    try:
        tls = (options.tls_cert, options.tls_key) if options.tls_cert else None
        serve(app, sock, announce, tls)
    except KeyboardInterrupt:
        pass
    finally:
        app.state.portal.close()
        store.close()
    return 0
