"""``oint mcp --http HOST:PORT``: the streamable HTTP transport, with the SDK's own client."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client

from oint.bitrix24 import operations
from oint.emulator.process import EmulatorProcess

COMPACT = ("find_operations", "describe_operation", "run_operation", "read_list", "call")


@pytest.fixture
def served(portal: EmulatorProcess) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``oint mcp --http 127.0.0.1:0`` (a free port), and the URL it announced."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OINT_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "oint", "mcp", "--http", "127.0.0.1:0", "--tools", "leads"],
        env={**env, "OINT_BITRIX24_URL": portal.base_url, "OINT_BITRIX24_TOKEN": portal.token},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stderr is not None
    url = None
    for line in process.stderr:
        found = re.search(r"serving streamable HTTP on (http://\S+/mcp)", line)
        if found:
            url = found.group(1)
            break
    assert url is not None, "the server did not announce its address"
    try:
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(20)


def test_tools_and_a_call_over_streamable_http(served: tuple[str, Any],
                                               portal: EmulatorProcess) -> None:
    url, process = served

    async def scenario() -> tuple[list[str], Any, Any]:
        async with Client(url) as client:
            tools = [tool.name for tool in (await client.list_tools()).tools]
            lead = await client.call_tool("CreateLead", {"fields": {"TITLE": "Over HTTP"}})
            time = await client.read_resource("bitrix24://server.time")
            return tools, lead, time

    tools, lead, time = asyncio.run(scenario())
    leads = [op.name for op in operations.region("leads").OPERATIONS]
    assert tools == [*COMPACT, *leads]
    assert not lead.is_error
    assert lead.structured_content["result"] > 0
    assert '"result"' in time.contents[0].text
    process.terminate()
    _, errors = process.communicate(timeout=20)
    # uvicorn shuts down gracefully, then lets SIGTERM end the process as it would have.
    assert process.returncode == -signal.SIGTERM
    assert "Traceback" not in errors
    assert portal.token not in errors
