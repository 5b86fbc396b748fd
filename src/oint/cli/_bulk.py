"""Many calls from one command: ``--from FILE`` (one call per line) and ``--all`` (every page).

``--from``: each line is a JSON object of the method's options (CLI names such as
``"dialog"``, or Python names); options given on the command line apply to every line, a
line's own values win. The calls go out 50 to a batch through the client's normal path
(limiter and retries included); each input line gets one JSON line back, in input order:
the call's envelope, or its error. A failed line is named on stderr with its number and
does not stop the others; the exit code is 0 only if every line succeeded. Input is read
as bytes: a line that is not UTF-8 or not JSON fails alone; a line longer than
``MAX_LINE_BYTES`` (no newline in sight, as in ``--from /dev/zero``) fails and ends the
reading, since where the next line starts cannot be known without holding it all.

SIGINT or SIGTERM stops a run (``_signals``): nothing more is sent, the batches in flight
finish and their results are written, and stderr names the last line with a result. Every
line up to it has its result; no line after it was sent, so the run resumes from the next.
"""

from __future__ import annotations

import io
import json
import os
import stat
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, Any, TextIO

from ..bitrix24 import _values as values
from ..bitrix24._bulk.batch import MAX_COMMANDS
from ..bitrix24._errors import (
    Bitrix24Error,
    OintError,
    UsageError,
)
from ..bitrix24._http.endpoint import redact
from ..bitrix24._response import Response
from ..bitrix24._spec import ApiRequest, Operation
from ._failures import describe_failure
from ._io import Console, OutFile, open_out
from ._options import TOKEN_OPTION, URL_OPTION, Invocation, arguments
from ._signals import Interrupted, Stop, stopping
from ._status import ExitStatus
from ._target import endpoint_args

__all__ = ["MAX_LINE_BYTES", "run_many"]

_PROGRESS_EVERY = 0.1  # seconds between progress bar redraws
# One call's options: a base64 file of several MB fits; a stream with no newline does not.
MAX_LINE_BYTES = 16 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"


def run_many(op: Operation, invocation: Invocation, console: Console, secrets: list[str]) -> int:
    if "test" in invocation.switches:
        raise UsageError("--test shows one request; it does not combine with --from or --all")
    if invocation.source is not None and "all" in invocation.switches:
        raise UsageError("--all and --from do not combine")
    if not (op.is_local or op.batchable):
        raise UsageError(f"--from and --all send batches; {op.name} takes several requests "
                         "and cannot go into one: call it once per input")
    out: OutFile | None = None
    with ExitStack() as stack:
        out = open_out(invocation.out, console, stack)
        write = console.out if out is None else out.write
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
            stop = stack.enter_context(stopping(console.stderr))
            status = _walk(client.iter_list(request), write, progress, stop)
        else:
            lines = _open_source(invocation.source, console, stack)
            entries = _entries(op, invocation, lines)
            stop = stack.enter_context(stopping(console.stderr))
            run = _LineRun(op, write=write, console=console, secrets=secrets,
                           progress=progress, stop=stop, out=out,
                           total=_count_lines(invocation.source, progress))
            status = run.run(client, entries)
    if out is not None and out.failed and status == ExitStatus.SUCCESS:
        return ExitStatus.USAGE
    return status


def _walk(records: Iterator[Any], write: Callable[[str], None], progress: _Progress,
          stop: Stop) -> int:
    for count, record in enumerate(records, start=1):
        write(_line(record))
        progress.show(count, None, "records")
        if stop.requested:
            break  # a walk only reads: stopping early loses nothing
    progress.close()
    return stop.status if stop.requested else ExitStatus.SUCCESS


def _pages(op: Operation) -> bool:
    # A list method: it takes an offset (start), or it reads with a FILTER that the walk
    # extends by ID, as user.search does (its server pages by start all the same).
    return any(p.key == "start" or (op.reads and p.key == "FILTER") for p in op.params)


def _open_source(source: str, console: Console, stack: ExitStack) -> Iterator[tuple[int, bytes]]:
    if source == "-":
        if console.stdin is None:
            raise UsageError("stdin is closed: nothing to read for --from -")
        stream: IO[bytes] = getattr(console.stdin, "buffer", None) or io.BytesIO(
            console.stdin.read().encode())  # a test's text stream
    else:
        try:
            stream = stack.enter_context(open(source, "rb"))  # noqa: SIM115
        except OSError as exc:
            raise UsageError(f"cannot read --from {source}: {exc.strerror}") from None
    return _read_lines(stream)


def _read_lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """(number, bytes) of each line; one over ``MAX_LINE_BYTES`` comes cut and ends it."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if number == 1:
            raw = raw.removeprefix(_BOM)
        yield number, raw
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            return


def _count_lines(source: str, progress: _Progress) -> int | None:
    """The lines of a regular file, for the bar's fraction (only if a bar is drawn)."""
    if source == "-" or not progress.enabled:
        return None
    try:
        if not stat.S_ISREG(os.stat(source).st_mode):
            return None
        with open(source, "rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return None


@dataclass
class _Entry:
    number: int  # the line's number in the input, from 1
    request: ApiRequest | None = None
    local: Any = None
    error: OintError | None = None


def _decode(number: int, raw: bytes) -> str:
    if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
        raise UsageError(f"line {number} is longer than {MAX_LINE_BYTES} bytes: not one "
                         "call's options (is this a JSON lines file?); stopped reading here")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"line {number} is not UTF-8 text") from None


def _entries(op: Operation, invocation: Invocation, lines: Iterator[tuple[int, bytes]]
             ) -> Iterator[_Entry]:
    base = arguments(op, invocation)
    names = {p.cli: p.name for p in op.params} | {p.name: p.name for p in op.params}
    for number, raw in lines:
        if not raw.strip():
            continue
        try:
            text = _decode(number, raw)
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


class _LineRun:
    """One ``--from`` run: the input read in chunks of one batch, the outcomes written in
    input order, and what a stop says."""

    def __init__(self, op: Operation, *, write: Callable[[str], None], console: Console,
                 secrets: list[str], progress: _Progress, stop: Stop, out: OutFile | None,
                 total: int | None) -> None:
        self.op = op
        self.write = write
        self.console = console
        self.secrets = secrets
        self.progress = progress
        self.stop = stop
        self.out = out
        self.total = total
        self.pending: deque[_Entry] = deque()  # read and handed on, result not yet written
        self.failures: list[OintError] = []
        self.done = 0
        self.last = 0  # the number of the last line whose result is written
        stop.last_words = self.last_words

    def run(self, client: Any, entries: Iterator[_Entry]) -> int:
        if client is None:
            for chunk in self.read(entries):
                self.pending.extend(chunk)
                self.flush_ready()
        else:
            for outcome in client.iter_batch(self.calls(entries)):
                self.flush_ready()
                self.finish(self.pending.popleft(), outcome)
            self.flush_ready()
        self.progress.close()
        if self.stop.requested:
            self.console.err(_resume_hint(self.op, self.stop, self.last))
            return self.stop.status
        return _exit_status(self.failures)

    def read(self, entries: Iterator[_Entry]) -> Iterator[list[_Entry]]:
        """The input in chunks that hold one batch of calls: a chunk is sent whole, or (when
        a stop cuts its reading short) not at all."""
        chunk: list[_Entry] = []
        calls = 0
        while not self.stop.requested:
            try:
                with self.stop.interruptible():
                    entry = next(entries, None)
            except Interrupted:
                return
            if entry is None:
                break
            chunk.append(entry)
            calls += entry.request is not None
            if calls == MAX_COMMANDS:
                yield chunk
                chunk, calls = [], 0
        if not self.stop.requested:
            yield chunk

    def calls(self, entries: Iterator[_Entry]) -> Iterator[ApiRequest]:
        for chunk in self.read(entries):
            for entry in chunk:
                self.pending.append(entry)
                if entry.request is not None:
                    yield entry.request

    def flush_ready(self) -> None:
        while self.pending and self.pending[0].request is None:
            entry = self.pending.popleft()
            self.finish(entry, entry.error if entry.error is not None else entry.local)

    def finish(self, entry: _Entry, outcome: Any) -> None:
        self.done += 1
        if isinstance(outcome, OintError):
            self.failures.append(outcome)
            message = redact(str(outcome), self.secrets)
            self.progress.clear()
            self.console.err(f"oint bitrix24 {self.op.name}: line {entry.number}: {message}")
            self.write(_line(_error_json(outcome, message)))
        elif isinstance(outcome, Response):
            self.write(_line(outcome.json()))
        elif outcome is None:  # pragma: no cover  (bulk batches never halt)
            self.write(_line({"error": "NOT_RUN", "error_description": "not run"}))
        else:
            self.write(_line(outcome))
        self.last = entry.number
        self.progress.show(self.done, self.total, "lines")

    def last_words(self) -> str:
        """What a second signal says: it ends the process before these results arrive."""
        if self.out is not None:
            self.out.abandon()
        sent = [entry.number for entry in self.pending if entry.request is not None]
        if not sent:
            return f"Lines up to {self.last} have their results."
        return (f"Lines {sent[0]} to {sent[-1]} were sent and may have run, with no result "
                f"written: check them before running them again. Lines before {sent[0]} have "
                "their results.")


def _resume_hint(op: Operation, stop: Stop, last: int) -> str:
    head = f"oint bitrix24 {op.name}: stopped by {stop.name}"
    if not last:
        return f"{head} before any result: no line was sent"
    return (f"{head}: lines up to {last} have their results, and no later line was sent: "
            f"to resume, run the lines after line {last} (tail -n +{last + 1} FILE)")


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
        self.enabled = bool(isatty and isatty())
        self._drawn_at = 0.0
        self._shown = False

    def show(self, done: int, total: int | None, unit: str) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self._drawn_at < _PROGRESS_EVERY and done != total):
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
