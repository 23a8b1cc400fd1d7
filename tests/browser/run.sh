#!/usr/bin/env bash
# The browser tests (web-widget/ in Debian's chromium against a real `tact serve`).
#   tests/browser/run.sh [path/to/tact [file.test.mjs ...]]   (ctest passes the built binary; files: only those)
# Installs the pinned npm packages when node_modules is missing; never downloads a browser.
# TACT_UPDATE_SCREENSHOTS=1 also copies the screenshots to docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")"
if [ $# -ge 1 ]; then export TACT_BIN="$1"; shift; fi
files=("$@")
if [ ${#files[@]} -eq 0 ]; then files=(./*.test.mjs); fi
chromium=${TACT_CHROMIUM:-/usr/bin/chromium}
if ! command -v node >/dev/null || ! command -v npm >/dev/null || [ ! -x "$chromium" ]; then
  echo "browser tests: node, npm or $chromium missing (scripts/setup installs them); skipped"
  exit 77
fi
if [ ! -f node_modules/playwright-core/package.json ] || [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
exec node --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
