#!/usr/bin/env bash
# npm run setup: installs what is missing on this machine (Debian's Jupyter, npm packages), builds,
# registers the TypeScript kernel inside the project, then runs every notebook into reports/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/install-system.sh
bash scripts/prepare.sh
echo "== API reference -> reports/api (TypeDoc)" >&2
npm run -s docs
echo "== notebooks -> reports/ (MP_MODE=${MP_MODE:-quick})" >&2
npm run -s report
echo
echo "Setup done. Report: $root/reports/index.html (API reference: $root/reports/api/index.html)"
echo "Open the notebooks with: npm run notebook   (and keep 'npm run watch' running while editing src/)"
