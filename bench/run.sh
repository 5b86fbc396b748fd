#!/usr/bin/env bash
# The throughput benchmark in one command, on a clean checkout:
#   ./bench/run.sh [--rate 2/50|5/250|off] [--latencies 0,0.3,1.0] [--messages 5000]
#                  [--leads 100000] [--clients ...] [--before REV]
#   ./bench/run.sh workers [--rate 2/50] [--processes 8] [--threads 4] [--messages 2000]
# It makes bench/.venv with oint (its emulator and Redis extras) plus the peers
# fast_bitrix24 and b24pysdk, makes a throw-away TLS certificate for 127.0.0.1 (the openssl
# command, or the cryptography package in bench/.venv only when openssl is missing), then
# runs bench/throughput.py, or with `workers` bench/many_workers.py against a throw-away
# redis-server (scripts/_redis.sh). Every request goes to 127.0.0.1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
venv=bench/.venv
if [ ! -x "$venv/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --editable ".[emulator,redis]" \
  "fast-bitrix24==1.8.14" "b24pysdk==1.3.2" 2>&1 | { grep -v "^WARNING: Location" || true; } >&2
tls=bench/.tls
mkdir -p "$tls"
if [ ! -s "$tls/cert.pem" ]; then
  if command -v openssl >/dev/null; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
      -keyout "$tls/key.pem" -out "$tls/cert.pem" -subj /CN=127.0.0.1 \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
  else
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check cryptography
    "$venv/bin/python" bench/make_cert.py "$tls"
  fi
fi
if [ "${1:-}" = workers ]; then
  shift
  source scripts/_redis.sh
  PYTHON="$venv/bin/python" start_redis
  "$venv/bin/python" bench/many_workers.py "$@"
  exit
fi
exec "$venv/bin/python" bench/throughput.py --tls-cert "$tls/cert.pem" --tls-key "$tls/key.pem" "$@"
