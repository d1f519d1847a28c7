#!/usr/bin/env bash
# A multi-node run from an Open MPI hostfile (lines `host slots=N`): the coordinator takes the
# first slot, the workers the rest (one per slot, or WORKERS of them).
#
#   launch/SSD320_multinode.sh HOSTFILE PIPELINE_CONFIG MODEL_DIR [extra flags passed to ssd...]
#
# Every node must see the ssd binary, the config, the data and MODEL_DIR at the same paths
# (the coordinator alone writes MODEL_DIR). Environment: WORKERS (default: slots − 1),
# THREADS_PER_RANK (default 1), SSD_BIN, MPIRUN_EXTRA (e.g. "--mca btl_tcp_if_include eth0").
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -lt 3 ]; then sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; fi
hostfile=$1 config=$2 model_dir=$3
shift 3
[ -f "$hostfile" ] || { echo "launch/SSD320_multinode.sh: hostfile '$hostfile' not found" >&2; exit 66; }
slots=$(awk '!/^[[:space:]]*(#|$)/ { n = 1; for (i = 2; i <= NF; i++) if ($i ~ /^slots=/) { split($i, a, "="); n = a[2] } s += n } END { print s + 0 }' "$hostfile")
workers=${WORKERS:-$(( slots - 1 ))}
[ "$workers" -ge 1 ] || { echo "launch/SSD320_multinode.sh: $hostfile has $slots slot(s); need at least 2 (coordinator + 1 worker)" >&2; exit 64; }
export HOSTFILE=$hostfile THREADS_PER_RANK=${THREADS_PER_RANK:-1}
# Spread ranks over nodes round-robin so the workers land on different nodes.
export MPIRUN_EXTRA="--map-by node ${MPIRUN_EXTRA:-}"
exec "$here/run.sh" "$workers" "$config" "$model_dir" "$@"
