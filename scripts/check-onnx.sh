#!/usr/bin/env bash
# Checks `ssd export` with ONNX Runtime (issue 13): makes a throwaway Python venv with onnx,
# onnxruntime and numpy from the package registry (outside the repo), trains two small
# checkpoints on synthetic data (the small config for 120 steps, and the seed's full SSD320
# for 2 steps at learning rate 0.3 so that scores spread out instead of all sitting within
# 1e-6 of sigmoid(-4.6)), exports each with and without post-processing, writes our own outputs
# for the validation JPEGs (--reference_dir) and `ssd detect`'s results, and runs
# scripts/check-onnx.py: onnx.checker (full_check), raw outputs within 1e-4 relative, the
# detections equal up to near ties, batch 1 = batch n.
#
#   scripts/check-onnx.sh [--bench] [--keep DIR]
#
# --bench also times ONNX Runtime on the full SSD320 at batch 1 and 8 next to
# `ssd bench infer` (interleaved, release build). If the registry cannot be reached the
# check is skipped with a message saying so (exit 0). Python is only used here, never by
# the product or its Swift tests. Needs a release build (builds it if missing).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench=0 keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bench) bench=1; shift ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-onnx: unknown option '$1' (see --help)" >&2; exit 64 ;;
  esac
done
. "$root/scripts/env.sh"
venv=${SSD_ONNX_VENV:-/tmp/ssd-onnx-venv}
if [ -n "$keep" ]; then work=$keep; mkdir -p "$work"; else
  work=$(mktemp -d /tmp/ssd-check-onnx.XXXXXX)
  trap 'rm -rf "$work"' EXIT
fi
start=$(date +%s)
stage() { printf '\n== check-onnx: %s (%ds)\n' "$1" $(( $(date +%s) - start )); }

stage "Python venv with onnx, onnxruntime, numpy ($venv)"
if ! "$venv/bin/python" -c 'import onnx, onnxruntime, numpy' 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  if ! "$venv/bin/pip" install --quiet --disable-pip-version-check onnx onnxruntime numpy; then
    echo "check-onnx: SKIPPED: could not install onnx/onnxruntime/numpy from the package registry (unreachable?);"
    echo "check-onnx: the ONNX export was NOT checked against ONNX Runtime in this run."
    rm -rf "$venv"
    exit 0
  fi
fi
"$venv/bin/python" -c 'import onnx, onnxruntime; print("onnx", onnx.__version__, "onnxruntime", onnxruntime.__version__)'

ssd="$root/.build/release/ssd"
if [ ! -x "$ssd" ] || [ -n "${SSD_REBUILD:-}" ]; then
  stage "build: swift build -c release"
  (cd "$root" && swift build -c release --product ssd 2>&1 | tail -n 3)
fi
cd "$work"
stage "data: synthetic set with JPEGs"
"$ssd" data synth --out data --train 64 --val 8 --seed 1 --size 320x240 --write-images >/dev/null
images=(data/val/*.jpg)

run_model() {  # name config checkpoint_dir reference-batch
  local name=$1 config=$2 model=$3
  stage "$name: export (full and raw), reference outputs, ssd detect"
  "$ssd" export --pipeline_config_path "$config" --checkpoint "$model" --output "$name.onnx" \
    --reference_dir "ref_$name" --reference_images "${images[@]}"
  "$ssd" export --pipeline_config_path "$config" --checkpoint "$model" --output "${name}_raw.onnx" --raw_outputs
  "$ssd" detect --pipeline_config_path "$config" --checkpoint "$model" --score_threshold 0 --quiet \
    --output "dets_$name.json" "${images[@]}"
  stage "$name: ONNX Runtime comparison"
  "$venv/bin/python" "$root/scripts/check-onnx.py" --name "$name" --full "$name.onnx" --raw "${name}_raw.onnx" \
    --reference "ref_$name" --detect "dets_$name.json" --sidecar "$name.json"
}

stage "small: train the small config (120 steps, batch 8, one process)"
sed -e 's/batch_size: 16/batch_size: 8/' -e 's#data/synth/#data/#g' "$root/configs/ssd_small_synth.config" > small.config
"$ssd" train --pipeline_config_path small.config --model_dir small_model --hparams_overrides load_pretrained=false \
  --num_train_steps 120 --raport_file "" > small_train.log 2>&1 || { tail -n 20 small_train.log; exit 1; }
run_model small small.config small_model

stage "ssd320: the seed's full SSD320, two training steps (batch 2, learning rate 0.3)"
sed -e 's/batch_size: 32/batch_size: 2/' \
    -e 's#"/data/\*train\*"#"data/synth_train.record-*"#' -e 's#"/data/\*val\*"#"data/synth_val.record-*"#' \
    -e "s#\"object_detection/data/mscoco_label_map.pbtxt\"#\"$root/../shared/fixtures/mscoco_label_map.pbtxt\"#" \
    -e 's/learning_rate_base: .*/learning_rate_base: 0.3/' -e 's/warmup_learning_rate: .*/warmup_learning_rate: 0.3/' \
    "$root/../shared/configs/ssd320_full_1gpus.config" > ssd320.config
grep -q 'warmup_learning_rate: 0.3' ssd320.config
"$ssd" train --pipeline_config_path ssd320.config --model_dir ssd320_model --hparams_overrides load_pretrained=false \
  --num_train_steps 2 --raport_file "" > ssd320_train.log 2>&1 || { tail -n 20 ssd320_train.log; exit 1; }
run_model ssd320 ssd320.config ssd320_model

if [ "$bench" = 1 ]; then
  stage "bench: ONNX Runtime vs ssd bench infer, full SSD320, batch 1 and 8 (interleaved)"
  grep -m1 'model name' /proc/cpuinfo | sed 's/^[^:]*: /CPU: /'
  echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; the machine may be shared: figures are noisy"
  ls -l ssd320.onnx | awk '{printf "ssd320.onnx: %.1f MB\n", $5 / 1e6}'
  for round in 1 2; do
    echo "-- round $round"
    "$venv/bin/python" "$root/scripts/check-onnx.py" --name ssd320 --full ssd320.onnx --raw ssd320_raw.onnx \
      --reference ref_ssd320 --detect dets_ssd320.json --sidecar ssd320.json --bench-batches 1,8 \
      --bench-iterations 3 --bench-only
    "$ssd" bench infer --pipeline_config_path ssd320.config --checkpoint ssd320_model --batch_sizes 1,8 \
      --iterations 3 --warmup 1 --threads 2 | grep -v '^ *$'
  done
fi
stage "done"
