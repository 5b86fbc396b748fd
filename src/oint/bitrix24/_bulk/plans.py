"""How batches and page walks keep several requests in flight without doing I/O themselves.

A plan says which requests may go out now and turns each reply into items to hand back.
The clients drive a plan: they keep up to ``window`` requests in flight, through their
normal ``execute`` path (limiter and retries included), and feed the replies back in the
order the requests were made, so items come out in order and memory stays bounded by the
window. Only the driving loop exists twice (threads for ``Client``, tasks for
``AsyncClient``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from .._errors import OintError
from .._response import Response
from .._spec import ApiRequest

__all__ = ["DEFAULT_WINDOW", "WALK_WINDOW", "Plan"]

T_co = TypeVar("T_co", covariant=True)

# Requests in flight per walk or batch run. The portal's bucket lets 50 through at once and
# the client's limiter paces the rest; a few in flight hide the round trip without holding
# many large replies in memory.
DEFAULT_WINDOW = 4
# A walk's batches bring 2,500 records each; two in flight keep the portal busy while the
# caller takes the records of a third, so a walk's memory stays near that of three batches.
WALK_WINDOW = 2


class Plan(Protocol[T_co]):
    def next_requests(self, room: int) -> list[ApiRequest]:
        """Up to ``room`` requests that may be sent now (none while waiting for a reply)."""

    def accept(self, reply: Response[Any] | OintError) -> Sequence[T_co]:
        """The reply to the oldest request in flight; the items it completes, in order."""
