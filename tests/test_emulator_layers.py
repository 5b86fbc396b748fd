"""The emulator's structure: one list of families, each REST method registered once, the
model below the handlers, and no import cycle (TYPE_CHECKING and lazy imports included)."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from oint.emulator import handlers, model
from oint.emulator.handlers import FAMILIES, HANDLERS, SCHEMAS, handler

PACKAGE = "oint.emulator"
ROOT = Path(handlers.__file__).resolve().parent.parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([PACKAGE, *parts])] = path
    return found


MODULES = _modules()


def _targets(module: str, node: ast.ImportFrom | ast.Import) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    if node.level:
        base = base[:len(base) - node.level + (1 if is_package else 0)]
    target = ".".join([*base, *([node.module] if node.module else [])])
    yield target
    for alias in node.names:  # ``from . import x`` names a module
        if f"{target}.{alias.name}" in MODULES:
            yield f"{target}.{alias.name}"


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        edges = graph.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges.update(t for t in _targets(module, node) if t in MODULES and t != module)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_of_the_emulator_imports_one_that_imports_it_back() -> None:
    graph = _graph()
    assert graph[f"{PACKAGE}.app"] >= {f"{PACKAGE}.admin"}  # the graph sees real edges
    assert _cycles(graph) == []


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
