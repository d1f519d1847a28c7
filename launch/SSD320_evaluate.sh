#!/usr/bin/env bash
# The seed's examples/SSD320_evaluate.sh: evaluate the newest checkpoint of CHECKPOINT_DIR once
# (--run_once, ssd320_full_1gpus.config, results in /results), the inference spread over WORKERS
# worker ranks (default 1) and scored by the coordinator.
#
#   launch/SSD320_evaluate.sh CHECKPOINT_DIR [CONFIG_DIR] [extra flags passed to ssd...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -lt 1 ]; then sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; fi
CHECKPOINT_DIR=$1
PIPELINE_CONFIG_PATH=${2:-"/workdir/models/research/configs"}"/ssd320_full_1gpus.config"
exec "$here/run.sh" "${WORKERS:-1}" "$PIPELINE_CONFIG_PATH" /results --checkpoint_dir "$CHECKPOINT_DIR" --run_once "${@:3}"
