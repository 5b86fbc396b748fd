"""The ``oint`` command: OPI's syntax, help, output and exit codes."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from conftest import SEED_FIELDS_SINGLE_QUOTES
from oint.emulator.process import EmulatorProcess
from shapes import assert_shape

SEED_FIELDS_DOUBLE_QUOTES = '{"TYPE":"CHAT","TITLE":"Private chat","USERS":[10,1]}'


def _members(cli: Any, portal: EmulatorProcess, chat_id: int) -> list[int]:
    result = cli("bitrix24", "GetChatUsers", "--url", portal.webhook_url, "--chat", str(chat_id))
    assert result.code == 0, result.stderr
    return sorted(result.json()["result"])


def test_create_chat_as_opi_documents_it_with_a_webhook(cli: Any, portal: EmulatorProcess) -> None:
    result = cli("bitrix24", "CreateChat", "--url", portal.webhook_url,
                 "--fields", SEED_FIELDS_SINGLE_QUOTES)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    assert_shape(result.json(), "CreateChat_wh")
    assert _members(cli, portal, result.json()["result"]) == [1, 10]


def test_create_chat_with_domain_and_token_as_a_real_process(
    cli_process: Any, portal: EmulatorProcess
) -> None:
    result = cli_process("bitrix24", "CreateChat", "--url", portal.base_url,
                         "--fields", "{'TYPE':'CHAT','TITLE':'Private chat','USERS':['10','1']}",
                         "--token", portal.token)
    assert result.code == 0, result.stderr
    assert_shape(result.json(), "CreateChat")


def test_double_quotes_and_a_json_file(cli: Any, portal: EmulatorProcess, tmp_path: Path) -> None:
    inline = cli("bitrix24", "CreateChat", "--url", portal.webhook_url,
                 "--fields", SEED_FIELDS_DOUBLE_QUOTES)
    assert inline.code == 0, inline.stderr
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"TITLE": "From a file", "USERS": [5]}), encoding="utf-8")
    from_file = cli("bitrix24", "CreateChat", "--url", portal.webhook_url, "--fields", str(path))
    assert from_file.code == 0, from_file.stderr
    assert _members(cli, portal, from_file.json()["result"]) == [1, 5]


def test_url_and_token_from_the_environment(cli: Any, portal: EmulatorProcess) -> None:
    env = {"OINT_BITRIX24_URL": portal.base_url, "OINT_BITRIX24_TOKEN": portal.token}
    result = cli("bitrix24", "CreateChat", "--fields", SEED_FIELDS_SINGLE_QUOTES, env=env)
    assert result.code == 0, result.stderr
    assert cli("bitrix24", "ServerTime", env=env).code == 0


def test_method_names_are_case_insensitive(cli: Any, portal: EmulatorProcess) -> None:
    result = cli("bitrix24", "servertime", "--url", portal.webhook_url)
    assert result.code == 0
    assert_shape(result.json(), "ServerTime_wh")


def test_banner_lists_libraries_and_global_options(cli: Any) -> None:
    result = cli()
    assert result.code == 0
    for word in ("bitrix24", "emulator", "--debug", "--test", "--out"):
        assert word in result.stdout


def test_library_help_groups_methods_by_region(cli: Any) -> None:
    result = cli("bitrix24")
    assert result.code == 0
    text = result.stdout
    assert text.index("Chats and dialogs management") < text.index("CreateChat")
    assert text.index("Settings and administartion") < text.index("ServerTime")


@pytest.mark.parametrize("words", [("CreateChat",), ("CreateChat", "--help"), ("createchat",)])
def test_method_help(cli: Any, words: tuple[str, ...]) -> None:
    result = cli("bitrix24", *words)
    assert result.code == 0
    assert "--url - " in result.stdout
    assert "--fields - " in result.stdout
    assert "--token - " in result.stdout and "optional" in result.stdout
    assert "im.chat.add" in result.stdout


def test_get_chat_structure_and_empty(cli: Any) -> None:
    full = cli("bitrix24", "GetChatStructure")
    assert full.code == 0
    assert full.json()["USERS"] == "<Chat members array>"
    for words in (("--empty",), ("--empty", "true")):
        empty = cli("bitrix24", "GetChatStructure", *words)
        assert empty.code == 0
        assert set(empty.json().values()) == {""}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bad_inputs(portal: EmulatorProcess, tmp_path: Path) -> list[tuple[tuple[str, ...], int, str]]:
    hook = portal.webhook_url
    return [
        (("nosuchlib", "CreateChat"), 1, "unknown library"),
        (("bitrix24", "NoSuchMethod", "--url", hook), 2, "unknown method"),
        (("bitrix24", "CreateChat", "--url", hook, "--fields", "{}", "--colour", "RED"), 2,
         "no option --colour"),
        (("bitrix24", "CreateChat", "--url", hook), 2, "fields is required"),
        (("bitrix24", "CreateChat", "--fields", "{}"), 2, "--url is required"),
        (("bitrix24", "CreateChat", "--url", hook, "--fields", "{'TITLE': "), 2,
         "not valid JSON"),
        (("bitrix24", "CreateChat", "--url", hook, "--fields", str(tmp_path / "no.json")), 2,
         "file not found"),
        (("bitrix24", "CreateChat", "--url", hook, "--fields", str(tmp_path)), 2,
         "is a folder, not a file"),
        # "/..." is base64's alphabet too: a mistyped path must not be uploaded as bytes
        (("bitrix24", "UploadFileToFolder", "--url", hook, "--title", "x.txt", "--file",
          str(tmp_path / "report"), "--folderid", "1"), 2, "--file: file not found"),
        (("bitrix24", "CreateChat", "--url", hook, "--fields"), 2, "needs a value"),
        (("bitrix24", "GetChatUsers", "--url", hook, "--chat", "abc"), 2, "whole number"),
        (("bitrix24", "CreateChat", "--url", "portal.example", "--fields", "{}"), 2,
         "no token was given"),
        (("bitrix24", "CreateChat", "--url", hook, "--fields", "{'USERS': [[1]]}"), 3,
         "INVALID_FORMAT"),
        (("bitrix24", "GetChatUsers", "--url", portal.base_url, "--token", "wrong", "--chat",
          "1"), 3, "invalid_token"),
        (("bitrix24", "ServerTime", "--url", f"http://127.0.0.1:{_closed_port()}/rest/1/x"), 4,
         "cannot reach"),
        (("bitrix24", "CreateChat", "--url", hook, "--fields", "{}", "--out",
          str(tmp_path / "missing-dir" / "out.json")), 2, "cannot write --out"),
    ]


def test_every_bad_input_gets_one_line_and_its_exit_code(
    cli: Any, cli_process: Any, portal: EmulatorProcess, tmp_path: Path
) -> None:
    for words, code, text in _bad_inputs(portal, tmp_path):
        result = cli(*words)
        assert result.code == code, (words, result.stderr)
        assert text in result.stderr, (words, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
    # The same through a real process, for the codes a shell script sees.
    for words, code, _ in _bad_inputs(portal, tmp_path)[::3]:
        result = cli_process(*words)
        assert result.code == code, (words, result.stderr)
        assert "Traceback" not in result.stderr


def test_api_error_json_is_still_printed(cli: Any, portal: EmulatorProcess) -> None:
    result = cli("bitrix24", "CreateChat", "--url", portal.webhook_url,
                 "--fields", "{'USERS': [[1]]}")
    assert result.code == 3
    assert result.json() == {
        "error": "INVALID_FORMAT", "error_description": "Parameter USERS has wrong type",
    }


def test_test_switch_prints_the_request_and_sends_nothing(
    cli: Any, portal: EmulatorProcess
) -> None:
    before = cli("bitrix24", "CreateChat", "--url", portal.webhook_url, "--fields", "{}").json()
    shown = cli("bitrix24", "CreateChat", "--url", portal.base_url, "--token", portal.token,
                "--fields", SEED_FIELDS_SINGLE_QUOTES, "--test")
    assert shown.code == 0
    request = shown.json()
    assert request["url"] == f"{portal.base_url}/rest/im.chat.add"
    assert request["body"] == {"TYPE": "CHAT", "TITLE": "Private chat", "USERS": [10, 1],
                               "auth": "***"}
    after = cli("bitrix24", "CreateChat", "--url", portal.webhook_url, "--fields", "{}").json()
    assert after["result"] == before["result"] + 1  # nothing was created in between


def test_debug_shows_the_request_on_stderr(cli: Any, portal: EmulatorProcess) -> None:
    result = cli("bitrix24", "ServerTime", "--url", portal.webhook_url, "--debug")
    assert result.code == 0
    assert "server.time" in result.stderr and "HTTP 200" in result.stderr
    assert portal.webhook_code not in result.stderr
    assert_shape(result.json(), "ServerTime_wh")


def test_out_writes_the_json_to_a_file(cli: Any, portal: EmulatorProcess, tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    result = cli("bitrix24", "CreateChat", "--url", portal.webhook_url,
                 "--fields", SEED_FIELDS_SINGLE_QUOTES, "--out", str(path))
    assert result.code == 0
    assert result.stdout == ""
    assert_shape(json.loads(path.read_text(encoding="utf-8")), "CreateChat_wh")


def test_a_y_n_option_may_stand_alone_as_a_switch(cli: Any, portal: EmulatorProcess) -> None:
    base = ("bitrix24", "AddUsersToChat", "--url", portal.webhook_url, "--chat", "5",
            "--users", "[4]")
    alone = cli(*base, "--hide", "--test")
    assert alone.code == 0, alone.stderr
    assert alone.json()["body"]["HIDE_HISTORY"] == "Y"
    # OPI's default for HideHistory is False, sent as N
    assert cli(*base, "--test").json()["body"]["HIDE_HISTORY"] == "N"
    assert cli(*base, "--hide", "false", "--test").json()["body"]["HIDE_HISTORY"] == "N"
