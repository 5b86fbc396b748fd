"""Comparing a reply with the real portal's recordings of the same call, at full depth.

Same keys, same kinds of values (text, number, boolean, null, object, list) at every depth
and in every element of a list; a value the portal sent as null must be null; an id the
portal sends as text must be text. The recordings mask ids and names as ``***``: a masked
value matches any value but an object or a list.

An operation has up to two recordings (made with a token, and ``_wh`` with a webhook) from
two versions of the server. Where the two disagree, the reply may match either: only what
differs from every recording is a difference.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

RECORDINGS = Path(__file__).resolve().parent / "recordings"
MASK = "***"

# Where the emulator is known to differ from the real portal still (operation, path pattern,
# why): tolerated by the comparison, and listed by the fidelity report until fixed.
KNOWN_DIFFERENCES: tuple[tuple[str, str, str], ...] = (
)

# Where the current server writes what no recording shows, because the only recording of
# it comes from the older server (operation, path pattern, the source that says so):
# version drift, like a disagreement of the two recordings, tolerated and listed as such.
VERSION_DRIFT: tuple[tuple[str, str, str], ...] = (
    ("GetChatMessagesList", "$.result.messages[*].params: extra key 'NOTIFY'",
     "im 25.650 GroupChat::sendBanner posts the banner with NOTIFY=N; the 2024 one had none"),
    ("GetChatMessagesList", "$.result.messages[*].params: object where the portal sends list",
     "im 25.650 GroupChat::sendGreetingMessage posts the greeting with NOTIFY=N; the 2024 "
     "greeting had no params"),
)


def recorded(name: str) -> Any:
    """A recorded reply, e.g. ``recorded("CreateChat_wh")``."""
    return json.loads((RECORDINGS / f"{name}.json").read_text(encoding="utf-8-sig"))


def recordings_of(operation: str) -> list[str]:
    """The names of an operation's recordings (token first), those that exist."""
    return [name for name in (operation, f"{operation}_wh")
            if (RECORDINGS / f"{name}.json").exists()]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "text"
    return "object" if isinstance(value, dict) else "list"


def differences(actual: Any, expected: Any, path: str = "$") -> list[str]:
    """Where ``actual`` differs in shape from one recording ``expected``."""
    if isinstance(expected, str) and MASK in expected and not isinstance(actual, (dict, list)):
        return []
    if actual is None and expected is not None and not isinstance(expected, (dict, list)):
        return []  # a field that is empty here and was filled on the recorded portal
    if _kind(actual) != _kind(expected):
        return [f"{path}: {_kind(actual)} where the portal sends {_kind(expected)}"]
    if isinstance(expected, dict) and _keyed_by_id(expected) and _keyed_by_id(actual):
        # A map keyed by ids (users by id, files by id): each entry is compared like an item
        # of a list, since the ids differ from portal to portal.
        models = list(expected.values())
        return differences(list(actual.values()), models, path)
    if isinstance(expected, dict):
        problems = [f"{path}: no key {key!r}" for key in expected if key not in actual]
        problems += [f"{path}: extra key {key!r}" for key in actual if key not in expected]
        for key in expected:
            if key in actual:
                problems += differences(actual[key], expected[key], f"{path}.{key}")
        return problems
    if isinstance(expected, list) and expected:
        # Lists hold as many items as the portal had; each of ours is compared with the
        # recording's item at its place, or with the first when the recording is shorter.
        problems = []
        for index, item in enumerate(actual):
            model = expected[index] if index < len(expected) else expected[0]
            problems += differences(item, model, f"{path}[{index}]")
        return problems
    return []


_ID_KEY = re.compile(r"^(\d+|upload\d+|\*\*\*)$")


def _keyed_by_id(value: dict[str, Any]) -> bool:
    """A map keyed by ids (``"12"``, or ``"upload12"`` as a chat's files are)."""
    return bool(value) and all(_ID_KEY.match(key) for key in value)


def same_unmasked(actual: Any, expected: Any) -> bool:
    """Equal values, except that a masked value of the recording matches anything."""
    if expected == MASK:
        return True
    if isinstance(expected, dict) and isinstance(actual, dict):
        return actual.keys() == expected.keys() and all(
            same_unmasked(actual[key], value) for key, value in expected.items())
    if isinstance(expected, list) and isinstance(actual, list):
        return len(actual) == len(expected) and all(
            same_unmasked(a, e) for a, e in zip(actual, expected, strict=True))
    return bool(actual == expected)


def _matches(text: str, pattern: str) -> bool:
    """``*`` stands for any text; everything else, brackets included, for itself."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, text) is not None


def known(operation: str, difference: str,
          table: tuple[tuple[str, str, str], ...] = KNOWN_DIFFERENCES) -> str | None:
    """Why a difference is known (and tolerated), or None; ``table=VERSION_DRIFT`` asks
    whether it is the current server's, shown by its source but by no recording."""
    for pattern, where, why in table:
        if _matches(operation, pattern) and _matches(difference, where):
            return why
    return None


def tolerated(operation: str, difference: str) -> bool:
    return (known(operation, difference) is not None
            or known(operation, difference, VERSION_DRIFT) is not None)


def _is_error(reply: Any) -> bool:
    return isinstance(reply, dict) and "error" in reply and "result" not in reply


def all_differences(actual: Any, operation: str) -> list[str]:
    """Differences from every recording of an operation: what no recorded server version
    would send (known ones included). A reply is compared with the recordings of the same
    outcome: a success with the successes, an error with the errors (an operation whose
    only recordings are errors, DisapproveTask's, has its errors checked by its own tests)."""
    names = [name for name in recordings_of(operation)
             if _is_error(recorded(name)) == _is_error(actual)]
    found = [set(differences(actual, recorded(name))) for name in names]
    return sorted(set.intersection(*found)) if found else []


def shape_differences(actual: Any, expected: str | Any) -> list[str]:
    """Unknown differences from the recordings of an operation (``"GetDialog"``, or one of
    its recordings' names, ``"GetDialog_wh"``), or from a recorded value given as such."""
    if not isinstance(expected, str):
        return [d for d in differences(actual, expected) if not tolerated("*", d)]
    operation = expected.removesuffix("_wh")
    return [d for d in all_differences(actual, operation) if not tolerated(operation, d)]


def assert_shape(actual: Any, operation_or_recording: str | Any) -> None:
    problems = shape_differences(actual, operation_or_recording)
    assert not problems, f"reply differs from the recordings of {operation_or_recording}: " \
        f"{problems}"


def as_recorded(operation: str, reply: Any) -> Any:
    """The reply as OPI recorded it: where OPI stored the structure it made of the result
    (GetFolderFilterStructure), not an envelope, the result alone."""
    names = recordings_of(operation)
    bare = names and all(isinstance(recorded(name), dict)
                         and set(recorded(name)).isdisjoint({"result", "error"})
                         for name in names)
    if bare and isinstance(reply, dict) and "result" in reply:
        return reply["result"]
    return reply
