#!/usr/bin/env bash
# Brings this checkout to a runnable state, doing only what is missing or stale (shared by
# scripts/setup.sh and scripts/test.sh; the Debian packages come first, from scripts/install-system.sh):
#   1. npm ci, when node_modules is missing or differs from package-lock.json
#   2. the self link node_modules/migration-penalties -> .. (notebooks import the package by name)
#   3. the build: tsc from src/ to dist/
#   4. the TypeScript kernel (tslab) registered inside the project, under .jupyter/ (nothing global)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! node scripts/node-modules-current.js; then
  echo "== npm ci" >&2
  npm ci --no-audit --no-fund
fi
node scripts/link-self.js

echo "== build (tsc)" >&2
npm run -s build

if ! node dist/report/main.js --check-kernel >/dev/null 2>&1; then
  echo "== registering the TypeScript kernel in $root/.jupyter" >&2
  "$root/node_modules/.bin/tslab" install --python=/usr/bin/python3 --binary="$root/node_modules/.bin/tslab" --prefix="$root/.jupyter"
  node dist/report/main.js --check-kernel
fi
