"""Input coercion (pure: no HTTP)."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from oint.bitrix24 import UsageError
from oint.bitrix24 import _values as values


def test_single_quoted_json_as_opi_documents_it() -> None:
    assert values.to_collection("{'TYPE':'CHAT','TITLE':'Private chat','USERS':['10','1']}") == {
        "TYPE": "CHAT", "TITLE": "Private chat", "USERS": ["10", "1"],
    }


def test_single_quoted_strings_may_hold_double_quotes_and_escaped_quotes() -> None:
    assert values.to_collection("""{'TITLE':'say "hi"','DESCRIPTION':'it\\'s'}""") == {
        "TITLE": 'say "hi"', "DESCRIPTION": "it's",
    }


def test_double_quoted_json_is_plain_json() -> None:
    assert values.to_collection('{"TITLE": "It\'s", "USERS": [1]}') == {
        "TITLE": "It's", "USERS": [1],
    }


def test_json_file_path(tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    path.write_text('{"TITLE": "From file"}', encoding="utf-8")
    assert values.to_collection(str(path)) == {"TITLE": "From file"}


@pytest.mark.parametrize("text", ["{bad", "{'a': }", "[1, 2"])
def test_broken_json_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="not valid JSON"):
        values.to_collection(text, "--fields")


def test_missing_json_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="file not found"):
        values.to_collection(str(tmp_path / "nope.json"), "--fields")


def test_a_folder_is_not_a_json_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--fields: is a folder, not a file"):
        values.to_collection(str(tmp_path), "--fields")


@pytest.mark.parametrize("convert", [values.to_base64, values.to_upload])
def test_a_mistyped_path_is_an_error_not_base64(convert: Any, tmp_path: Path) -> None:
    # "/abcdefghijk" (12 characters of base64's alphabet) decodes as base64; once it names a
    # place in an existing folder, it is a path whose file is missing.
    for text in ("/nonexistent", str(tmp_path / "report"), "~/no-such-oint-file"):
        with pytest.raises(UsageError, match="--file: file not found"):
            convert(text, "--file")
    with pytest.raises(UsageError, match="--file: is a folder, not a file"):
        convert(str(tmp_path), "--file")


def test_base64_that_starts_like_a_path_is_still_base64() -> None:
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
    encoded = base64.b64encode(jpeg).decode()
    assert encoded.startswith("/9j/")  # every JPEG's base64 does
    assert values.to_base64(encoded) == encoded
    assert values.to_upload(encoded).read() == jpeg


def test_array_of_object_is_rejected_as_collection() -> None:
    with pytest.raises(UsageError, match="JSON object"):
        values.to_collection("[1, 2]")


def test_scalar_becomes_one_element_array() -> None:
    assert values.to_array("7") == [7]
    assert values.to_array(7) == [7]
    assert values.to_array("[1,'2']") == [1, "2"]


def test_flags_become_y_or_n() -> None:
    assert [values.to_flag(v) for v in (True, "true", "Y", False, "false", "N")] == [
        "Y", "Y", "Y", "N", "N", "N",
    ]
    with pytest.raises(UsageError):
        values.to_flag("maybe")


def test_integer_accepts_digits_only() -> None:
    assert values.to_integer("42") == 42
    with pytest.raises(UsageError):
        values.to_integer("chat42")


def test_binary_from_bytes_path_and_base64(tmp_path: Path) -> None:
    data = b"\x89PNG\r\n\x1a\n-picture"
    encoded = base64.b64encode(data).decode()
    path = tmp_path / "picture.png"
    path.write_bytes(data)
    assert values.to_base64(data) == encoded
    assert values.to_base64(str(path)) == encoded
    assert values.to_base64(path) == encoded
    assert values.to_base64(encoded) == encoded
    assert values.to_base64("data:image/png;base64," + encoded) == encoded


def test_binary_rejects_text_that_is_none_of_them() -> None:
    with pytest.raises(UsageError, match="not a file path"):
        values.to_base64("not base64 at all!")


def test_dates_become_iso() -> None:
    assert values.to_date(dt.datetime(2026, 1, 2, 3, 4, 5, 600)) == "2026-01-02T03:04:05"
    assert values.to_date("2026-01-02") == "2026-01-02"
    with pytest.raises(UsageError):
        values.to_date("tomorrow")
