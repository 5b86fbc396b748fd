# Sourced by scripts/test.sh and bench/run.sh: `start_redis` starts a throw-away redis-server
# on a free loopback port (installing the Debian package redis-server when it is missing),
# exports OINT_TEST_REDIS_URL, and stops the server when the calling script exits.
start_redis() {
  if ! command -v redis-server >/dev/null; then
    echo "== installing redis-server (Debian package) for the Redis tests" >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq redis-server >/dev/null 2>&1 \
      || { $sudo apt-get update -qq && $sudo apt-get install -y -qq redis-server >/dev/null; }
  fi
  REDIS_DIR=$(mktemp -d)
  local port
  port=$("${PYTHON:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$REDIS_DIR" \
    --loglevel warning >"$REDIS_DIR/redis.log" 2>&1 &
  REDIS_PID=$!
  trap 'kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; rm -rf "$REDIS_DIR"' EXIT
  for _ in $(seq 100); do
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
      export OINT_TEST_REDIS_URL="redis://127.0.0.1:$port/0"
      return 0
    fi
    sleep 0.1
  done
  echo "redis-server did not start:" >&2
  cat "$REDIS_DIR/redis.log" >&2
  return 1
}
