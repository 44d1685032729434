#!/usr/bin/env bash
# Installs the pinned SDKs, openai and @anthropic-ai/sdk (from the lock file; a no-op when node_modules is
# current) and runs the conformance tests against the real tiergate binary; with a PostgreSQL
# server in TIERGATE_TEST_PG_URL (scripts/services.sh), the knowledge tests once more on it.
set -euo pipefail
cd "$(dirname "$0")"
current='const lock = require("./package-lock.json").packages;
const same = (p) => require(`./node_modules/${p}/package.json`).version === lock[`node_modules/${p}`].version;
process.exit(same("openai") && same("@anthropic-ai/sdk") ? 0 : 1);'
if ! node -e "$current" 2>/dev/null; then
  npm ci --no-audit --no-fund
fi
run() { node --test --test-concurrency=1 --test-timeout=300000 "$@"; }
run "$@" ./*.test.mjs
if [[ -n "${TIERGATE_TEST_PG_URL:-}" ]]; then
  echo "== knowledge tests on PostgreSQL =="
  TIERGATE_KNOWLEDGE_BACKEND=postgresql run "$@" ./vector_stores.test.mjs ./retrieval_chat.test.mjs ./knowledge_replicas.test.mjs ./retrieval_embeddings.test.mjs
fi
