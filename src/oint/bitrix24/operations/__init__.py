"""The declarations: one module per OPI region, each listing its operations in ``OPERATIONS``.

Nothing else in the package names an operation by hand. Importing this package loads no
region: ``find`` imports only the region of the operation asked for (through the generated
index), and ``ALL`` loads every region on first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._spec import Operation

__all__ = ["ALL", "REGION_MODULES", "find", "region", "regions"]

# In the order of OPI's module.
REGION_MODULES = (
    "settings",
    "posts",
    "tasks",
    "task_fields",
    "checklists",
    "comments",
    "kanban",
    "timekeeping",
    "storages",
    "folders",
    "files",
    "chats",
    "messages",
    "notifications",
    "departments",
    "users",
    "leads",
    "deals",
    "calendars",
    "calendar_events",
)

ALL: tuple[Operation, ...]  # every operation, in OPI's order (loaded on first use)


def region(module: str) -> ModuleType:
    """A region's declaration module, by its module name (``"chats"``)."""
    return import_module(f"{__name__}.{module}")


def _all() -> tuple[Operation, ...]:
    return tuple(op for module in REGION_MODULES for op in region(module).OPERATIONS)


def find(name: str) -> Operation | None:
    """The operation called ``name`` (OPI's name in any case, or the Python name)."""
    from .._generated.commands import COMMANDS

    module = COMMANDS.get(name.lower())
    if module is None:
        return None
    key = name.lower()
    for op in region(module).OPERATIONS:
        if key in (op.name.lower(), op.python_name):
            return op  # type: ignore[no-any-return]
    return None


def regions() -> Iterator[tuple[str, list[Operation]]]:
    """Regions with their operations, in declaration order (loads every region)."""
    for module in REGION_MODULES:
        declared = region(module)
        if declared.OPERATIONS:
            yield declared.REGION, list(declared.OPERATIONS)


# Hidden from type checkers, so that a misspelt name is an error there, not Any.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        if name == "ALL":
            found = _all()
            globals()["ALL"] = found
            return found
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
