"""``oint mcp`` over stdio, driven by the MCP SDK's own client, against the emulator.

Each test starts ``python -m oint mcp`` as a child process (the way an assistant starts
it), lists or calls its tools and reads its resources. Tool counts come from the table,
never from a fixed number, so each region that lands is checked here by itself.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import json
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult

import test_coverage
from oint.bitrix24 import Client as Client_
from oint.bitrix24 import operations
from oint.bitrix24.operations._common import PICTURE
from oint.emulator.process import launch
from test_coverage import APPLICATION_ONLY, CLIENT_ID, CLIENT_SECRET, Portal

COMPACT = ("find_operations", "describe_operation", "run_operation", "read_list", "call")
ROOT = Path(__file__).resolve().parent.parent
# The coverage test's portal (an emulator with an OAuth app), one per module: the faults
# set here stay here.
world = test_coverage.world


def _served(op: Any) -> bool:
    # Everything but the operations that only ask the OAuth server (with the app's secret).
    return op.method is not None or op.is_local


def _in_regions(modules: tuple[str, ...]) -> list[str]:
    titles = {operations.region(module).REGION for module in modules}
    return [op.name for op in operations.ALL if _served(op) and op.region in titles]


@asynccontextmanager
async def serving(args: list[str], env: Mapping[str, str], log: Path
                  ) -> AsyncIterator[Client]:
    """``oint mcp ARGS`` as a child process, and the SDK's client connected to it. Its
    client keeps to no bucket unless told to: the test emulators have none."""
    if "--rate-limit" not in args:
        args = [*args, "--rate-limit", "off"]
    params = StdioServerParameters(command=sys.executable, args=["-m", "oint", "mcp", *args],
                                   env=dict(env), cwd=str(ROOT))
    with open(log, "a", encoding="utf-8") as errlog:
        async with Client(stdio_client(params, errlog=errlog), read_timeout_seconds=60) \
                as client:
            yield client


def run(args: list[str], env: Mapping[str, str], log: Path,
        scenario: Callable[[Client], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with serving(args, env, log) as client:
            return await scenario(client)

    return asyncio.run(main())


def hook(world: Portal) -> dict[str, str]:
    return {"OINT_BITRIX24_URL": world.process.webhook_url}


def data(result: CallToolResult) -> Any:
    assert not result.is_error, result.content
    assert result.structured_content == json.loads(result.content[0].text)
    return result.structured_content


def error(result: CallToolResult) -> dict[str, Any]:
    assert result.is_error
    found: dict[str, Any] = result.structured_content
    assert result.content[0].text == f"{found['error']}: {found['error_description']}"
    return found


def as_sent(value: Any) -> Any:
    """An example's argument as an MCP client sends it: JSON (bytes as base64)."""
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: as_sent(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_sent(item) for item in value]
    return value


# -- the tools, in each mode ---------------------------------------------------------------


@pytest.mark.parametrize("tools", [(), ("chats", "leads"), ("all",)],
                         ids=["compact", "chats+leads", "all"])
def test_the_tools_follow_the_table(world: Portal, tmp_path: Path, tools: tuple[str, ...]
                                    ) -> None:
    args = ["--tools", ",".join(tools)] if tools else []
    listed = run(args, hook(world), tmp_path / "log", lambda c: c.list_tools()).tools
    modules = tuple(operations.REGION_MODULES) if "all" in tools else tools
    assert [tool.name for tool in listed] == [*COMPACT, *_in_regions(modules)]
    for tool in listed[len(COMPACT):]:
        op = operations.find(tool.name)
        assert op is not None
        assert op.summary in (tool.description or "")
        assert (op.method or "Local, no request") in (tool.description or "")
        assert tool.annotations is not None
        assert tool.annotations.read_only_hint is op.reads


def test_read_only_lists_and_runs_only_reads(world: Portal, tmp_path: Path) -> None:
    before = world.process.stats()["calls"].get("im.chat.add", 0)

    async def scenario(client: Client) -> None:
        listed = [tool.name for tool in (await client.list_tools()).tools]
        reads = [op.name for op in operations.ALL if _served(op) and op.reads]
        assert listed == [*COMPACT, *reads]
        refused = error(await client.call_tool(
            "run_operation", {"name": "CreateChat", "arguments": {"fields": {"TITLE": "x"}}}))
        assert refused["error"] == "READ_ONLY"
        raw = error(await client.call_tool("call", {"method": "im.chat.add",
                                                    "params": {"TITLE": "x"}, "reads": True}))
        assert raw["error"] == "READ_ONLY"
        with pytest.raises(MCPError, match="unknown tool 'CreateChat'"):
            await client.call_tool("CreateChat", {"fields": {"TITLE": "x"}})
        found = data(await client.call_tool("find_operations", {"words": "chat"}))
        assert all(op["reads"] for op in found["operations"])
        assert data(await client.call_tool("run_operation", {"name": "ServerTime"}))["result"]

    run(["--read-only", "--tools", "all"], hook(world), tmp_path / "log", scenario)
    assert world.process.stats()["calls"].get("im.chat.add", 0) == before


def test_each_schema_validates_the_declared_example_and_runs_it(world: Portal, tmp_path: Path
                                                                ) -> None:
    async def scenario(client: Client) -> list[str]:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        checked = []
        for op in operations.ALL:
            if op.name not in tools or op.example is None:
                continue
            args = as_sent(op.example.arguments(world))
            jsonschema.validate(args, tools[op.name].input_schema)
            result = await client.call_tool(op.name, args)
            if op.name in APPLICATION_ONLY:
                # This server reaches the portal through a webhook, which has no application.
                assert result.is_error and "Application context required" in str(result.content)
            else:
                assert not result.is_error, (op.name, result.content)
            checked.append(op.name)
        return checked

    checked = run(["--tools", "all"], hook(world), tmp_path / "log", scenario)
    assert checked == [op.name for op in operations.ALL if _served(op) and op.example]


# -- scenarios -------------------------------------------------------------------------------


def test_a_chat_scenario_with_typed_tools(world: Portal, tmp_path: Path) -> None:
    async def scenario(client: Client) -> None:
        chat = data(await client.call_tool(
            "CreateChat", {"fields": {"TYPE": "CHAT", "TITLE": "MCP chat", "USERS": [10]}}))
        chat_id = chat["result"]
        sent = data(await client.call_tool(
            "SendMessage", {"dialog_id": f"chat{chat_id}", "text": "Hello from MCP"}))
        message_id = sent["result"]
        dialog = data(await client.call_tool("GetChatMessagesList",
                                             {"dialog_id": f"chat{chat_id}"}))
        texts = {m["id"]: m["text"] for m in dialog["result"]["messages"]}
        assert texts[message_id] == "Hello from MCP"
        members = data(await client.call_tool("GetChatUsers", {"chat_id": chat_id}))
        assert sorted(members["result"]) == [1, 10]
        # Binary arguments may name a file on the server's machine.
        changed = data(await client.call_tool("ChangeChatPicture",
                                              {"chat_id": chat_id, "picture": str(picture)}))
        assert changed["result"] is True

    picture = tmp_path / "picture.gif"
    picture.write_bytes(base64.b64decode(PICTURE))
    run(["--tools", "chats,messages"], hook(world), tmp_path / "log", scenario)


def test_the_same_scenario_through_run_operation(world: Portal, tmp_path: Path) -> None:
    async def scenario(client: Client) -> None:
        async def op(name: str, **arguments: Any) -> Any:
            return data(await client.call_tool(
                "run_operation", {"name": name, "arguments": arguments}))["result"]

        described = data(await client.call_tool("describe_operation", {"name": "SendMessage"}))
        assert described["input_schema"]["required"] == ["dialog_id", "text"]
        chat_id = await op("CreateChat", fields={"TITLE": "Compact chat", "USERS": [10]})
        message_id = await op("SendMessage", dialog_id=f"chat{chat_id}", text="Compact hello")
        dialog = await op("GetChatMessagesList", dialog_id=f"chat{chat_id}")
        assert message_id in [m["id"] for m in dialog["messages"]]

    run([], hook(world), tmp_path / "log", scenario)


def test_a_lead_list_with_a_limit(tmp_path: Path) -> None:
    # A portal of its own, so that the count of leads is known.
    with launch() as process:
        world = Portal(process)
        try:
            made = [int(world.call("crm.lead.add", {"fields": {"TITLE": f"Lead {n}"}}))
                    for n in range(57)]
        finally:
            world.close()

        async def scenario(client: Client) -> None:
            async def read(**arguments: Any) -> Any:
                return data(await client.call_tool("read_list", {"name": "GetLeadsList",
                                                                 **arguments}))

            few = await read(limit=5)
            assert few["count"] == 5 and len(few["records"]) == 5
            assert few["more"] is True and few["total"] == 57
            default = await read()
            assert default["count"] == 50 and default["more"] is True
            # Over a page boundary: every lead once, then nothing more.
            every = await read(limit=200)
            assert sorted(int(r["ID"]) for r in every["records"]) == made
            assert every["more"] is False and every["count"] == 57
            filtered = await read(arguments={"filter": {"TITLE": "Lead 3"}}, limit=10)
            assert [r["TITLE"] for r in filtered["records"]] == ["Lead 3"]
            too_many = error(await client.call_tool("read_list", {"name": "GetLeadsList",
                                                                  "limit": 100000}))
            assert too_many["error"] == "INVALID_ARGUMENTS"
            not_a_list = error(await client.call_tool("read_list", {"name": "GetLead"}))
            assert not_a_list["error"] == "NOT_A_LIST"
            page = data(await client.call_tool("run_operation", {"name": "GetLeadsList"}))
            assert len(page["result"]) == 50 and page["next"] == 50

        run([], {"OINT_BITRIX24_URL": process.webhook_url}, tmp_path / "log", scenario)


def test_api_errors_are_tool_errors_with_bitrix24s_code(world: Portal, tmp_path: Path) -> None:
    async def scenario(client: Client) -> None:
        # The protocol reference: im.dialog.get, 403 ACCESS_ERROR for a dialog one cannot see.
        denied = error(await client.call_tool("GetDialog", {"dialog_id": "chat999999"}))
        assert denied == {"error": "ACCESS_ERROR", "status": 403, "method": "im.dialog.get",
                          "error_description": "You do not have access to the specified dialog"}
        missing = error(await client.call_tool("call", {"method": "no.such.method"}))
        assert (missing["error"], missing["error_description"], missing["status"]) == (
            "ERROR_METHOD_NOT_FOUND", "Method not found!", 404)
        bad = error(await client.call_tool("GetChatUsers", {"chat_id": "many"}))
        assert bad["error"] == "INVALID_ARGUMENTS"
        assert "whole number" in bad["error_description"]
        unknown = error(await client.call_tool("run_operation", {"name": "Teleport"}))
        assert unknown["error"] == "UNKNOWN_OPERATION"
        path = error(await client.call_tool("call", {"method": "../oauth/token"}))
        assert path["error"] == "INVALID_ARGUMENTS"
        with pytest.raises(MCPError, match="unknown tool"):
            await client.call_tool("Teleport", {})

    run(["--tools", "chats"], hook(world), tmp_path / "log", scenario)


def test_a_dropped_write_is_reported_as_may_have_run_and_not_resent(world: Portal,
                                                                    tmp_path: Path) -> None:
    chat_id = int(world.call("im.chat.add", {"TITLE": "Drops", "USERS": [10]}))
    before = world.process.stats()["calls"].get("im.message.add", 0)
    world.process.set_faults(drop=1.0, methods=["im.message.add"])
    try:
        async def scenario(client: Client) -> tuple[dict[str, Any], dict[str, Any]]:
            typed = error(await client.call_tool(
                "SendMessage", {"dialog_id": f"chat{chat_id}", "text": "Lost reply"}))
            # Declared as a read by the caller, but some operation writes with it: not resent.
            raw = error(await client.call_tool("call", {
                "method": "im.message.add", "reads": True,
                "params": {"DIALOG_ID": f"chat{chat_id}", "MESSAGE": "Lost raw reply"}}))
            return typed, raw

        typed, raw = run(["--tools", "messages"], hook(world), tmp_path / "log", scenario)
    finally:
        world.process.admin("DELETE", "faults")
    for lost in (typed, raw):
        assert lost["error"] == "OUTCOME_UNKNOWN"
        assert "may have run" in lost["error_description"]
        assert "im.message.add" in lost["error_description"]
    # Each was sent once, and did run: the messages are in the chat.
    assert world.process.stats()["calls"]["im.message.add"] == before + 2
    texts = [m["text"] for m in world.call("im.dialog.messages.get",
                                           {"DIALOG_ID": f"chat{chat_id}"})["messages"]]
    assert "Lost reply" in texts and "Lost raw reply" in texts


# -- resources ---------------------------------------------------------------------------


def test_resources(world: Portal, tmp_path: Path) -> None:
    async def scenario(client: Client) -> dict[str, Any]:
        listed = {r.uri: r for r in (await client.list_resources()).resources}
        read = {}
        for uri in listed:
            try:
                read[uri] = (await client.read_resource(uri)).contents[0].text
            except MCPError as exc:
                read[uri] = exc
        return read

    read = run([], hook(world), tmp_path / "log", scenario)
    assert set(read) == {"oint://docs/operations.md", "bitrix24://server.time",
                         "bitrix24://user.current"}
    assert read["oint://docs/operations.md"] == (ROOT / "docs" / "operations.md").read_text(
        encoding="utf-8")
    datetime.datetime.fromisoformat(json.loads(read["bitrix24://server.time"])["result"])
    # The current user is what the portal answers to user.current, or its error.
    with Client_(world.process.webhook_url, limits=None) as b24:
        try:
            expected: Any = {"result": b24.call("user.current", reads=True).result}
        except Exception as exc:
            expected = exc
    user = read["bitrix24://user.current"]
    if isinstance(expected, Exception):
        assert isinstance(user, MCPError)
        assert str(user).startswith(f"{expected.code}: ")  # type: ignore[attr-defined]
    else:
        assert json.loads(user) == expected


# -- secrets -----------------------------------------------------------------------------


def _calls(chat_id: int) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("run_operation", {"name": "ServerTime"}),
        ("run_operation", {"name": "CreateChat", "arguments": {"fields": {"TITLE": "s"}}}),
        ("SendMessage", {"dialog_id": f"chat{chat_id}", "text": "secret test"}),
        ("GetDialog", {"dialog_id": "chat999999"}),
        ("call", {"method": "no.such.method"}),
        ("call", {"method": "im.chat.get", "params": {"CHAT_ID": chat_id}, "reads": True}),
        ("describe_operation", {"name": "GetToken"}),
        ("read_list", {"name": "GetLeadsList", "limit": 3}),
        ("GetChatUsers", {"chat_id": "x"}),
        ("GetChatMessagesList", {"dialog_id": f"chat{chat_id}"}),
    ]


def _everything_said(env: dict[str, str], args: list[str], log: Path, chat_id: int) -> str:
    async def scenario(client: Client) -> list[str]:
        said = [tool.model_dump_json() for tool in (await client.list_tools()).tools]
        for name, arguments in _calls(chat_id):
            said.append((await client.call_tool(name, arguments)).model_dump_json())
        for uri in ("bitrix24://server.time", "bitrix24://user.current",
                    "oint://docs/operations.md"):
            try:
                said.append((await client.read_resource(uri)).model_dump_json())
            except MCPError as exc:
                said.append(repr(exc.error))
        return said

    said = run(args, env, log, scenario)
    return "\n".join(said) + "\n" + log.read_text(encoding="utf-8")


def test_no_secret_in_any_result_error_or_log_line(world: Portal, tmp_path: Path) -> None:
    process = world.process
    chat_id = int(world.call("im.chat.add", {"TITLE": "Secrets", "USERS": [10]}))
    # A reply that carries the secrets (as a download URL can carry a token) shows them
    # hidden.
    world.call("im.message.add", {"DIALOG_ID": f"chat{chat_id}",
                                  "MESSAGE": f"{process.webhook_code} {process.token}"})
    dead = f"http://127.0.0.1:{_closed_port()}"
    code, token = process.webhook_code, process.token
    # (environment, options, the secret this server holds, the message as it reads back)
    forms = [
        ({"OINT_BITRIX24_URL": process.webhook_url}, ["--debug"], code, f"*** {token}"),
        ({"OINT_BITRIX24_URL": process.base_url, "OINT_BITRIX24_TOKEN": token}, ["--debug"],
         token, f"{code} ***"),
        # Unreachable: transport errors, which name the URL.
        ({}, ["--url", f"{dead}/rest/1/{code}", "--debug"], code, None),
        ({}, ["--url", dead, "--token", token], token, None),
    ]
    for number, (env, args, secret, message) in enumerate(forms):
        log = tmp_path / f"log{number}"
        text = _everything_said(env, [*args, "--tools", "all"], log, chat_id)
        assert "oint mcp: " in text  # the server did speak, on stderr too
        assert secret not in text, args
        if message is not None:
            assert message in text
    unreachable = (tmp_path / "log2").read_text(encoding="utf-8")
    assert "/rest/1/***" in unreachable


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_expired_token_is_refreshed_and_no_oauth_secret_shows(world: Portal, tmp_path: Path
                                                                 ) -> None:
    grant = world.oauth_grant()
    process = world.process
    tokens = process.admin("POST", "oauth/grants", {"client_id": CLIENT_ID})
    process.admin("POST", "tokens/expire", {"client_id": CLIENT_ID})
    env = {
        "OINT_BITRIX24_URL": process.base_url, "OINT_BITRIX24_TOKEN": tokens["access_token"],
        "OINT_BITRIX24_CLIENT_ID": CLIENT_ID, "OINT_BITRIX24_CLIENT_SECRET": CLIENT_SECRET,
        "OINT_BITRIX24_REFRESH_TOKEN": tokens["refresh_token"],
        "OINT_BITRIX24_OAUTH_SERVER": process.base_url, "HOME": str(tmp_path),
    }
    refreshes = process.stats()["oauth"].get("refresh_token", 0)

    async def scenario(client: Client) -> list[str]:
        said = []
        for name, arguments in _calls(int(world.call("im.chat.add", {"TITLE": "o"}))):
            said.append((await client.call_tool(name, arguments)).model_dump_json())
        time = data(await client.call_tool("run_operation", {"name": "ServerTime"}))
        assert time["result"]
        return said

    said = "\n".join(run(["--debug", "--tools", "all"], env, tmp_path / "log", scenario))
    assert process.stats()["oauth"].get("refresh_token", 0) == refreshes + 1
    stored = [json.loads(p.read_text()) for p in tmp_path.rglob("*.json")]
    assert len(stored) == 1
    secrets = [tokens["access_token"], tokens["refresh_token"], CLIENT_SECRET,
               stored[0]["access_token"], stored[0]["refresh_token"], grant["refresh_token"]]
    text = said + (tmp_path / "log").read_text(encoding="utf-8")
    for secret in secrets:
        assert secret not in text
