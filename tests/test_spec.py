"""Operation declarations: coercion, request building, local operations (pure)."""

from __future__ import annotations

import pytest

from oint.bitrix24 import Kind, Operation, Param, UsageError, operations
from shapes import recorded


def _operation() -> Operation:
    return Operation(
        "Probe", "Tests", "A probe", method="probe.add",
        params=(
            Param("chat_id", "chat", Kind.INTEGER, "Chat", key="CHAT_ID"),
            Param("hide", "hide", Kind.FLAG, "Hide", key="HIDE", required=False, default=False),
            Param("text", "text", Kind.TEXT, "Text", key="TEXT", required=False),
        ),
        fixed={"MUTE": "Y"},
    )


def test_plain_body_from_keys_with_fixed_entries() -> None:
    request = _operation().request(chat_id="12", text="")
    assert request.method == "probe.add"
    assert request.params == {"CHAT_ID": 12, "HIDE": "N", "TEXT": "", "MUTE": "Y"}
    assert request.reads is False
    assert request.operation == "Probe"


def test_none_is_not_sent() -> None:
    assert "TEXT" not in _operation().request(chat_id=1, text=None).params


def test_missing_required_and_unknown_parameters() -> None:
    with pytest.raises(UsageError, match="chat_id is required"):
        _operation().request()
    with pytest.raises(UsageError, match="no parameter 'colour'"):
        _operation().request(chat_id=1, colour="RED")


def test_create_chat_copies_keys_as_given_and_encodes_avatar() -> None:
    request = operations.find("CreateChat").request(  # type: ignore[union-attr]
        fields={"TITLE": "x", "users": [1], "AVATAR": b"\x00\x01"}
    )
    assert request.params == {"TITLE": "x", "users": [1], "AVATAR": "AAE="}


def test_find_is_case_insensitive_and_knows_python_names() -> None:
    assert operations.find("createCHAT") is operations.find("create_chat")
    assert operations.find("NoSuchThing") is None


def test_chat_structure_matches_opi_and_blanks() -> None:
    structure = operations.find("GetChatStructure").run_local()  # type: ignore[union-attr]
    assert structure == recorded("GetChatStructure")
    assert list(structure) == list(recorded("GetChatStructure"))
    blank = operations.find("GetChatStructure").run_local(empty=True)  # type: ignore[union-attr]
    assert set(blank.values()) == {""}
