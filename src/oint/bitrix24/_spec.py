"""How an operation is declared: OPI's function, its parameters and how they become requests.

Everything else (client methods, module functions, CLI commands, the reference docs, batch
entries, MCP tools) is derived from these declarations. An operation is one of:

- one REST call: ``method`` plus the body (one key per parameter, or ``build``), and an
  optional ``transform`` that reshapes the reply's result;
- several requests (``steps``): an I/O-free generator that yields requests (REST calls,
  ``ServiceRequest`` to an absolute URL such as an upload URL or the OAuth server, with form
  or multipart bodies, or ``DownloadRequest``, a GET whose body goes into a file) and
  receives each reply; both clients drive it through the same limits, retries, redaction,
  ``--test`` and ``--debug`` as a single call;
- local (``local``): data computed without any request.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from . import _values as values
from ._errors import UsageError

if TYPE_CHECKING:
    from ._values import Upload

# The classes here are written out by hand rather than as dataclasses: every command of the
# CLI imports this module, and ``dataclasses`` (with ``inspect``) would cost a third of its
# start-up.

__all__ = [
    "ApiRequest",
    "DownloadRequest",
    "Example",
    "ExamplePortal",
    "FilePart",
    "Kind",
    "Operation",
    "Param",
    "ServiceRequest",
    "Step",
    "Steps",
]


class Kind(enum.Enum):
    """A parameter's kind: its Python annotation and the coercion that makes a wire value."""

    TEXT = ("str", values.to_text)
    INTEGER = ("int | str", values.to_integer)
    DIALOG = ("int | str", values.to_dialog_id)
    ARRAY = ("Sequence[Any] | str | int", values.to_array)
    COLLECTION = ("Mapping[str, Any] | str", values.to_collection)
    JSON = ("Any", values.to_json)
    BINARY = ("bytes | str | os.PathLike[str]", values.to_base64)
    # A file sent as it is (multipart), read in pieces: never held whole in memory.
    FILE = ("bytes | str | os.PathLike[str]", values.to_upload)
    FLAG = ("bool | str", values.to_flag)
    BOOLEAN = ("bool | str", values.to_bool)
    DATE = ("datetime.date | str", values.to_date)

    def __init__(self, annotation: str, coerce: Callable[[Any, str], Any]) -> None:
        self.annotation = annotation
        self.coerce = coerce


class Param:
    """One parameter of an OPI function.

    ``key`` is where the value goes in the request body; operations with a ``build`` function
    place values themselves and may leave it None. ``default=None`` means "not sent".
    ``after_token``: OPI takes this (optional) parameter after ``Token``, so the module
    function does too, and OPI's positional calls keep their meaning.
    """

    __slots__ = ("after_token", "annotation", "cli", "default", "help", "key", "kind", "name",
                 "required")

    def __init__(
        self, name: str, cli: str, kind: Kind, help: str, key: str | None = None,
        *, required: bool = True, default: Any = None, annotation: str | None = None,
        after_token: bool = False,
    ) -> None:
        self.name = name
        self.cli = cli
        self.kind = kind
        self.help = help
        self.key = key
        self.required = required
        self.default = default
        self.annotation = annotation
        self.after_token = after_token

    def but(self, **changes: Any) -> Param:
        """A copy with some attributes changed (``TEXT.but(required=False)``)."""
        values = {name: getattr(self, name) for name in self.__slots__}
        return Param(**{**values, **changes})

    def __repr__(self) -> str:
        return f"Param({self.name!r}, --{self.cli}, {self.kind.name})"

    @property
    def python_type(self) -> str:
        return self.annotation or self.kind.annotation


class ApiRequest:
    """A REST call ready to be sent by either client or packed into a batch.

    ``transform`` reshapes the reply's result (a declaration's ``transform`` bound to the
    call's arguments); it runs wherever the reply arrives, alone or in a batch.
    """

    __slots__ = ("method", "operation", "params", "reads", "transform")

    def __init__(
        self, method: str, params: dict[str, Any] | None = None, *, reads: bool = False,
        operation: str | None = None, transform: Callable[[Any], Any] | None = None,
    ) -> None:
        self.method = method
        self.params = params if params is not None else {}
        self.reads = reads
        self.operation = operation
        self.transform = transform

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ApiRequest):
            return NotImplemented
        return (self.method, self.params, self.reads, self.operation) == (
            other.method, other.params, other.reads, other.operation)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"ApiRequest(method={self.method!r}, params={self.params!r}, "
                f"reads={self.reads!r}, operation={self.operation!r})")


class FilePart:
    """One file of a multipart body: its form field, the file name it is sent under, and
    its bytes (an ``Upload``, read in pieces when the request is sent)."""

    __slots__ = ("content_type", "field", "filename", "upload")

    def __init__(self, field: str, filename: str, upload: Upload, content_type: str = "",
                 ) -> None:
        self.field = field
        self.filename = filename
        self.upload = upload
        self.content_type = content_type

    def __repr__(self) -> str:
        return f"FilePart({self.field!r}, {self.filename!r}, {self.upload!r})"


class ServiceRequest:
    """A POST to an absolute URL that is not a REST method of the portal: the upload URL a
    portal hands out, or the OAuth server.

    ``form`` is sent as a form body, or as multipart with ``files``. ``secrets`` are hidden
    wherever the request is shown. ``label`` names the request in messages (as a REST method
    name does). ``reply`` reads the answer (status, body) into the step's value; without it
    the answer is read as a REST envelope.
    """

    __slots__ = ("files", "form", "label", "reads", "reply", "secrets", "url")

    def __init__(
        self, url: str, label: str, *, form: Mapping[str, str] | None = None,
        files: tuple[FilePart, ...] = (), secrets: tuple[str, ...] = (), reads: bool = False,
        reply: Callable[[int, bytes], Any] | None = None,
    ) -> None:
        self.url = url
        self.label = label
        self.form = dict(form or {})
        self.files = files
        self.secrets = secrets
        self.reads = reads
        self.reply = reply

    @property
    def method(self) -> str:
        return self.label

    def __repr__(self) -> str:
        # The URL may carry a signature and the form a secret: only the label is shown.
        return f"ServiceRequest({self.label!r}, {len(self.files)} files)"


class DownloadRequest:
    """A GET of a file on the portal (a ``DOWNLOAD_URL``) whose body is streamed into
    ``path``: into a file beside it first, moved into place only when whole, so a file of
    any size costs the client one piece of memory and a failed download leaves what was at
    ``path`` untouched. It only reads, so it may be repeated. ``secrets`` are hidden
    wherever the request is shown; ``label`` names it in messages. Its reply is a
    ``Response`` whose result is ``{"path": ..., "size": ...}``.
    """

    __slots__ = ("label", "path", "secrets", "url")

    reads = True

    def __init__(self, url: str, label: str, path: str, *, secrets: tuple[str, ...] = ()
                 ) -> None:
        self.url = url
        self.label = label
        self.path = path
        self.secrets = secrets

    @property
    def method(self) -> str:
        return self.label

    def __repr__(self) -> str:
        # The URL carries a signed token and may carry credentials: only the label is shown.
        return f"DownloadRequest({self.label!r}, to {self.path!r})"


Step = ApiRequest | ServiceRequest | DownloadRequest
# Yields requests; is sent each one's reply (a Response, or what ``ServiceRequest.reply``
# made of it); returns the operation's result.
Steps = Generator[Step, Any, Any]


class ExamplePortal(Protocol):
    """What an example's setup works with: a portal (the emulator, in the coverage test)."""

    @property
    def base_url(self) -> str:
        """The portal's origin, e.g. ``http://127.0.0.1:8024`` (its OAuth server is there)."""

    def call(self, method: str, params: Mapping[str, Any]) -> Any:
        """Run a REST method as the example's user (user 1); its ``result``."""

    def oauth_grant(self) -> Mapping[str, str]:
        """An OAuth app the portal knows and a fresh grant of it: ``client_id``,
        ``client_secret``, an unused ``code`` and a live ``refresh_token``."""


class Example:
    """Arguments that make the operation succeed on a fresh portal (the emulator's).

    ``setup`` makes what the arguments refer to (a chat, a message, ...) on the portal and
    gives back more arguments; it runs again for every use, so an operation that deletes
    gets a fresh target each time.
    """

    __slots__ = ("args", "setup")

    def __init__(self, args: Mapping[str, Any] | None = None,
                 setup: Callable[[ExamplePortal], Mapping[str, Any]] | None = None) -> None:
        self.args = dict(args or {})
        self.setup = setup

    def arguments(self, portal: ExamplePortal) -> dict[str, Any]:
        made = self.setup(portal) if self.setup is not None else {}
        return {**self.args, **made}


Builder = Callable[[dict[str, Any]], dict[str, Any]]
LocalRunner = Callable[[dict[str, Any]], Any]
Transform = Callable[[Any, dict[str, Any]], Any]
StepsFactory = Callable[[dict[str, Any]], Steps]


def snake_case(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


class Operation:
    """One OPI function.

    ``method`` is the REST method (the first one, for an operation of several ``steps``), or
    None for an operation that does not call the portal: ``local`` computes its result, or
    ``steps`` ask only ``service`` (the OAuth server for GetToken). ``reads`` marks operations
    that change nothing and so are safe to repeat. ``fixed`` entries are added to every
    request; ``build`` replaces the plain key-per-parameter body when the body has another
    shape; ``transform`` reshapes the result. ``example`` is what the coverage test, the docs
    and the MCP schemas run and check.
    """

    __slots__ = ("build", "example", "fixed", "local", "method", "name", "params", "reads",
                 "region", "result", "service", "steps", "summary", "transform")

    def __init__(
        self, name: str, region: str, summary: str, *, method: str | None = None,
        params: tuple[Param, ...] = (), reads: bool = False, result: str = "Any",
        fixed: Mapping[str, Any] | None = None, build: Builder | None = None,
        local: LocalRunner | None = None, service: str | None = None,
        transform: Transform | None = None, steps: StepsFactory | None = None,
        example: Example | None = None,
    ) -> None:
        self.name = name
        self.region = region
        self.summary = summary
        self.method = method
        self.params = params
        self.reads = reads
        self.result = result
        self.fixed = dict(fixed or {})
        self.build = build
        self.local = local
        self.service = service
        self.transform = transform
        self.steps = steps
        self.example = example

    def __repr__(self) -> str:
        return f"<Operation {self.name} ({self.where})>"

    @property
    def python_name(self) -> str:
        return snake_case(self.name)

    @property
    def is_local(self) -> bool:
        """True when no request at all is made (no URL, no token, no envelope)."""
        return self.local is not None

    @property
    def needs_portal(self) -> bool:
        """True when the operation calls the portal (it takes a URL and a token)."""
        return self.method is not None

    @property
    def batchable(self) -> bool:
        """One REST call: it can go into a ``batch`` (``oint.bitrix24.calls`` has it)."""
        return self.method is not None and self.steps is None

    @property
    def where(self) -> str:
        """Where the operation goes, for help texts and docs."""
        if self.method is not None:
            return f"REST {self.method}" + (", then more requests" if self.steps else "")
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

    def body(self, coerced: dict[str, Any]) -> dict[str, Any]:
        """The REST body of these (coerced) arguments."""
        if self.build is not None:
            body = self.build(coerced)
        else:
            body = {p.key: coerced[p.name] for p in self.params if p.key and p.name in coerced}
        body.update(self.fixed)
        return body

    def request(self, args: Mapping[str, Any] | None = None, /, **kwargs: Any) -> ApiRequest:
        """The REST call this operation makes for these arguments (no I/O)."""
        if self.method is None or self.local is not None:
            raise UsageError(f"{self.name} is local: it makes no REST call")
        if self.steps is not None:
            raise UsageError(
                f"{self.name} takes several requests (each depends on the last reply), so it "
                "cannot go into a batch: call it on a Client"
            )
        coerced = self.coerce({**(args or {}), **kwargs})
        transform = self.transform
        bound = None if transform is None else (lambda result: transform(result, coerced))
        return ApiRequest(
            self.method, self.body(coerced), reads=self.reads, operation=self.name,
            transform=bound,
        )

    def plan(self, args: Mapping[str, Any] | None = None, /, **kwargs: Any) -> Steps:
        """The requests this operation makes, as the I/O-free steps a client drives.

        A single call is a plan of one step; local operations have none.
        """
        if self.local is not None:
            raise UsageError(f"{self.name} is local: it makes no request")
        if self.steps is None:
            return _one_step(self.request(args, **kwargs))
        return self.steps(self.coerce({**(args or {}), **kwargs}))

    def run_local(self, args: Mapping[str, Any] | None = None, /, **kwargs: Any) -> Any:
        """The result of a local operation (no HTTP)."""
        if self.local is None:
            raise UsageError(f"{self.name} makes requests: it is not local")
        return self.local(self.coerce({**(args or {}), **kwargs}))


def _one_step(request: ApiRequest) -> Steps:
    return (yield request)
