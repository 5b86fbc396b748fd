"""An operation's MCP face, from its declaration: the JSON schema of its arguments (one
property per parameter, typed by its ``Kind``), its description and its annotations.

The schemas describe what a model should send; ``prepare`` then keeps the coercions that
read files or URLs for the parameters that are meant to (binary ones): JSON text given
for an object or an array is read inline, never as the path of a ``.json`` file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..bitrix24._errors import UsageError
from ..bitrix24._spec import Operation, Param

__all__ = [
    "KIND_SCHEMAS",
    "description",
    "input_schema",
    "page_param",
    "prepare",
    "tool_annotations",
]

_BINARY = {
    "type": "string",
    "description": "a file path on the server's machine, an http(s) URL, or base64",
}

# By the name of the ``Kind``; a kind missing here gets an open schema (and a test fails).
KIND_SCHEMAS: dict[str, dict[str, Any]] = {
    "TEXT": {"type": "string"},
    # Ids arrive as numbers or as the text the portal itself answers with ("12").
    "INTEGER": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^-?[0-9]+$"}]},
    "DIALOG": {"anyOf": [{"type": "integer"}, {"type": "string", "minLength": 1}]},
    # One value stands for a one-element array, as OPI takes it.
    "ARRAY": {"anyOf": [{"type": "array"}, {"type": ["string", "integer", "number"]}]},
    "COLLECTION": {"type": "object"},
    "JSON": {},
    "BINARY": _BINARY,
    "FILE": _BINARY,
    "FLAG": {"type": "boolean"},
    "BOOLEAN": {"type": "boolean"},
    "DATE": {"type": "string", "description": "ISO 8601: 2025-01-31 or 2025-01-31T09:00:00"},
}

# Writes whose repetition with the same arguments changes nothing more (the state is set,
# not added to). Toggles (SetMessageReaction likes, then unlikes) and creations are not.
_IDEMPOTENT_VERBS = frozenset({
    "Update", "Change", "Edit", "Delete", "Remove", "Enable", "Disable", "Mark", "Mute",
    "Unmute", "Read",
})
_DESTRUCTIVE_VERBS = frozenset({"Delete", "Remove"})


def _verb(op: Operation) -> str:
    found = re.match(r"[A-Z][a-z]*", op.name)
    return found.group() if found else ""


def page_param(op: Operation) -> Param | None:
    """The offset parameter of a list operation (its body key is ``start``), if it has one."""
    return next((p for p in op.params if p.key == "start"), None)


def _param_schema(param: Param) -> dict[str, Any]:
    schema = dict(KIND_SCHEMAS.get(param.kind.name, {}))
    hint = schema.pop("description", None)
    schema["description"] = f"{param.help} ({hint})" if hint else param.help
    default = param.default
    if isinstance(default, (bool, int, str)):
        schema["default"] = default
    return schema


def input_schema(op: Operation) -> dict[str, Any]:
    """The JSON schema of an operation's arguments, by their Python names."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {param.name: _param_schema(param) for param in op.params},
        "additionalProperties": False,
    }
    # A parameter with a default is sent with it when left out: optional for the caller.
    required = [p.name for p in op.params if p.required and p.default is None]
    if required:
        schema["required"] = required
    return schema


def description(op: Operation) -> str:
    where = op.where[:1].upper() + op.where[1:]
    parts = [f"{op.summary}. {where} ({op.region})."]
    if op.reads:
        parts.append("Only reads.")
    else:
        parts.append("Writes. If its reply is lost it is not sent again: the error says it "
                     "may have run.")
    if page_param(op) is not None:
        parts.append("One page of 50 records; read_list reads several pages, up to a limit.")
    return " ".join(parts)


def tool_annotations(op: Operation) -> dict[str, Any]:
    """MCP tool annotations: read-only, destructive (deletes), idempotent, open world."""
    verb = _verb(op)
    method = (op.method or "").lower()
    destructive = not op.reads and (
        verb in _DESTRUCTIVE_VERBS or method.endswith((".delete", ".remove"))
    )
    return {
        "title": op.summary,
        "read_only_hint": op.reads,
        "destructive_hint": destructive,
        "idempotent_hint": op.reads or verb in _IDEMPOTENT_VERBS,
        # A local operation computes its answer; the others reach the portal.
        "open_world_hint": op.needs_portal,
    }


def _inline(opening: str | tuple[str, ...], shape: str) -> Callable[[Any, str], Any]:
    def check(value: Any, name: str) -> Any:
        if isinstance(value, str) and not value.lstrip().startswith(opening):
            raise UsageError(f"{name} must be a JSON {shape}")
        return value

    return check


def _array(value: Any, name: str) -> Any:
    if isinstance(value, str) and value.lstrip().startswith("["):
        return value
    if isinstance(value, (str, int, float, bool)):
        return [value]  # one value for a one-element array, as OPI takes it
    return value


_PREPARE: dict[str, Callable[[Any, str], Any]] = {
    "COLLECTION": _inline("{", "object"),
    "JSON": _inline(("{", "["), "object or array"),
    "ARRAY": _array,
}


def prepare(op: Operation, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """A tool call's arguments as the operation takes them (``Operation.coerce`` checks the
    rest and names unknown ones)."""
    params = {param.name: param for param in op.params}
    prepared: dict[str, Any] = {}
    for name, value in arguments.items():
        param = params.get(name)
        step = _PREPARE.get(param.kind.name) if param is not None else None
        prepared[name] = step(value, name) if step is not None and value is not None else value
    return prepared
