"""How an operation is declared: OPI's function, its parameters and how they become a request.

Everything else (client methods, module functions, CLI commands, the reference docs, batch
entries) is derived from these declarations.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import _values as values
from ._errors import UsageError

__all__ = ["ApiRequest", "Kind", "Operation", "Param"]


class Kind(enum.Enum):
    """A parameter's kind: its Python annotation and the coercion that makes a wire value."""

    TEXT = ("str", values.to_text)
    INTEGER = ("int | str", values.to_integer)
    DIALOG = ("int | str", values.to_dialog_id)
    ARRAY = ("Sequence[Any] | str | int", values.to_array)
    COLLECTION = ("Mapping[str, Any] | str", values.to_collection)
    JSON = ("Any", values.to_json)
    BINARY = ("bytes | str | os.PathLike[str]", values.to_base64)
    FLAG = ("bool | str", values.to_flag)
    BOOLEAN = ("bool | str", values.to_bool)
    DATE = ("datetime.date | str", values.to_date)

    def __init__(self, annotation: str, coerce: Callable[[Any, str], Any]) -> None:
        self.annotation = annotation
        self.coerce = coerce


@dataclass(frozen=True)
class Param:
    """One parameter of an OPI function.

    ``key`` is where the value goes in the request body; operations with a ``build`` function
    place values themselves and may leave it None. ``default=None`` means "not sent".
    """

    name: str
    cli: str
    kind: Kind
    help: str
    key: str | None = None
    required: bool = True
    default: Any = None
    annotation: str | None = None

    @property
    def python_type(self) -> str:
        return self.annotation or self.kind.annotation


@dataclass(frozen=True)
class ApiRequest:
    """A REST call ready to be sent by either client or packed into a batch."""

    method: str
    params: dict[str, Any] = field(default_factory=dict)
    reads: bool = False
    operation: str | None = None


Builder = Callable[[dict[str, Any]], dict[str, Any]]
LocalRunner = Callable[[dict[str, Any]], Any]


def snake_case(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class Operation:
    """One OPI function.

    ``method`` is the REST method, or None for an operation that does not call the portal:
    ``local`` computes its result, without HTTP unless ``service`` names the other server it
    asks (the OAuth server for GetToken). ``reads`` marks operations that change nothing and
    so are safe to repeat. ``fixed`` entries are added to every request; ``build`` replaces
    the plain key-per-parameter body when the body has another shape.
    """

    name: str
    region: str
    summary: str
    method: str | None = None
    params: tuple[Param, ...] = ()
    reads: bool = False
    result: str = "Any"
    fixed: Mapping[str, Any] = field(default_factory=dict)
    build: Builder | None = None
    local: LocalRunner | None = None
    service: str | None = None

    @property
    def python_name(self) -> str:
        return snake_case(self.name)

    @property
    def is_local(self) -> bool:
        """True when the portal is not called (no URL, no token, no Response envelope)."""
        return self.method is None

    @property
    def where(self) -> str:
        """Where the operation goes, for help texts and docs."""
        if self.method is not None:
            return f"REST {self.method}"
        return self.service or "local, no request"

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)

    def coerce(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """Check and convert the caller's arguments; a None value is dropped (not sent)."""
        known = {param.name for param in self.params}
        unknown = sorted(set(args) - known)
        if unknown:
            raise UsageError(f"{self.name} has no parameter {unknown[0]!r}")
        coerced: dict[str, Any] = {}
        for param in self.params:
            value = args.get(param.name, param.default)
            if value is None:
                if param.required:
                    raise UsageError(f"{self.name}: {param.name} is required (--{param.cli})")
                continue
            coerced[param.name] = param.kind.coerce(value, f"--{param.cli}")
        return coerced

    def request(self, args: Mapping[str, Any] | None = None, /, **kwargs: Any) -> ApiRequest:
        """The REST call this operation makes for these arguments (no I/O)."""
        if self.method is None:
            raise UsageError(f"{self.name} is local: it makes no REST call")
        coerced = self.coerce({**(args or {}), **kwargs})
        if self.build is not None:
            body = self.build(coerced)
        else:
            body = {p.key: coerced[p.name] for p in self.params if p.key and p.name in coerced}
        body.update(self.fixed)
        return ApiRequest(self.method, body, reads=self.reads, operation=self.name)

    def run_local(self, args: Mapping[str, Any] | None = None, /, **kwargs: Any) -> Any:
        """The result of a local operation (no HTTP)."""
        if self.local is None:
            raise UsageError(f"{self.name} calls {self.method}: it is not local")
        return self.local(self.coerce({**(args or {}), **kwargs}))
