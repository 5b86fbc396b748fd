"""Pieces several regions' declarations share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .._spec import Kind, Param

__all__ = ["EMPTY_PARAM", "blank_structure", "structure_runner"]

EMPTY_PARAM = Param(
    "empty", "empty", Kind.BOOLEAN, "Clear the values of the structure", required=False,
    default=False,
)


def blank_structure(structure: Mapping[str, Any]) -> dict[str, Any]:
    """OPI's ``Clear``: the same keys with every value blanked (nested maps too)."""
    return {
        key: blank_structure(value) if isinstance(value, Mapping) else ""
        for key, value in structure.items()
    }


def structure_runner(structure: Mapping[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The local runner of a Get*Structure operation: a copy, blanked on ``empty``."""

    def run(args: dict[str, Any]) -> dict[str, Any]:
        if args.get("empty"):
            return blank_structure(structure)
        return {key: value for key, value in structure.items()}

    return run
