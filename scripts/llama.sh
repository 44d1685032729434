#!/usr/bin/env bash
# Fetches llama.cpp from the pinned npm package, verifies it, and builds it once
# into a cache directory outside the checkout. Prints the cache directory.
#
# The tarball's sha512 must equal the registry's dist.integrity; the bundle's
# HEAD must be the pinned commit. The build is keyed by version, commit and the
# host CPU's flags (the build uses GGML_NATIVE), so a second run is a no-op.
set -euo pipefail

NPM_PACKAGE="node-llama-cpp"
NPM_VERSION="3.22.1"
LLAMA_TAG="v0.5.0"
LLAMA_COMMIT="de3ff815ea7d559ee917f063901b8986f038abc6"
# the registry's dist.integrity for node-llama-cpp@3.22.1; checked against the
# registry as well when it answers
NPM_INTEGRITY="sha512-bltIipuWmc123H7tMIgDGKSsSrhmhlQYeVUC48XTjVW7XGJJiJJyCdlTMzQ/LiWoPkGDpcL4FviDpgw7qfTiDw=="

cpu_key=$( (grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || uname -m) | sha256sum | cut -c1-10)
CACHE_ROOT="${TIERGATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tiergate}"
DIR="$CACHE_ROOT/llama.cpp-${LLAMA_TAG}-${LLAMA_COMMIT:0:7}-$(uname -m)-${cpu_key}"

log() { echo "[llama.sh] $*" >&2; }

if [[ -f "$DIR/.complete" ]]; then
  echo "$DIR"
  exit 0
fi

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.llama.lock"
flock 9
if [[ -f "$DIR/.complete" ]]; then
  echo "$DIR"
  exit 0
fi

work="$DIR.tmp"
rm -rf "$work"
mkdir -p "$work/pack"

log "fetching $NPM_PACKAGE@$NPM_VERSION"
( cd "$work/pack" && npm pack "$NPM_PACKAGE@$NPM_VERSION" --silent >/dev/null 2>&1 )
tarball="$work/pack/$NPM_PACKAGE-$NPM_VERSION.tgz"
[[ -f "$tarball" ]] || { log "npm pack produced no tarball"; exit 1; }

registry_integrity=$(npm view "$NPM_PACKAGE@$NPM_VERSION" dist.integrity 2>/dev/null || true)
if [[ -n "$registry_integrity" && "$registry_integrity" != "$NPM_INTEGRITY" ]]; then
  log "registry integrity $registry_integrity differs from the pinned $NPM_INTEGRITY"
  exit 1
fi
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [[ "$actual" != "$NPM_INTEGRITY" ]]; then
  log "integrity mismatch: got $actual, want $NPM_INTEGRITY"
  exit 1
fi
log "integrity ok ($actual)"

tar -xzf "$tarball" -C "$work/pack" package/llama/gitRelease.bundle
git clone -q "$work/pack/package/llama/gitRelease.bundle" "$work/src"
head=$(git -C "$work/src" rev-parse HEAD)
if [[ "$head" != "$LLAMA_COMMIT" ]]; then
  log "bundle HEAD $head is not the pinned $LLAMA_COMMIT"
  exit 1
fi
rm -rf "$work/pack"

log "building llama.cpp $LLAMA_TAG ($head) in $work/build"
cmake -S "$work/src" -B "$work/build" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=OFF \
  -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
  -DGGML_NATIVE=ON \
  -DGGML_OPENMP=OFF \
  -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_EXAMPLES=OFF \
  -DLLAMA_BUILD_TOOLS=ON \
  -DLLAMA_BUILD_SERVER=ON \
  -DLLAMA_BUILD_APP=OFF \
  -DLLAMA_BUILD_UI=OFF \
  -DLLAMA_USE_PREBUILT_UI=OFF \
  -DLLAMA_OPENSSL=OFF \
  -DLLAMA_BUILD_NUMBER=0 >&2
cmake --build "$work/build" -j "$(nproc)" --target llama llama-common llama-server llama-quantize >&2

touch "$work/.complete"
rm -rf "$DIR"
mv "$work" "$DIR"
# the build tree records absolute paths; keep it usable after the move
echo "$DIR"
