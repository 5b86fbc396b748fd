#!/usr/bin/env bash
# Every check: generated code in sync, ruff, mypy (strict on src/), then pytest, which
# starts its own emulators on 127.0.0.1, with a throw-away redis-server on a free loopback
# port for the Redis tests (stopped on exit). Extra arguments go to pytest, which runs the
# tests on every core.
source "$(dirname "$0")/_setup.sh" emulator,mcp,redis,dev
source scripts/_redis.sh
echo "== generated code"; python -m oint.bitrix24._codegen --check
echo "== ruff"; ruff check src tests bench
echo "== mypy"; mypy
echo "== redis"
if start_redis; then
  echo "redis-server at ${OINT_TEST_REDIS_URL}"
else
  echo "WARNING: no redis-server could be started: the Redis tests will be skipped" >&2
fi
echo "== pytest"; pytest -n auto "$@"  # one worker per core (pytest-xdist); -n 0 for one
