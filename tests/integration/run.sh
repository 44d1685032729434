#!/usr/bin/env bash
# Runs the integration suite against the real tiergate binary.
#   TIERGATE_BIN        the binary (default: build/bin/tiergate)
#   TIERGATE_MODEL_DIR  the GGUF directory (default: ../shared/models)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# The load test opens about 2,000 sockets (both ends on this machine).
if [[ "$(ulimit -n)" != "unlimited" && "$(ulimit -n)" -lt 8192 ]]; then
  ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
cd "$here"
exec node --test --test-concurrency=1 --test-timeout=300000 "$@" \
  chat.test.mjs embeddings.test.mjs errors.test.mjs keepalive.test.mjs load.test.mjs lifecycle.test.mjs finops.test.mjs fleet_scale.test.mjs gateway.test.mjs remote.test.mjs fallback.test.mjs rag.test.mjs distill.test.mjs intents.test.mjs agents.test.mjs fleet.test.mjs fleet_affinity.test.mjs admin.test.mjs
