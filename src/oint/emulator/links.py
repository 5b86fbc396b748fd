"""The portal's signed links: a file's ``DOWNLOAD_URL`` and a folder's ``uploadUrl``.

As the server's (``CRestUtil::getSpecialUrl``): the link carries the caller's credentials
(``/rest/<user>/<code>/download/`` for a webhook, ``/rest/download.json?auth=<token>``
for a token, which must still be valid when the link is used) and a ``token`` parameter:
``<scope>|<base64 of the query>|<signature>``. Only this portal can sign one, and a link
names the one object it was made for.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import quote, urlencode

from .model import Actor
from .model.disk import sign
from .params import parse_query

__all__ = ["DOWNLOAD", "UPLOAD", "Holder", "link_query", "special_url"]

DOWNLOAD, UPLOAD = "download", "upload"
SCOPE = "disk"


class Holder(Actor, Protocol):
    """A handler's context as a link needs it: who calls, how, and at which address."""

    @property
    def origin(self) -> str: ...

    @property
    def webhook(self) -> tuple[str, str] | None: ...

    @property
    def token(self) -> str | None: ...


def _flat(query: Mapping[str, Any]) -> list[tuple[str, str]]:
    """PHP's http_build_query of a map of scalars and maps of scalars."""
    pairs = []
    for key, value in query.items():
        if isinstance(value, Mapping):
            pairs += [(f"{key}[{inner}]", str(item)) for inner, item in value.items()]
        else:
            pairs.append((key, str(int(value)) if isinstance(value, bool) else str(value)))
    return pairs


def special_url(ctx: Holder, method: str, query: Mapping[str, Any]) -> str:
    """An absolute link to ``method`` (download or upload) for ``query``, as this caller."""
    salt = base64.b64encode(os.urandom(24)).decode()  # the server's 32 random characters
    packed = base64.b64encode(f"{urlencode(_flat(query))}&_={salt}".encode()).decode()
    token = f"{SCOPE}|{packed}|{sign(ctx, f'{method}|{packed}')}"
    if ctx.webhook is not None:
        user, code = ctx.webhook
        return (f"{ctx.origin}/rest/{quote(user, safe='')}/{quote(code, safe='')}/{method}/?"
                + urlencode({"token": token}))
    return f"{ctx.origin}/rest/{method}.json?" + urlencode({"auth": ctx.token or "",
                                                            "token": token})


def link_query(ctx: Actor, method: str, token: str) -> dict[str, Any] | None:
    """What a link's ``token`` was made for, or None if this portal did not sign it so."""
    parts = token.split("|")
    if len(parts) < 3:
        return None
    packed, signature = parts[1], parts[2]
    if not hmac.compare_digest(sign(ctx, f"{method}|{packed}"), signature):
        return None
    try:
        text = base64.b64decode(packed, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    query = parse_query(text)
    query.pop("_", None)
    return query
