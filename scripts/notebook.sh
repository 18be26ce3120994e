#!/usr/bin/env bash
# npm run notebook [-- FOLDER] [JUPYTER OPTIONS]: starts Jupyter Notebook (classic) on notebooks/
# (or FOLDER, for example reports) with the project's TypeScript kernel, and prints its URL.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

folder="notebooks"
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then
  folder="$1"
  shift
fi
if [ ! -d "$folder" ]; then
  echo "No folder $folder" >&2
  exit 2
fi
if [ ! -x /usr/bin/jupyter-notebook ]; then
  echo "Jupyter Notebook is not installed. Run: npm run setup" >&2
  exit 2
fi
if [ ! -f dist/index.js ] || [ ! -f dist/report/main.js ]; then
  echo "The package is not built. Run: npm run setup (or npm run build)" >&2
  exit 2
fi
# A missing or broken kernelspec must give a clear message, not a notebook that waits for a kernel.
if ! message="$(node dist/report/main.js --check-kernel 2>&1)"; then
  echo "$message" >&2
  exit 2
fi

export JUPYTER_PATH="$root/.jupyter/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export JUPYTER_DATA_DIR="$root/.jupyter/data"
export PYDEVD_DISABLE_FILE_VALIDATION=1

options=(--notebook-dir="$root/$folder")
[ "$(id -u)" -eq 0 ] && options+=(--allow-root)
[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && options+=(--no-browser)

cat >&2 <<MESSAGE
Jupyter Notebook on $root/$folder with the TypeScript kernel (tslab).
Open the URL printed below (http://localhost:.../?token=...). Stop with Ctrl-C.
While editing src/, keep 'npm run watch' running in another terminal; re-running a notebook's
import cell (import * as mp from "migration-penalties") then loads the new code.
MESSAGE
exec /usr/bin/jupyter notebook "${options[@]}" "$@"
