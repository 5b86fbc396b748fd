"""Issue 9, points 6 to 9: a bulk run stopped early loses nothing and repeats nothing, a bad
input line fails alone, ``--out`` is written whole or not at all, and faults of the input
or the environment are exit 2, never an internal error. Signals, closed streams and full
disks are met by the real ``oint`` in a child process."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from oint.emulator.process import EmulatorProcess, launch

# More batches (100) than the client's bucket lets out at once (49): the run is still going
# when the signal comes, however fast the first ones return.
LINES = 5000


def _oint(*args: str | bytes, preexec: Callable[[], None] | None = None,
          **kwargs: Any) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OINT_")}
    # preexec only closes descriptors, sets a limit or ignores a signal: nothing that takes
    # a lock another thread of this process might hold at the fork.
    return subprocess.Popen([sys.executable, "-m", "oint", *args], env=env,
                            preexec_fn=preexec, **kwargs)  # noqa: PLW1509


def _run(*args: str | bytes, preexec: Callable[[], None] | None = None,
         stdin: int | None = subprocess.DEVNULL) -> tuple[int, str, str]:
    child = _oint(*args, preexec=preexec, stdin=stdin, stdout=subprocess.PIPE,
                  stderr=subprocess.PIPE)
    out, err = child.communicate(timeout=60)
    return child.returncode, out.decode(), err.decode()


def _texts(db: Path, chat: int) -> list[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT text FROM messages WHERE chat_id = ? AND author_id = 1",
                            (chat,))
        return [str(row[0]) for row in rows]


@pytest.fixture
def slow_portal(tmp_path: Path) -> Iterator[tuple[EmulatorProcess, Path, int]]:
    db = tmp_path / "portal.db"
    with launch(["--latency", "0.3"], db=str(db)) as portal:
        from oint.bitrix24 import Client

        with Client(portal.webhook_url) as b24:
            chat = b24.create_chat({"TITLE": "bulk stop"}).result
        yield portal, db, chat


def _messages(path: Path, chat: int, numbers: range) -> None:
    path.write_text("".join(json.dumps({"chat": f"chat{chat}", "text": f"m{n}"}) + "\n"
                            for n in numbers))


def _lines(text: str) -> list[Any]:
    return [json.loads(line) for line in text.splitlines()]


# 6. A bulk run stopped by a signal writes every result of what it sent, and resumes.

@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_stopped_run_writes_what_it_sent_and_resumes_without_repeats(
    slow_portal: tuple[EmulatorProcess, Path, int], tmp_path: Path, sig: int, status: int,
) -> None:
    portal, db, chat = slow_portal
    source, out = tmp_path / "messages.jsonl", tmp_path / "results.jsonl"
    _messages(source, chat, range(LINES))
    child = _oint("bitrix24", "SendMessage", "--url", portal.webhook_url, "--from",
                  str(source), "--out", str(out), stderr=subprocess.PIPE)
    temp = f".{out.name}."
    deadline = time.monotonic() + 30
    while not any(p.name.startswith(temp) and p.stat().st_size for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and child.poll() is None
        time.sleep(0.05)
    child.send_signal(sig)
    err = child.communicate(timeout=60)[1].decode()
    assert child.returncode == status, err
    written = _lines(out.read_text())
    stored = _texts(db, chat)
    assert 0 < len(written) < LINES
    assert len(stored) == len(written)  # every call that ran has its result line
    assert all(isinstance(line["result"], int) for line in written)
    last = len(written)
    assert f"lines up to {last} have their results" in err
    assert f"tail -n +{last + 1} FILE" in err

    rest = tmp_path / "rest.jsonl"
    rest.write_text("".join(source.read_text().splitlines(keepends=True)[last:]))
    code, resumed, _ = _run("bitrix24", "SendMessage", "--url", portal.webhook_url,
                            "--from", str(rest))
    assert code == 0 and len(_lines(resumed)) == LINES - last
    assert sorted(_texts(db, chat)) == sorted(f"m{n}" for n in range(LINES))


def test_a_second_signal_abandons_the_calls_in_flight_and_names_them(
    tmp_path: Path,
) -> None:
    with launch(["--latency", "3"]) as portal:
        source = tmp_path / "messages.jsonl"
        _messages(source, 1, range(200))
        child = _oint("bitrix24", "SendMessage", "--url", portal.webhook_url, "--from",
                      str(source), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while portal.stats()["requests"] < 1:  # the first batches are in flight (3 s each)
            assert time.monotonic() < deadline
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        time.sleep(0.3)
        child.send_signal(signal.SIGINT)
        started = time.monotonic()
        out, err = child.communicate(timeout=60)
        took = time.monotonic() - started
    assert took < 2.0  # not the 3 s the replies take
    assert child.returncode == 130 and out == b""
    assert b"Lines 1 to " in err and b"were sent and may have run" in err


# 7. A bad line fails alone; a line with no end stops the reading with a clear error.

def test_a_line_that_is_not_utf8_or_nested_too_deep_fails_alone(
    portal: EmulatorProcess, tmp_path: Path, cli: Any,
) -> None:
    source = tmp_path / "mixed.jsonl"
    good = json.dumps({"chat": "chat1", "text": "fine"}).encode()
    deep = b'{"chat": "chat1", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    source.write_bytes(b"\n".join([good, b'{"text": "caf\xe9"}', deep, good]) + b"\n")
    done = cli("bitrix24", "SendMessage", "--url", portal.webhook_url, "--from", str(source))
    first, latin1, nested, last = _lines(done.stdout)
    assert done.code == 2  # bad lines only
    assert isinstance(first["result"], int) and isinstance(last["result"], int)
    assert latin1["error"] == nested["error"] == "USAGE_ERROR"
    assert "line 2 is not UTF-8 text" in done.stderr
    assert "line 3: " in done.stderr and "nested deeper than the JSON parser" in done.stderr


def test_a_line_without_end_is_refused_with_a_clear_error(portal: EmulatorProcess) -> None:
    started = time.monotonic()
    code, out, err = _run("bitrix24", "SendMessage", "--url", portal.webhook_url,
                          "--from", "/dev/zero")
    assert code == 2 and time.monotonic() - started < 30
    assert "line 1 is longer than 16777216 bytes" in err and "stopped reading" in err
    assert _lines(out)[0]["error"] == "USAGE_ERROR"


# 8. --out is replaced whole, or left as it was.

def test_out_keeps_the_old_file_when_the_call_fails_before_a_result(
    portal: EmulatorProcess, tmp_path: Path, cli: Any,
) -> None:
    out = tmp_path / "result.json"
    out.write_text("keep me\n")
    out.chmod(0o640)
    bad = cli("bitrix24", "CreateChat", "--url", portal.webhook_url, "--fields", "{'x':",
              "--out", str(out))
    dead = cli("bitrix24", "ServerTime", "--url", "http://127.0.0.1:9/rest/1/code",
               "--out", str(out))
    assert (bad.code, dead.code) == (2, 4)
    assert out.read_text() == "keep me\n"
    done = cli("bitrix24", "ServerTime", "--url", portal.webhook_url, "--out", str(out))
    assert done.code == 0 and "wrote" in done.stderr
    assert json.loads(out.read_text())["result"]
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]  # no temporary left
    nowhere = cli("bitrix24", "ServerTime", "--url", portal.webhook_url,
                  "--out", str(tmp_path / "no" / "such" / "dir.json"))
    assert nowhere.code == 2 and "cannot write --out" in nowhere.stderr


def _small_files() -> None:
    # A file may grow to 64 bytes; past that a write fails (EFBIG) instead of a signal.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))


def test_a_write_that_fails_after_the_call_puts_the_result_on_stdout(
    portal: EmulatorProcess, tmp_path: Path, cli: Any,
) -> None:
    out = tmp_path / "result.json"
    out.write_text("old\n")
    code, printed, err = _run("bitrix24", "ServerTime", "--url", portal.webhook_url,
                              "--out", str(out), preexec=_small_files)
    assert code == 2
    assert json.loads(printed)["result"]  # the result is not lost
    assert f"cannot write --out {out} (File too large); the result is on stdout" in err
    assert "wrote" not in err and out.read_text() == "old\n"
    full = cli("bitrix24", "ServerTime", "--url", portal.webhook_url, "--out", "/dev/full")
    assert full.code == 2 and json.loads(full.stdout)["result"]
    assert "(No space left on device)" in full.stderr


# 9. Faults of the input or the environment are exit 2 (or a quiet stop on SIGPIPE).

def test_input_faults_are_usage_errors(portal: EmulatorProcess, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    cases: list[tuple[tuple[str | bytes, ...], str]] = [
        (("--url", portal.webhook_url, "--fields", b"{'TITLE': '\xff'}"),
         "argument 6 is not valid UTF-8 text"),
        (("--url", portal.webhook_url, "--fields", str(deep)), "nested deeper"),
        (("--url", "http://[::1/", "--fields", "{}"), "not a valid URL: http://[::1/..."),
        (("--url", "http://127.0.0.1:99999/rest/1/x", "--fields", "{}"), "not a valid URL"),
    ]
    for args, message in cases:
        code, _, err = _run("bitrix24", "CreateChat", *args)
        assert (code, err.count("\n")) == (2, 1), (args, err)
        assert message in err and "internal error" not in err


def test_closed_streams_are_usage_errors(portal: EmulatorProcess) -> None:
    def close(fd: int) -> Callable[[], None]:
        return lambda: os.close(fd)

    code, _, err = _run("bitrix24", "ServerTime", "--url", portal.webhook_url,
                        preexec=close(1))
    assert code == 2 and "stdout is closed" in err
    code, _, err = _run("bitrix24", "SendMessage", "--url", portal.webhook_url,
                        "--from", "-", preexec=close(0), stdin=None)
    assert code == 2 and "stdin is closed" in err


def test_a_reader_that_leaves_stops_oint_quietly() -> None:
    with launch(["--seed-leads", "3000"]) as portal:
        child = _oint("bitrix24", "GetLeadsList", "--url", portal.webhook_url, "--all",
                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert child.stdout is not None and child.stderr is not None
        first = child.stdout.readline()  # `| head -1`
        child.stdout.close()
        err = child.stderr.read()
        child.wait(timeout=60)
    assert json.loads(first)["ID"] == "1"
    assert child.returncode == 141 and err == b""
