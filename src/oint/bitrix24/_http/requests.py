"""Where a call goes and what it carries: the endpoint, the body, and the call shown with
its secrets hidden. No I/O and no reliability state, so ``--test`` builds and shows a request
without loading the limits, the retry policy or the HTTP stack."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from .._errors import TransportError, UsageError
from .._spec import ApiRequest, DownloadRequest, ServiceRequest, Step
from .bodies import FORM, MultipartBody, encode_form, encode_json
from .endpoint import REDACTED, Endpoint, redact
from .wire import PreparedCall

__all__ = ["RequestBuilder", "origin"]


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


class RequestBuilder:
    """Builds and shows the calls of one portal (``endpoint``; None for a client that asks
    only the OAuth server)."""

    def __init__(self, endpoint: Endpoint | None,
                 debug: Callable[[str], None] | None = None) -> None:
        self._endpoint = endpoint
        self._debug = debug

    @classmethod
    def for_url(cls, url: str | None, token: str | None) -> RequestBuilder:
        return cls(Endpoint.parse(url, token) if url is not None else None)

    @property
    def endpoint(self) -> Endpoint:
        if self._endpoint is None:
            raise UsageError("this client has no portal URL: it only asks the OAuth server")
        return self._endpoint

    @endpoint.setter
    def endpoint(self, value: Endpoint) -> None:
        self._endpoint = value

    @property
    def secrets(self) -> tuple[str, ...]:
        return self._endpoint.secrets if self._endpoint is not None else ()

    def redact(self, text: str, extra: tuple[str, ...] = ()) -> str:
        return redact(text, (*self.secrets, *extra))

    def note(self, text: str) -> None:
        """A line for --debug (already free of secrets)."""
        if self._debug is not None:
            self._debug(self.redact(text))

    def on_portal(self, url: str) -> bool:
        """Whether ``url`` is on the portal this client calls (same scheme and host)."""
        return self._endpoint is not None and origin(url) == origin(self._endpoint.base)

    def prepare(self, request: Step, deadline: float | None = None) -> PreparedCall:
        if isinstance(request, ServiceRequest):
            call = self._prepare_service(request, deadline)
        elif isinstance(request, DownloadRequest):
            self._check_target(request.url, request.label)
            call = PreparedCall(request, request.url, b"", None, "", deadline)
        else:
            call = self._prepare_rest(request, deadline)
        if self._debug is not None:
            self._debug(self.describe(call))
        return call

    def _prepare_rest(self, request: ApiRequest, deadline: float | None) -> PreparedCall:
        # None means "not sent"; 0, False and "" are values and go out as given.
        body = {key: value for key, value in request.params.items() if value is not None}
        endpoint = self.endpoint  # one snapshot: a refresh or a move may swap it meanwhile
        if endpoint.token:
            body["auth"] = endpoint.token
        return PreparedCall(request, endpoint.url_for(request.method), encode_json(body),
                            endpoint.token, deadline=deadline)

    def _check_target(self, url: str, label: str) -> None:
        scheme, host = origin(url)
        if scheme not in ("http", "https") or not host:
            raise TransportError(f"{label}: not an http(s) URL", method=label)
        if self._endpoint is not None and not self.on_portal(url):
            # An upload or download URL that leads away from the portal the user named
            # gets nothing (and its credentials do not go there).
            raise TransportError(
                f"{label}: the URL is on another host ({host}) than the portal; "
                "nothing was sent there", method=label,
            )

    def _prepare_service(self, request: ServiceRequest, deadline: float | None
                         ) -> PreparedCall:
        self._check_target(request.url, request.label)
        if request.files:
            multipart = MultipartBody(request.form, request.files)
            return PreparedCall(request, request.url, multipart, None, multipart.content_type,
                                deadline)
        return PreparedCall(request, request.url, encode_form(request.form), None, FORM,
                            deadline)

    def describe(self, call: PreparedCall) -> str:
        """The call as text with every secret hidden (for --debug and --test)."""
        return json.dumps(self.describe_json(call), ensure_ascii=False)

    def describe_json(self, call: PreparedCall) -> dict[str, Any]:
        request = call.request
        if isinstance(request, DownloadRequest):
            return {"method": "GET", "url": self.redact(call.url, request.secrets),
                    "to": request.path}
        if isinstance(request, ServiceRequest):
            hidden = request.secrets
            shown: dict[str, Any] = {
                key: (REDACTED if value in hidden else value) for key, value in request.form.items()
            }
            described: dict[str, Any] = {"method": "POST", "url": self.redact(call.url, hidden),
                                         "form": shown}
            if isinstance(call.content, MultipartBody):
                described["files"] = call.content.describe()
            return described
        assert isinstance(call.content, bytes)
        body = json.loads(call.content)
        if "auth" in body and call.token:
            body["auth"] = REDACTED
        return {"method": "POST", "url": self.redact(call.url), "body": body}
