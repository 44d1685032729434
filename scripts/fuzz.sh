#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) into build-fuzz/ and runs
# each for a bounded time on its corpus: the inputs kept in tests/fuzz/corpus/
# plus seeds made from the test data. A crash fails the run and leaves the
# input in build-fuzz/crashes/<target>/.
#   scripts/fuzz.sh [SECONDS_EACH] [TARGET...]   (default 30 s, every target)
# New interesting inputs stay in build-fuzz/corpus/; copy small ones worth
# keeping into tests/fuzz/corpus/<target>/.
# The mutation seed is fixed (TIERGATE_FUZZ_SEED, default 1), so that a run on
# a fresh corpus explores the same inputs in the same order on every machine:
# the time bound only decides how far it gets, and CI's verdict on a commit
# is reproducible. TIERGATE_FUZZ_SEED=0 draws a new seed (for longer hunts).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
fuzz_seed="${TIERGATE_FUZZ_SEED:-1}"
shift || true
repo=$(pwd)
shared="$(cd .. && pwd)/shared"
out=build-fuzz

launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR="$repo" CCACHE_NOHASHDIR=true
cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 "${launcher[@]}" \
  -DTIERGATE_FUZZ=ON -DTIERGATE_BUILD_TESTS=OFF -DTIERGATE_BUILD_BENCH=OFF \
  -DTIERGATE_ONLY="config;auth;providers;fleet;router;guard;obs;plan;rag;cache;distill;eval;agents;api;ledger;admin" >/dev/null
cmake --build "$out" --target fuzz_targets -j "$(nproc)"

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  mapfile -t targets < <(cd "$out/fuzz" && ls fuzz_* | sort)
fi

# Seeds made from the test data, per target (copied, never written back).
seed() {
  local target=$1 dir=$2
  case "$target" in
    fuzz_config|fuzz_config_sections) cp tests/data/config/valid/*.yaml tests/data/config/invalid/*.yaml config/*.yaml "$dir"/ 2>/dev/null || true ;;
    fuzz_upstream_decoders)
      for f in tests/data/anthropic/*.sse; do { printf '\x03'; cat "$f"; } > "$dir/$(basename "$f").a"; done
      for f in tests/data/anthropic/*.json; do { printf '\x01'; cat "$f"; } > "$dir/$(basename "$f").a"; done ;;
    fuzz_sse_parser) for f in tests/data/anthropic/*.sse; do { printf '\x05\x11\x02\x07\x01\x30\x09\x04'; cat "$f"; } > "$dir/$(basename "$f")"; done ;;
    fuzz_gguf_reader) for f in "$shared"/models/*.gguf; do [[ -f $f ]] && head -c 65536 "$f" > "$dir/$(basename "$f").head"; done ;;
    fuzz_csv_reader) for f in "$shared"/data/routing/routerbench/*.csv "$shared"/data/routing/routellm/mmlu_responses/mmlu_abstract_algebra.csv; do
                       [[ -f $f ]] && head -c 8192 "$f" > "$dir/$(basename "$f").head"; done ;;
    fuzz_rag_extract)
      for f in tests/data/rag/*.pdf; do { printf '\x03'; cat "$f"; } > "$dir/$(basename "$f")"; done
      { printf '\x01'; cat tests/data/rag/README.md; } > "$dir/readme.md"
      [[ -f "$shared/data/retrieval/cranfield/docs.jsonl" ]] && { printf '\x04'; head -c 4096 "$shared/data/retrieval/cranfield/docs.jsonl"; } > "$dir/cranfield.jsonl" ;;
    fuzz_guard_scan|fuzz_stream_restorer)
      [[ -f "$shared/data/pii/presidio_synth_dev.json" ]] && python3 - "$shared/data/pii/presidio_synth_dev.json" "$dir" "$target" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
for i, r in enumerate(rows[:40]):
    text = r.get("full_text", "")
    data = text if sys.argv[3] == "fuzz_guard_scan" else text + "\0Answer: # and #.\0\x03\x01\x07"
    open(f"{sys.argv[2]}/presidio_{i}", "w").write(data)
PY
      ;;
  esac
}

status=0
for t in "${targets[@]}"; do
  corpus="$out/corpus/$t"
  crashes="$out/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  [[ -d tests/fuzz/corpus/$t ]] && cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  seed "$t" "$corpus"
  echo "== fuzz $t (${seconds}s, seed $fuzz_seed, $(ls "$corpus" | wc -l) inputs) =="
  if ! ( cd "$crashes" && ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
          "$repo/$out/fuzz/$t" -max_total_time="$seconds" -seed="$fuzz_seed" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
          -print_final_stats=1 "$repo/$corpus" > "$repo/$out/$t.log" 2>&1 ); then
    echo "fuzz $t FAILED; the input is in $crashes/, the log in $out/$t.log"
    tail -40 "$out/$t.log"
    status=1
  else
    grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$out/$t.log" | tail -2 || true
  fi
done
exit $status
