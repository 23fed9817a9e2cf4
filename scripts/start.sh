#!/usr/bin/env bash
# npm start: install when needed, build, then run (demo workspace + bot + local Teams client, or only the bot).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== installing npm packages (npm ci)"
  npm ci
fi
npm run --silent build
exec node dist/scripts/start.js
