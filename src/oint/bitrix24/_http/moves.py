"""Where a redirect may take a call: the rule that keeps credentials with the host named.

A portal whose address changed answers 302 with the new one, and the call must be sent
again there (POST, same body). But the body and the URL carry the credentials, so a
redirect may not choose where they go:

- the same host, up to https (``http://portal`` to ``https://portal``): followed, it is
  the host the caller named;
- another host or port: ``PortalMovedError``, nothing sent there, unless the caller built
  the client with ``follow_moves=True``;
- from https down to http: never, since the credentials would travel in clear.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import SplitResult, urlsplit

from .._errors import PortalMovedError

__all__ = ["move_target"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _port(parts: SplitResult) -> int | None:
    return parts.port or _DEFAULT_PORTS.get(parts.scheme)


def move_target(current_base: str, location: str, follow_moves: bool,
                redact: Callable[[str], str], note: Callable[[str], None]) -> str | None:
    """The new base address to send to, None if ``location`` is not a move (relative,
    malformed, the same address), or ``PortalMovedError`` if the rule forbids it."""
    try:
        target = urlsplit(location)
        target_port = _port(target)
    except ValueError:
        return None
    current = urlsplit(current_base)
    if target.scheme not in ("http", "https") or not target.hostname:
        return None
    same_host = target.hostname.lower() == (current.hostname or "").lower()
    if same_host and (target.scheme, target_port) == (current.scheme, _port(current)):
        return None
    base = f"{target.scheme}://{target.netloc}{current.path}"  # the webhook path stays
    shown = f"{redact(current_base)} -> {redact(base)}"
    note(f"the portal answered that it moved: {shown}")
    if current.scheme == "https" and target.scheme == "http":
        raise PortalMovedError(
            f"the portal answered that it moved to plain http ({shown}); credentials are "
            "never sent unencrypted after https, so nothing was sent there",
            location=redact(base),
        )
    upgrade = same_host and current.scheme == "http" and target.scheme == "https"
    if not upgrade and not follow_moves:
        raise PortalMovedError(
            f"the portal answered that it moved ({shown}); nothing was sent to the new "
            "address, since credentials go only to the host you named: use the new "
            "address (or build the client with follow_moves=True)",
            location=redact(base),
        )
    return base
