"""The table of every operation, in OPI's region order.

Each region module declares its operations and lists them in ``OPERATIONS``; nothing else
in the package names an operation by hand.
"""

from __future__ import annotations

from collections.abc import Iterator

from .._spec import Operation
from . import chats, leads, messages, notifications, settings

__all__ = ["ALL", "find", "regions"]

# In the order of OPI's module.
_REGION_MODULES = (settings, chats, messages, notifications, leads)

ALL: tuple[Operation, ...] = tuple(op for module in _REGION_MODULES for op in module.OPERATIONS)

_BY_KEY = {op.name.lower(): op for op in ALL}
_BY_KEY.update({op.python_name: op for op in ALL})


def find(name: str) -> Operation | None:
    """The operation called ``name`` (OPI's name in any case, or the Python name)."""
    return _BY_KEY.get(name.lower())


def regions() -> Iterator[tuple[str, list[Operation]]]:
    """Regions with their operations, in declaration order."""
    seen: dict[str, list[Operation]] = {}
    for op in ALL:
        seen.setdefault(op.region, []).append(op)
    yield from seen.items()
