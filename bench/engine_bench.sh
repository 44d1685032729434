#!/usr/bin/env bash
# Engine benchmark: tiergate against llama.cpp's llama-server (same llama.cpp source and build),
# same model, threads, slots, context and batch, measured side by side by bench/engine_load.mjs
# (runs of the two servers interleaved). Both servers listen on 127.0.0.1 only.
#
#   bench/engine_bench.sh [MODEL_SPEC ...]
#
# MODEL_SPEC is PATH[:REPS[:DECODE_TOKENS[:STREAM_TOKENS]]]; without any, the models of
# $ENGINE_BENCH_MODELS (default: stories260K and the synthesized 135M/0.5B models, see below).
# Environment: TIERGATE_BIN (default build/bin/tiergate), LLAMA_DIR (default: scripts/llama.sh),
# THREADS (2), SLOTS (8), CTX_PER_SLOT (1024), BATCH (512), PROMPT_TOKENS (512),
# OUT_DIR (default /tmp/tiergate-engine-bench), RUN_TIMEOUT_S (per model, 900),
# SYNTH_DIR (default /tmp/tiergate-models), SYNTH_GGUF (default build/bench/synth_gguf).
#
# Synthesized models (outside the repository; written on the first run when missing):
#   synth_gguf --shape 135m --vocab $LLAMA_DIR/src/models/ggml-vocab-starcoder.gguf --out M/synth-135m-f16.gguf
#   synth_gguf --shape 0.5b --vocab $LLAMA_DIR/src/models/ggml-vocab-qwen2.gguf --out M/synth-0.5b-f16.gguf
#   llama-quantize M/synth-135m-f16.gguf M/synth-135m-q4_k_m.gguf Q4_K_M   (and the same for 0.5b)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
TIERGATE_BIN=${TIERGATE_BIN:-$root/build/bin/tiergate}
LLAMA_DIR=${LLAMA_DIR:-$("$root/scripts/llama.sh")}
LLAMA_SERVER=$LLAMA_DIR/build/bin/llama-server
THREADS=${THREADS:-2}
SLOTS=${SLOTS:-8}
CTX_PER_SLOT=${CTX_PER_SLOT:-1024}
BATCH=${BATCH:-512}
PROMPT_TOKENS=${PROMPT_TOKENS:-512}
OUT_DIR=${OUT_DIR:-/tmp/tiergate-engine-bench}
RUN_TIMEOUT_S=${RUN_TIMEOUT_S:-900}
SYNTH=${SYNTH_DIR:-/tmp/tiergate-models}
SYNTH_GGUF=${SYNTH_GGUF:-$root/build/bench/synth_gguf}
mkdir -p "$OUT_DIR" "$SYNTH"

# The random-weight models in the shapes of SmolLM-135M and Qwen2.5-0.5B, with real vocabularies
# of those sizes (starcoder: 49152 tokens, qwen2: 151936).
synthesize() {
  local shape=$1 vocab=$2 f16=$SYNTH/synth-$1-f16.gguf q4=$SYNTH/synth-$1-q4_k_m.gguf
  if [ ! -f "$f16" ]; then
    "$SYNTH_GGUF" --shape "$shape" --vocab "$LLAMA_DIR/src/models/ggml-vocab-$vocab.gguf" --out "$f16.tmp" >&2
    mv "$f16.tmp" "$f16"
  fi
  if [ ! -f "$q4" ]; then
    "$LLAMA_DIR/build/bin/llama-quantize" "$f16" "$q4.tmp" Q4_K_M "$THREADS" >"$OUT_DIR/quantize-$shape.log" 2>&1
    mv "$q4.tmp" "$q4"
  fi
}
if [ -x "$SYNTH_GGUF" ]; then
  synthesize 135m starcoder
  synthesize 0.5b qwen2
else
  echo "note: $SYNTH_GGUF not built; models missing from $SYNTH are skipped" >&2
fi

if [ $# -eq 0 ]; then
  # shellcheck disable=SC2206
  set -- ${ENGINE_BENCH_MODELS:-$root/../shared/models/stories260K.gguf:5:128:128 \
    $SYNTH/synth-135m-q4_k_m.gguf:5:128:64 $SYNTH/synth-135m-f16.gguf:3:128:64 \
    $SYNTH/synth-0.5b-q4_k_m.gguf:3:64:32 $SYNTH/synth-0.5b-f16.gguf:3:48:24}
fi

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

wait_ready() {  # URL PID
  for _ in $(seq 1 240); do
    if curl -sf -o /dev/null "$1"; then return 0; fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }
trap cleanup EXIT

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
for spec in "$@"; do
  IFS=: read -r model reps decode_tokens stream_tokens <<<"$spec"
  reps=${reps:-5}; decode_tokens=${decode_tokens:-128}; stream_tokens=${stream_tokens:-64}
  if [ ! -f "$model" ]; then echo "skip: $model (missing)"; continue; fi
  base=$(basename "$model" .gguf)
  tport=$(free_port); lport=$(free_port)
  cfg=$OUT_DIR/$base.tiergate.yaml
  cat >"$cfg" <<EOF
server:
  host: 127.0.0.1
  port: $tport
models:
  - name: $base
    provider: local
    tier: slm
    path: $model
    parallel: $SLOTS
    ctx: $CTX_PER_SLOT
    threads: $THREADS
    batch: $BATCH
EOF
  "$TIERGATE_BIN" serve --config "$cfg" >"$OUT_DIR/$base.tiergate.log" 2>&1 &
  tpid=$!; pids+=("$tpid")
  "$LLAMA_SERVER" -m "$model" --host 127.0.0.1 --port "$lport" -t "$THREADS" -tb "$THREADS" -np "$SLOTS" \
    -c $((SLOTS * CTX_PER_SLOT)) -kvu -b "$BATCH" -ub "$BATCH" >"$OUT_DIR/$base.llama-server.log" 2>&1 &
  lpid=$!; pids+=("$lpid")
  wait_ready "http://127.0.0.1:$tport/health" "$tpid" || { echo "tiergate did not start: $OUT_DIR/$base.tiergate.log"; exit 1; }
  wait_ready "http://127.0.0.1:$lport/health" "$lpid" || { echo "llama-server did not start: $OUT_DIR/$base.llama-server.log"; exit 1; }
  echo "== $base ($(du -k "$model" | cut -f1) KiB): threads $THREADS, slots $SLOTS, ctx/slot $CTX_PER_SLOT, batch $BATCH, reps $reps"
  rm -f "$OUT_DIR/$base.json"
  timeout "$RUN_TIMEOUT_S" node "$here/engine_load.mjs" \
    --target "tiergate=http://127.0.0.1:$tport/v1@$base" \
    --target "llama-server=http://127.0.0.1:$lport/v1@$base" \
    --extra 'llama-server={"cache_prompt":false}' \
    --tokenizer "http://127.0.0.1:$lport" --reps "$reps" --decode-tokens "$decode_tokens" \
    --prompt-tokens "$PROMPT_TOKENS" --streams "$SLOTS" --stream-tokens "$stream_tokens" \
    --json "$OUT_DIR/$base.json" >/dev/null || echo "note: the load client stopped early (exit $?); the table holds the runs completed"
  node -e '
    const fs = require("fs"); const [f, base, size, trss, thwm, lrss, lhwm] = process.argv.slice(1);
    const j = JSON.parse(fs.readFileSync(f)); const t = j.summary["tiergate"], l = j.summary["llama-server"];
    const row = (name, k, better, unit, d) => { if (!t[k] || !l[k]) { console.log(`| ${name} | not measured | not measured | |`); return; }
      const a = t[k].median, b = l[k].median;
      const r = better === "higher" ? a / b : b / a;
      console.log(`| ${name} | ${a.toFixed(d)} ${unit} | ${b.toFixed(d)} ${unit} | ${r.toFixed(2)}x |`); };
    console.log(`\n### ${base} (${(size / 1048576).toFixed(1)} MiB)\n`);
    console.log("| figure | tiergate | llama-server | ratio |\n|---|---|---|---|");
    row(`decode, 1 stream, ${j.options.decode_tokens} tokens`, "decode_tps", "higher", "tok/s", 1);
    row(`TTFT, ${j.options.prompt_tokens}-token prompt`, "ttft_ms", "lower", "ms", 0);
    row(`aggregate, ${j.options.streams} streams x ${j.options.stream_tokens} tokens`, "aggregate_tps", "higher", "tok/s", 1);
    const mb = (kb) => (kb / 1024).toFixed(0);
    console.log(`| RSS after the run (peak) | ${mb(trss)} MiB (${mb(thwm)}) | ${mb(lrss)} MiB (${mb(lhwm)}) | |`);
    console.log(`\nruns: ${j.options.reps}; tokens generated per decode run: tiergate ${t.decode_tokens}, ` +
                `llama-server ${l.decode_tokens}; TTFT prompt tokens: tiergate ${t.ttft_prompt_tokens}, llama-server ${l.ttft_prompt_tokens}`);
  ' "$OUT_DIR/$base.json" "$base" "$(stat -c %s "$model")" "$(rss_kb "$tpid")" "$(hwm_kb "$tpid")" \
    "$(rss_kb "$lpid")" "$(hwm_kb "$lpid")" | tee "$OUT_DIR/$base.md"
  cleanup
done
