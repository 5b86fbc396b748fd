"""The package's promises: generated code in sync, a complete public API, a light start."""

from __future__ import annotations

import subprocess
import sys

import oint.bitrix24
from oint.bitrix24 import AsyncClient, Client, _codegen, operations


def test_generated_files_are_up_to_date() -> None:
    assert _codegen.main(["--check"]) == 0, "run: python -m oint.bitrix24._codegen"


def test_every_operation_is_a_function_a_method_and_a_command() -> None:
    for op in operations.ALL:
        assert callable(getattr(oint.bitrix24, op.python_name))
        assert getattr(oint.bitrix24, op.name) is getattr(oint.bitrix24, op.python_name)
        assert callable(getattr(Client, op.python_name))
        assert callable(getattr(AsyncClient, op.python_name))
        assert operations.find(op.name.upper()) is op


def test_public_names_exist() -> None:
    for name in oint.bitrix24.__all__:
        assert hasattr(oint.bitrix24, name), name
    assert len(set(oint.bitrix24.__all__)) == len(oint.bitrix24.__all__)


def test_local_commands_do_not_import_the_http_stack() -> None:
    code = (
        "import sys, io; from oint.cli import main; from oint.cli._io import Console;"
        "main(['bitrix24', 'GetChatStructure'], Console(io.StringIO(), io.StringIO(), {}));"
        "import oint.bitrix24;"
        "print(sorted(m for m in ('httpx', 'httpcore', 'anyio', 'starlette', 'asyncio')"
        " if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
