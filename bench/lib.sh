# Helpers shared by the benchmark scripts (sourced; OUT_DIR names where logs go).

# A port nobody listens on right now, on 127.0.0.1.
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

wait_http() {  # URL PID [curl args...]: up to 30 s for a 2xx answer
  local url=$1 pid=$2
  shift 2
  for _ in $(seq 1 300); do
    if curl -sf -o /dev/null --max-time 2 "$@" "$url"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "process $pid exited; see $OUT_DIR" >&2; return 1; }
    sleep 0.1
  done
  echo "no answer from $url within 30 s" >&2
  return 1
}
