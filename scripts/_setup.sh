# Sourced by the other scripts: makes .venv (once) and installs oint with the given extras.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -x .venv/bin/python ]; then
  "${PYTHON:-python3}" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --editable ".[$1]" 2>&1 \
  | { grep -v "^WARNING: Location" || true; } >&2
export PATH="$PWD/.venv/bin:$PATH"
