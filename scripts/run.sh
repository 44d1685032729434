#!/usr/bin/env bash
# Sets up, builds and starts the gateway on its embedded default: every GGUF
# model in TIERGATE_MODEL_DIR (default ../shared/models), on 127.0.0.1:8080,
# recording usage in a SQLite ledger under TIERGATE_STATE_DIR (default
# ~/.local/state/tiergate) so that the dashboard at /ui has data to show.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build -DTIERGATE_BUILD_TESTS=OFF -DTIERGATE_BUILD_BENCH=OFF
export TIERGATE_MODEL_DIR="${TIERGATE_MODEL_DIR:-$(cd .. && pwd)/shared/models}"
if [[ " $* " == *" --config "* || " $* " == *" --config="* || " $* " == *" --ledger "* || " $* " == *" --ledger="* ]]; then
  exec build/bin/tiergate serve "$@"
fi
state="${TIERGATE_STATE_DIR:-$HOME/.local/state/tiergate}"
mkdir -p "$state"
exec build/bin/tiergate serve --ledger "sqlite:$state/ledger.db" "$@"
