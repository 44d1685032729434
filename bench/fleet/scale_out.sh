#!/usr/bin/env bash
# Scale-out: 1, 2 and 3 tiergate replicas sharing one Redis (budget counters)
# and one PostgreSQL ledger, in front of the canned upstream of
# bench/gateway_overhead.sh (nginx answering a fixed chat completion). Each
# replica is loaded by its own wrk at the same time; the figures are the
# aggregate throughput and the CPU the replicas used per request. On a
# machine with fewer cores than replicas + load generators the claim is
# linearity in CPU per request, not in wall time. Everything listens on
# 127.0.0.1 only; every run is bounded in time.
#
#   bench/fleet/scale_out.sh
#
# Environment (defaults in brackets): TIERGATE_BIN [build/bin/tiergate]
#   REPLICAS ["1 2 3"]  CONNECTIONS [16] per replica  DURATION_S [5]  ROUNDS [2]
#   OUT_DIR [/tmp/tiergate-scale-bench]
# Redis and PostgreSQL: TIERGATE_TEST_REDIS_URL / TIERGATE_TEST_PG_URL when set,
# else scripts/services.sh starts throwaway ones for the run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
gw=$root/bench/gateway
TIERGATE_BIN=${TIERGATE_BIN:-$root/build/bin/tiergate}
REPLICAS=${REPLICAS:-"1 2 3"}
CONNECTIONS=${CONNECTIONS:-16}
DURATION_S=${DURATION_S:-5}
ROUNDS=${ROUNDS:-2}
OUT_DIR=${OUT_DIR:-/tmp/tiergate-scale-bench}

if (( DURATION_S < 1 || DURATION_S > 120 || ROUNDS < 1 || ROUNDS > 10 || CONNECTIONS < 1 || CONNECTIONS > 1000 )); then
  echo "DURATION_S must be 1..120, ROUNDS 1..10, CONNECTIONS 1..1000" >&2
  exit 2
fi
for r in $REPLICAS; do
  (( r >= 1 && r <= 8 )) || { echo "REPLICAS: each 1..8" >&2; exit 2; }
done
for tool in nginx wrk node curl psql; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (scripts/setup.sh installs it)" >&2; exit 2; }
done
[[ -x "$TIERGATE_BIN" ]] || { echo "no tiergate binary at $TIERGATE_BIN" >&2; exit 2; }

mkdir -p "$OUT_DIR"
work=$(mktemp -d /tmp/tiergate-scale.XXXXXX)
chmod 755 "$work"
mkdir -p "$work/tmp"
pids=()
services_env=
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  cp "$work"/*.log "$OUT_DIR/" 2>/dev/null || true
  [[ -n $services_env ]] && "$root/scripts/services.sh" stop "$services_env" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "${TIERGATE_TEST_REDIS_URL:-}" || -z "${TIERGATE_TEST_PG_URL:-}" ]]; then
  services_env=$work/services.env
  "$root/scripts/services.sh" start "$services_env" >/dev/null
  # shellcheck disable=SC1090
  . "$services_env"
fi

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

up_port=$(free_port)
canned=$(tr -d '\n' <"$gw/canned_completion.json")
sed -e "s|@DIR@|$work|g" -e "s|@PORT@|$up_port|g" -e "s|@WORKERS@|1|g" -e "s|@BODY@|${canned//|/\\|}|g" \
  "$gw/upstream.nginx.conf" >"$work/upstream.conf"
nginx -p "$work" -c "$work/upstream.conf" >"$work/upstream.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$up_port/v1/chat/completions" "${pids[-1]}" -X POST -d '{}'

db="tiergate_scale_$$"
psql "$TIERGATE_TEST_PG_URL" -qc "CREATE DATABASE $db" >/dev/null
ledger_url="${TIERGATE_TEST_PG_URL%/*}/$db"

# one key store for every replica; a team budget far above what the run spends,
# so every request takes the Redis reservation path
key=$("$TIERGATE_BIN" keys create --team bench --store "$work/keys.db" 2>/dev/null)
sed -e "s|@MODEL@|canned|" "$gw/request.json" | tr -d '\n' >"$work/body.json"
echo "Authorization: Bearer $key" >"$work/headers"

config() {  # PORT
  cat <<CFG
server: { host: 127.0.0.1, port: $1, threads: 1 }
models:
  - name: canned
    provider: openai_compatible
    endpoint: http://127.0.0.1:$up_port/v1
    tier: mid
    residency: on_prem
    price: { input_per_mtok: 0.5, output_per_mtok: 1.5 }
    retries: { max_attempts: 1 }
budgets:
  redis: $TIERGATE_TEST_REDIS_URL
  teams: { bench: { usd_per_day: 1000000 } }
ledger: { store: "$ledger_url", group_commit_ms: 50 }
keys: { store: $work/keys.db }
CFG
}

declare -a tg_pids=() tg_ports=()
start_replicas() {  # N
  while (( ${#tg_pids[@]} < $1 )); do
    local port i=${#tg_pids[@]}
    port=$(free_port)
    config "$port" >"$work/replica-$i.yaml"
    "$TIERGATE_BIN" serve --config "$work/replica-$i.yaml" --log-level warn >"$work/replica-$i.log" 2>&1 &
    pids+=($!)
    tg_pids+=($!)
    tg_ports+=("$port")
    wait_http "http://127.0.0.1:$port/ready" "$!"
    check_answer "$port"
  done
}

check_answer() {  # PORT: the canned completion through the replica, before any load
  local out
  out=$(curl -s --max-time 10 -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    --data-binary "@$work/body.json" "http://127.0.0.1:$1/v1/chat/completions")
  [[ $out == *"How can I help you today?"* ]] || { echo "replica on $1 does not answer the canned completion: ${out:0:300}" >&2; exit 1; }
}

cpu_ticks() {  # PID...
  local total=0 p
  for p in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$total"
}
clk_tck=$(getconf CLK_TCK)
results=$OUT_DIR/results.jsonl
: >"$results"

run() {  # N ROUND: every replica loaded by its own wrk at once
  local n=$1 round=$2 i before after
  local -a active=("${tg_pids[@]:0:$n}") wrks=()
  before=$(cpu_ticks "${active[@]}")
  for ((i = 0; i < n; i++)); do
    BENCH_BODY_FILE="$work/body.json" BENCH_HEADERS_FILE="$work/headers" \
      timeout $((DURATION_S + 30)) wrk -t1 -c"$CONNECTIONS" -d"${DURATION_S}s" --timeout 10s -s "$gw/post.lua" \
      "http://127.0.0.1:${tg_ports[$i]}/v1/chat/completions" >"$work/wrk-$n-$i.out" &
    wrks+=($!)
  done
  for w in "${wrks[@]}"; do wait "$w"; done
  after=$(cpu_ticks "${active[@]}")
  local reqs=0 errs=0 line rps_sum=0
  for ((i = 0; i < n; i++)); do
    line=$(tail -1 "$work/wrk-$n-$i.out")
    [[ $line == "{"* ]] || { echo "wrk failed: $line" >&2; exit 1; }
    reqs=$((reqs + $(node -p "JSON.parse(process.argv[1]).requests" "$line")))
    errs=$((errs + $(node -p "const e=JSON.parse(process.argv[1]).errors; e.connect+e.read+e.write+e.status+e.timeout" "$line")))
    rps_sum=$(node -p "$rps_sum + JSON.parse(process.argv[1]).rps" "$line")
  done
  local cpu_s
  cpu_s=$(awk -v d=$((after - before)) -v k="$clk_tck" 'BEGIN {printf "%.2f", d / k}')
  echo "{\"replicas\":$n,\"round\":$round,\"requests\":$reqs,\"errors\":$errs,\"rps\":$rps_sum,\"cpu_s\":$cpu_s}" | tee -a "$results" >&2
  (( errs == 0 )) || { echo "$errs requests failed with $n replicas; see $OUT_DIR" >&2; exit 1; }
}

echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT_DIR/machine.txt" >&2
max=0
for r in $REPLICAS; do (( r > max )) && max=$r; done
start_replicas "$max"
for ((round = 1; round <= ROUNDS; round++)); do
  for r in $REPLICAS; do run "$r" "$round"; done
done

# every answered request is one ledger row
rows=-1
for _ in $(seq 1 60); do  # the ledger writers catch up (up to 30 s)
  sleep 0.5
  now=$(psql "$ledger_url" -Atc "SELECT count(*) FROM requests")
  [[ $now == "$rows" ]] && break
  rows=$now
done
served=$(node -e 'const fs=require("fs");let s=0;for(const l of fs.readFileSync(process.argv[1],"utf8").split("\n").filter(Boolean))s+=JSON.parse(l).requests;console.log(s)' "$results")
# wrk counts the answers it read; each run ends with up to CONNECTIONS calls per replica in
# flight, which the replicas still answer and record
checks=$max
cut=0
for r in $REPLICAS; do cut=$((cut + r * CONNECTIONS * ROUNDS)); done
echo "ledger rows $rows; answers read by wrk $served, $checks checks of the canned answer, up to $cut left in flight" \
  | tee -a "$OUT_DIR/machine.txt" >&2
(( rows >= served + checks && rows <= served + checks + cut )) || {
  echo "the ledger holds $rows rows for $((served + checks)) answers (+ up to $cut)" >&2; exit 1; }

node - "$results" <<'JS' | tee "$OUT_DIR/summary.md"
const fs = require('fs');
const rows = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
console.log('| replicas | requests/s (all) | CPU µs per request (replicas) | errors |\n|---|---|---|---|');
for (const n of [...new Set(rows.map((r) => r.replicas))]) {
  const mine = rows.filter((r) => r.replicas === n);
  console.log(`| ${n} | ${Math.round(median(mine.map((r) => r.rps)))} | ${median(mine.map((r) => (r.cpu_s * 1e6) / r.requests)).toFixed(1)} | ${mine.reduce((a, r) => a + r.errors, 0)} |`);
}
JS
psql "$TIERGATE_TEST_PG_URL" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null 2>&1 || true
