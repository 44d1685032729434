#!/usr/bin/env bash
# Answer-aware routing on stored answers (RouterBench format): for each split seed, trains the
# prompt-only router and the answer scorer on the train split, chooses their settings on the
# validation split, and replays both on the test split (no model is called). Prints one row per
# seed and the mean and spread of each column, and keeps every JSON in OUT_DIR.
#
#   bench/cascade_eval.sh [DATA...]
#
# Columns (test split; cost shares are of the most expensive model's cost):
#   q30_router   the prompt-only router's best quality at <= 30% cost (its threshold swept on test)
#   q30_cascade  the cascade's best quality at <= 30% cost (settings from the validation frontier)
#   r_pick30     the router's setting picked on validation as the best at <= 30%: quality on test
#   pick30       the cascade setting picked on validation as the best at <= 30%: quality, cost share
#   pick_strong  the cheapest cascade setting reaching the strongest model's quality on validation
#   r_pickstrong the router's setting picked the same way: quality, cost share on test
#   aiq_router / aiq_cascade, strong (the most expensive model's quality), auc (scorer, alone / beside one)
#
# Environment: TIERGATE_BIN (default build/bin/tiergate), SEEDS ("0 1 2 3 4"), OUT_DIR
# (/tmp/tiergate-cascade-bench), MAX_STAGES (3), PARALLEL (3).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
TIERGATE_BIN=${TIERGATE_BIN:-$root/build/bin/tiergate}
SEEDS=${SEEDS:-0 1 2 3 4}
OUT=${OUT_DIR:-/tmp/tiergate-cascade-bench}
MAX_STAGES=${MAX_STAGES:-3}
PARALLEL=${PARALLEL:-3}
if [[ $# -gt 0 ]]; then DATA=("$@"); else DATA=("$root/../shared/data/routing/routerbench"); fi
mkdir -p "$OUT"
if [[ ! -x $TIERGATE_BIN ]]; then
  "$root/scripts/build.sh" build
fi

for seed in $SEEDS; do
  "$TIERGATE_BIN" router train --data "${DATA[@]}" --out "$OUT/router.$seed" --split-seed "$seed" --json \
    > "$OUT/router_train.$seed.json"
  "$TIERGATE_BIN" router train-scorer --data "${DATA[@]}" --out "$OUT/scorer.$seed" --split-seed "$seed" \
    --max-stages "$MAX_STAGES" --parallel-start "$PARALLEL" --json > "$OUT/scorer_train.$seed.json"
  "$TIERGATE_BIN" eval cascade --scorer "$OUT/scorer.$seed" --router "$OUT/router.$seed" --data "${DATA[@]}" \
    --split-seed "$seed" --max-stages "$MAX_STAGES" --parallel-start "$PARALLEL" --points 100000 --json \
    > "$OUT/cascade.$seed.json"
  "$TIERGATE_BIN" eval routing --router "$OUT/router.$seed" --data "${DATA[@]}" --split-seed "$seed" --points 100000 --json \
    > "$OUT/routing.$seed.json"
done

python3 - "$OUT" $SEEDS <<'PY'
import json, statistics, sys
out, seeds = sys.argv[1], sys.argv[2:]
cols = ["q30_router", "q30_cascade", "r_pick30_q", "pick30_q", "pick30_c", "pickstrong_q", "pickstrong_c",
        "r_pickstrong_q", "r_pickstrong_c", "aiq_router", "aiq_cascade", "strong", "auc", "auc_pair", "calls30",
        "decision_p99_us"]
rows = []
for s in seeds:
    c = json.load(open(f"{out}/cascade.{s}.json"))
    r = json.load(open(f"{out}/routing.{s}.json"))
    picks = c["held_out_picks"]
    p30 = picks.get("quality_at_30_cost", {}).get("result", {})
    ps = picks.get("strong_quality", {}).get("result", {})
    strong = [m["quality"] for m in c["single_models"] if m["model"] == c["strong_model"]][0]
    rp = c.get("prompt_router", {}).get("held_out_picks", {})
    rows.append({"seed": s, "q30_router": r["quality_at_30_cost"], "q30_cascade": c["quality_at_30_cost"],
                 "r_pick30_q": rp.get("quality_at_30_cost", {}).get("quality"),
                 "r_pickstrong_q": rp.get("strong_quality", {}).get("quality"),
                 "r_pickstrong_c": rp.get("strong_quality", {}).get("cost_share"),
                 "pick30_q": p30.get("quality"), "pick30_c": p30.get("cost_share"),
                 "pickstrong_q": ps.get("quality"), "pickstrong_c": ps.get("cost_share"),
                 "aiq_router": r["aiq"], "aiq_cascade": c["aiq"], "strong": strong,
                 "auc": c["scorer_auc"]["all"], "auc_pair": c["scorer_auc"]["with_one_other"],
                 "calls30": p30.get("calls"), "decision_p99_us": c.get("decision_us", {}).get("p99")})
print("seed " + " ".join(f"{k:>14}" for k in cols))
for row in rows:
    print(f"{row['seed']:>4} " + " ".join(f"{row[k]:>14.4f}" if isinstance(row[k], float) else f"{str(row[k]):>14}" for k in cols))
for name, f in (("mean", statistics.mean), ("sd", statistics.stdev if len(rows) > 1 else (lambda v: 0.0))):
    vals = []
    for k in cols:
        v = [row[k] for row in rows if isinstance(row[k], (int, float))]
        vals.append(f"{f(v):>14.4f}" if len(v) == len(rows) else f"{'n/a':>14}")
    print(f"{name:>4} " + " ".join(vals))
print()
print("best quality at a budget (share of the most expensive model's cost), test curves: mean (sd)")
print("budget     router            cascade           cascade - router")
for x in (0.1, 0.2, 0.3, 0.5, 0.7, 1.0):
    qc, qr = [], []
    for s in seeds:
        c = json.load(open(f"{out}/cascade.{s}.json"))
        r = json.load(open(f"{out}/routing.{s}.json"))
        sc = [m["cost"] for m in c["single_models"] if m["model"] == c["strong_model"]][0]
        qc.append(max([p["quality"] for p in c["points"] if p["cost_share"] <= x + 1e-9] or [0.0]))
        qr.append(max([p["quality"] for p in r["points"] if p["cost"] <= x * sc + 1e-12] or [0.0]))
    d = [a - b for a, b in zip(qc, qr)]
    sd = (lambda v: statistics.stdev(v) if len(v) > 1 else 0.0)
    print(f"{x:>5.0%}  {statistics.mean(qr):.4f} ({sd(qr):.4f})  {statistics.mean(qc):.4f} ({sd(qc):.4f})  "
          f"{statistics.mean(d):+.4f} ({sd(d):.4f})")
print()
for a, b in (("q30_cascade", "q30_router"), ("pick30_q", "r_pick30_q")):
    diff = [row[a] - row[b] for row in rows if isinstance(row[a], float) and isinstance(row[b], float)]
    if diff:
        print(f"{a} - {b}: mean {statistics.mean(diff):+.4f}" +
              (f", sd {statistics.stdev(diff):.4f}" if len(diff) > 1 else ""))
PY
