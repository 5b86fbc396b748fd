"""How batches and page walks keep several requests in flight without doing I/O themselves.

A plan says which requests may go out now and turns each reply into items to hand back.
The clients drive a plan: they start what the bucket admits (``pacing``), at most
``window`` requests in flight, through their normal ``execute`` path (limiter and retries
included), and feed the replies back in the order the requests were made, so items come out
in order and memory stays bounded by the window. Only the driving loop exists twice
(threads for ``Client``, tasks for ``AsyncClient``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from .._errors import OintError
from .._response import Response
from .._spec import ApiRequest

__all__ = ["DEFAULT_WINDOW", "WALK_WINDOW", "Plan"]

T_co = TypeVar("T_co", covariant=True)

# The most requests in flight per batch run or walk: the standard bucket's burst, so that a
# run starts as fast as the portal allows. A walk also keeps its replies' size in flight
# under a budget (``paging.WALK_BUDGET``), so large records lower it.
DEFAULT_WINDOW = 50
WALK_WINDOW = DEFAULT_WINDOW


class Plan(Protocol[T_co]):
    @property
    def max_in_flight(self) -> int | None:
        """The most requests this plan wants in flight now (None: no limit of its own)."""

    def next_requests(self, room: int) -> list[ApiRequest]:
        """Up to ``room`` requests that may be sent now (none while waiting for a reply)."""

    def accept(self, reply: Response[Any] | OintError) -> Sequence[T_co]:
        """The reply to the oldest request in flight; the items it completes, in order."""
