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

if TYPE_CHECKING:
    from . import calls as calls
    from . import operations as operations
    from ._auth.oauth import (
        OAuthApp as OAuthApp,
    )
    from ._auth.token_store import (
        CallbackTokenStore as CallbackTokenStore,
    )
    from ._auth.token_store import (
        FileTokenStore as FileTokenStore,
    )
    from ._auth.token_store import (
        OAuthTokens as OAuthTokens,
    )
    from ._auth.token_store import (
        TokenStore as TokenStore,
    )
    from ._bulk.batch import (
        BatchOutcome as BatchOutcome,
    )
    from ._bulk.batch import (
        http_build_query as http_build_query,
    )
    from ._errors import (
        AccessError as AccessError,
    )
    from ._errors import (
        AuthError as AuthError,
    )
    from ._errors import (
        Bitrix24Error as Bitrix24Error,
    )
    from ._errors import (
        DeadlineError as DeadlineError,
    )
    from ._errors import (
        ExpiredTokenError as ExpiredTokenError,
    )
    from ._errors import (
        InvalidArgumentError as InvalidArgumentError,
    )
    from ._errors import (
        NotFoundError as NotFoundError,
    )
    from ._errors import (
        OintError as OintError,
    )
    from ._errors import (
        OutcomeUnknownError as OutcomeUnknownError,
    )
    from ._errors import (
        OverloadError as OverloadError,
    )
    from ._errors import (
        PortalMovedError as PortalMovedError,
    )
    from ._errors import (
        RateLimitError as RateLimitError,
    )
    from ._errors import (
        ReplyTooLargeError as ReplyTooLargeError,
    )
    from ._errors import (
        ServerError as ServerError,
    )
    from ._errors import (
        TimeLimitError as TimeLimitError,
    )
    from ._errors import (
        TokenStoreError as TokenStoreError,
    )
    from ._errors import (
        TransportError as TransportError,
    )
    from ._errors import (
        UsageError as UsageError,
    )
    from ._generated.api import *  # noqa: F403  (every operation function and shape)
    from ._http.async_client import (
        AsyncClient as AsyncClient,
    )
    from ._http.client import (
        Client as Client,
    )
    from ._reliability.limits import (
        Limits as Limits,
    )
    from ._reliability.retry import (
        Retry as Retry,
    )
    from ._response import (
        Response as Response,
    )
    from ._spec import (
        ApiRequest as ApiRequest,
    )
    from ._spec import (
        Example as Example,
    )
    from ._spec import (
        Kind as Kind,
    )
    from ._spec import (
        Operation as Operation,
    )
    from ._spec import (
        Param as Param,
    )
    from ._spec import (
        ServiceRequest as ServiceRequest,
    )

# Every name is loaded on first use (PEP 562): the CLI imports this package's modules, and
# a command must not pay for the HTTP stack, the limits, OAuth or the generated index.
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
    "Response": "._response",
    **dict.fromkeys(("ApiRequest", "Example", "Kind", "Operation", "Param", "ServiceRequest"),
                    "._spec"),
    **dict.fromkeys((
        "AccessError", "AuthError", "Bitrix24Error", "DeadlineError", "ExpiredTokenError",
        "InvalidArgumentError", "NotFoundError", "OintError", "OutcomeUnknownError",
        "OverloadError", "PortalMovedError", "RateLimitError", "ReplyTooLargeError",
        "ServerError", "TimeLimitError", "TokenStoreError", "TransportError", "UsageError",
    ), "._errors"),
}
_MODULES = ("calls", "operations")


def _public_names() -> list[str]:
    from ._generated.index import FUNCTIONS, SHAPES

    # OPI's CamelCase names are attributes too, but not in __all__ (they double it).
    functions = [name for name in FUNCTIONS if not name[:1].isupper()]
    return sorted([*_LAZY, *_MODULES, *SHAPES, *functions])


# Hidden from type checkers, so that a misspelt name is an error there, not Any.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        from importlib import import_module

        from ._generated.index import FUNCTIONS, SHAPES

        if name == "__all__":
            value: Any = _public_names()
        elif name in _MODULES:
            value = import_module(f".{name}", __name__)
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
