#!/usr/bin/env bash
# The quick start: on a fresh machine, installs what is missing, builds in release mode,
# writes a synthetic COCO-style data set, trains the small SSD config from scratch with a
# coordinator and 2 workers under mpirun (launch/run.sh), evaluates with the COCO protocol
# and prints the pycocotools table and where the checkpoint, metrics and report are.
#
#   scripts/quickstart.sh [--workers N] [--global_batch N] [--steps N] [--train N] [--val N] [--out DIR]
#
# Defaults: 2 workers sharing a global batch of 16 (the config's batch_size, the batch the
# small config was tuned with in one process: 8 images per worker), the config's 1,000 steps,
# 2,000 train and 200 val images, output in runs/quickstart. --global_batch 0 gives every
# worker the config's batch_size instead (model_main.py's per-replica batch: 2 workers, 32).
# --steps overrides the step count (as model_main.py's --num_train_steps does; the
# learning-rate schedule keeps the config's length).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
workers=2 global_batch=16 steps="" train=2000 val=200 out="$root/runs/quickstart"
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) workers=$2; shift 2 ;;
    --global_batch) global_batch=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --train) train=$2; shift 2 ;;
    --val) val=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "quickstart: unknown option '$1' (see --help)" >&2; exit 64 ;;
  esac
done
if [ "$global_batch" != 0 ] && [ $((global_batch % workers)) != 0 ]; then
  echo "quickstart: a global batch of $global_batch does not split over $workers workers; pass --global_batch N (a multiple of $workers), or 0 for the config's batch per worker" >&2
  exit 64
fi
start=$(date +%s)
stage() { printf '\n== %s (%ds)\n' "$1" $(( $(date +%s) - start )); }

stage "setup: Debian packages"
"$root/scripts/setup.sh"
stage "build: swift build -c release"
(cd "$root" && swift build -c release --product ssd 2>&1 | tail -n 3)
ssd="$root/.build/release/ssd"
mkdir -p "$out"
cd "$out"
if [ ! -f data/synth/.complete-$train-$val ]; then
  stage "data: $train train + $val val synthetic images"
  rm -rf data/synth
  "$ssd" data synth --out data/synth --train "$train" --val "$val" --seed 1
  touch "data/synth/.complete-$train-$val"
fi
rm -rf model
stage "train: coordinator + $workers workers under mpirun"
extra=(--hparams_overrides load_pretrained=false)
[ -n "$steps" ] && extra+=(--num_train_steps "$steps")
[ "$global_batch" != 0 ] && extra+=(--global_batch_size "$global_batch")
SSD_BIN="$ssd" "$root/launch/run.sh" "$workers" "$root/configs/ssd_small_synth.config" model "${extra[@]}"
stage "done"
metrics=$(ls -t model/eval_validation_data/metrics-*.json 2>/dev/null | head -n 1 || true)
echo "model dir:   $out/model"
echo "checkpoint:  $out/model/$(sed -n 's/^model_checkpoint_path: "\(.*\)"/\1/p' model/checkpoint)"
[ -n "$metrics" ] && echo "metrics:     $out/$metrics"
[ -f model/report.html ] && echo "report:      $out/model/report.html"
echo "total time:  $(( $(date +%s) - start )) s"
