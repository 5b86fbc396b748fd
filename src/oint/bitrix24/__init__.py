"""Bitrix24: every OPI operation as a function, a ``Client`` method and an ``oint`` command.

    from oint import bitrix24

    bitrix24.create_chat(webhook_url, {"TITLE": "Deal 42", "USERS": [1, 10]})

    with bitrix24.Client(webhook_url) as b24:
        chat_id = b24.create_chat({"TITLE": "Deal 42", "USERS": [1, 10]}).result

``Client`` and ``AsyncClient`` are imported on first use, so that importing this package
does not load the HTTP stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import calls, operations
from ._bulk.batch import BatchOutcome, http_build_query
from ._errors import (
    AccessError,
    AuthError,
    Bitrix24Error,
    DeadlineError,
    ExpiredTokenError,
    InvalidArgumentError,
    NotFoundError,
    OintError,
    OutcomeUnknownError,
    OverloadError,
    PortalMovedError,
    RateLimitError,
    ReplyTooLargeError,
    ServerError,
    TimeLimitError,
    TokenStoreError,
    TransportError,
    UsageError,
)
from ._functions import *  # noqa: F403  (the generated operation functions)
from ._functions import __all__ as _function_names
from ._reliability.limits import Limits
from ._reliability.retry import Retry
from ._response import Response
from ._spec import ApiRequest, Kind, Operation, Param
from ._types import ChatFields

if TYPE_CHECKING:
    from ._auth.oauth import OAuthApp
    from ._auth.token_store import CallbackTokenStore, FileTokenStore, OAuthTokens, TokenStore
    from ._http.async_client import AsyncClient
    from ._http.client import Client

# Loaded on first use: the HTTP stack and the OAuth machinery are not needed to start the
# CLI or to declare requests.
_LAZY = {
    "Client": "._http.client",
    "AsyncClient": "._http.async_client",
    "OAuthApp": "._auth.oauth",
    "CallbackTokenStore": "._auth.token_store",
    "FileTokenStore": "._auth.token_store",
    "OAuthTokens": "._auth.token_store",
    "TokenStore": "._auth.token_store",
}

__all__ = [  # noqa: PLE0604  (the generated names are appended below)
    "AccessError",
    "ApiRequest",
    "AsyncClient",
    "AuthError",
    "BatchOutcome",
    "Bitrix24Error",
    "CallbackTokenStore",
    "ChatFields",
    "Client",
    "DeadlineError",
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
    "PortalMovedError",
    "RateLimitError",
    "ReplyTooLargeError",
    "Response",
    "Retry",
    "ServerError",
    "TimeLimitError",
    "TokenStore",
    "TokenStoreError",
    "TransportError",
    "UsageError",
    "calls",
    "http_build_query",
    "operations",
    *_function_names,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value
