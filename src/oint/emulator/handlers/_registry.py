"""How handler families declare the REST methods they serve."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..store import Store

__all__ = ["HANDLERS", "Context", "Handler", "Outcome", "Reply", "handler"]


@dataclass
class Context:
    """Who calls, and the portal they call. ``caller`` keys per-app accounting.

    ``invoke`` runs another REST method as the same caller, through the same checks and
    accounting as a call from outside (``batch`` is built on it). ``origin`` is the portal's
    address as the caller reached it (``http://127.0.0.1:8024``): the start of the absolute
    URLs replies carry, as a real portal's carry its domain.
    """

    store: Store
    user_id: int
    caller: str
    now: float
    invoke: Callable[[str, dict[str, Any]], Outcome]
    origin: str = ""


@dataclass
class Reply:
    """A handler's result with list navigation (``total``, ``next``) for the envelope."""

    result: Any
    total: int | None = None
    next: int | None = None


@dataclass
class Outcome:
    """A finished call: its result, list navigation and time block."""

    result: Any
    time: dict[str, Any]
    total: int | None = None
    next: int | None = None

    def envelope(self) -> dict[str, Any]:
        envelope: dict[str, Any] = {"result": self.result}
        if self.next is not None:
            envelope["next"] = self.next
        if self.total is not None:
            envelope["total"] = self.total
        envelope["time"] = self.time
        return envelope


Handler = Callable[[Context, dict[str, Any]], Any]

HANDLERS: dict[str, Handler] = {}


def handler(*methods: str) -> Callable[[Handler], Handler]:
    """Register a function for REST methods (matched case-insensitively); a method
    registered twice is an error at import, so no family silently replaces another's.

    Handlers receive the top-level parameter names in upper case, as the im module reads
    them (``array_change_key_case``); nested keys are left as sent.
    """

    def register(function: Handler) -> Handler:
        for method in methods:
            name = method.lower()
            if name in HANDLERS:
                known = HANDLERS[name]
                raise RuntimeError(
                    f"REST method {name} is registered twice: by {known.__module__}."
                    f"{known.__qualname__} and {function.__module__}.{function.__qualname__}")
            HANDLERS[name] = function
        return function

    return register
