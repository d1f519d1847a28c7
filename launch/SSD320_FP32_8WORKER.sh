#!/usr/bin/env bash
# The seed's examples/SSD320_FP32_8GPU.sh on CPUs: 8 worker rank(s) with ssd320_full_8gpus.config
# (batch 32 per worker, global 256), plus the coordinator rank.
#
#   launch/SSD320_FP32_8WORKER.sh [MODEL_DIR] [CONFIG_DIR] [extra flags passed to ssd...]
#
# MODEL_DIR defaults to /results/SSD320_FP32_8WORKER, CONFIG_DIR to the seed's configs directory
# (/workdir/models/research/configs); see launch/run.sh for the environment knobs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CKPT_DIR=${1:-"/results/SSD320_FP32_8WORKER"}
PIPELINE_CONFIG_PATH=${2:-"/workdir/models/research/configs"}"/ssd320_full_8gpus.config"
exec "$here/run.sh" 8 "$PIPELINE_CONFIG_PATH" "$CKPT_DIR" "${@:3}"
