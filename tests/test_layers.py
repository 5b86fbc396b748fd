"""The package's layers: no import cycles anywhere, and imports going one way.

    cli  ->  bitrix24 operations  ->  client (_http, _reliability, _bulk, _auth)
    emulator: imports nothing of the client; the two meet only over HTTP
"""

from __future__ import annotations

from imports import cycles, graph

EDGES = graph("oint")


def _imports(prefix: str) -> set[str]:
    return {target for module, targets in EDGES.items() if module.startswith(prefix)
            for target in targets}


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert EDGES["oint.bitrix24._http.core"] >= {"oint.bitrix24._http.requests"}  # real edges
    assert cycles(EDGES) == []


def test_the_emulator_imports_nothing_of_the_client_or_the_cli() -> None:
    assert not {t for t in _imports("oint.emulator") if t.startswith(("oint.bitrix24",
                                                                       "oint.cli"))}


def test_the_client_imports_nothing_of_the_cli_or_the_emulator() -> None:
    assert not {t for t in _imports("oint.bitrix24") if t.startswith(("oint.cli",
                                                                       "oint.emulator"))}


def test_declarations_import_no_transport() -> None:
    # A region's declarations are data and pure functions: the CLI loads them to start.
    below = ("oint.bitrix24._http", "oint.bitrix24._reliability", "oint.bitrix24._bulk")
    for module, targets in EDGES.items():
        if module.startswith("oint.bitrix24.operations"):
            assert not [t for t in targets if t.startswith(below)], module
