"""The exceptions oint raises.

    OintError
    ├── UsageError                 bad input, caught before anything is sent
    ├── Bitrix24Error              the API answered with an error envelope
    │   ├── AuthError              credentials missing, wrong or expired
    │   │   └── ExpiredTokenError  401 expired_token: refresh and repeat
    │   ├── AccessError            authenticated, but not allowed
    │   ├── NotFoundError          unknown method, user, chat, message ...
    │   ├── InvalidArgumentError   the parameters were rejected
    │   ├── RateLimitError         503 QUERY_LIMIT_EXCEEDED (leaky bucket)
    │   ├── TimeLimitError         429 OPERATION_TIME_LIMIT (operating window)
    │   ├── OverloadError          503 OVERLOAD_LIMIT: a manual block, never retried
    │   └── ServerError            the portal failed (5xx)
    ├── TransportError             the portal could not be reached or did not answer
    │   ├── OutcomeUnknownError    a write was sent but its reply was lost or unreadable
    │   ├── DeadlineError          the call's deadline passed before it could finish
    │   └── PortalMovedError       the portal moved to a host the caller did not name
    ├── ReplyTooLargeError         a read's reply was larger than the client accepts
    └── TokenStoreError            rotated OAuth tokens could not be saved or read

Errors are classified by Bitrix24's ``error`` string, never by HTTP status alone: the
statuses differ between sources (see the protocol reference). Messages never contain a
secret; the client redacts them before an exception is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "AccessError",
    "AuthError",
    "Bitrix24Error",
    "DeadlineError",
    "ExpiredTokenError",
    "InvalidArgumentError",
    "NotFoundError",
    "OintError",
    "OutcomeUnknownError",
    "OverloadError",
    "PortalMovedError",
    "RateLimitError",
    "ReplyTooLargeError",
    "ServerError",
    "TimeLimitError",
    "TokenStoreError",
    "TransportError",
    "UsageError",
    "api_error",
]


class OintError(Exception):
    """Base of every error oint raises on purpose."""


class UsageError(OintError, ValueError):
    """The caller's input cannot be turned into a request (bad JSON, missing file ...)."""


class Bitrix24Error(OintError):
    """The API answered with ``{"error": ..., "error_description": ...}``."""

    def __init__(
        self,
        code: str,
        description: str = "",
        *,
        status: int | None = None,
        method: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.description = description
        self.status = status
        self.method = method
        self.payload: Mapping[str, Any] = payload or {
            "error": code, "error_description": description,
        }
        where = f" in {method}" if method else ""
        status_text = f" (HTTP {status})" if status is not None else ""
        text = f": {description}" if description else ""
        # Some modules (calendar) answer "error": "": say so rather than show a code they
        # never sent.
        label = code if self.payload.get("error", code) != "" else "(no error code)"
        super().__init__(f"{label}{where}{status_text}{text}")


class AuthError(Bitrix24Error):
    """Credentials are missing, wrong, expired or not accepted."""


class ExpiredTokenError(AuthError):
    """The OAuth access token has expired (401 ``expired_token``)."""


class AccessError(Bitrix24Error):
    """The caller is known but may not do this."""


class NotFoundError(Bitrix24Error):
    """The method or the object named by a parameter does not exist."""


class InvalidArgumentError(Bitrix24Error):
    """The server rejected the parameters."""


class RateLimitError(Bitrix24Error):
    """503 ``QUERY_LIMIT_EXCEEDED``: the portal's leaky bucket is full. Safe to retry."""


class TimeLimitError(Bitrix24Error):
    """429 ``OPERATION_TIME_LIMIT``: this method's operating budget is spent."""


class OverloadError(Bitrix24Error):
    """503 ``OVERLOAD_LIMIT``: REST is blocked by hand; retrying does not help."""


class ServerError(Bitrix24Error):
    """The portal failed while handling the call."""


class TransportError(OintError):
    """The portal could not be reached, or did not answer in time."""

    def __init__(self, message: str, *, method: str | None = None, sent: bool = False) -> None:
        self.method = method
        # Whether the request may have reached the portal; only then can it have run.
        self.sent = sent
        super().__init__(message)


class OutcomeUnknownError(TransportError):
    """A write reached the wire but its reply was lost or could not be read: it may or may
    not have run."""


class DeadlineError(TransportError):
    """The call's total deadline passed (waiting, retrying or reading) before it finished."""


class PortalMovedError(TransportError):
    """The portal answered with a redirect to another host or port. Nothing ran there and
    nothing was sent there: credentials go only to the host the caller named (or, with
    ``follow_moves=True``, to where the portal says it moved). ``location`` is the new
    address, its secrets hidden."""

    def __init__(self, message: str, *, location: str, method: str | None = None) -> None:
        self.location = location
        super().__init__(message, method=method)


class ReplyTooLargeError(OintError):
    """A read's reply was larger than ``max_reply_bytes``; asking again would bring the same.
    (A write's oversized reply raises ``OutcomeUnknownError``: it may have run.)"""

    def __init__(self, message: str, *, method: str | None = None) -> None:
        self.method = method
        super().__init__(message)


class TokenStoreError(OintError):
    """The rotated OAuth tokens could not be saved, or the saved ones could not be read."""


_BY_CODE: dict[str, type[Bitrix24Error]] = {
    # authentication
    "expired_token": ExpiredTokenError,
    "invalid_token": AuthError,
    "NO_AUTH_FOUND": AuthError,
    "INVALID_CREDENTIALS": AuthError,
    "authorization_error": AuthError,
    "APPLICATION_NOT_FOUND": AuthError,
    "ERROR_OAUTH": AuthError,
    "METHOD_CONFIRM_WAITING": AuthError,
    "PAYMENT_REQUIRED": AuthError,
    "invalid_grant": AuthError,
    "invalid_client": AuthError,
    "NOT_INSTALLED": AuthError,
    "wrong_client": AuthError,
    # access
    "insufficient_scope": AccessError,
    "invalid_scope": AccessError,
    "ACCESS_DENIED": AccessError,
    "ACCESS_ERROR": AccessError,
    "ACCESS_DENIED_EXTEND": AccessError,
    "ACCESS_DENIED_KICK": AccessError,
    "AUTHORIZE_ERROR": AccessError,
    "CANT_EDIT_MESSAGE": AccessError,
    "METHOD_CONFIRM_DENIED": AccessError,
    "user_access_error": AccessError,
    "WRONG_AUTH_TYPE": AccessError,
    "allowed_only_intranet_user": AccessError,
    "REPLY_ACCESS_ERROR": AccessError,
    "INVALID_REQUEST": AccessError,
    # not found
    "ERROR_METHOD_NOT_FOUND": NotFoundError,
    "ERROR_NOT_FOUND": NotFoundError,
    "ERROR_MANIFEST_IS_NOT_AVAILABLE": NotFoundError,
    "USER_NOT_FOUND": NotFoundError,
    "NOT_FOUND": NotFoundError,
    "PORTAL_DELETED": NotFoundError,
    # invalid arguments
    "ERROR_ARGUMENT": InvalidArgumentError,
    "INVALID_ARG_VALUE": InvalidArgumentError,
    "invalid_request": InvalidArgumentError,
    "INVALID_FORMAT": InvalidArgumentError,
    "WRONG_REQUEST": InvalidArgumentError,
    "WRONG_COLOR": InvalidArgumentError,
    "AVATAR_ERROR": InvalidArgumentError,
    "CHAT_ID_EMPTY": InvalidArgumentError,
    "DIALOG_ID_EMPTY": InvalidArgumentError,
    "USER_ID_EMPTY": InvalidArgumentError,
    "TITLE_EMPTY": InvalidArgumentError,
    "MESSAGE_EMPTY": InvalidArgumentError,
    "MESSAGE_ID_ERROR": InvalidArgumentError,
    "FIRST_ID_STRING": InvalidArgumentError,
    "LAST_ID_STRING": InvalidArgumentError,
    "PARAMS_ERROR": InvalidArgumentError,
    "ATTACH_ERROR": InvalidArgumentError,
    "ATTACH_OVERSIZE": InvalidArgumentError,
    "KEYBOARD_ERROR": InvalidArgumentError,
    "MENU_ERROR": InvalidArgumentError,
    "FILES_ERROR": InvalidArgumentError,
    "WITHOUT_CHANGES": InvalidArgumentError,
    "REPLY_FROM_OTHER_CHAT_ERROR": InvalidArgumentError,
    "ERROR_BATCH_LENGTH_EXCEEDED": InvalidArgumentError,
    "ERROR_BATCH_METHOD_NOT_ALLOWED": InvalidArgumentError,
    "WRONG_ENCODING": InvalidArgumentError,
    "DISK_BASE_SERVICE_22001": InvalidArgumentError,  # a required field is missing
    "DISK_OBJ_22000": InvalidArgumentError,  # the name is taken in the folder
    "BX_INVALID_VALUE": InvalidArgumentError,  # a field fails its validation (a name)
    # limits
    "QUERY_LIMIT_EXCEEDED": RateLimitError,
    "OPERATION_TIME_LIMIT": TimeLimitError,
    "OVERLOAD_LIMIT": OverloadError,
    # server failures
    "ERROR_CORE": ServerError,
    "INTERNAL_SERVER_ERROR": ServerError,
    "ERROR_UNEXPECTED_ANSWER": ServerError,
    "SAVE_ERROR": ServerError,
}


def api_error(
    payload: Mapping[str, Any], *, status: int | None = None, method: str | None = None
) -> Bitrix24Error:
    """Build the exception for an error envelope; an unknown code keeps the base class."""
    code = str(payload.get("error", "")) or "UNKNOWN_ERROR"
    description = str(payload.get("error_description", "") or "")
    cls = _BY_CODE.get(code)
    if cls is None:
        cls = ServerError if status is not None and status >= 500 else Bitrix24Error
    return cls(code, description, status=status, method=method, payload=payload)
