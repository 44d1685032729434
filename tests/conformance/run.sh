#!/usr/bin/env bash
# Installs the pinned SDK (from the lock file; a no-op when node_modules is
# current) and runs the conformance tests against the real tiergate binary.
set -euo pipefail
cd "$(dirname "$0")"
if ! node -e "process.exit(require('./node_modules/openai/package.json').version === require('./package-lock.json').packages['node_modules/openai'].version ? 0 : 1)" 2>/dev/null; then
  npm ci --no-audit --no-fund
fi
exec node --test --test-concurrency=1 --test-timeout=300000 "$@" ./*.test.mjs
