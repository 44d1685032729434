#!/usr/bin/env bash
# Installs what tiergate needs from Debian's packages, then fetches and builds
# llama.cpp once (cached outside the checkout by scripts/llama.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build git pkg-config curl ca-certificates python3
  libboost-dev libssl-dev nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev
  libpqxx-dev libhiredis-dev libre2-dev libspdlog-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql redis-server nginx-light wrk
  ccache clang-14 libclang-rt-14-dev
  libhnswlib-dev libpoppler-cpp-dev libjemalloc-dev
  chromium fonts-dejavu-core
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "[setup] installing: ${missing[*]}" >&2
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

scripts/llama.sh >/dev/null
