#!/usr/bin/env bash
# The whole test suite, as CI runs it: set up, build, start throwaway
# PostgreSQL and Redis on 127.0.0.1, run every test; fuzz every reader of
# outside input for a bounded time (scripts/fuzz.sh); then the same suite
# again built with AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export TIERGATE_MODEL_DIR="${TIERGATE_MODEL_DIR:-$(cd .. && pwd)/shared/models}"

services_env=""
if [[ -x scripts/services.sh ]]; then
  services_env=$(mktemp -u)
  scripts/services.sh start "$services_env"
  trap 'scripts/services.sh stop "$services_env" >/dev/null 2>&1 || true; rm -f "$services_env"' EXIT
  # shellcheck disable=SC1090
  source "$services_env"
fi

echo "== build (release) =="
scripts/build.sh build
echo "== tests (release) =="
ctest --test-dir build --output-on-failure --timeout 600

if [[ "${TIERGATE_SKIP_FUZZ:-0}" != "1" ]]; then
  # every reader of outside input under libFuzzer, a bounded time each
  echo "== fuzz (${TIERGATE_FUZZ_SECONDS:-30} s per target) =="
  scripts/fuzz.sh "${TIERGATE_FUZZ_SECONDS:-30}"
fi

if [[ "${TIERGATE_SKIP_SANITIZERS:-0}" != "1" ]]; then
  echo "== build (ASan + UBSan) =="
  scripts/build.sh build-asan -DTIERGATE_SANITIZE=ON -DTIERGATE_BUILD_BENCH=OFF
  echo "== tests (ASan + UBSan) =="
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    ctest --test-dir build-asan --output-on-failure --timeout 900
fi
