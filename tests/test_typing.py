"""What a user's type checker sees: every operation with its parameters and result type, on
the clients, as module functions (OPI's names too) and as batch requests."""

from __future__ import annotations

from pathlib import Path

from mypy import api

SAMPLE = '''
from oint import bitrix24
from oint.bitrix24 import AsyncClient, Client, Response, calls


def sync(url: str) -> None:
    with Client(url) as b24:
        reveal_type(b24.create_chat)
        chat_id: int = b24.create_chat({"TITLE": "Deal 42", "USERS": [1, 10]}).result
        b24.create_chat(42)


async def asynchronous(url: str) -> None:
    async with AsyncClient(url) as b24:
        reveal_type(await b24.get_chat_users(1))
        structure = b24.get_chat_structure()  # local: no await, no envelope
        reveal_type(structure)


def functions(url: str) -> None:
    reveal_type(bitrix24.create_chat)
    reply: Response[int] = bitrix24.CreateChat(url, {"TITLE": "x"}, token=None)
    reveal_type(bitrix24.get_lead_structure(url))
    reveal_type(calls.update_lead)
    bitrix24.no_such_operation(url)
'''


def test_a_users_type_checker_sees_every_operation_with_its_types(tmp_path: Path) -> None:
    script = tmp_path / "user_script.py"
    script.write_text(SAMPLE, encoding="utf-8")
    cache = Path(__file__).resolve().parent.parent / ".mypy_cache"
    out, _, _ = api.run(["--strict", "--cache-dir", str(cache), "--no-error-summary",
                         str(script)])
    lines = {int(line.split(":")[1]): line for line in out.splitlines() if ":" in line}

    def at(text: str) -> str:
        number = SAMPLE.splitlines().index(next(
            line for line in SAMPLE.splitlines() if text in line)) + 1
        return lines.get(number, "")

    created = at("reveal_type(b24.create_chat)")
    assert "def (fields: TypedDict(oint.bitrix24.operations.chats.ChatFields, {" in created
    assert "'TITLE'?: str" in created
    assert created.endswith("| typing.Mapping[str, Any] | str) -> "
                           'oint.bitrix24._response.Response[int]"')
    assert "Argument 1" in at("b24.create_chat(42)") and "incompatible type" in at(
        "b24.create_chat(42)")
    assert "Response[list[int]]" in at("await b24.get_chat_users(1)")
    assert '"dict[str, Any]"' in at("reveal_type(structure)")
    assert "def (url: str, fields: " in at("reveal_type(bitrix24.create_chat)")
    assert "token: str | None =) -> " in at("reveal_type(bitrix24.create_chat)")
    assert "Response[dict[str, Any]]" in at("get_lead_structure(url)")
    assert "-> oint.bitrix24._spec.ApiRequest" in at("reveal_type(calls.update_lead)")
    assert 'has no attribute "no_such_operation"' in at("no_such_operation")
    # Nothing else is flagged: the good calls type-check.
    flagged = {n for n, line in lines.items() if "error:" in line}
    assert flagged == {SAMPLE.splitlines().index(line) + 1 for line in SAMPLE.splitlines()
                       if "create_chat(42)" in line or "no_such_operation" in line}
