"""The emulator's structure: one list of families, each REST method registered once, the
model below the handlers, and no import cycle (TYPE_CHECKING and lazy imports included)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from imports import cycles, graph
from oint.emulator import handlers, model
from oint.emulator.handlers import FAMILIES, HANDLERS, SCHEMAS, handler

PACKAGE = "oint.emulator"
ROOT = Path(handlers.__file__).resolve().parent.parent


def _graph() -> dict[str, set[str]]:
    return graph(PACKAGE)


def test_no_module_of_the_emulator_imports_one_that_imports_it_back() -> None:
    graph = _graph()
    assert graph[f"{PACKAGE}.app"] >= {f"{PACKAGE}.admin"}  # the graph sees real edges
    assert cycles(graph) == []


def test_the_model_never_imports_the_handlers_or_the_app() -> None:
    graph = _graph()
    upper = (f"{PACKAGE}.handlers", f"{PACKAGE}.app", f"{PACKAGE}.admin", f"{PACKAGE}.cli")
    for module, edges in graph.items():
        if module.startswith(f"{PACKAGE}.model"):
            assert not [e for e in edges if e.startswith(upper)], module


def test_the_disk_does_not_import_the_messenger() -> None:
    graph = _graph()
    for module in (f"{PACKAGE}.model.disk", f"{PACKAGE}.handlers.disk"):
        assert not [e for e in graph[module] if e.startswith(f"{PACKAGE}.handlers.im_")]


def test_each_family_is_listed_once_and_every_handler_module_is_listed() -> None:
    assert len(FAMILIES) == len(set(FAMILIES))
    on_disk = {p.stem for p in (ROOT / "handlers").glob("*.py") if not p.stem.startswith("_")}
    assert set(FAMILIES) == on_disk


def test_every_model_family_has_its_tables_registered_once() -> None:
    families = [s.family for s in SCHEMAS]
    assert len(families) == len(set(families))
    for path in (ROOT / "model").glob("*.py"):
        module = importlib.import_module(f"{PACKAGE}.model.{path.stem}")
        declared = getattr(module, "SCHEMA", None)
        assert declared is None or declared in SCHEMAS, path.stem
    # A family's tables come after those they build on (the chat's trigger on users).
    assert families.index("users") < families.index("chat")
    with pytest.raises(RuntimeError, match="declared twice"):
        model.schema("users", "CREATE TABLE IF NOT EXISTS users (id INTEGER)")
    assert [s.family for s in model.SCHEMAS] == families


def test_registering_a_rest_method_twice_raises() -> None:
    before = dict(HANDLERS)

    def again(ctx: object, params: object) -> None:
        return None

    for name in ("server.time", "CRM.Lead.List"):
        with pytest.raises(RuntimeError, match=f"{name.lower()} is registered twice"):
            handler(name)(again)  # type: ignore[arg-type]
    assert before == HANDLERS
