"""``oint bitrix24 <Method> ...``: one operation from the declarations, run from the shell."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from ..bitrix24 import operations
from ..bitrix24._errors import (
    Bitrix24Error,
    OintError,
    UsageError,
)
from ..bitrix24._spec import Operation, Steps
from ._help import library_help, method_help
from ._io import Console, OutFile, open_out, to_json
from ._options import Invocation, arguments, parse
from ._status import ExitStatus
from ._target import ENV_URL, command_secrets, endpoint_args

__all__ = ["run"]


def run(words: list[str], console: Console) -> int:
    if not words or words[0] in ("--help", "-h"):
        console.out(library_help())
        return ExitStatus.SUCCESS
    op = operations.find(words[0])
    if op is None:
        console.err(_unknown_method(words[0]))
        return ExitStatus.USAGE
    options = words[1:]
    try:
        invocation = parse(op, options)
    except UsageError as exc:
        console.err(f"oint bitrix24 {op.name}: {exc}")
        return ExitStatus.USAGE
    # OPI prints a method's help when it is called with no options at all.
    if "help" in invocation.switches or (not options and _needs_options(op, console)):
        console.out(method_help(op))
        return ExitStatus.SUCCESS
    # A local command sends nothing and prints no credential.
    secrets = [] if op.is_local else command_secrets(invocation, console)
    try:
        if invocation.source is not None or "all" in invocation.switches:
            from ._bulk import run_many

            return run_many(op, invocation, console, secrets)
        return _execute(op, invocation, console)
    except OintError as exc:
        return _report(op, exc, console, secrets)
    except BrokenPipeError:
        raise  # the reader of stdout left: `oint` stops quietly
    except RecursionError:
        console.err(f"oint bitrix24 {op.name}: the input is nested too deeply")
        return ExitStatus.USAGE
    except Exception as exc:  # a bug: still one line, still no secret, never a traceback
        from ..bitrix24._http.endpoint import redact

        console.err(
            f"oint bitrix24 {op.name}: internal error: {type(exc).__name__}: "
            f"{redact(str(exc), secrets)}"
        )
        return ExitStatus.INTERNAL


def _needs_options(op: Operation, console: Console) -> bool:
    required = any(p.required for p in op.params)
    return required or (op.needs_portal and not console.environ.get(ENV_URL))


def _unknown_method(name: str) -> str:
    import difflib  # only a mistyped name needs it; keep it off the start-up path

    from ..bitrix24._generated.index import REGIONS

    names = [op_name for _, _, op_names in REGIONS for op_name in op_names]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else "; `oint bitrix24` lists the methods"
    return f"oint bitrix24: unknown method {name!r}{hint}"


def _execute(op: Operation, invocation: Invocation, console: Console) -> int:
    args = arguments(op, invocation)
    with ExitStack() as stack:
        # The output file is opened before the call so that a result is never lost to a
        # path we cannot write.
        sink = open_out(invocation.out, console, stack)
        if op.is_local:
            return _emit(op.run_local(args), invocation, sink, console)
        url, token = endpoint_args(invocation, console) if op.needs_portal else (None, None)
        steps = op.plan(args)  # bad input fails here, before anything is sent
        if "test" in invocation.switches:
            return _emit(_planned(op, steps, url, token), invocation, sink, console)
        from ..bitrix24._http.base_client import BaseClient
        from ..bitrix24._reliability.flow import plan_flow

        debug = console.err if "debug" in invocation.switches else None
        with BaseClient(url, token, debug=debug) as client:
            try:
                result = client.drive(plan_flow(client, steps))
            except Bitrix24Error as exc:
                _emit(dict(exc.payload), invocation, sink, console)
                raise
        from ..bitrix24._response import Response  # only a remote call has an envelope

        return _emit(result.json() if isinstance(result, Response) else result, invocation,
                     sink, console)
    return ExitStatus.SUCCESS  # pragma: no cover  (ExitStack does not swallow)


def _planned(op: Operation, steps: Steps, url: str | None, token: str | None) -> Any:
    """What ``--test`` prints: the first request, secrets hidden; nothing is sent."""
    from ..bitrix24._http.requests import RequestBuilder

    builder = RequestBuilder.for_url(url, token)
    shown = builder.describe_json(builder.prepare(next(steps)))
    steps.close()
    if op.steps is not None and op.needs_portal:
        shown["then"] = "more requests, each built from the reply to the one before"
    return shown


def _emit(data: Any, invocation: Invocation, sink: OutFile | None, console: Console) -> int:
    text = to_json(data)
    if sink is None:
        console.out(text)
        return ExitStatus.SUCCESS
    sink.write(text)
    sink.close()  # in place before we say so
    if sink.failed:
        return ExitStatus.USAGE
    console.err(f"oint: wrote {len(text.encode()) + 1} bytes to {invocation.out}")
    return ExitStatus.SUCCESS


def _report(op: Operation, exc: OintError, console: Console, secrets: list[str]) -> int:
    from ..bitrix24._http.endpoint import redact
    from ._failures import describe_failure  # the error path only

    failure = describe_failure(exc)
    console.err(f"oint bitrix24 {op.name}: {failure.prefix}{redact(str(exc), secrets)}")
    return failure.status
