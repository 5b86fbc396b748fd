#!/usr/bin/env bash
# Every check: generated code in sync, ruff, mypy (strict on src/), then pytest, which
# starts its own emulators on 127.0.0.1. Extra arguments go to pytest.
source "$(dirname "$0")/_setup.sh" emulator,mcp,dev
echo "== generated code"; python -m oint.bitrix24._codegen --check
echo "== ruff"; ruff check src tests bench
echo "== mypy"; mypy
echo "== pytest"; pytest "$@"
