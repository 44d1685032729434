#!/usr/bin/env bash
# Sets up, builds and starts the gateway on its embedded default: every GGUF
# model in TIERGATE_MODEL_DIR (default ../shared/models), on 127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build -DTIERGATE_BUILD_TESTS=OFF -DTIERGATE_BUILD_BENCH=OFF
export TIERGATE_MODEL_DIR="${TIERGATE_MODEL_DIR:-$(cd .. && pwd)/shared/models}"
exec build/bin/tiergate serve "$@"
