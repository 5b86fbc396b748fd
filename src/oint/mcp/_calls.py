"""Running the tools against the portal, and what their answers and failures look like.

Every call goes through one ``AsyncClient`` (``run`` for operations, ``call`` for raw REST
methods), so the tools get the library's limiter, safe retries, OAuth refresh and
redaction. Failures become tool errors: Bitrix24's own code and description for API
errors, and a plain statement that a write may have run when its reply was lost (the
client never sends such a write again). Every text is redacted once more here, with every
secret the server knows, before it leaves.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..bitrix24._errors import (
    Bitrix24Error,
    OutcomeUnknownError,
    TokenStoreError,
    TransportError,
    UsageError,
)
from ..bitrix24._http.endpoint import Endpoint, redact
from ..bitrix24._response import Response
from ..bitrix24._spec import Operation
from ..bitrix24._values import to_bool, to_integer
from ._catalog import (
    CALL,
    DEFAULT_LIMIT,
    DESCRIBE,
    FIND,
    MAX_LIMIT,
    READ_LIST,
    RUN,
    Catalog,
    ToolError,
)
from ._schema import page_param, prepare

if TYPE_CHECKING:
    from ..bitrix24._auth.oauth import OAuthApp
    from ..bitrix24._http.async_client import AsyncClient
    from ..bitrix24._reliability.limits import Limits

__all__ = ["Outcome", "Portal", "Toolbox", "failure", "to_text"]

_log = logging.getLogger("oint.mcp")
# A REST method name goes into the URL's path: nothing but dotted words.
_METHOD = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")


def to_text(data: Any) -> str:
    """JSON for the model: compact, non-ASCII kept, bytes as base64."""

    def fallback(value: Any) -> Any:
        if isinstance(value, (bytes, bytearray)):
            return base64.b64encode(bytes(value)).decode("ascii")
        return str(value)

    return json.dumps(data, ensure_ascii=False, default=fallback)


class Outcome:
    """A tool's answer: a JSON object, or an error (``{"error": ..., "error_description":
    ...}``)."""

    __slots__ = ("data", "is_error")

    def __init__(self, data: dict[str, Any], *, is_error: bool = False) -> None:
        self.data = data
        self.is_error = is_error

    @property
    def text(self) -> str:
        if self.is_error:
            return f"{self.data['error']}: {self.data['error_description']}"
        return to_text(self.data)


class Portal:
    """The portal the tools act on; its client is made on the first call (the HTTP stack
    is not imported before a tool needs it, so ``initialize`` is answered sooner)."""

    def __init__(self, url: str, token: str | None = None, *, oauth: OAuthApp | None = None,
                 debug: Callable[[str], None] | None = None,
                 limits: Limits | str | None = "standard") -> None:
        # Checked now, so that a bad URL stops the server before it serves.
        self.endpoint = Endpoint.parse(url, token or ("pending" if oauth else None))
        self._url = url
        self._token = token
        self._oauth = oauth
        self._debug = debug
        self._limits = limits
        self._client: AsyncClient | None = None
        self._known = [*self.endpoint.secrets]
        if oauth is not None:
            self._known += [oauth.client_secret, oauth.refresh_token or ""]

    @property
    def secrets(self) -> list[str]:
        """Every secret known now (rotated OAuth tokens included)."""
        live = list(self._client.secrets) if self._client is not None else []
        return [*self._known, *live]

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def client(self) -> AsyncClient:
        if self._client is None:
            from ..bitrix24._http.async_client import AsyncClient
            from ..bitrix24._reliability.limits import Limits

            limits = Limits.standard() if self._limits == "standard" else self._limits
            assert not isinstance(limits, str)
            self._client = AsyncClient(self._url, self._token, oauth=self._oauth,
                                       debug=self._debug, limits=limits)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()


def answer(reply: Any) -> dict[str, Any]:
    """What a tool returns for a reply: the result, and a list page's ``total``/``next``."""
    if not isinstance(reply, Response):
        return {"result": reply}
    data: dict[str, Any] = {"result": reply.result}
    if reply.total is not None:
        data["total"] = reply.total
    if reply.next is not None:
        data["next"] = reply.next
    return data


def failure(exc: Exception, hide: Callable[[str], str]) -> Outcome:
    """The tool error for an exception; ``hide`` redacts its text."""
    if isinstance(exc, Bitrix24Error):
        data: dict[str, Any] = {"error": exc.code, "error_description": hide(exc.description)}
        if exc.method:
            data["method"] = exc.method
        if exc.status is not None:
            data["status"] = exc.status
        return Outcome(data, is_error=True)
    code, text = "INTERNAL_ERROR", f"{type(exc).__name__}: {exc}"
    if isinstance(exc, ToolError):
        code, text = exc.code, str(exc)
    elif isinstance(exc, OutcomeUnknownError):
        code, text = "OUTCOME_UNKNOWN", str(exc)
    elif isinstance(exc, TransportError):
        code, text = "PORTAL_UNREACHABLE", str(exc)
    elif isinstance(exc, UsageError):
        code, text = "INVALID_ARGUMENTS", str(exc)
    elif isinstance(exc, TokenStoreError):
        code, text = "TOKEN_STORE", str(exc)
    return Outcome({"error": code, "error_description": hide(text)}, is_error=True)


def _records(op: Operation, result: Any) -> list[Any]:
    if isinstance(result, list):
        return result
    # Some list methods wrap their page: {"tasks": [...]}.
    lists = [value for value in result.values() if isinstance(value, list)] \
        if isinstance(result, Mapping) else []
    if len(lists) == 1:
        return lists[0]
    raise ToolError("NOT_A_LIST", f"{op.name} did not answer a list of records")


class Toolbox:
    """Answers tool calls: the compact tools and the typed ones."""

    def __init__(self, catalog: Catalog, portal: Portal) -> None:
        self.catalog = catalog
        self.portal = portal

    async def call(self, name: str, arguments: Mapping[str, Any]) -> Outcome:
        try:
            data = await self._answer(name, dict(arguments))
        except Exception as exc:  # every failure is the model's to read, never a crash
            outcome = failure(exc, self.portal.redact)
            if outcome.data["error"] == "INTERNAL_ERROR":
                _log.error("%s failed: %s", name, outcome.text)
            return outcome
        # Replies can carry a credential too (a download URL with the access token in it).
        text = to_text(data)
        hidden = self.portal.redact(text)
        return Outcome(data if hidden == text else json.loads(hidden))

    async def _answer(self, name: str, args: dict[str, Any]) -> dict[str, Any]:
        tool = self.catalog.tool(name)
        if tool is None:
            raise ToolError("UNKNOWN_TOOL", f"no tool {name!r}")
        if tool.operation is not None:
            return await self.run(tool.operation, args)
        if name == FIND:
            return self.catalog.find(_text(args, "words"), _text(args, "region"))
        if name == DESCRIBE:
            return self.catalog.describe(_text(args, "name"))
        if name == RUN:
            return await self.run(self.catalog.lookup(_text(args, "name")),
                                  _object(args, "arguments"))
        if name == READ_LIST:
            limit = to_integer(args.get("limit", DEFAULT_LIMIT), "limit")
            return await self.read_list(self.catalog.lookup(_text(args, "name")),
                                        _object(args, "arguments"), limit)
        if name == CALL:
            return await self.raw_call(_text(args, "method"), _object(args, "params"),
                                       reads=to_bool(args.get("reads", False), "reads"))
        raise ToolError("UNKNOWN_TOOL", f"no tool {name!r}")  # pragma: no cover

    async def run(self, op: Operation, args: Mapping[str, Any]) -> dict[str, Any]:
        return answer(await self.portal.client().run(op, prepare(op, args)))

    async def read_list(self, op: Operation, args: Mapping[str, Any], limit: int
                        ) -> dict[str, Any]:
        """Pages of a list operation, one request each, until ``limit`` records."""
        page = page_param(op)
        if page is None:
            raise ToolError("NOT_A_LIST", f"{op.name} is not a list operation (it takes no "
                            f"offset); use {RUN}")
        if not 1 <= limit <= MAX_LIMIT:
            raise ToolError("INVALID_ARGUMENTS", f"limit must be 1 to {MAX_LIMIT}")
        args = prepare(op, args)
        offset: int | None = to_integer(args.get(page.name) or 0, page.name)
        records: list[Any] = []
        total = None
        while offset is not None and len(records) < limit:
            reply = await self.portal.client().run(op, {**args, page.name: offset})
            result = reply.result if isinstance(reply, Response) else reply
            found = _records(op, result)
            records += found
            if isinstance(reply, Response):
                total = reply.total if total is None else total
                offset = reply.next if found else None
            else:
                offset = None
        data: dict[str, Any] = {"records": records[:limit], "count": min(len(records), limit),
                                "more": len(records) > limit or offset is not None}
        if total is not None:
            data["total"] = total
        return data

    async def raw_call(self, method: str, params: dict[str, Any], *, reads: bool
                       ) -> dict[str, Any]:
        if not _METHOD.match(method):
            raise ToolError("INVALID_ARGUMENTS",
                            "method must be a REST method name such as crm.lead.get")
        key = method.lower()
        writes = self.catalog.methods(reads=False) | {"batch"}
        if self.catalog.read_only and (key in writes
                                       or key not in self.catalog.methods(reads=True)):
            raise ToolError("READ_ONLY", f"{method} is not a method the declared operations "
                            "read with, and this server only reads (--read-only)")
        # A method some operation writes with is never repeated, whatever the caller says.
        safe = reads and key not in writes
        return answer(await self.portal.client().call(method, params, reads=safe))


def _text(args: Mapping[str, Any], key: str) -> str:
    value = args.get(key) or ""
    if not isinstance(value, str):
        raise ToolError("INVALID_ARGUMENTS", f"{key} must be text")
    return value


def _object(args: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = args.get(key) or {}
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            value = json.loads(value)  # some clients send nested objects as JSON text
        except ValueError:
            raise ToolError("INVALID_ARGUMENTS", f"{key} is not valid JSON") from None
    if not isinstance(value, dict):
        raise ToolError("INVALID_ARGUMENTS", f"{key} must be a JSON object")
    return value
