#!/usr/bin/env bash
# Soak: a bounded run of mixed traffic through the real binary (bench/soak.mjs),
# reporting RSS, open descriptors and threads every SAMPLE_EVERY requests,
# answers vs ledger rows and transport-level failures. Everything listens on
# 127.0.0.1; the run stops after REQUESTS requests or MAX_SECONDS.
#
#   bench/soak.sh                      # 20,000 requests, at most 600 s
#   REQUESTS=100000 MAX_SECONDS=3600 bench/soak.sh
#
# Environment: TIERGATE_BIN [build/bin/tiergate], TIERGATE_MODEL_DIR
#   [../shared/models], REQUESTS [20000], MAX_SECONDS [600], CONCURRENCY [16],
#   SAMPLE_EVERY [1000], OUT [/tmp/tiergate-soak.json]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export TIERGATE_BIN=${TIERGATE_BIN:-$root/build/bin/tiergate}
export TIERGATE_MODEL_DIR=${TIERGATE_MODEL_DIR:-$(cd "$root/.." && pwd)/shared/models}
if [[ "$(ulimit -n)" != "unlimited" && "$(ulimit -n)" -lt 8192 ]]; then
  ulimit -n 8192 2>/dev/null || true
fi
exec node "$here/soak.mjs"
