"""Where calls go and how they authenticate: a webhook URL, or a portal domain plus a token."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .._errors import UsageError

__all__ = ["REDACTED", "Endpoint", "redact", "webhook_codes"]

REDACTED = "***"
_WEBHOOK_PATH = re.compile(r"^(?P<prefix>.*)/rest/(?P<user>\d+)/(?P<code>[^/]+)$")
_MIN_SECRET_LENGTH = 3


def webhook_codes(url: str) -> list[str]:
    """The webhook code in a URL, if it has one, even a URL too broken to use."""
    found = re.findall(r"/rest/\d+/([^/?#]+)", url)
    return [code for match in found for code in {match, match.removesuffix(".json")}]


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``***`` (longest first, so none leaks in part)."""
    for secret in sorted(
        {s for s in secrets if s and len(s) >= _MIN_SECRET_LENGTH}, key=len, reverse=True
    ):
        text = text.replace(secret, REDACTED)
    return text


@dataclass(frozen=True)
class Endpoint:
    """``base`` is ``<scheme>://<host>/rest/<user>/<code>`` or ``<scheme>://<host>/rest``."""

    base: str
    token: str | None = None
    webhook_code: str | None = None

    @classmethod
    def parse(cls, url: str, token: str | None = None) -> Endpoint:
        token = token.strip() if token else None
        text = (url or "").strip()
        if not text:
            raise UsageError("no portal URL: give a webhook URL, or a portal domain with a token")
        if "://" not in text:
            text = "https://" + text  # a bare domain means HTTPS, as on every cloud portal
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"not an http(s) portal URL: {_shape(text)}")
        if parts.query or parts.fragment:
            raise UsageError("the portal URL must not have a query or fragment")
        path = parts.path.rstrip("/")
        if path.endswith(".json"):
            path = path[: -len(".json")]
        origin = f"{parts.scheme}://{parts.netloc}"
        webhook = _WEBHOOK_PATH.match(path)
        if webhook:
            if token:
                raise UsageError(
                    "give either a webhook URL or a portal domain with a token, not both"
                )
            return cls(origin + path, None, webhook.group("code"))
        if not token:
            raise UsageError(
                "the URL is not a webhook URL (https://<portal>/rest/<user>/<code>) "
                "and no token was given"
            )
        if not path.endswith("/rest"):
            path += "/rest"
        return cls(origin + path, token, None)

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.token, self.webhook_code) if s)

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
    # The URL may carry a webhook code; show only its scheme and host.
    parts = urlsplit(text)
    return f"{parts.scheme}://{parts.hostname or ''}/..."
