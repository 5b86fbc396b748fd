"""The webhook code and the token never show, whatever fails."""

from __future__ import annotations

import socket
import traceback
from typing import Any

import pytest

from clients import BucketlessClient
from oint import bitrix24
from oint.bitrix24 import OintError
from oint.emulator.process import EmulatorProcess


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _secrets(portal: EmulatorProcess) -> list[str]:
    return [portal.webhook_code, portal.token]


def _cli_cases(portal: EmulatorProcess) -> list[tuple[str, ...]]:
    dead = f"http://127.0.0.1:{_closed_port()}"
    hook, code, token = portal.webhook_url, portal.webhook_code, portal.token
    return [
        ("bitrix24", "CreateChat", "--url", hook, "--fields", "{'USERS': [[1]]}", "--debug"),
        ("bitrix24", "CreateChat", "--url", hook, "--fields", "{}", "--test"),
        ("bitrix24", "CreateChat", "--url", portal.base_url, "--token", token, "--fields", "{}",
         "--test", "--debug"),
        ("bitrix24", "ServerTime", "--url", f"{dead}/rest/1/{code}", "--debug"),
        ("bitrix24", "ServerTime", "--url", dead, "--token", token, "--debug"),
        ("bitrix24", "ServerTime", "--url", f"{portal.base_url}/rest/2/{code}"),
        ("bitrix24", "ServerTime", "--url", hook, "--token", token),
        ("bitrix24", "ServerTime", "--url", f"ftp://x/rest/1/{code}"),
        ("bitrix24", "CreateChat", "--url", hook, "--fields", f"{{'{code}': "),
        ("bitrix24", "GetChatUsers", "--url", hook, "--chat", code),
        ("bitrix24", "ServerTime", "--url", f"{hook}?auth={token}"),
    ]


def test_cli_never_prints_a_secret(cli: Any, portal: EmulatorProcess) -> None:
    for words in _cli_cases(portal):
        result = cli(*words)
        for secret in _secrets(portal):
            assert secret not in result.stdout, words
            assert secret not in result.stderr, words


def test_cli_process_never_prints_a_secret(cli_process: Any, portal: EmulatorProcess) -> None:
    for words in _cli_cases(portal)[:5]:
        result = cli_process(*words)
        for secret in _secrets(portal):
            assert secret not in result.stdout + result.stderr, words


def _python_failures(portal: EmulatorProcess) -> list[Any]:
    dead = f"http://127.0.0.1:{_closed_port()}"
    code, token = portal.webhook_code, portal.token
    return [
        lambda: bitrix24.server_time(f"{dead}/rest/1/{code}"),
        lambda: bitrix24.server_time(dead, token=token),
        lambda: bitrix24.server_time(f"{portal.base_url}/rest/2/{code}"),
        lambda: bitrix24.server_time(portal.base_url, token=token + "x"),
        lambda: bitrix24.create_chat(portal.webhook_url, {"USERS": [[1]]}),
        lambda: bitrix24.create_chat(f"{portal.base_url}/rest/1/{code}", {}, token=token),
        lambda: BucketlessClient(f"{portal.webhook_url}?x={token}"),
    ]


def test_exceptions_never_carry_a_secret(portal: EmulatorProcess) -> None:
    for failure in _python_failures(portal):
        with pytest.raises(OintError) as caught:
            failure()
        text = "".join(traceback.format_exception(caught.value)) + repr(caught.value)
        for secret in _secrets(portal):
            assert secret not in text
