"""Errors the emulated portal answers with: code, exact text and HTTP status."""

from __future__ import annotations

from typing import Any

__all__ = [
    "ApiError",
    "access_error",
    "authorization_error",
    "expired_token",
    "invalid_credentials",
    "invalid_token",
    "method_not_found",
    "no_auth_found",
    "wrong_request",
]


class ApiError(Exception):
    """Raised by a handler; becomes ``{"error": code, "error_description": text}``."""

    def __init__(
        self, code: str, description: str, status: int = 400, **extra: Any
    ) -> None:
        super().__init__(code)
        self.code = code
        self.description = description
        self.status = status
        self.extra = extra

    def payload(self) -> dict[str, Any]:
        return {"error": self.code, "error_description": self.description, **self.extra}


def method_not_found() -> ApiError:
    return ApiError("ERROR_METHOD_NOT_FOUND", "Method not found!", 404)


def no_auth_found() -> ApiError:
    return ApiError("NO_AUTH_FOUND", "Wrong authorization data", 401)


def invalid_credentials() -> ApiError:
    return ApiError("INVALID_CREDENTIALS", "Invalid request credentials", 401)


def invalid_token() -> ApiError:
    return ApiError("invalid_token", "Unable to get application by token", 401)


def authorization_error() -> ApiError:
    """A known webhook or token of a user who cannot log in (fired)."""
    return ApiError("authorization_error", "Unable to authorize user", 401)


def expired_token() -> ApiError:
    return ApiError("expired_token", "The access token provided has expired", 401)


def access_error(description: str = "Action unavailable") -> ApiError:
    return ApiError("ACCESS_ERROR", description, 403)


def wrong_request(description: str) -> ApiError:
    return ApiError("WRONG_REQUEST", description, 400)
