"""Every declared operation, run five ways against the emulator with its declared example.

The ways: the OPI-style module function, ``Client``, ``AsyncClient``, a batch of ``calls``
(operations of one REST call) and the ``oint`` command. Each reply is compared at full depth
with the real portal's recordings of that operation (tests/recordings), where they exist;
the local structures must equal OPI's exactly. The table drives everything: an operation
that lands with its declaration is covered here without a line of this file changing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from oint import bitrix24
from oint.bitrix24 import AsyncClient, Client, Operation, Response, calls, operations
from oint.emulator.process import EmulatorProcess, launch
from shapes import as_recorded, recorded, recordings_of, same_unmasked, shape_differences

CLIENT_ID = "local.coverage.app"
CLIENT_SECRET = "coverage-app-secret"
WAYS = ("function", "client", "async", "batch", "cli")
# Operations only an application's token reaches (a webhook has no application): every way
# runs them with the token form.
APPLICATION_ONLY = frozenset({"GetAppStorage"})
# GetToken's recording is an error (its code had expired), so its reply is checked against
# the documented one (REST docs, settings/oauth/index.md): a refresh adds expires and user_id.
DOCUMENTED_KEYS = {
    "GetToken": {"access_token", "client_endpoint", "domain", "expires_in", "member_id",
                 "refresh_token", "scope", "server_endpoint", "status"},
}


class Portal:
    """The emulator as an example's setup sees it (``ExamplePortal``)."""

    def __init__(self, process: EmulatorProcess) -> None:
        self.process = process
        self.base_url = process.base_url
        self._client = Client(process.webhook_url, limits=None)

    def call(self, method: str, params: Mapping[str, Any]) -> Any:
        return self._client.call(method, params).result

    def oauth_grant(self) -> Mapping[str, str]:
        code = self.process.admin("POST", "oauth/codes", {"client_id": CLIENT_ID})["code"]
        tokens = self.process.admin("POST", "oauth/grants", {"client_id": CLIENT_ID})
        return {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code,
                "refresh_token": tokens["refresh_token"]}

    def close(self) -> None:
        self._client.close()


@pytest.fixture(scope="module")
def world() -> Iterator[Portal]:
    with launch(["--app", f"{CLIENT_ID}:{CLIENT_SECRET}"]) as process:
        portal = Portal(process)
        try:
            yield portal
        finally:
            portal.close()


def _plain(reply: Any) -> Any:
    return reply.json() if isinstance(reply, Response) else reply


def _by_function(op: Operation, args: dict[str, Any], portal: Portal, _: Any) -> Any:
    function = getattr(bitrix24, op.python_name)
    if op.name in APPLICATION_ONLY:
        return function(portal.base_url, **args, token=portal.process.token)
    if op.needs_portal:
        return function(portal.process.webhook_url, **args)
    return function(**args)


def _by_client(op: Operation, args: dict[str, Any], portal: Portal, _: Any) -> Any:
    # The token form here, the webhook form in the other ways: both reach every operation.
    with Client(portal.base_url, portal.process.token, limits=None) as b24:
        return getattr(b24, op.python_name)(**args)


def _by_async_client(op: Operation, args: dict[str, Any], portal: Portal, _: Any) -> Any:
    async def run() -> Any:
        url, token = ((portal.base_url, portal.process.token) if op.name in APPLICATION_ONLY
                      else (portal.process.webhook_url, None))
        async with AsyncClient(url, token, limits=None) as b24:
            result = getattr(b24, op.python_name)(**args)
            return await result if asyncio.iscoroutine(result) else result

    return asyncio.run(run())


def _by_batch(op: Operation, args: dict[str, Any], portal: Portal, _: Any) -> Any:
    with Client(portal.base_url, portal.process.token, limits=None) as b24:
        [outcome] = b24.batch([getattr(calls, op.python_name)(**args)])
    assert isinstance(outcome, Response), outcome
    return outcome


def _cli_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _by_cli(op: Operation, args: dict[str, Any], portal: Portal, cli: Any) -> Any:
    words = ["bitrix24", op.name]
    if op.name in APPLICATION_ONLY:
        words += ["--url", portal.base_url, "--token", portal.process.token]
    elif op.needs_portal:
        words += ["--url", portal.process.webhook_url]
    for param in op.params:
        if param.name in args:
            words += [f"--{param.cli}", _cli_text(args[param.name])]
    done = cli(*words)
    assert done.code == 0, done.stderr
    return done.json()


RUN: dict[str, Callable[[Operation, dict[str, Any], Portal, Any], Any]] = {
    "function": _by_function,
    "client": _by_client,
    "async": _by_async_client,
    "batch": _by_batch,
    "cli": _by_cli,
}


def _cases() -> Iterator[Any]:
    for op in operations.ALL:
        for way in WAYS:
            if way != "batch" or op.batchable:
                yield pytest.param(op, way, id=f"{op.name}-{way}")


def test_every_operation_declares_an_example() -> None:
    missing = [op.name for op in operations.ALL if op.example is None]
    assert not missing, f"operations without an example: {missing}"


@pytest.mark.parametrize(("op", "way"), list(_cases()))
def test_operation(op: Operation, way: str, world: Portal, cli: Any) -> None:
    assert op.example is not None
    args = op.example.arguments(world)
    reply = _plain(RUN[way](op, args, world, cli))
    if op.name in DOCUMENTED_KEYS:
        assert set(reply) == DOCUMENTED_KEYS[op.name]
    elif op.is_local and op.name.endswith("Structure") and recordings_of(op.name):
        assert same_unmasked(reply, recorded(op.name)), "a local structure must be OPI's"
    elif recordings_of(op.name):
        assert not shape_differences(as_recorded(op.name, reply), op.name)
    else:
        assert reply is not None


@pytest.mark.parametrize("op", [op for op in operations.ALL if not op.batchable],
                         ids=lambda op: op.name)
def test_what_cannot_go_into_a_batch_says_so(op: Operation) -> None:
    with pytest.raises(AttributeError, match="cannot go into a batch"):
        getattr(calls, op.python_name)
