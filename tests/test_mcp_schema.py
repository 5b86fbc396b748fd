"""``oint mcp`` without a server: schemas, annotations and the catalog from the declarations,
the options, and a start-up that does not touch other commands."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema  # the mcp extra brings it; the reference validator for our schemas
import pytest

from oint.bitrix24 import Kind, UsageError, operations
from oint.mcp._catalog import Catalog, ToolError
from oint.mcp._schema import KIND_SCHEMAS, input_schema, prepare, tool_annotations

COMPACT = {"find_operations", "describe_operation", "run_operation", "read_list", "call"}


def _served(op: Any) -> bool:
    # Everything but the operations that only ask the OAuth server (with the app's secret).
    return op.method is not None or op.is_local


def test_every_kind_has_a_schema() -> None:
    assert set(KIND_SCHEMAS) == {kind.name for kind in Kind}


@pytest.mark.parametrize("op", operations.ALL, ids=lambda op: op.name)
def test_each_schema_is_a_valid_json_schema(op: Any) -> None:
    schema = input_schema(op)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object"
    assert set(schema["properties"]) == {p.name for p in op.params}
    assert schema["additionalProperties"] is False


SAMPLES: list[Any] = [12, "12", "-3", "chat5", "text", True, False, 1.5, [1, 2], {"a": 1}, None]


@pytest.mark.parametrize(
    "kind", [Kind.TEXT, Kind.INTEGER, Kind.DIALOG, Kind.ARRAY, Kind.COLLECTION, Kind.FLAG,
             Kind.BOOLEAN], ids=lambda kind: kind.name,
)
def test_what_a_schema_accepts_the_coercion_takes(kind: Kind) -> None:
    validator = jsonschema.Draft202012Validator(KIND_SCHEMAS[kind.name])
    accepted = [value for value in SAMPLES if validator.is_valid(value)]
    assert accepted, "a schema that accepts nothing"
    for value in accepted:
        kind.coerce(value, "value")  # raises if the schema promised too much
    rejected = [value for value in SAMPLES if value not in accepted]
    assert None in rejected


def test_kinds_become_the_json_types_the_issue_names() -> None:
    assert KIND_SCHEMAS["COLLECTION"]["type"] == "object"
    assert {"type": "array"} in KIND_SCHEMAS["ARRAY"]["anyOf"]  # or one value, as OPI takes
    assert KIND_SCHEMAS["FLAG"]["type"] == "boolean"
    assert {"type": "integer"} in KIND_SCHEMAS["INTEGER"]["anyOf"]
    for kind in ("BINARY", "FILE"):
        assert KIND_SCHEMAS[kind]["type"] == "string"
        assert "path" in KIND_SCHEMAS[kind]["description"]
        assert "base64" in KIND_SCHEMAS[kind]["description"]


def test_required_parameters_and_defaults_follow_the_declaration() -> None:
    leads = input_schema(operations.find("GetLeadsList"))
    assert "required" not in leads  # a filter and an offset, both optional
    assert leads["properties"]["offset"]["default"] == 0
    chat = input_schema(operations.find("CreateChat"))
    assert chat["required"] == ["fields"]
    assert chat["properties"]["fields"]["description"].startswith("Chat structure")
    hide = input_schema(operations.find("AddUsersToChat"))["properties"]["hide_history"]
    assert hide == {"type": "boolean", "description": hide["description"], "default": False}


@pytest.mark.parametrize("op", operations.ALL, ids=lambda op: op.name)
def test_annotations_follow_the_declaration(op: Any) -> None:
    hints = tool_annotations(op)
    assert hints["read_only_hint"] is op.reads
    if op.reads:
        assert hints["idempotent_hint"] and not hints["destructive_hint"]
    if op.name.startswith("Delete"):
        assert hints["destructive_hint"] and hints["idempotent_hint"]
    assert hints["open_world_hint"] is op.needs_portal


def test_annotations_of_known_operations() -> None:
    def hints(name: str) -> dict[str, Any]:
        return tool_annotations(operations.find(name))

    assert hints("DeleteLead")["destructive_hint"]
    assert hints("DeleteUserFromChat")["destructive_hint"]
    create = hints("CreateChat")
    assert not create["destructive_hint"] and not create["idempotent_hint"]
    assert hints("UpdateLead")["idempotent_hint"]
    assert not hints("SetMessageReaction")["idempotent_hint"]  # it likes, then unlikes
    assert hints("GetChatStructure")["open_world_hint"] is False


def test_prepare_never_reads_a_file_for_an_object(tmp_path: Path) -> None:
    path = tmp_path / "fields.json"
    path.write_text('{"TITLE": "from a file"}', encoding="utf-8")
    op = operations.find("CreateChat")
    with pytest.raises(UsageError, match="fields must be a JSON object"):
        prepare(op, {"fields": str(path)})
    assert prepare(op, {"fields": '{"TITLE": "inline"}'}) == {"fields": '{"TITLE": "inline"}'}
    users = operations.find("GetUsers")
    assert prepare(users, {"user_ids": 10}) == {"user_ids": [10]}
    assert prepare(users, {"user_ids": str(path)}) == {"user_ids": [str(path)]}


def test_the_catalog_counts_follow_the_table() -> None:
    served = [op for op in operations.ALL if _served(op)]
    assert {t.name for t in Catalog().tools()} == COMPACT
    every = Catalog(["all"]).tools()
    assert [t.name for t in every][len(COMPACT):] == [op.name for op in served]
    reads = Catalog(["all"], read_only=True).tools()
    assert [t.name for t in reads][len(COMPACT):] == [op.name for op in served if op.reads]
    leads = [op.name for op in served if op.region == operations.region("leads").REGION]
    assert [t.name for t in Catalog(["leads"]).tools()][len(COMPACT):] == leads


def test_tool_names_suit_every_client() -> None:
    # The strictest rule among clients: letters, digits, _ and -, at most 64.
    for tool in Catalog(["all"]).tools():
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", tool.name), tool.name


def test_find_by_words_and_by_region() -> None:
    catalog = Catalog()
    found = catalog.find("lead list")
    assert "GetLeadsList" in [op["name"] for op in found["operations"]]
    assert all("lead" in op["summary"].lower() or "lead" in op["name"].lower()
               for op in found["operations"])
    region = catalog.find(region="leads")
    assert [op["name"] for op in region["operations"]] == [
        op.name for op in operations.region("leads").OPERATIONS]
    overview = catalog.find()
    assert sum(r["operations"] for r in overview["regions"]) == overview["operations"]
    assert overview["operations"] == len([op for op in operations.ALL if _served(op)])
    with pytest.raises(ToolError, match="no region 'nowhere'"):
        catalog.find(region="nowhere")


def test_describe_and_what_is_not_served() -> None:
    described = Catalog().describe("getleadslist")
    assert described["name"] == "GetLeadsList"
    assert described["input_schema"] == input_schema(operations.find("GetLeadsList"))
    assert described["example_arguments"] == {"filter": {"STATUS_ID": "NEW"}}
    assert "read_list" in described
    for name, code in (("GetToken", "NOT_SERVED"), ("RefreshToken", "NOT_SERVED"),
                       ("NoSuchThing", "UNKNOWN_OPERATION")):
        with pytest.raises(ToolError) as caught:
            Catalog().describe(name)
        assert caught.value.code == code
    with pytest.raises(ToolError) as caught:
        Catalog(read_only=True).lookup("CreateChat")
    assert caught.value.code == "READ_ONLY"


@pytest.mark.parametrize(("args", "message"), [
    ([], "--url is required (or set OINT_BITRIX24_URL)"),
    (["--url", "ftp://portal/rest/1/x"], "not an http(s) portal URL"),
    (["--url", "b24.example.com"], "no token was given"),
    (["--url", "http://127.0.0.1:9/rest/1/abc", "--tools", "chats,nowhere"], "no region"),
    (["--url", "http://127.0.0.1:9/rest/1/abc", "--http", "localhost"], "HOST:PORT"),
    (["--url", "http://127.0.0.1:9/rest/1/abc", "--bogus"], "unrecognized arguments"),
    (["--url", "http://127.0.0.1:9/rest/1/abc", "--read"], "unrecognized arguments"),
    (["--url", "http://127.0.0.1:9/rest/1/abc", "--rate-limit", "fast"], "DRAIN/BURST"),
    (["--url", "http://127.0.0.1:9/rest/1/abc", "--rate-limit", "0/50"], "drain > 0"),
])
def test_bad_options_are_one_line_and_exit_2(cli: Any, args: list[str], message: str) -> None:
    done = cli("mcp", *args)
    assert done.code == 2
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("oint mcp: ")
    assert message in done.stderr
    assert done.stdout == ""


def test_oauth_needs_both_credentials(cli: Any) -> None:
    done = cli("mcp", "--url", "b24.example.com", env={"OINT_BITRIX24_CLIENT_ID": "app"})
    assert done.code == 2
    assert "OINT_BITRIX24_CLIENT_SECRET" in done.stderr


def test_help_lists_the_regions(cli: Any) -> None:
    done = cli("mcp", "--help")
    assert done.code == 0
    for module in operations.REGION_MODULES:
        assert module in done.stdout
    assert "mcp" in cli("--help").stdout


def test_other_commands_do_not_import_the_sdk() -> None:
    code = (
        "import sys, io; from oint.cli import main; from oint.cli._io import Console;"
        "main(['bitrix24', 'GetChatStructure'], Console(io.StringIO(), io.StringIO(), {}));"
        "main(['--help'], Console(io.StringIO(), io.StringIO(), {}));"
        "print(sorted(m for m in ('mcp', 'mcp_types', 'oint.mcp') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
