"""Faults the emulated portal can inject, set from the command line or the admin API.

Shares are probabilities per REST request, drawn from one seeded random stream, and apply
to the ``methods`` listed (all when empty). Faults that refuse a request (503 storm,
``OVERLOAD_LIMIT``, 500) act before the method runs, so nothing changes; ``drop`` and
``stall`` act after it ran and committed, which is how a client loses the reply to a write
that happened.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlsplit

from starlette.types import Receive, Scope, Send

from . import phpjson
from .errors import ApiError
from .stats import Stats

__all__ = [
    "DroppedReply",
    "FaultInjector",
    "Faults",
    "internal_server_error",
    "overload_limit",
    "quiet_dropped_replies",
]

_SHARES = ("storm", "overload", "error500", "drop", "stall")
_DROP_LOG = "ASGI callable returned without completing response."


@dataclass(frozen=True)
class Faults:
    storm: float = 0.0  # share answered 503 QUERY_LIMIT_EXCEEDED
    overload: float = 0.0  # share answered 503 OVERLOAD_LIMIT
    error500: float = 0.0  # share answered 500 INTERNAL_SERVER_ERROR
    drop: float = 0.0  # share whose connection closes after the call ran
    stall: float = 0.0  # share whose reply is held stall_seconds after the call ran
    stall_seconds: float = 5.0
    latency: float = 0.0  # seconds added before each request is handled
    methods: tuple[str, ...] = ()  # lower-case REST methods; empty means all
    moved_to: str | None = None  # origin the portal moved to: other hosts answer 302
    operating_cost: Mapping[str, float] = field(default_factory=dict)  # extra seconds a call
    seed: int | None = None

    def changed(self, changes: Mapping[str, Any]) -> Faults:
        """A copy with ``changes`` applied; ValueError names the first bad one."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown fault {unknown[0]!r}; known: {', '.join(sorted(known))}")
        values: dict[str, Any] = {}
        for name, value in changes.items():
            values[name] = _checked(name, value)
        return replace(self, **values)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["methods"] = list(self.methods)
        data["operating_cost"] = dict(self.operating_cost)
        return data


def _checked(name: str, value: Any) -> Any:
    if name in _SHARES:
        if not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ValueError(f"{name} is a share of requests, from 0 to 1")
        return float(value)
    if name in ("stall_seconds", "latency"):
        if not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"{name} is a number of seconds, 0 or more")
        return float(value)
    if name == "methods":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)):
            raise ValueError("methods is a list of REST method names")
        return tuple(str(m).strip().lower() for m in items if str(m).strip())
    if name == "moved_to":
        if value in (None, ""):
            return None
        parts = urlsplit(str(value))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("moved_to is an origin such as http://localhost:8024")
        return f"{parts.scheme}://{parts.netloc}"
    if name == "operating_cost":
        if not isinstance(value, Mapping) or not all(
            isinstance(v, (int, float)) and v >= 0 for v in value.values()
        ):
            raise ValueError("operating_cost maps REST methods to seconds")
        return {str(k).lower(): float(v) for k, v in value.items()}
    if value is not None and not isinstance(value, int):  # seed
        raise ValueError("seed is an integer")
    return value


def overload_limit() -> ApiError:
    return ApiError("OVERLOAD_LIMIT", "REST API is blocked due to overload.", 503)


def internal_server_error() -> ApiError:
    return ApiError("INTERNAL_SERVER_ERROR", "Internal server error", 500)


class FaultInjector:
    """The current faults, the random stream that picks their victims, and the counts."""

    def __init__(self, faults: Faults, stats: Stats) -> None:
        self.stats = stats
        self.faults = faults
        self._random = random.Random(faults.seed)

    def configure(self, faults: Faults) -> None:
        if faults.seed != self.faults.seed:
            self._random = random.Random(faults.seed)
        self.faults = faults

    def applies(self, method: str) -> bool:
        return not self.faults.methods or method in self.faults.methods

    def roll(self, kind: str, method: str) -> bool:
        """Whether this request gets fault ``kind``; counted when it does."""
        share: float = getattr(self.faults, kind)
        if share <= 0 or not self.applies(method) or self._random.random() >= share:
            return False
        self.stats.fault(kind, method)
        return True

    def cost(self, method: str) -> float:
        return self.faults.operating_cost.get(method, 0.0)


class DroppedReply:
    """Sends the status line and headers of a reply, then never its body: the server
    closes the connection, and the client has no way to know what happened."""

    def __init__(self, payload: Any, status: int = 200) -> None:
        self.body = phpjson.dumps(payload)
        self.status = status

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({
            "type": "http.response.start",
            "status": self.status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(self.body)).encode()),
            ],
        })


class _HideDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != _DROP_LOG


def quiet_dropped_replies() -> None:
    """uvicorn logs each deliberately unfinished reply as an error; they are not."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideDrops) for f in logger.filters):
        logger.addFilter(_HideDrops())
