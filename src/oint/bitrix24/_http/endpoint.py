"""Where calls go and how they authenticate: a webhook URL, or a portal domain plus a token."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .._errors import UsageError

__all__ = ["REDACTED", "Endpoint", "redact", "url_secrets", "webhook_codes"]

REDACTED = "***"
_WEBHOOK_PATH = re.compile(r"^(?P<prefix>.*)/rest/(?P<user>\d+)/(?P<code>[^/]+)$")
_MIN_SECRET_LENGTH = 3
# Secrets found by their place, whatever their length: a webhook code in a REST path and
# the password of a URL's userinfo.
_BY_PLACE = (
    # A URL's unreserved characters (and escapes), so that prose around it stays.
    (re.compile(r"(/rest/\d+/)[A-Za-z0-9._~%-]+"), r"\1" + REDACTED),
    (re.compile(r"(://[^/?#@\s:]*:)[^/?#@\s]+@"), r"\1" + REDACTED + "@"),
)


def webhook_codes(url: str) -> list[str]:
    """The webhook code in a URL, if it has one, even a URL too broken to use."""
    found = re.findall(r"/rest/\d+/([^/?#]+)", url)
    return [code for match in found for code in {match, match.removesuffix(".json")}]


def url_secrets(url: str) -> list[str]:
    """What a portal URL carries that must never be shown: its webhook code and the password
    of its userinfo (``https://user:password@host``), found even in a URL too broken to use."""
    found = webhook_codes(url)
    userinfo = re.match(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://)?([^/?#@]*)@", url.strip())
    if userinfo and ":" in userinfo.group(1):
        password = userinfo.group(1).split(":", 1)[1]
        found.extend({password, unquote(password)})
    return found


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``***`` (longest first, so none leaks in part),
    and with whatever sits where a URL keeps a secret (webhook code, password) hidden too."""
    for pattern, replacement in _BY_PLACE:
        text = pattern.sub(replacement, text)
    for secret in sorted(
        {s for s in secrets if s and len(s) >= _MIN_SECRET_LENGTH}, key=len, reverse=True
    ):
        text = text.replace(secret, REDACTED)
    return text


@dataclass(frozen=True, repr=False)
class Endpoint:
    """``base`` is ``<scheme>://<host>/rest/<user>/<code>`` or ``<scheme>://<host>/rest``."""

    base: str
    token: str | None = None
    webhook_code: str | None = None
    password: str | None = None  # of the URL's userinfo, sent by httpx as Basic auth

    def __repr__(self) -> str:
        # Reprs end up in logs and tracebacks: the URL with its secrets hidden, never a token.
        return f"Endpoint({self.display!r}, token={REDACTED if self.token else None})"

    @classmethod
    def parse(cls, url: str, token: str | None = None) -> Endpoint:
        token = token.strip() if token else None
        text = (url or "").strip()
        if not text:
            raise UsageError("no portal URL: give a webhook URL, or a portal domain with a token")
        if "://" not in text:
            text = "https://" + text  # a bare domain means HTTPS, as on every cloud portal
        if not text.isprintable():  # also bytes that were not UTF-8 (lone surrogates)
            raise UsageError("the portal URL holds characters that are not printable text")
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018  (a port out of range raises here, not at the first call)
        except ValueError:
            raise UsageError(f"not a valid URL: {_shape(text)}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"not an http(s) portal URL: {_shape(text)}")
        host = parts.netloc.rpartition("@")[2]
        if any(ch.isspace() or ord(ch) < 32 or ch in "\\<>\"{}|^`" for ch in host):
            raise UsageError(f"the portal's host name has characters a URL cannot hold: "
                             f"{_shape(text)}")
        if parts.query or parts.fragment:
            raise UsageError("the portal URL must not have a query or fragment")
        path = parts.path.rstrip("/")
        if path.endswith(".json"):
            path = path[: -len(".json")]
        origin = f"{parts.scheme}://{parts.netloc}"
        password = parts.password or None
        webhook = _WEBHOOK_PATH.match(path)
        if webhook:
            if token:
                raise UsageError(
                    "give either a webhook URL or a portal domain with a token, not both"
                )
            return cls(origin + path, None, webhook.group("code"), password)
        if not token:
            raise UsageError(
                "the URL is not a webhook URL (https://<portal>/rest/<user>/<code>) "
                "and no token was given"
            )
        if not path.endswith("/rest"):
            path += "/rest"
        return cls(origin + path, token, None, password)

    @property
    def secrets(self) -> tuple[str, ...]:
        # httpx sends the password percent-decoded, so either form may turn up in a message.
        password = (self.password, unquote(self.password)) if self.password else ()
        return tuple(s for s in (self.token, self.webhook_code, *password) if s)

    @property
    def uses_token(self) -> bool:
        return self.token is not None

    def url_for(self, method: str) -> str:
        return f"{self.base}/{method}"

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    @property
    def display(self) -> str:
        """The base URL with its secret hidden, for messages."""
        return self.redact(self.base)


def _shape(text: str) -> str:
    # The URL may carry a webhook code or a password; show only its scheme and host.
    scheme, _, rest = text.partition("://")
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    return f"{scheme}://{host}/..."
