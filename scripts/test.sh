#!/usr/bin/env bash
# The one test command (npm test). Installs what the tests need, then lints, type-checks and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing npm packages (npm ci)"
  npm ci
fi

# The browser test drives the M365 Agents Playground in Debian's Chromium.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian chromium for the browser test"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "✖ The browser test needs Debian's Chromium at /usr/bin/chromium. Install it: sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi

echo "== dependency tree (npm ls --all: nothing missing, invalid or extraneous)"
npm ls --all --silent >/dev/null

echo "== lint"
npm run --silent lint
echo "== type-check"
npm run --silent typecheck
echo "== tests"
mkdir -p .data
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json=.data/vitest-results.json "$@"
status=$?
set -e
node -e '
  const r = require("./.data/vitest-results.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit $status
