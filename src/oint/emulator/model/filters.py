"""The filter grammar every list of the portal shares: a key's prefix, and the condition it
sets on a value.

``>=``, ``<=``, ``>``, ``<`` compare (with a list, any element may match); ``@`` and ``!@``
are IN and NOT IN; ``%`` and ``!%`` are LIKE and NOT LIKE of a substring; ``=%``, ``%=``
(and ``!=%``, ``!%=``) are LIKE with the caller's own ``%``; ``!``, ``!=`` are "not equal";
``=`` or nothing is "equal" (IN with a list).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

__all__ = ["PREFIXES", "Clause", "combine", "compare", "split_key"]

# Filter key prefixes, longest first so that ">=" is not read as ">".
PREFIXES = ("!=%", "!%=", ">=", "<=", "!@", "!%", "!=", "=%", "%=", ">", "<", "@", "!", "%",
            "=")
_ORDERING = frozenset({">=", "<=", ">", "<"})
_SUBSTRING = frozenset({"%", "!%"})
_PATTERN = frozenset({"=%", "%=", "!=%", "!%="})
# SQLite parses a chain of N terms N levels deep and refuses more than 1000 levels, which a
# filter of 1,000 keys or values reaches; chains are cut into nested groups of this many.
_GROUP = 64


class Clause(NamedTuple):
    """A piece of a WHERE: SQL with ``?`` marks, and the values bound to them."""

    sql: str
    args: list[Any]


def combine(clauses: Sequence[Clause], operator: str, empty: str) -> Clause:
    """The clauses joined by ``operator`` (AND, OR), ``empty`` when there are none; the
    parse tree stays a few groups deep however many there are."""
    if not clauses:
        return Clause(empty, [])
    glue = f" {operator} "
    parts = [clause.sql for clause in clauses]
    while len(parts) > _GROUP:
        parts = ["(" + glue.join(parts[i:i + _GROUP]) + ")" for i in range(0, len(parts), _GROUP)]
    return Clause("(" + glue.join(parts) + ")", [arg for clause in clauses for arg in clause.args])


def split_key(key: str) -> tuple[str, str]:
    """A filter key's prefix and the field name it applies to (upper case)."""
    prefix = next((p for p in PREFIXES if key.startswith(p)), "")
    return prefix, key[len(prefix):].strip().upper()


def compare(sql: str, prefix: str, value: Any, compared: Callable[[Any], Any] = str
            ) -> Clause:
    """The condition ``prefix`` sets on the SQL value ``sql``; ``compared`` converts a
    filter's value to the column's (``intval`` for a number)."""
    values = list(value.values()) if isinstance(value, Mapping) else value
    negate = prefix.startswith("!")
    if prefix in {"@", "!@"}:
        values = values if isinstance(values, list) else [values]
    if isinstance(values, list):
        if prefix in _ORDERING:
            # The emulator's choice for an array after a comparison: any element may match.
            return combine([Clause(f"{sql} {prefix} ?", [compared(v)]) for v in values],
                           "OR", "0")
        if prefix in _SUBSTRING or prefix in _PATTERN:
            return combine([_like(sql, prefix, v) for v in values],
                           "AND" if negate else "OR", "1" if negate else "0")
        if not values:
            return Clause("1" if negate else "0", [])
        marks = ", ".join("?" for _ in values)
        return Clause(f"{sql} {'NOT ' if negate else ''}IN ({marks})",
                      [compared(v) for v in values])
    if prefix in _ORDERING:
        return Clause(f"{sql} {prefix} ?", [compared(values)])
    if prefix in _SUBSTRING or prefix in _PATTERN:
        return _like(sql, prefix, values)
    return Clause(f"{sql} IS {'NOT ' if negate else ''}?", [compared(values)])


def _like(sql: str, prefix: str, value: Any) -> Clause:
    text = "" if value is None else str(value)
    negate = "NOT " if prefix.startswith("!") else ""
    if prefix in _SUBSTRING:
        return Clause(f"COALESCE({sql}, '') {negate}LIKE ?", [f"%{text}%"])
    return Clause(f"{sql} {negate}LIKE ?", [text])
