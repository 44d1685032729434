#!/usr/bin/env bash
# Training speed: `tiergate distill train` against llama.cpp's own llama-finetune (the same
# llama.cpp source and build, examples/training/finetune.cpp compiled against it), on the same
# model, the same text, the same window, batch, epochs and threads, one after the other.
# Reports tokens/s (wall clock, load included) per round and the median ratio, peak RSS, and
# the student's NLL on held-out examples against the base's.
#
#   bench/distill_train.sh [MODEL.gguf]        (default: ../shared/models/stories260K.gguf)
#
# Environment: TIERGATE_BIN (build/bin/tiergate), LLAMA_DIR (scripts/llama.sh), THREADS (2),
# CTX (256), EPOCHS (2), EXAMPLES (2000), ROUNDS (3), OUT_DIR (/tmp/tiergate-distill-bench).
# The data set is generated here (question/answer pairs in a fixed style), never stored.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
TIERGATE_BIN=${TIERGATE_BIN:-$root/build/bin/tiergate}
LLAMA_DIR=${LLAMA_DIR:-$("$root/scripts/llama.sh")}
MODEL=${1:-$root/../shared/models/stories260K.gguf}
THREADS=${THREADS:-2}
CTX=${CTX:-256}
EPOCHS=${EPOCHS:-2}
EXAMPLES=${EXAMPLES:-2000}
ROUNDS=${ROUNDS:-3}
OUT=${OUT_DIR:-/tmp/tiergate-distill-bench}
mkdir -p "$OUT"

# llama-finetune, built once next to the cached llama.cpp build
FINETUNE=$OUT/llama-finetune
if [[ ! -x $FINETUNE ]]; then
  b=$LLAMA_DIR/build
  g++ -O2 -std=c++17 -I"$LLAMA_DIR/src/include" -I"$LLAMA_DIR/src/ggml/include" -I"$LLAMA_DIR/src/common" \
    -I"$LLAMA_DIR/src/vendor" "$LLAMA_DIR/src/examples/training/finetune.cpp" -o "$FINETUNE" \
    "$b/common/libllama-common.a" "$b/common/libllama-common-base.a" "$b/src/libllama.a" "$b/ggml/src/libggml.a" \
    "$b/ggml/src/libggml-cpu.a" "$b/ggml/src/libggml-base.a" "$b/vendor/cpp-httplib/libcpp-httplib.a" \
    "$b/vendor/hash/libvendor-hash.a" -lpthread -ldl
fi

# the data: a chat data set for tiergate, and the same conversations in the served plain
# format as one text for llama-finetune (its input is a text file)
python3 - "$OUT" "$EXAMPLES" <<'PY'
import json, random, sys
out, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
names = ["Tom", "Lily", "Sam", "Anna", "Ben", "Mia", "Max", "Sue", "Tim", "Zoe", "Leo", "Eva"]
things = ["ball", "cat", "dog", "tree", "cake", "car", "box", "bird", "hat", "cup", "boat", "kite"]
places = ["park", "house", "garden", "school", "shop", "river"]
rows = []
for i in range(n):
    who, what, where = rng.choice(names), rng.choice(things), rng.choice(places)
    q = f"Where did {who} leave the {what}?"
    a = f"ANSWER: {who.upper()} left the {what} at the {where}."
    rows.append((q, a))
held = rows[: n // 10]
train = rows[n // 10:]
with open(f"{out}/train.jsonl", "w") as f:
    for q, a in train:
        f.write(json.dumps({"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}) + "\n")
with open(f"{out}/validation.jsonl", "w") as f:
    for q, a in held:
        f.write(json.dumps({"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}) + "\n")
with open(f"{out}/train.txt", "w") as f:
    for q, a in train:
        f.write(f"User: {q}\nAssistant: {a}\n")
PY

measure() {  # label, command...: wall seconds and peak RSS (KiB) into $OUT/<label>.time
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/$label.time" "$@" >"$OUT/$label.out" 2>"$OUT/$label.err"
}

# rounds alternate the two trainers, so that a noisy neighbour weighs on both
for r in $(seq 1 "$ROUNDS"); do
  measure "tiergate-$r" "$TIERGATE_BIN" distill train --base "$MODEL" --data "$OUT/train.jsonl" \
    --validation "$OUT/validation.jsonl" --out "$OUT/student.gguf" --epochs "$EPOCHS" --context "$CTX" \
    --threads "$THREADS" --learning-rate 0.001
  measure "finetune-$r" "$FINETUNE" -m "$MODEL" -f "$OUT/train.txt" -c "$CTX" -b "$CTX" -ub "$CTX" -t "$THREADS" \
    --epochs "$EPOCHS" -lr 0.001 --val-split 0.0001 -o "$OUT/finetune.gguf"
done
"$TIERGATE_BIN" distill eval --model "$OUT/student.gguf" --baseline "$MODEL" --data "$OUT/validation.jsonl" --json \
  >"$OUT/eval.json"

python3 - "$OUT" "$ROUNDS" "$MODEL" "$CTX" "$EPOCHS" "$THREADS" <<'PY'
import json, re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
ctx, epochs = int(sys.argv[4]), int(sys.argv[5])
rows = []
for r in range(1, rounds + 1):
    tw, tr = (float(x) for x in open(f"{out}/tiergate-{r}.time").read().split())
    fw, fr = (float(x) for x in open(f"{out}/finetune-{r}.time").read().split())
    # tokens trained: tiergate prints them; llama-finetune's progress bar shows its windows per epoch
    m = re.search(r"(\d+) epochs of (\d+) tokens", open(f"{out}/tiergate-{r}.out").read())
    tt = int(m.group(1)) * int(m.group(2))
    windows = re.findall(r"train: .*?data=\d+/(\d+)", open(f"{out}/finetune-{r}.err", errors="replace").read())
    ft = int(windows[-1]) * ctx * epochs
    rows.append((tt, tw, tr, ft, fw, fr))
print(f"model {sys.argv[3]}, context {ctx}, {epochs} epochs, {sys.argv[6]} threads, {rounds} rounds")
print(f"{'round':>5}  {'tiergate tok/s':>15}{'finetune tok/s':>15}{'ratio':>7}{'tiergate MiB':>13}{'finetune MiB':>13}")
ratios = []
for i, (tt, tw, tr, ft, fw, fr) in enumerate(rows, 1):
    ratios.append((tt / tw) / (ft / fw))
    print(f"{i:>5}  {tt / tw:15.0f}{ft / fw:15.0f}{ratios[-1]:7.2f}{tr / 1024:13.1f}{fr / 1024:13.1f}")
print(f"median tokens/s ratio tiergate / llama-finetune: {statistics.median(ratios):.2f}x "
      f"(tokens per epoch: tiergate {rows[0][0] // epochs}, llama-finetune {rows[0][3] // epochs}, its windows overlap by half)")
ev = json.load(open(f"{out}/eval.json"))
s, b = ev["student"], ev["baseline"]
print(f"held-out answer NLL: student {s['nll']:.3f}, base {b['nll']:.3f}; agreement {s['agreement']:.3f} vs "
      f"{b['agreement']:.3f}; exact match {s['exact_match']:.3f} vs {b['exact_match']:.3f} ({s['examples']} examples)")
PY
