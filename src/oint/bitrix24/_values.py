"""Every coercion of caller input into wire values, in one place.

The CLI hands over strings and Python callers hand over native values; both go through
these functions, so ``--fields "{'TITLE':'x'}"`` and ``fields={"TITLE": "x"}`` mean the same.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from ._errors import UsageError

__all__ = [
    "Upload",
    "fetch_bytes",
    "on_the_wire",
    "parse_json_text",
    "to_array",
    "to_base64",
    "to_bool",
    "to_collection",
    "to_date",
    "to_dialog_id",
    "to_flag",
    "to_integer",
    "to_json",
    "to_text",
    "to_upload",
]

_TRUE = {"true", "y", "yes", "1", "on"}
_FALSE = {"false", "n", "no", "0", "off", ""}
URL_TIMEOUT_SECONDS = 30.0


def on_the_wire(value: Any) -> Any:
    """Dates, bytes and paths as every request carries them (ISO 8601, base64, the path's
    text), in a JSON body and in a batch command alike; any other value unchanged."""
    # A date exists only if its module was imported: no need to import it here.
    dates = sys.modules.get("datetime")
    if dates is not None and isinstance(value, dates.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return _b64(bytes(value))
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


# base64, datetime and pathlib are imported where used: every command of the CLI loads this
# module, and most never need them.


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def _file(text: str) -> str | None:
    """The path ``text`` names if it is an existing file (``~`` expanded)."""
    if len(text) >= 4096:
        return None
    path = os.path.expanduser(text)
    return path if os.path.isfile(path) else None


def _refuse_missing_path(text: str, what: str) -> None:
    """Refuse text written as a path that names no file: a folder, or nothing in a folder.

    Binary inputs may also be base64, whose alphabet has "/": text counts as a path only when
    the folder it names exists, so a mistyped path is an error, never uploaded as bytes.
    """
    if not text or len(text) >= 4096:
        return
    path = os.path.expanduser(text)
    if os.path.isdir(path):
        raise UsageError(f"{what}: is a folder, not a file: {text}")
    folder = os.path.dirname(path)
    if folder and os.path.isdir(folder) and not os.path.exists(path):
        raise UsageError(f"{what}: file not found: {text}")


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def fetch_bytes(url: str) -> bytes:
    """Download a file named by URL (binary and JSON inputs may be URLs, as in OPI)."""
    import httpx  # the HTTP stack is loaded only when an input really is a URL

    try:
        reply = httpx.get(url, timeout=URL_TIMEOUT_SECONDS, follow_redirects=True)
        reply.raise_for_status()
    except httpx.HTTPError as exc:
        raise UsageError(f"cannot download {_url_for_message(url)}: {type(exc).__name__}") from None
    return reply.content


def _url_for_message(url: str) -> str:
    # A download URL may carry a signature in its query; keep it out of messages.
    return url.split("?", 1)[0]


def _loads(text: str) -> Any:
    # Python's parser recurses: nesting past its limit is bad input, not a crash.
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested deeper than the JSON parser allows") from None


def _single_to_double_quotes(text: str) -> str:
    """Rewrite JSON written with single-quoted strings (OPI's documented style) to JSON."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char not in "\"'":
            out.append(char)
            i += 1
            continue
        quote, i = char, i + 1
        chars: list[str] = []
        while i < n and text[i] != quote:
            if text[i] == "\\" and i + 1 < n:
                escaped = text[i + 1]
                # \' is not a JSON escape; inside single quotes it just means a quote
                chars.append("'" if escaped == "'" else "\\" + escaped)
                i += 2
                continue
            chars.append('\\"' if text[i] == '"' else text[i])
            i += 1
        if i >= n:
            raise ValueError("unterminated string")
        out.append('"' + "".join(chars) + '"')
        i += 1
    return "".join(out)


def parse_json_text(text: str, what: str = "value") -> Any:
    """JSON from inline text (double or single quotes), a .json file path or an http(s) URL."""
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        try:
            return _loads(stripped)
        except ValueError:
            pass
        try:
            return _loads(_single_to_double_quotes(stripped))
        except ValueError as exc:
            raise UsageError(f"{what} is not valid JSON: {exc}") from None
    if _is_url(stripped):
        return _loads_document(fetch_bytes(stripped), what, _url_for_message(stripped))
    path = _file(stripped) if stripped else None
    if path is not None:
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError as exc:
            raise UsageError(f"cannot read {what} file {stripped}: {exc.strerror}") from None
        return _loads_document(data, what, stripped)
    _refuse_missing_path(stripped, what)
    if stripped.lower().endswith(".json") or os.sep in stripped:
        raise UsageError(f"{what}: file not found: {stripped}")
    raise UsageError(f"{what} is neither JSON nor the path of a .json file: {_preview(stripped)}")


def _preview(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _loads_document(data: bytes, what: str, source: str) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{what} in {source} is not UTF-8 text") from None
    try:
        return _loads(text)
    except ValueError:
        try:
            return _loads(_single_to_double_quotes(text.strip()))
        except ValueError as exc:
            raise UsageError(f"{what} in {source} is not valid JSON: {exc}") from None


def to_collection(value: Any, what: str = "value") -> dict[str, Any]:
    """A JSON object: a mapping, or text/path/URL holding one."""
    if isinstance(value, str):
        value = parse_json_text(value, what)
    if isinstance(value, Mapping):
        return dict(value)
    raise UsageError(f"{what} must be a JSON object, got {type(value).__name__}")


def to_json(value: Any, what: str = "value") -> Any:
    """Any JSON value; text that looks like JSON or names a .json file is parsed."""
    if isinstance(value, str):
        return parse_json_text(value, what)
    return value


def to_array(value: Any, what: str = "value") -> list[Any]:
    """A JSON array; a scalar becomes a one-element array (as OPI does)."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("[") or stripped.lower().endswith(".json"):
            value = parse_json_text(stripped, what)
        else:
            return [_scalar(stripped)]
    if isinstance(value, Mapping):
        raise UsageError(f"{what} must be an array, got an object")
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return list(value)
    return [value]


def _scalar(text: str) -> Any:
    return int(text) if text.lstrip("-").isdigit() else text


def to_text(value: Any, what: str = "value") -> str:
    if isinstance(value, (Mapping, list, tuple, bytes)):
        raise UsageError(f"{what} must be text, got {type(value).__name__}")
    return str(value)


def to_integer(value: Any, what: str = "value") -> int:
    if isinstance(value, bool):
        raise UsageError(f"{what} must be a whole number, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise UsageError(f"{what} must be a whole number, got {_preview(str(value))!r}")


def to_dialog_id(value: Any, what: str = "value") -> str:
    """A DIALOG_ID: a user id (``47``) or a chat (``chat12``, ``sg17``), sent as text."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise UsageError(f"{what} must be a dialog id such as 47 or chat12")
    text = str(value).strip()
    if not text:
        raise UsageError(f"{what} must not be empty")
    return text


def to_bool(value: Any, what: str = "value") -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise UsageError(f"{what} must be true or false, got {_preview(str(value))!r}")


def to_flag(value: Any, what: str = "value") -> str:
    """Bitrix24's booleans: ``Y`` or ``N``."""
    return "Y" if to_bool(value, what) else "N"


def to_date(value: Any, what: str = "value") -> str:
    """ISO 8601 text (``YYYY-MM-DDTHH:MM:SS``); dates and datetimes are formatted."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = to_text(value, what).strip()
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{what} must be an ISO 8601 date, got {_preview(text)!r}") from None
    return text


def _clean_base64(text: str) -> str | None:
    """The base64 payload of text (a ``data:`` URL prefix is dropped), or None if it is not."""
    payload = text.split(",", 1)[1] if text.startswith("data:") and "," in text else text
    payload = "".join(payload.split())
    if not payload:
        return None
    import base64
    import binascii

    try:
        base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return None
    return payload


def _binary_input(value: Any, what: str) -> bytes | str:
    """Binary input as bytes (given, or downloaded from a URL), or else its text: the path
    of a file or base64."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise UsageError(f"{what} must be bytes, a file path, a URL or base64 text")
    text = value.strip()
    return fetch_bytes(text) if _is_url(text) else text


def _base64_text(text: str, what: str) -> str:
    """Text that names no existing file, as the base64 it must then be."""
    _refuse_missing_path(text, what)
    encoded = _clean_base64(text)
    if encoded is None:
        raise UsageError(f"{what} is not a file path, an http(s) URL or base64 text")
    return encoded


def to_base64(value: Any, what: str = "value") -> str:
    """Binary input as base64 text: bytes, a file path, an http(s) URL or base64 text."""
    source = _binary_input(value, what)
    if isinstance(source, bytes):
        return _b64(source)
    path = _file(source)
    if path is None:
        return _base64_text(source, what)
    try:
        with open(path, "rb") as file:
            return _b64(file.read())
    except OSError as exc:
        raise UsageError(f"cannot read {what} file {source}: {exc.strerror}") from None


class Upload:
    """A file to send as it is (a multipart part), read in pieces when the request goes out.

    From a path it is read from disk each time it is sent (a retry sends it again from the
    start), so a file of any size costs one piece of memory; bytes and base64 text are held.
    """

    CHUNK = 1 << 16

    def __init__(self, *, path: str | None = None, data: bytes | None = None) -> None:
        if (path is None) == (data is None):
            raise ValueError("an Upload has either a path or data")
        self.path = path
        self._data = data
        self.size = len(data) if data is not None else os.path.getsize(path or "")

    def chunks(self) -> Iterator[bytes]:
        if self._data is not None:
            for start in range(0, len(self._data), self.CHUNK):
                yield self._data[start:start + self.CHUNK]
            return
        with open(self.path or "", "rb") as file:
            while piece := file.read(self.CHUNK):
                yield piece

    def read(self) -> bytes:
        return b"".join(self.chunks())

    def __repr__(self) -> str:
        source = f"path={self.path!r}" if self.path is not None else "data"
        return f"<Upload {source} {self.size} bytes>"


def to_upload(value: Any, what: str = "value") -> Upload:
    """A file to send as it is: bytes, a file path, an http(s) URL or base64 text."""
    if isinstance(value, Upload):
        return value
    source = _binary_input(value, what)
    if isinstance(source, bytes):
        return Upload(data=source)
    path = _file(source)
    if path is None:
        import base64

        return Upload(data=base64.b64decode(_base64_text(source, what)))
    if not os.access(path, os.R_OK):
        raise UsageError(f"cannot read {what} file {source}")
    return Upload(path=path)


Coercer = Callable[[Any, str], Any]
