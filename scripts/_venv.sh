# Sourced by scripts/test and scripts/demo: make .venv exactly what uv.lock says.
#
# The dev/CI environment is locked (uv.lock, generated from pyproject.toml by `uv lock`), so a
# fresh clone tests exactly the versions the last green run tested. Only Python 3.11+ and pip
# are needed: pip installs the locked version of uv from the package index, then
# `uv sync --locked` installs every other package at its locked version and hash, and fails if
# uv.lock no longer matches pyproject.toml. A second run reinstalls nothing unless uv.lock or
# pyproject.toml changed, so it starts in a second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

pick_python() {
  for candidate in "${PYTHON:-}" python3.11 python3 python; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "camp needs Python 3.11 or newer on PATH (or set PYTHON=/path/to/python3.11)" >&2
  return 1
}

# The uv version recorded in uv.lock (the dev extra names uv, so the lock pins it).
locked_uv_version() {
  awk '/^name = "uv"$/ { found = 1; next } found && /^version = / { gsub(/"/, "", $3); print $3; exit }' uv.lock
}

VENV="${CAMP_VENV:-.venv}"
stamp="$VENV/.camp-installed"
want="$(cat pyproject.toml uv.lock | cksum)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python="$(pick_python)"
  uv_version="$(locked_uv_version)"
  echo "==> setting up $VENV with $("$python" --version) from uv.lock (uv $uv_version)"
  [ -x "$VENV/bin/python" ] || "$python" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$uv_version"
  UV_PROJECT_ENVIRONMENT="$VENV" "$VENV/bin/uv" sync --quiet --locked --extra dev \
    --python "$VENV/bin/python"
  echo "$want" > "$stamp"
fi
export PATH="$PWD/$VENV/bin:$PATH"
