"""The portal's data and rules, apart from HTTP: one module per family.

A model module owns its tables (a :class:`~oint.emulator.store.Schema` made with
:func:`schema`, which registers it) and the rules over them: who may see or change what,
what a write does to other rows, how values are stored. It knows nothing of REST
parameters, error order or reply envelopes; those are the handlers'
(``handlers/<family>.py``), which import the model, never the other way round. List-like
entities are declared on the generic :class:`~oint.emulator.model.entity.Entity`.

Rules take an :class:`Actor`: the caller, the store and the moment of the call (a handler's
``Context`` is one).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Protocol

from ..store import Schema, Store

__all__ = ["SCHEMAS", "Actor", "schema"]


class Actor(Protocol):
    """Who acts on which portal, and when."""

    @property
    def store(self) -> Store: ...

    @property
    def user_id(self) -> int: ...

    @property
    def now(self) -> float: ...


# Every family's tables, in the order their modules were imported: a family that builds on
# another's tables (a trigger on ``users``) imports its module, so those come first.
SCHEMAS: list[Schema] = []


def schema(
    family: str, sql: str, *, version: int = 1, migrations: Mapping[int, str] | None = None,
    seed: Callable[[sqlite3.Connection], None] | None = None,
) -> Schema:
    """Declare (and register) a family's tables; see :class:`~oint.emulator.store.Schema`."""
    if any(known.family == family for known in SCHEMAS):
        raise RuntimeError(f"the tables of family {family!r} are declared twice")
    made = Schema(family, sql, version, dict(migrations or {}), seed)
    SCHEMAS.append(made)
    return made
