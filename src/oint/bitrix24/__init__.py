"""Bitrix24: every OPI operation as a function, a ``Client`` method and an ``oint`` command.

    from oint import bitrix24

    bitrix24.create_chat(webhook_url, {"TITLE": "Deal 42", "USERS": [1, 10]})

    with bitrix24.Client(webhook_url) as b24:
        chat_id = b24.create_chat({"TITLE": "Deal 42", "USERS": [1, 10]}).result

Names are loaded on first use: an operation's function loads its region only, ``Client``
the HTTP stack. Type checkers and editors see every name through the imports below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import (
    AccessError,
    AuthError,
    Bitrix24Error,
    ExpiredTokenError,
    InvalidArgumentError,
    NotFoundError,
    OintError,
    OutcomeUnknownError,
    OverloadError,
    RateLimitError,
    ServerError,
    TimeLimitError,
    TokenStoreError,
    TransportError,
    UsageError,
)
from ._generated.index import FUNCTIONS, SHAPES
from ._response import Response
from ._spec import ApiRequest, Example, Kind, Operation, Param, ServiceRequest

if TYPE_CHECKING:
    from . import calls, operations
    from ._auth.oauth import OAuthApp
    from ._auth.token_store import CallbackTokenStore, FileTokenStore, OAuthTokens, TokenStore
    from ._bulk.batch import BatchOutcome, http_build_query
    from ._generated.api import *  # noqa: F403  (every operation function and shape)
    from ._http.async_client import AsyncClient
    from ._http.client import Client
    from ._reliability.limits import Limits
    from ._reliability.retry import Retry

# Loaded on first use: the HTTP stack, the limits and the OAuth machinery are not needed to
# start the CLI or to declare requests.
_LAZY = {
    "Client": "._http.client",
    "AsyncClient": "._http.async_client",
    "OAuthApp": "._auth.oauth",
    "CallbackTokenStore": "._auth.token_store",
    "FileTokenStore": "._auth.token_store",
    "OAuthTokens": "._auth.token_store",
    "TokenStore": "._auth.token_store",
    "BatchOutcome": "._bulk.batch",
    "http_build_query": "._bulk.batch",
    "Limits": "._reliability.limits",
    "Retry": "._reliability.retry",
}
_MODULES = ("calls", "operations")

__all__ = [  # noqa: PLE0604  (the generated names are appended below)
    "AccessError",
    "ApiRequest",
    "AsyncClient",
    "AuthError",
    "BatchOutcome",
    "Bitrix24Error",
    "CallbackTokenStore",
    "Client",
    "Example",
    "ExpiredTokenError",
    "FileTokenStore",
    "InvalidArgumentError",
    "Kind",
    "Limits",
    "NotFoundError",
    "OAuthApp",
    "OAuthTokens",
    "OintError",
    "Operation",
    "OutcomeUnknownError",
    "OverloadError",
    "Param",
    "RateLimitError",
    "Response",
    "Retry",
    "ServerError",
    "ServiceRequest",
    "TimeLimitError",
    "TokenStore",
    "TokenStoreError",
    "TransportError",
    "UsageError",
    "calls",
    "http_build_query",
    "operations",
    *SHAPES,
    *(name for name in FUNCTIONS if not name[:1].isupper()),  # OPI's CamelCase names too
]                                                            # are attributes, not in __all__


def __getattr__(name: str) -> Any:
    from importlib import import_module

    if name in _MODULES:
        value: Any = import_module(f".{name}", __name__)
    elif name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
    elif name in FUNCTIONS:
        value = getattr(import_module(f"._generated.{FUNCTIONS[name]}", __name__), name)
    elif name in SHAPES:
        value = getattr(import_module(f".operations.{SHAPES[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
