#!/usr/bin/env bash
# npm test: installs what is missing (as npm run setup does, plus Chromium), then checks everything:
# type check of src/ and test/, unit tests, the runner's failure path, every notebook headless, and the
# rendered report in headless Chromium. Stops at the first failing step.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() {
  local name="$1"
  shift
  echo "== $name" >&2
  local started=$SECONDS
  if ! "$@"; then
    echo "FAILED: $name" >&2
    exit 1
  fi
  echo "   ($name: $((SECONDS - started)) s)" >&2
}

# The runner must fail on a failing notebook, naming the notebook, the cell and the real error.
failing_notebook_is_reported() {
  local work
  work="$(mktemp -d)"
  cp test/report-fixture-failing-runtime.ipynb "$work/failing.ipynb"
  if node dist/report/main.js "$work/failing.ipynb" --out "$work/reports" >"$work/log" 2>&1; then
    cat "$work/log" >&2
    echo "the runner exited 0 on a failing notebook" >&2
    rm -rf "$work"
    return 1
  fi
  if ! grep -q "failing.ipynb failed in cell index 3" "$work/log" || ! grep -q "Error: expected 3, got 2" "$work/log"; then
    cat "$work/log" >&2
    echo "the runner's message does not name the failing cell and its error" >&2
    rm -rf "$work"
    return 1
  fi
  rm -rf "$work"
}

step "system packages" bash scripts/install-system.sh --chromium
step "npm packages, build, kernel" bash scripts/prepare.sh
step "type check (src and test)" npm run -s typecheck
step "unit tests" npm run -s unit
step "the runner stops on a failing notebook" failing_notebook_is_reported
step "notebooks headless -> reports/ (MP_MODE=${MP_MODE:-quick})" npm run -s report
step "report in headless Chromium" node scripts/check-report.js
echo "All checks passed. Report: $root/reports/index.html; screenshots: $root/reports/screenshots/" >&2
