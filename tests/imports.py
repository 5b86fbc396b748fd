"""The import graph of the ``oint`` package, read from the source (no import is run), with
TYPE_CHECKING and function-level imports included: a cycle is a cycle however it is hidden."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import oint

ROOT = Path(oint.__file__).resolve().parent


def modules(package: str = "oint") -> dict[str, Path]:
    """Every module of ``package`` (``oint.emulator``), by dotted name."""
    base = ROOT.joinpath(*package.split(".")[1:])
    found = {}
    for path in base.rglob("*.py"):
        parts = list(path.relative_to(base).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([package, *parts])] = path
    return found


def _targets(module: str, path: Path, node: ast.ImportFrom | ast.Import,
             known: dict[str, Path]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = module.split(".")
    if node.level:
        base = base[:len(base) - node.level + (1 if path.name == "__init__.py" else 0)]
    target = ".".join([*base, *([node.module] if node.module else [])])
    submodules = [f"{target}.{alias.name}" for alias in node.names
                  if f"{target}.{alias.name}" in known]
    # ``from . import x`` of a module runs the package first, but only ``x`` is used.
    if len(submodules) < len(node.names):
        yield target
    yield from submodules


def graph(package: str = "oint") -> dict[str, set[str]]:
    """Which module of ``package`` imports which (within ``package``)."""
    known = modules(package)
    edges: dict[str, set[str]] = {}
    for module, path in known.items():
        found = edges.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.update(t for t in _targets(module, path, node, known)
                             if t in known and t != module)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges[node]):
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

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found
