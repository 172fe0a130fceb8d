#!/usr/bin/env bash
# Train several NLI cross-encoder configurations side by side on one GPU, select the
# shipped one by holdout accuracy (a slice of the training file), score every run on
# SNLI test / MultiNLI dev / SICK test for the report, and split the chosen fp16
# weights into <16 MB parts.  Usage: scripts/nli_sweep.sh BASE_DIR DATA_ROOT RUNS_DIR OUT_DIR
set -euo pipefail
BASE=$1; DATA=$2; RUNS=$3; OUT=$4
TRAIN=$DATA/nli-train/nli_train_en.csv.gz
mkdir -p "$RUNS" "$OUT"
common=(--data "$TRAIN" --base "$BASE" --checkpoint-every 2000)
python -m crosscheck.training.nli "${common[@]}" --out "$RUNS/a" --lr 4e-5 --epochs 3 > "$RUNS/a.log" 2>&1 &
python -m crosscheck.training.nli "${common[@]}" --out "$RUNS/b" --lr 6e-5 --epochs 4 > "$RUNS/b.log" 2>&1 &
python -m crosscheck.training.nli "${common[@]}" --out "$RUNS/c" --lr 3e-5 --epochs 4 --batch-size 16 > "$RUNS/c.log" 2>&1 &
python -m crosscheck.training.nli "${common[@]}" --out "$RUNS/d_all_licences" --licence all --lr 4e-5 --epochs 3 > "$RUNS/d.log" 2>&1 &
wait
for r in a b c d_all_licences; do
  python -m crosscheck.training.nli_eval "$RUNS/$r/best" --data-root "$DATA" --json "$RUNS/$r/scores.json" > "$RUNS/$r.eval.txt" 2>&1 || true
done
best=$(python - "$RUNS" <<'PY'
import json, sys, pathlib
runs = pathlib.Path(sys.argv[1])
cands = {r: json.loads((runs / r / "summary.json").read_text())["best_holdout_accuracy"] for r in ("a", "b", "c")}
print(max(cands, key=cands.get))
PY
)
echo "selected $best"
echo "$best" > "$RUNS/selected.txt"
split -b 15000000 -d "$RUNS/$best/best/model.safetensors" "$OUT/model.safetensors.part"
tar czf "$OUT/runs.tgz" --exclude='*.pt' --exclude='*.safetensors' --exclude='tokenizer*' -C "$RUNS" .
