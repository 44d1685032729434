#!/usr/bin/env bash
# Intent routing on CLINC150: trains the intent classifier on train + oos_train of the shared
# file, calibrates the out-of-scope threshold on a held-out slice of train (the file has no test
# split, so calibrating on val and then evaluating on val would leak), evaluates on val + oos_val
# and prints the training summary and the evaluation JSON.
#
#   bench/intent_eval.sh [DATA.json] [DOMAINS.json]
#
# Environment: TIERGATE_BIN (default build/bin/tiergate; built when missing), CALIBRATION
# (holdout; val only for a file with a test split), SEED (24301), EPOCHS (12), OUT_DIR
# (/tmp/tiergate-intent-bench).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
TIERGATE_BIN=${TIERGATE_BIN:-$root/build/bin/tiergate}
DATA=${1:-$root/../shared/data/intents/clinc150_train_val.json}
DOMAINS=${2:-$root/../shared/data/intents/domains.json}
CALIBRATION=${CALIBRATION:-holdout}
SEED=${SEED:-24301}
EPOCHS=${EPOCHS:-12}
OUT=${OUT_DIR:-/tmp/tiergate-intent-bench}
mkdir -p "$OUT"

if [[ ! -x $TIERGATE_BIN ]]; then
  "$root/scripts/build.sh" build
fi

start=$(date +%s.%N)
"$TIERGATE_BIN" agents train-intents --data "$DATA" --domains "$DOMAINS" --out "$OUT/intents.router" \
  --calibration "$CALIBRATION" --seed "$SEED" --epochs "$EPOCHS" > "$OUT/train.json"
end=$(date +%s.%N)
echo "== training ($CALIBRATION calibration, wall clock $(echo "$end - $start" | bc) s, load included) =="
cat "$OUT/train.json"
echo "== evaluation =="
"$TIERGATE_BIN" eval intents --router "$OUT/intents.router" --data "$DATA" --json | tee "$OUT/eval.json"
