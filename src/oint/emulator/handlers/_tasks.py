"""What the task families' handlers share: the errors the tasks module answers with, and
reading a task id the way its REST controllers do.

Two generations of the server's code answer here. The ``tasks.task.*`` controllers write
numeric codes (``100`` for a missing parameter, ``0``, ``1``, ``1048582`` =
TE_ACTION_NOT_ALLOWED | TE_ACCESS_DENIED); the older ``task.*`` methods read their
parameters by position and answer ``ERROR_CORE`` with the text of ``TasksException``
(``TASKS_ERROR_EXCEPTION_#<code>; <message>; <code>/TE/<names>``). Texts are those of the
English REST documentation where it shows them, else of the server's source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ApiError
from ..model.tasks import can_read, task
from ._registry import Context

__all__ = [
    "INTERNAL",
    "Arg",
    "NumericError",
    "assert_positive",
    "core_error",
    "is_lax_integer",
    "legacy_error",
    "missing",
    "not_allowed",
    "positional",
    "readable_task",
    "task_id_param",
    "wrong_type",
]

INTERNAL = " (internal error)"

# TasksException's codes, by the names its messages write them with.
_TE_NAMES = ((0x000001, "TASK_NOT_FOUND_OR_NOT_ACCESSIBLE"), (0x100002, "ACCESS_DENIED"),
             (0x000004, "ACTION_NOT_ALLOWED"), (0x000008, "ACTION_FAILED_TO_BE_PROCESSED"),
             (0x000040, "UNKNOWN_ERROR"), (0x000100, "WRONG_ARGUMENTS"),
             (0x000200, "ITEM_NOT_FOUND_OR_NOT_ACCESSIBLE"))
_LAX_INTEGER = re.compile(r"^\s*-?\d+\s*$")


class NumericError(ApiError):
    """An error whose code the server writes as a JSON number (``"error": 1048582``)."""

    def __init__(self, number: int, description: str, status: int = 400) -> None:
        super().__init__(str(number), description, status)
        self.number = number

    def payload(self) -> dict[str, Any]:
        return {"error": self.number, "error_description": self.description, **self.extra}


def core_error(*messages: str) -> ApiError:
    """``ERROR_CORE`` with the module's messages, each ended by ``<br>`` as the server
    joins them."""
    return ApiError("ERROR_CORE", "".join(f"{m}<br>" for m in messages))


def legacy_error(code: int, message: str) -> ApiError:
    """A TasksException of the older ``task.*`` methods."""
    names = "".join(f"/{name}" for value, name in _TE_NAMES if code & value)
    return core_error(f"TASKS_ERROR_EXCEPTION_#{code}; {message}; {code}/TE{names}")


def not_allowed() -> NumericError:
    return NumericError(1048582, "Action on the task is not allowed")


def is_lax_integer(value: Any) -> bool:
    """CTaskAssert::isLaxIntegers: a number, or text of digits."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and bool(_LAX_INTEGER.match(value)))


def task_id_param(params: Mapping[str, Any], internal: bool = False,
                  keys: Sequence[str] = ("TASKID", "ID")) -> int:
    """The task id of a tasks.task.* call (``taskId``; ``id`` where the docs name it so)."""
    suffix = INTERNAL if internal else ""
    key = next((k for k in keys if k in params), None)
    if key is None or params[key] is None:
        raise NumericError(100, "CTaskItem All parameters in the constructor must have real "
                                f"class type{suffix}")
    value = params[key]
    if not is_lax_integer(value) or int(value) <= 0:
        raise NumericError(0, f"wrong task id{suffix}")
    return int(value)


def readable_task(ctx: Context, task_id: int, error: ApiError) -> dict[str, Any]:
    """The task, if the caller may see it; else ``error``."""
    found = task(ctx, task_id)
    if found is None or not can_read(ctx, found, ctx.user_id):
        raise error
    return found


def missing(name: str, suffix: str = "") -> NumericError:
    """The controllers' answer for a parameter that was not given."""
    return NumericError(100, f"Could not find value for parameter {{{name}}}{suffix}")


def wrong_type(name: str, value: Any, kind: str, suffix: str = "") -> NumericError:
    shown = "" if isinstance(value, (Mapping, list)) else str(value)
    return NumericError(100, f"Invalid value {{{shown}}} to match with parameter {{{name}}}. "
                             f"Should be value of type {kind}.{suffix}")



@dataclass(frozen=True)
class Arg:
    """One positional parameter of an older ``task.*`` method (its manifest's entry)."""

    description: str
    type: str  # "integer" or "array"
    mandatory: bool = True
    keys: frozenset[str] | None = None  # the keys an array may hold


def positional(params: Mapping[str, Any], method: str, args: Sequence[Arg]) -> list[Any]:
    """The values of an older ``task.*`` call, by position, checked as CTaskRestService
    checks them: the names the caller gave do not matter, their order does."""
    given = list(params.values())
    values: list[Any] = []
    for index, arg in enumerate(args):
        label = f"Param #{index} ({arg.description})"
        if index >= len(given):
            if arg.mandatory:
                raise legacy_error(256, f"{label} expected by method {method}(), but not given.")
            break
        value = given[index]
        fits = is_lax_integer(value) if arg.type == "integer" else isinstance(value, (dict, list))
        if not fits:
            raise legacy_error(256, f"{label} for method {method}() expected to be of type "
                                    f'"{arg.type}", but given something else.')
        if arg.keys is not None and isinstance(value, dict):
            for key in value:
                if str(key) not in arg.keys:
                    raise legacy_error(256, f'{label} for method {method}() must not contain '
                                            f'key "{key}".')
        values.append(int(value) if arg.type == "integer" else value)
    if len(given) > len(args):
        raise legacy_error(256, f"Too much params({len(given)}) given for method {method}(), "
                                f"but expected not more than {len(args)}.")
    return values


def assert_positive(*numbers: int) -> None:
    """CTaskAssert on ids: a zero or negative one is TASKS_ERROR_ASSERT_EXCEPTION."""
    if any(number <= 0 for number in numbers):
        raise core_error("TASKS_ERROR_ASSERT_EXCEPTION")
