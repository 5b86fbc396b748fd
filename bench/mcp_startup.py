"""How soon ``oint mcp`` answers ``initialize`` after it is started (target: 0.5 s).

    .venv/bin/python bench/mcp_startup.py [--runs 20]

Each run starts ``oint mcp`` over stdio the way an assistant does, writes ``initialize`` at
once and times the reply; then, in the same process, ``tools/list``. Medians over the runs,
for the compact tool set and for ``--tools all``; ``python -c pass`` is the floor. The
portal is a local emulator (nothing is called during the handshake).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from installed import environment
from oint.emulator.process import launch

INITIALIZE = {
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {},
               "clientInfo": {"name": "bench", "version": "0"}},
}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
LIST_TOOLS = {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}
ENVIRONMENT = environment()


def _send(process: subprocess.Popen[str], message: dict[str, object]) -> None:
    assert process.stdin is not None
    process.stdin.write(json.dumps(message) + "\n")
    process.stdin.flush()


def _reply(process: subprocess.Popen[str], request_id: int) -> dict[str, object]:
    assert process.stdout is not None
    while True:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("oint mcp closed its output")
        message: dict[str, object] = json.loads(line)
        if message.get("id") == request_id:
            return message


def one_run(command: list[str]) -> tuple[float, float, int]:
    """Seconds to the initialize reply, to the tools/list reply, and the tool count."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, env=ENVIRONMENT)
    try:
        _send(process, INITIALIZE)
        reply = _reply(process, 1)
        initialized = time.perf_counter() - began
        assert "result" in reply, reply
        _send(process, INITIALIZED)
        _send(process, LIST_TOOLS)
        tools = _reply(process, 2)["result"]["tools"]  # type: ignore[index]
        listed = time.perf_counter() - began
    finally:
        if process.stdin is not None:
            process.stdin.close()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()
    return initialized, listed, len(tools)


def floor(runs: int) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=ENVIRONMENT)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    oint = str(Path(sys.executable).with_name("oint"))
    print(f"median wall time over {options.runs} runs; python {sys.version.split()[0]}")
    print(f"  python -c pass: {floor(options.runs):.3f} s")
    with launch() as portal:
        for label, extra in (("compact tools", []), ("--tools all", ["--tools", "all"])):
            command = [oint, "mcp", "--url", portal.webhook_url, *extra]
            one_run(command)  # warm the file cache and the bytecode
            runs = [one_run(command) for _ in range(options.runs)]
            initialize = statistics.median(run[0] for run in runs)
            listed = statistics.median(run[1] for run in runs)
            print(f"  oint mcp, {label} ({runs[0][2]} tools): initialize {initialize:.3f} s, "
                  f"then tools/list at {listed:.3f} s")


if __name__ == "__main__":
    main()
