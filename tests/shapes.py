"""Comparing a reply with a recorded real one: same keys, same kinds of values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RECORDINGS = Path(__file__).resolve().parent / "recordings"
MASK = "***"  # the recordings mask ids and names with this text


def recorded(name: str) -> Any:
    """A recorded reply, e.g. ``recorded("CreateChat_wh")``."""
    return json.loads((RECORDINGS / f"{name}.json").read_text(encoding="utf-8-sig"))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def shape_differences(actual: Any, expected: Any, path: str = "$") -> list[str]:
    """Where ``actual`` differs in shape from ``expected`` (an empty list when alike)."""
    if expected == MASK or (isinstance(expected, str) and MASK in expected and
                            not isinstance(actual, (dict, list))):
        return []
    if expected is None or actual is None:
        return []  # null stands for an absent value of any kind in these recordings
    if _kind(actual) != _kind(expected):
        return [f"{path}: {_kind(actual)} where the recording has {_kind(expected)}"]
    if isinstance(expected, dict):
        problems = [f"{path}: missing key {key!r}" for key in expected if key not in actual]
        problems += [f"{path}: extra key {key!r}" for key in actual if key not in expected]
        for key in expected:
            if key in actual:
                problems += shape_differences(actual[key], expected[key], f"{path}.{key}")
        return problems
    if isinstance(expected, list) and expected and actual:
        return shape_differences(actual[0], expected[0], f"{path}[0]")
    return []


def assert_shape(actual: Any, name: str) -> None:
    problems = shape_differences(actual, recorded(name))
    assert not problems, f"reply differs from the recording {name}: {problems}"
