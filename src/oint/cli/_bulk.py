"""Many calls from one command: ``--from FILE`` (one call per line) and ``--all`` (every page).

``--from``: each line is a JSON object of the method's options (CLI names such as
``"dialog"``, or Python names); options given on the command line apply to every line, a
line's own values win. The calls go out 50 to a batch through the client's normal path
(limiter and retries included); each input line gets one JSON line back, in input order:
the call's envelope, or its error. A failed line is named on stderr with its number and
does not stop the others; the exit code is 0 only if every line succeeded.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, TextIO

from ..bitrix24 import _values as values
from ..bitrix24._errors import (
    Bitrix24Error,
    OintError,
    UsageError,
)
from ..bitrix24._http.endpoint import redact
from ..bitrix24._response import Response
from ..bitrix24._spec import ApiRequest, Operation
from ._failures import describe_failure
from ._io import Console, open_out
from ._options import TOKEN_OPTION, URL_OPTION, Invocation, arguments
from ._status import ExitStatus
from ._target import endpoint_args

__all__ = ["run_many"]

_PROGRESS_EVERY = 0.1  # seconds between progress bar redraws


def run_many(op: Operation, invocation: Invocation, console: Console, secrets: list[str]) -> int:
    if "test" in invocation.switches:
        raise UsageError("--test shows one request; it does not combine with --from or --all")
    if invocation.source is not None and "all" in invocation.switches:
        raise UsageError("--all and --from do not combine")
    if not (op.is_local or op.batchable):
        raise UsageError(f"--from and --all send batches; {op.name} takes several requests "
                         "and cannot go into one: call it once per input")
    with ExitStack() as stack:
        sink = open_out(invocation.out, stack)
        write = console.out if sink is None else (lambda text: sink.write(text + "\n"))
        progress = _Progress(console.stderr)
        if op.is_local:
            client = None
        else:
            from ..bitrix24._http.base_client import BaseClient

            url, token = endpoint_args(invocation, console)
            debug = console.err if "debug" in invocation.switches else None
            client = stack.enter_context(BaseClient(url, token, debug=debug))
        if invocation.source is None:
            if client is None or not _pages(op):
                raise UsageError(f"--all reads every page of a list method; {op.name} is not one")
            request = op.request(arguments(op, invocation))
            for count, record in enumerate(client.iter_list(request), start=1):
                write(_line(record))
                progress.show(count, None, "records")
            progress.close()
            return ExitStatus.SUCCESS
        lines = _open_source(invocation.source, console, stack)
        entries = _entries(op, invocation, lines)
        return _run_lines(op, client, entries, write=write, console=console, secrets=secrets,
                          progress=progress, total=_count_lines(invocation.source))


def _pages(op: Operation) -> bool:
    # A list method: it takes an offset (start), or it reads with a FILTER that the walk
    # extends by ID, as user.search does (its server pages by start all the same).
    return any(p.key == "start" or (op.reads and p.key == "FILTER") for p in op.params)


def _open_source(source: str, console: Console, stack: ExitStack) -> Iterator[str]:
    if source == "-":
        return iter(console.stdin)
    try:
        return iter(stack.enter_context(open(source, encoding="utf-8-sig")))
    except OSError as exc:
        raise UsageError(f"cannot read --from {source}: {exc.strerror}") from None


def _count_lines(source: str) -> int | None:
    if source == "-":
        return None  # a stream: the bar shows a count, not a fraction
    with open(source, "rb") as handle:
        return sum(1 for line in handle if line.strip())


@dataclass
class _Entry:
    number: int  # the line's number in the input, from 1
    request: ApiRequest | None = None
    local: Any = None
    error: OintError | None = None


def _entries(op: Operation, invocation: Invocation, lines: Iterator[str]) -> Iterator[_Entry]:
    base = arguments(op, invocation)
    names = {p.cli: p.name for p in op.params} | {p.name: p.name for p in op.params}
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            # Only JSON here: a line is never read as a file path or URL.
            parsed = values.parse_json_text(text, f"line {number}") \
                if text.lstrip().startswith("{") else None
            if not isinstance(parsed, dict):
                raise UsageError("a line must be a JSON object of the method's options")
            unknown = sorted(set(parsed) - set(names))
            if unknown:
                where = "on the command line" if unknown[0] in (URL_OPTION, TOKEN_OPTION) \
                    else "here"
                raise UsageError(f"{op.name} has no option {unknown[0]!r} {where}")
            args = {**base, **{names[k]: v for k, v in parsed.items()}}
            if op.is_local:
                yield _Entry(number, local=op.run_local(args))
            else:
                yield _Entry(number, request=op.request(args))
        except OintError as exc:
            yield _Entry(number, error=exc)


def _run_lines(
    op: Operation, client: Any, entries: Iterator[_Entry], *, write: Any, console: Console,
    secrets: list[str], progress: _Progress, total: int | None,
) -> int:
    pending: deque[_Entry] = deque()
    failures: list[OintError] = []
    done = 0

    def finish(entry: _Entry, outcome: Any) -> None:
        nonlocal done
        done += 1
        if isinstance(outcome, OintError):
            failures.append(outcome)
            message = redact(str(outcome), secrets)
            progress.clear()
            console.err(f"oint bitrix24 {op.name}: line {entry.number}: {message}")
            write(_line(_error_json(outcome, message)))
        elif isinstance(outcome, Response):
            write(_line(outcome.json()))
        elif outcome is None:  # pragma: no cover  (bulk batches never halt)
            write(_line({"error": "NOT_RUN", "error_description": "not run"}))
        else:
            write(_line(outcome))
        progress.show(done, total, "lines")

    def flush_ready() -> None:
        while pending and pending[0].request is None:
            entry = pending.popleft()
            finish(entry, entry.error if entry.error is not None else entry.local)

    def calls() -> Iterator[ApiRequest]:
        for entry in entries:
            pending.append(entry)
            if entry.request is not None:
                yield entry.request

    if client is None:
        for entry in entries:
            pending.append(entry)
            flush_ready()
    else:
        for outcome in client.iter_batch(calls()):
            flush_ready()
            finish(pending.popleft(), outcome)
        flush_ready()
    progress.close()
    return _exit_status(failures)


def _error_json(error: OintError, message: str) -> dict[str, Any]:
    if isinstance(error, Bitrix24Error):
        return dict(error.payload)
    return {"error": describe_failure(error).code, "error_description": message}


def _exit_status(failures: list[OintError]) -> int:
    # The gravest failure decides: unreachable, then API errors, then bad lines.
    statuses = {describe_failure(failure).status for failure in failures}
    for status in (ExitStatus.INTERNAL, ExitStatus.UNREACHABLE, ExitStatus.API_ERROR):
        if status in statuses:
            return status
    return ExitStatus.USAGE if statuses else ExitStatus.SUCCESS


def _line(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class _Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, stream: TextIO) -> None:
        isatty = getattr(stream, "isatty", None)
        self._stream = stream
        self._enabled = bool(isatty and isatty())
        self._drawn_at = 0.0
        self._shown = False

    def show(self, done: int, total: int | None, unit: str) -> None:
        now = time.monotonic()
        if not self._enabled or (now - self._drawn_at < _PROGRESS_EVERY and done != total):
            return
        self._drawn_at = now
        if total:
            filled = int(30 * done / total)
            text = f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} {unit}"
        else:
            text = f"{done} {unit}"
        self._stream.write(f"\r\x1b[K{text}")
        self._stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()

    def close(self) -> None:
        if self._shown:
            self._stream.write("\n")
            self._stream.flush()
            self._shown = False
