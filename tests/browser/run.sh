#!/usr/bin/env bash
# Installs the pinned puppeteer-core (from the lock file; a no-op when node_modules is current; it never
# downloads a browser) and runs the dashboard tests in headless Chromium against the real tiergate binary.
#   TIERGATE_BIN        the binary (default: build/bin/tiergate)
#   TIERGATE_MODEL_DIR  the GGUF directory (default: ../shared/models)
#   TIERGATE_CHROMIUM   the browser (default: /usr/bin/chromium, Debian's chromium package)
#   TIERGATE_ARTIFACTS  where the screenshots go (default: build/artifacts)
set -euo pipefail
cd "$(dirname "$0")"
current='const lock = require("./package-lock.json").packages;
const same = (p) => require(`./node_modules/${p}/package.json`).version === lock[`node_modules/${p}`].version;
process.exit(same("puppeteer-core") ? 0 : 1);'
if ! node -e "$current" 2>/dev/null; then
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
fi
exec node --test --test-concurrency=1 --test-timeout=300000 "$@" ./*.test.mjs
