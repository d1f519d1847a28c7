#!/usr/bin/env bash
# Tests the Slurm batch scripts against a real Slurm (issue 15): installs Debian's Slurm and
# MUNGE (scripts/setup-slurm.sh), starts them on a private 2-node netns test cluster
# (scripts/slurm-cluster.sh), submits jobs of the shrunken small config with
# `sbatch launch/slurm.sbatch` and checks them:
#
#   1. a job trains 200 steps on 2 nodes (coordinator + 1 worker per node, started by Open MPI's
#      Slurm support) and writes the consolidated checkpoint of step 200 and the metrics of its
#      evaluation;
#   2. the same job is stopped mid-run with `scancel --signal=USR1` (Slurm signals the job steps:
#      mpirun's daemons and the worker on the second node, which tells the coordinator): it
#      writes a checkpoint at the step it was on and exits with status 75;
#   3. resubmitted, it resumes there and is stopped again with a plain `scancel` (SIGTERM to
#      every process of the job, as preemption and time limits do): checkpoint, status 75;
#   4. resubmitted again, it finishes: its checkpoint of step 200 is byte-identical to job 1's;
#   5. an eval-only job waiting for new checkpoints stops cleanly on `scancel --signal=USR1 -b`
#      (the batch shell, launch/run.sh, forwards it through mpirun);
#   6. automatic restart inside the allocation: `sbatch --no-kill … --max_restarts 1`, every
#      process of node 1 (its slurmd, mpirun's daemon, worker 1) killed with SIGKILL after step
#      3: the job goes on on node 0 alone (global batch 4 kept: 4 per worker) from the newest
#      checkpoint and finishes; prints the steps lost and the time from the kill to the first
#      step of the restart (checked: under the checkpoint interval, under 60 s).
#
# The cluster is always torn down (daemons, namespaces, state). `.ci/run` runs this after the
# quick start (it uses the release build).
#
#   scripts/test-slurm.sh [--keep DIR]
#
# Needs root (network namespaces). If Slurm cannot be installed (no package archive) or network
# namespaces cannot be made, the test is SKIPPED with a message saying so (exit 0).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test-slurm: unknown option '$1' (see --help)" >&2; exit 64 ;;
  esac
done
skip() {
  echo "test-slurm: SKIPPED: $*"
  echo "test-slurm: the Slurm batch scripts were NOT tested in this run."
  exit 0
}
fail() { echo "test-slurm: FAIL: $*" >&2; exit 1; }
start=$(date +%s)
stage() { printf '\n== test-slurm: %s (%ds)\n' "$1" $(( $(date +%s) - start )); }

[ "$(id -u)" -eq 0 ] || skip "needs root for network namespaces"
ip netns add "ssdprobe$$" 2>/dev/null && ip netns del "ssdprobe$$" || skip "cannot create network namespaces here"
"$root/scripts/setup-slurm.sh" || skip "could not install slurmctld, slurmd, slurm-client and munge from the package archive"

ssd=${SSD_BIN:-}
if [ -z "$ssd" ]; then
  for b in "$root/.build/release/ssd" "$root/.build/debug/ssd"; do [ -x "$b" ] && { ssd=$b; break; }; done
fi
[ -n "$ssd" ] && [ -x "$ssd" ] || fail "no ssd binary: swift build -c release first, or set SSD_BIN"

export NETNS_CLUSTER_PREFIX=sst$$ NETNS_CLUSTER_SUBNET=${NETNS_CLUSTER_SUBNET:-10.200.0}
export SLURM_CLUSTER_DIR=/tmp/ssd-slurm-$NETNS_CLUSTER_PREFIX
if [ -n "$keep" ]; then work=$keep; mkdir -p "$work"; else work=$(mktemp -d /tmp/ssd-test-slurm.XXXXXX); fi
cleanup() {
  "$root/scripts/slurm-cluster.sh" stop >/dev/null 2>&1 || "$root/scripts/slurm-cluster.sh" stop || true
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT
chmod 755 "$work"
slurm() { "$root/scripts/slurm-cluster.sh" exec "$@"; }

# Training steps of every job. The tiny model takes 25-200 ms a step on 2 cores, and a signal sent
# with scancel can take longer than ten such steps to reach the trainer (seen: a 12-step job ended
# before the stop arrived), so the jobs run 200 steps: room for two stops on any machine.
end=200
# The small config shrunk as the distributed Swift tests shrink it (64x64, widths x1/8, one tower
# layer) on the fixture TFRecords; BATCH per worker.
tiny_config() {  # OUT BATCH
  local f; f=$(cd "$root/../shared/fixtures" && pwd)
  sed -E -e 's/height: [0-9]+/height: 64/' -e 's/width: [0-9]+/width: 64/' \
    -e 's/num_layers_before_predictor: [0-9]+/num_layers_before_predictor: 1/' \
    -e "s/batch_size: [0-9]+/batch_size: $2/" -e "s/^  num_steps: [0-9]+/  num_steps: $end/" \
    -e "s/total_steps: [0-9]+/total_steps: $end/" -e 's/warmup_steps: [0-9]+/warmup_steps: 2/' \
    -e "s#input_path: \"[^\"]*train[^\"]*\"#input_path: \"$f/tfrecord/synth_train.record-*\"#" \
    -e "s#input_path: \"[^\"]*val[^\"]*\"#input_path: \"$f/tfrecord/synth_val.record-*\"#" \
    -e "s#label_map_path: \"[^\"]*\"#label_map_path: \"$f/mscoco_label_map.pbtxt\"#" \
    "$root/configs/ssd_small_synth.config" > "$1"
  grep -q "batch_size: $2" "$1" && grep -q 'height: 64' "$1" || fail "could not shrink configs/ssd_small_synth.config"
}
flags=(--hparams_overrides=load_pretrained=false --sample_1_of_n_eval_examples=16 --seed=3 --log_every_n_steps=1
       --threads=1 --eval_batch_size=2 --raport_file=)
# sbatch passes this environment to the job.
export SSD_BIN=$ssd THREADS_PER_RANK=1
checkpoint_step() { sed -n 's/^model_checkpoint_path: "model.ckpt-\([0-9]*\)"$/\1/p' "$1/checkpoint" 2>/dev/null || true; }

stage "start Slurm on a 2-node netns cluster ($NETNS_CLUSTER_PREFIX)"
"$root/scripts/slurm-cluster.sh" start 2
tiny_config "$work/b2.config" 2

submit() {  # NAME [sbatch options...] -- [trainer flags...]: submits in the background, prints the job id
  local name=$1; shift
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  slurm sbatch --parsable "${opts[@]}" -N 2 -o "$work/$name.out" --open-mode=append \
    "$root/launch/slurm.sbatch" "$work/b2.config" "$work/$name" "${flags[@]}" "$@" | cut -d';' -f1
}
wait_job() {  # JOBID SECONDS: waits until the job left the queue; prints its exit code
  local deadline=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    slurm squeue -h -j "$1" 2>/dev/null | grep -q . || break
    sleep 1
  done
  slurm squeue -h -j "$1" 2>/dev/null | grep -q . && { slurm scancel "$1"; fail "job $1 still running after $2 s"; }
  slurm scontrol show job "$1" 2>/dev/null | tr ' ' '\n' | sed -n 's/^ExitCode=//p'
}
wait_for_line() {  # FILE PATTERN SECONDS
  local deadline=$(( $(date +%s) + $3 ))
  until grep -Eq "$2" "$1" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "no line /$2/ in $1 after $3 s: $(tail -n 5 "$1" 2>&1)"
    sleep 0.2
  done
}

stage "1. sbatch -N 2 launch/slurm.sbatch: $end steps, checkpoint and evaluation"
rc=0
timeout -k 10 600 "$root/scripts/slurm-cluster.sh" exec sbatch -N 2 --wait -o "$work/ref.out" \
  "$root/launch/slurm.sbatch" "$work/b2.config" "$work/ref" "${flags[@]}" >/dev/null || rc=$?
[ "$rc" -eq 0 ] || { tail -n 30 "$work/ref.out" >&2; fail "the job ended with status $rc"; }
grep -q "2 worker(s) (1 per node)" "$work/ref.out" || fail "no '2 worker(s) (1 per node)' line: $(head -n 3 "$work/ref.out")"
grep -Eq "worker 0 \(world rank 1, pid [0-9]+\) on $NETNS_CLUSTER_PREFIX-n0 .*worker 1 \(world rank 2, pid [0-9]+\) on $NETNS_CLUSTER_PREFIX-n1" "$work/ref.out" \
  || fail "the workers did not run one per node: $(grep '^coordinator' "$work/ref.out")"
[ "$(checkpoint_step "$work/ref")" = $end ] || fail "newest committed checkpoint is not step $end: $(cat "$work/ref/checkpoint" 2>&1)"
[ -s "$work/ref/model.ckpt-$end.index" ] && [ -s "$work/ref/model.ckpt-$end.data-00000-of-00001" ] || fail "model.ckpt-$end files missing"
"$ssd" ckpt inspect "$work/ref/model.ckpt-$end" > "$work/ref-inspect.txt" || fail "ssd ckpt inspect cannot read model.ckpt-$end"
grep -q "global_step" "$work/ref-inspect.txt" || fail "model.ckpt-$end has no global_step"
metrics=$work/ref/eval_validation_data/metrics-$end.json
[ -s "$metrics" ] || fail "no $metrics"
grep -q "\"global_step\" *: *$end" "$metrics" && grep -q 'DetectionBoxes_Precision/mAP' "$metrics" || fail "$metrics lacks global_step $end or the COCO metrics"
echo "job 1: checkpoint step $end, metrics-$end.json with the COCO metrics"

# 2-4: stopped twice, resumed twice.
stopped_at() {  # NAME: the step of the "stopped on signal" checkpoint line
  sed -n 's/.*stopped on signal .* at step \([0-9]*\).*/\1/p' "$work/$1.out" | tail -n 1
}
for round in 2 3; do
  if [ $round = 2 ]; then how="scancel --signal=USR1 (job steps)"; else how="scancel (SIGTERM to the whole job)"; fi
  stage "$round. stopped mid-run by $how"
  before=$(checkpoint_step "$work/pre"); before=${before:-0}
  job=$(submit pre -- )
  wait_for_line "$work/pre.out" "^step $(( before + 2 )) \|" 300
  if [ $round = 2 ]; then slurm scancel --signal=USR1 "$job"; else slurm scancel "$job"; fi
  code=$(wait_job "$job" 120)
  at=$(stopped_at pre)
  [ -n "$at" ] || fail "job $job ($how): no 'stopped on signal … at step N' line: $(tail -n 15 "$work/pre.out")"
  [ "$at" -gt "$before" ] && [ "$at" -lt $end ] || fail "job $job stopped at step $at (resumed from $before; $end is the end); exit code $code; the job's log ends: $(tail -n 30 "$work/pre.out")"
  [ "$(checkpoint_step "$work/pre")" = "$at" ] || fail "job $job: newest checkpoint $(checkpoint_step "$work/pre"), not the stop step $at"
  case "$code" in 75:0) ;; *) fail "job $job ($how) ended with exit code $code, expected 75:0 (stopped after a checkpoint)" ;; esac
  echo "job $job: stopped at step $at with a checkpoint, exit code 75"
done
stage "4. resubmitted: resumes and finishes; its checkpoint equals job 1's byte for byte"
job=$(submit pre -- )
code=$(wait_job "$job" 300)
[ "$code" = "0:0" ] || fail "the resumed job ended with exit code $code: $(tail -n 15 "$work/pre.out")"
grep -q "Resuming from $work/pre/model.ckpt-$at" "$work/pre.out" || fail "job $job did not resume from step $at"
[ "$(checkpoint_step "$work/pre")" = $end ] || fail "resumed job: newest checkpoint is not step $end"
for f in index data-00000-of-00001; do
  cmp "$work/ref/model.ckpt-$end.$f" "$work/pre/model.ckpt-$end.$f" || fail "model.ckpt-$end.$f differs from the uninterrupted run's"
done
echo "stopped at two steps and resumed twice: model.ckpt-$end is byte-identical to the uninterrupted run's"

stage "5. eval-only job polling for checkpoints stops on scancel --signal=USR1 --batch"
job=$(submit evalonly -- --checkpoint_dir="$work/ref" --num_train_steps=1000 --eval_poll_secs=1)
wait_for_line "$work/evalonly.out" "Wrote .*metrics-$end.json" 300
slurm scancel --signal=USR1 --batch "$job"
code=$(wait_job "$job" 120)
case "$code" in 75:0) ;; *) fail "eval-only job ended with exit code $code, expected 75:0: $(tail -n 10 "$work/evalonly.out")" ;; esac
grep -q "stopped on signal" "$work/evalonly.out" || fail "eval-only job: no 'stopped on signal' line"
echo "eval-only job: stopped cleanly, exit code 75"

stage "6. sbatch --no-kill, --max_restarts 1: every process of node 1 killed mid-run; the job goes on without it and finishes"
job=$(submit restart --no-kill -- --max_restarts 1 --save_checkpoints_steps=2)
wait_for_line "$work/restart.out" "^step 3 \|" 300
killed=$(date +%s.%N)
# The node dies: its slurmd, mpirun's daemon (srun step) and worker 1, all at once.
pids=$(ip netns pids "$NETNS_CLUSTER_PREFIX-n1")
[ -n "$pids" ] || fail "no processes in $NETNS_CLUSTER_PREFIX-n1"
kill -9 $pids 2>/dev/null || true
code=$(wait_job "$job" 400)
[ "$code" = "0:0" ] || fail "the supervised job ended with exit code $code: $(tail -n 25 "$work/restart.out")"
log=$work/restart/supervisor/restarts.jsonl
[ -s "$log" ] || fail "no restart log $log"
field() {  # EVENT ATTEMPT KEY: a number from the restart log
  grep "\"event\" *: *\"$1\"" "$log" | grep "\"attempt\" *: *$2[,}]" | grep -o "\"$3\" *: *[0-9.]*" | head -n 1 | sed 's/.*: *//'
}
[ "$(grep -c '"event" *: *"start"' "$log")" = 2 ] || fail "expected 2 attempts: $(cat "$log")"
grep '"event" *: *"end"' "$log" | head -n 1 | grep -q '"outcome" *: *"restart"' || fail "attempt 1 was not restarted: $(cat "$log")"
grep '"event" *: *"end"' "$log" | head -n 1 | grep -q "\"failed_hosts\" *: *\[\"$NETNS_CLUSTER_PREFIX-n1\"\]" \
  || fail "attempt 1: failed host is not $NETNS_CLUSTER_PREFIX-n1: $(grep '"end"' "$log" | head -n 1)"
[ "$(field start 2 workers)" = 1 ] || fail "attempt 2 did not run on 1 worker: $(grep '"start"' "$log" | tail -n 1)"
[ "$(field start 2 per_worker_batch)" = 4 ] || fail "attempt 2: per-worker batch is not 4 (global batch 4 kept)"
grep -q "global batch 4 = 4 per worker × 1" "$work/restart.out" || fail "the restarted trainer did not keep the global batch 4"
[ "$(checkpoint_step "$work/restart")" = $end ] || fail "supervised job: newest checkpoint is not step $end"
lost=$(field end 1 steps_lost)
first=$(field first_step 2 time)
[ -n "$lost" ] && [ -n "$first" ] || fail "no steps_lost or first step of attempt 2 in the log: $(cat "$log")"
downtime=$(awk -v a="$killed" -v b="$first" 'BEGIN { printf "%.1f", b - a }')
echo "node 1 killed after step 3: restarted on node 0 alone, finished at step $end; $lost step(s) lost (checkpoint every 2), ${downtime} s from the kill to the first step of the restart"
[ "$lost" -lt 2 ] || fail "$lost steps lost, more than the checkpoint interval (2)"
awk -v d="$downtime" 'BEGIN { exit !(d < 60) }' || fail "downtime ${downtime} s, over 60 s"

stage "done"
echo "test-slurm: PASS"
