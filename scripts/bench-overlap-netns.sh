#!/usr/bin/env bash
# Measures --overlap_weight_gather off and on across simulated nodes (docs/distributed.md,
# "Overlapped weight all-gather on the netns cluster"): full SSD320 at per-worker batch 1
# (../shared/configs/ssd320_bench.config with batch_size 1, reading the fixture TFRecords) on a
# netns cluster of NODES worker nodes (../shared/tools/netns-cluster), every node's egress
# shaped to RATE, one worker per node and the coordinator on node 0. Runs the pairs off/on in
# turn and prints each run's last loss and the coordinator's `timing |` line (exposed comm =
# the critical worker's wait in collectives; other = the wait for replies beyond it).
# Needs root (network namespaces) and a release build (scripts/setup.sh; swift build -c release).
#
# Usage: scripts/bench-overlap-netns.sh [--nodes N] [--steps S] [--rate R] [--pairs P] [--out DIR] [-- FLAGS...]
#   --nodes N   worker nodes (default 4)
#   --steps S   training steps per run, the first excluded from the timing (default 6)
#   --rate R    egress rate of every node, tc syntax (default 1gbit)
#   --pairs P   off/on pairs (default 1)
#   --out DIR   model dirs and logs (default a new /tmp/ssd-overlap.XXXXXX)
#   FLAGS       passed to every run (e.g. --gather_piece_kib=2048)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$(cd "$root/.." && pwd)/shared
tools=${NETNS_CLUSTER_TOOLS:-$shared/tools/netns-cluster}
nodes=4 steps=6 rate=1gbit pairs=1 out=""
while [ $# -gt 0 ]; do
  case $1 in
    --nodes) nodes=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-overlap-netns.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
bin=$root/.build/release/ssd
[ -x "$bin" ] || { echo "bench-overlap-netns.sh: no release build at $bin (swift build -c release)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "bench-overlap-netns.sh: network namespaces need root" >&2; exit 1; }
out=${out:-$(mktemp -d /tmp/ssd-overlap.XXXXXX)}
mkdir -p "$out"
source "$root/scripts/env.sh"

export NETNS_CLUSTER_PREFIX=${NETNS_CLUSTER_PREFIX:-ssdovl} NETNS_CLUSTER_SUBNET=${NETNS_CLUSTER_SUBNET:-10.202.0}
trap '"$tools/teardown.sh" -f >/dev/null 2>&1 || true' EXIT
"$tools/setup.sh" -k 2 "$nodes" >/dev/null
"$tools/shape.sh" all rate "$rate" >/dev/null

config=$out/ssd320_batch1.config
sed -e 's/batch_size: [0-9]*/batch_size: 1/' \
    -e "s|input_path: \"[^\"]*train[^\"]*\"|input_path: \"$shared/fixtures/tfrecord/synth_train.record-*\"|" \
    -e "s|input_path: \"[^\"]*val[^\"]*\"|input_path: \"$shared/fixtures/tfrecord/synth_val.record-*\"|" \
    -e "s|label_map_path: \"[^\"]*\"|label_map_path: \"$shared/fixtures/mscoco_label_map.pbtxt\"|" \
    "$shared/configs/ssd320_bench.config" > "$config"

echo "bench-overlap-netns: $nodes worker nodes, egress $rate each, full SSD320 batch 1 per worker, $steps steps;" \
     "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores; output in $out"
for p in $(seq 1 "$pairs"); do
  for overlap in false true; do
    dir=$out/m-$nodes-$overlap-$p log=$out/log-$nodes-$overlap-$p.txt
    rm -rf "$dir"
    status=0
    SSD_BIN=$bin THREADS_PER_RANK=1 HOSTFILE=${NETNS_CLUSTER_STATE:-/run/netns-cluster/$NETNS_CLUSTER_PREFIX}/hostfile \
      MPIRUN=$root/scripts/netns-mpirun.sh MPIRUN_MAP=node \
      timeout -k 10 3600 "$root/launch/run.sh" "$nodes" "$config" "$dir" --hparams_overrides=load_pretrained=false \
        --num_train_steps="$steps" --overlap_weight_gather="$overlap" --save_checkpoints_steps=1000 --eval_count=1 \
        --sample_1_of_n_eval_examples=1000 --raport_file= "$@" > "$log" 2>&1 || status=$?
    last=$(grep '^step ' "$log" | tail -1 | cut -d'|' -f1-2 || true)
    timing=$(grep '^timing |' "$log" | head -1 || true)
    echo "overlap_weight_gather=$overlap (pair $p): exit $status | $last | ${timing:-no timing line (see $log)}"
  done
done
