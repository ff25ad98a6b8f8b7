# Sourced by scripts/test and scripts/demo: make .venv from pyproject.toml, reinstalling only
# when pyproject.toml changed, so a second run starts in a second.
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

VENV="${CAMP_VENV:-.venv}"
stamp="$VENV/.camp-installed"
want="$(cat pyproject.toml | cksum)-${1:-dev}"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python="$(pick_python)"
  echo "==> setting up $VENV with $("$python" --version)"
  "$python" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[dev]"
  echo "$want" > "$stamp"
fi
export PATH="$PWD/$VENV/bin:$PATH"
