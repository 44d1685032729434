#!/usr/bin/env bash
# Gateway overhead: what a gateway adds to a request whose upstream answers at
# once. A canned upstream (nginx returning a fixed chat completion for POST
# /v1/chat/completions) is loaded
#   direct    the upstream itself
#   nginx     through nginx as a plain reverse proxy (kept-alive upstream
#             connections): the floor a proxy can reach
#   portkey   through @portkey-ai/gateway (pinned in bench/gateway/package.json),
#             routed to the upstream by its x-portkey-config header
#   tiergate  through tiergate: model "auto" routed by a rule to an
#             openai_compatible model, a virtual key (tiergate keys create, temp
#             key store), the guard on (default), usage ledger in a temp SQLite file
#   tiergate_model  the same tiergate, the model named by the client (no routing)
#   tiergate_pool   the same tiergate, a model with a pool of 4 deployments (all
#             at the canned upstream, weighted) named by the client: the pool's
#             cost against tiergate_model (TARGETS="direct tiergate_model tiergate_pool")
# with wrk at fixed concurrencies (closed loop), the targets interleaved in
# each round, and with bench/gateway/open_loop.c at a fixed request rate (open
# loop). Everything listens on 127.0.0.1 only; every run is bounded in time.
#
#   bench/gateway_overhead.sh
#
# Environment (defaults in brackets):
#   TIERGATE_BIN [build/bin/tiergate]   ROUNDS [3]   DURATION_S [5] (per wrk run)
#   CONCURRENCIES ["16 64"]   WRK_THREADS [2]   TARGETS ["direct nginx portkey tiergate"]
#   RATE [1000] requests/s   RATE_S [10] measured seconds   RATE_WARMUP_S [2]
#   RATE_CONNECTIONS [64]   RATE_TARGETS ["direct nginx tiergate"]
#   TIERGATE_IO_THREADS [1]   PROXY_WORKERS [1]   UPSTREAM_WORKERS [1]
#   OUT_DIR [/tmp/tiergate-gateway-bench]: results.jsonl, results.summary.json, logs
#   PERF_RECORD [unset]: 1 (frame pointers) or dwarf records tiergate with `perf record` during its first
#     measured wrk run (OUT_DIR/tiergate.perf.data, report in tiergate.perf.txt)
#   BENCH_NICE [unset]: run this script, every server and the load generators at
#     this nice value (all alike), e.g. -10 on a machine busy with other work
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
gw=$here/gateway
TIERGATE_BIN=${TIERGATE_BIN:-$root/build/bin/tiergate}
ROUNDS=${ROUNDS:-3}
DURATION_S=${DURATION_S:-5}
CONCURRENCIES=${CONCURRENCIES:-"16 64"}
WRK_THREADS=${WRK_THREADS:-2}
TARGETS=${TARGETS:-"direct nginx portkey tiergate"}
RATE=${RATE:-1000}
RATE_S=${RATE_S:-10}
RATE_WARMUP_S=${RATE_WARMUP_S:-2}
RATE_CONNECTIONS=${RATE_CONNECTIONS:-64}
RATE_TARGETS=${RATE_TARGETS-"direct nginx tiergate"}
TIERGATE_IO_THREADS=${TIERGATE_IO_THREADS:-1}
PROXY_WORKERS=${PROXY_WORKERS:-1}
UPSTREAM_WORKERS=${UPSTREAM_WORKERS:-1}
OUT_DIR=${OUT_DIR:-/tmp/tiergate-gateway-bench}

if (( DURATION_S < 1 || DURATION_S > 120 || RATE_S < 1 || RATE_S > 120 || ROUNDS < 1 || ROUNDS > 20 )); then
  echo "DURATION_S and RATE_S must be 1..120, ROUNDS 1..20" >&2
  exit 2
fi
for tool in nginx wrk cc node npm curl; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (scripts/setup.sh installs nginx-light and wrk)" >&2; exit 2; }
done
[[ -x "$TIERGATE_BIN" ]] || { echo "no tiergate binary at $TIERGATE_BIN (scripts/build.sh)" >&2; exit 2; }
if [[ "$(ulimit -n)" != "unlimited" && "$(ulimit -n)" -lt 16384 ]]; then
  ulimit -n 16384 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi

if [[ -n "${BENCH_NICE:-}" ]]; then
  renice -n "$BENCH_NICE" -p $$ >/dev/null
fi
mkdir -p "$OUT_DIR"
results=$OUT_DIR/results.jsonl
: >"$results"
work=$(mktemp -d /tmp/tiergate-gwbench.XXXXXX)
chmod 755 "$work"  # nginx workers may run as another user
mkdir -p "$work/tmp"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
  cp "$work"/*.log "$OUT_DIR/" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=bench/lib.sh
. "$here/lib.sh"

fill() {  # TEMPLATE OUT KEY=VALUE...
  local template=$1 out=$2
  shift 2
  cp "$template" "$out"
  local kv
  for kv in "$@"; do
    local k=${kv%%=*} v=${kv#*=}
    v=${v//\\/\\\\}
    v=${v//&/\\&}
    v=${v//|/\\|}
    sed -i "s|@$k@|$v|g" "$out"
  done
}

# --- the comparison gateway (npm, pinned by the lock file) ---
if ! node -e "process.exit(require('$gw/node_modules/@portkey-ai/gateway/package.json').version === require('$gw/package-lock.json').packages['node_modules/@portkey-ai/gateway'].version ? 0 : 1)" 2>/dev/null; then
  (cd "$gw" && npm ci --no-audit --no-fund --ignore-scripts >&2)
fi
portkey_version=$(node -p "require('$gw/node_modules/@portkey-ai/gateway/package.json').version")

# --- the fixed-rate client ---
cc -O2 -Wall -o "$work/open_loop" "$gw/open_loop.c"

# --- upstream and proxy (nginx as plain processes with their own prefix) ---
up_port=$(free_port)
canned=$(tr -d '\n' <"$gw/canned_completion.json")
fill "$gw/upstream.nginx.conf" "$work/upstream.conf" DIR="$work" PORT="$up_port" WORKERS="$UPSTREAM_WORKERS" BODY="$canned"
nginx -p "$work" -c "$work/upstream.conf" >"$work/upstream.log" 2>&1 &
pids+=($!)
up_pid=$!
wait_http "http://127.0.0.1:$up_port/v1/chat/completions" "${pids[-1]}" -X POST -d '{}'

proxy_port=$(free_port)
fill "$gw/proxy.nginx.conf" "$work/proxy.conf" DIR="$work" PORT="$proxy_port" WORKERS="$PROXY_WORKERS" UPSTREAM_PORT="$up_port"
nginx -p "$work" -c "$work/proxy.conf" >"$work/proxy.log" 2>&1 &
pids+=($!)
proxy_pid=$!
wait_http "http://127.0.0.1:$proxy_port/v1/chat/completions" "${pids[-1]}" -X POST -d '{}'

# --- Portkey ---
pk_port=$(free_port)
node "$gw/portkey.mjs" "$pk_port" >"$work/portkey.log" 2>&1 &
pids+=($!)
pk_pid=$!
wait_http "http://127.0.0.1:$pk_port/" "${pids[-1]}"
portkey_config="{\"provider\":\"openai\",\"api_key\":\"sk-canned\",\"custom_host\":\"http://127.0.0.1:$up_port/v1\"}"

# --- tiergate: routing, a virtual key, the guard, the ledger ---
tg_port=$(free_port)
cat >"$work/tiergate.yaml" <<EOF
server:
  host: 127.0.0.1
  port: $tg_port
models:
  - name: canned
    provider: openai_compatible
    endpoint: http://127.0.0.1:$up_port/v1
    tier: mid
    residency: on_prem
    price: { input_per_mtok: 0.5, output_per_mtok: 1.5 }
    retries: { max_attempts: 1 }
  - name: frontier
    provider: openai_compatible
    endpoint: http://127.0.0.1:$up_port/v1
    tier: frontier
    price: { input_per_mtok: 10.0, output_per_mtok: 30.0 }
    retries: { max_attempts: 1 }
  - name: canned-pool
    provider: openai_compatible
    tier: mid
    residency: on_prem
    price: { input_per_mtok: 0.5, output_per_mtok: 1.5 }
    retries: { max_attempts: 1 }
    deployments:
      - { name: d1, endpoint: "http://127.0.0.1:$up_port/v1" }
      - { name: d2, endpoint: "http://127.0.0.1:$up_port/v1" }
      - { name: d3, endpoint: "http://127.0.0.1:$up_port/v1" }
      - { name: d4, endpoint: "http://127.0.0.1:$up_port/v1" }
router:
  default_model: frontier
  rules:
    - name: brief
      when: { keywords: [briefly] }
      to: { model: canned }
ledger:
  store: sqlite:$work/ledger.db
keys:
  store: $work/keys.db
EOF
"$TIERGATE_BIN" config check "$work/tiergate.yaml" >/dev/null
tg_key=$("$TIERGATE_BIN" keys create --team bench --store "$work/keys.db" 2>/dev/null)
"$TIERGATE_BIN" serve --config "$work/tiergate.yaml" --log-level warn --io-threads "$TIERGATE_IO_THREADS" \
  >"$work/tiergate.log" 2>&1 &
pids+=($!)
tg_pid=${pids[-1]}
wait_http "http://127.0.0.1:$tg_port/health" "$tg_pid"

# --- per target: URL, body, headers and processes ---
declare -A port=([direct]=$up_port [nginx]=$proxy_port [portkey]=$pk_port [tiergate]=$tg_port
  [tiergate_model]=$tg_port [tiergate_pool]=$tg_port)
declare -A target_pids=([direct]=$up_pid [nginx]=$proxy_pid [portkey]=$pk_pid [tiergate]=$tg_pid
  [tiergate_model]=$tg_pid [tiergate_pool]=$tg_pid)
for t in direct nginx portkey tiergate tiergate_model tiergate_pool; do
  model=canned
  [[ $t == tiergate ]] && model=auto
  [[ $t == tiergate_pool ]] && model=canned-pool
  fill "$gw/request.json" "$work/$t.body" MODEL="$model"
  truncate -s -1 "$work/$t.body"  # no trailing newline
  : >"$work/$t.headers"
done
echo "x-portkey-config: $portkey_config" >"$work/portkey.headers"
echo "Authorization: Bearer sk-canned" >>"$work/portkey.headers"
echo "Authorization: Bearer $tg_key" >"$work/tiergate.headers"
cp "$work/tiergate.headers" "$work/tiergate_model.headers"
cp "$work/tiergate.headers" "$work/tiergate_pool.headers"

curl_target() {  # TARGET [curl args...]
  local t=$1
  shift
  local -a h=()
  while IFS= read -r line; do h+=(-H "$line"); done <"$work/$t.headers"
  curl -s --max-time 10 "$@" "${h[@]}" -H 'Content-Type: application/json' --data-binary "@$work/$t.body" \
    "http://127.0.0.1:${port[$t]}/v1/chat/completions"
}

# every target answers the canned completion before any load
for t in $TARGETS; do
  out=$(curl_target "$t" -D "$work/$t.response-headers" -w '\n%{http_code}')
  code=${out##*$'\n'}
  if [[ $code != 200 || $out != *"How can I help you today?"* ]]; then
    echo "$t does not answer the canned completion (HTTP $code): ${out:0:400}" >&2
    exit 1
  fi
done
if [[ " $TARGETS " == *" tiergate "* ]]; then
  grep -qi '^x-tiergate-route: rules:brief' "$work/tiergate.response-headers" || {
    echo "tiergate did not route by the rule:" >&2; cat "$work/tiergate.response-headers" >&2; exit 1; }
  grep -qi '^x-tiergate-model: canned' "$work/tiergate.response-headers" || { echo "tiergate: wrong model" >&2; exit 1; }
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "@$work/tiergate.body" "http://127.0.0.1:$tg_port/v1/chat/completions")
  [[ $code == 401 ]] || { echo "tiergate answered $code without a key; keys are not on" >&2; exit 1; }
fi

# raw requests for the fixed-rate client
for t in $RATE_TARGETS; do
  {
    printf 'POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nContent-Type: application/json\r\n' "${port[$t]}"
    while IFS= read -r line; do printf '%s\r\n' "$line"; done <"$work/$t.headers"
    printf 'Content-Length: %s\r\n\r\n' "$(stat -c %s "$work/$t.body")"
    cat "$work/$t.body"
  } >"$work/$t.request"
done

# CPU time (user + system, clock ticks) of a target's own processes: the
# gateway alone, not the upstream behind it (for direct: the upstream).
cpu_ticks() {  # TARGET
  local -a ps=(${target_pids[$1]})
  local p total=0 t
  for p in "${ps[@]}"; do
    for t in $p $(pgrep -P "$p" || true); do
      total=$((total + $(awk '{print $14 + $15}' "/proc/$t/stat" 2>/dev/null || echo 0)))
    done
  done
  echo "$total"
}
clk_tck=$(getconf CLK_TCK)

run_wrk() {  # TARGET CONNECTIONS SECONDS ROUND
  local t=$1 c=$2 s=$3 round=$4 threads=$WRK_THREADS
  (( threads > c )) && threads=$c
  local line before after
  before=$(cpu_ticks "$t")
  local perf_pid=
  if [[ -n "${PERF_RECORD:-}" && $t == tiergate && $round == 1 && ! -e "$OUT_DIR/tiergate.perf.data" ]]; then
    perf record -F 999 --call-graph "$( [[ $PERF_RECORD == dwarf ]] && echo dwarf,16384 || echo fp)" \
      -o "$OUT_DIR/tiergate.perf.data" -p "$tg_pid" -- sleep "$s" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  line=$(BENCH_BODY_FILE="$work/$t.body" BENCH_HEADERS_FILE="$work/$t.headers" \
    timeout $((s + 30)) wrk -t"$threads" -c"$c" -d"${s}s" --timeout 10s -s "$gw/post.lua" \
    "http://127.0.0.1:${port[$t]}/v1/chat/completions" | tail -1)
  after=$(cpu_ticks "$t")
  if [[ -n $perf_pid ]]; then
    wait "$perf_pid" || true
    perf report -i "$OUT_DIR/tiergate.perf.data" --no-children --percent-limit 0.5 --stdio \
      >"$OUT_DIR/tiergate.perf.txt" 2>/dev/null || true
  fi
  [[ $line == "{"* ]] || { echo "wrk failed for $t: $line" >&2; exit 1; }
  line="{\"cpu_s\":$(awk -v d=$((after - before)) -v k="$clk_tck" 'BEGIN {printf "%.2f", d / k}'),${line:1}"
  if [[ $round != warmup ]]; then
    echo "{\"kind\":\"wrk\",\"target\":\"$t\",\"c\":$c,\"round\":$round,${line:1}" >>"$results"
  fi
  echo "  $t c=$c: $line" >&2
}

run_rate() {  # TARGET ROUND
  local t=$1 round=$2 line
  line=$(timeout $((RATE_S + RATE_WARMUP_S + 30)) "$work/open_loop" 127.0.0.1 "${port[$t]}" "$work/$t.request" \
    "$RATE" "$RATE_S" "$RATE_CONNECTIONS" "$RATE_WARMUP_S" || true)
  [[ $line == "{"* ]] || { echo "open_loop failed for $t: $line" >&2; exit 1; }
  echo "{\"kind\":\"rate\",\"target\":\"$t\",\"round\":$round,${line:1}" >>"$results"
  echo "  $t at $RATE/s: $line" >&2
}

rotate() {  # N WORDS...: the words rotated left by N
  local n=$1
  shift
  local -a w=("$@")
  local k=${#w[@]} i
  for ((i = 0; i < k; i++)); do printf '%s ' "${w[$(((i + n) % k))]}"; done
}

{
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg), nice ${BENCH_NICE:-0}"
  echo "tiergate $("$TIERGATE_BIN" --version 2>/dev/null || echo '?') ($TIERGATE_BIN, --io-threads $TIERGATE_IO_THREADS), nginx $(nginx -v 2>&1 | sed 's|.*/||') (upstream $UPSTREAM_WORKERS worker, proxy $PROXY_WORKERS), @portkey-ai/gateway $portkey_version (node $(node --version)), wrk -t$WRK_THREADS"
} | tee "$OUT_DIR/machine.txt" >&2

echo "warm-up" >&2
for t in $TARGETS; do run_wrk "$t" 16 2 warmup; done

for ((round = 1; round <= ROUNDS; round++)); do
  echo "round $round/$ROUNDS (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  for c in $CONCURRENCIES; do
    # shellcheck disable=SC2046
    for t in $(rotate $((round - 1)) $TARGETS); do run_wrk "$t" "$c" "$DURATION_S" "$round"; done
  done
  if [[ -n "$RATE_TARGETS" ]]; then
    # shellcheck disable=SC2046
    for t in $(rotate $((round - 1)) $RATE_TARGETS); do run_rate "$t" "$round"; done
  fi
done

# accounting was on: every request tiergate answered became a usage record
if [[ " $TARGETS $RATE_TARGETS " == *" tiergate"* ]]; then
  sleep 1
  metrics=$(curl -s "http://127.0.0.1:$tg_port/metrics")
  served=$(grep '^tiergate_requests_total{' <<<"$metrics" | awk '{s += $NF} END {printf "%d", s}')
  written=$(grep '^tiergate_ledger_records_written_total' <<<"$metrics" | awk '{s += $NF} END {printf "%d", s}')
  echo "tiergate: $served requests served, $written usage records written" | tee -a "$OUT_DIR/machine.txt" >&2
fi

node "$gw/summarize.mjs" "$results" | tee "$OUT_DIR/summary.md"
