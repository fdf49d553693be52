#!/usr/bin/env bash
# Make sure the project's virtual environment exists and holds this checkout; print its path.
# The venv lives outside the clone, keyed by a hash of the pinned constraints and the Python version,
# so that fresh clones (CI) reuse it. Override the location with VDWNB_VENV.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
constraints=requirements/constraints.txt
key=$( (cat "$constraints"; "$PYTHON" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-12)
venv=${VDWNB_VENV:-$HOME/.cache/vdwnb/venv-$key}
mkdir -p "$(dirname "$venv")"
log() { echo "[venv] $*" >&2; }
exec 9>"$venv.lock"
flock 9
if [ ! -f "$venv/.vdwnb-complete" ]; then
  log "creating $venv (first use of these constraints; this takes a few minutes)"
  start=$(date +%s)
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip >&2
  "$venv/bin/python" -m pip install -q -c "$constraints" -e '.[dev]' >&2
  echo "$(( $(date +%s) - start ))" > "$venv/.vdwnb-install-seconds"
  touch "$venv/.vdwnb-complete"
  log "created in $(cat "$venv/.vdwnb-install-seconds") s"
else
  # Reuse: only (re)point the editable install at this checkout; dependencies are already pinned.
  "$venv/bin/python" -m pip install -q --no-deps --no-build-isolation -e . >&2
fi
# nbdev 2.4 pulls fasttransport through newer fastcore lines; it breaks with fastcore 1.x.
"$venv/bin/python" -m pip uninstall -q -y fasttransport >/dev/null 2>&1 || true
echo "$venv"
