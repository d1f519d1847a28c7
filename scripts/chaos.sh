#!/usr/bin/env bash
# Chaos run of the distributed job (issue 14): TRIALS times, start a coordinator and WORKERS
# workers under mpirun (launch/run.sh) on the small config, break one process chosen at
# random (the coordinator or a worker; SIGKILL, or SIGSTOP to simulate a hang) at a random
# moment — after a random step, often while a checkpoint is being written — and check:
#   1. the job exits non-zero within 30 s of the fault;
#   2. every checkpoint in model_dir verifies (`ssd ckpt verify`: CRCs, every variable read,
#      sizes match dtype x shape; every `.index` under a final name, committed or not);
#   3. resuming from the newest committed checkpoint (the same command again) finishes, and
#      the final checkpoint (weights, momentum, batch-norm statistics, global_step) is
#      bit-identical (SHA-256 of every variable) to an uninterrupted run at the same worker
#      count, made once at the start.
# Prints one line per trial and a summary (trials, passed, exit-time max/median, lost steps).
#
#   scripts/chaos.sh TRIALS [--workers N] [--steps N] [--seed S] [--out DIR] [--keep]
#
# Defaults: 2 workers, 10 steps, seed 1 (the faults chosen; same seed, same faults), output
# in a temporary folder removed at the end unless --keep or a trial failed. SSD_BIN picks the
# ssd binary (default: .build/release/ssd, built if missing). Exit status 1 if a trial failed.
#
# The config is configs/ssd_small_synth.config shrunk as the multi-process tests shrink it
# (64x64 input, 1 tower layer, batch 2 per worker) on ../shared/fixtures' TFRecords, with a
# checkpoint every step (--save_checkpoints_steps=1, --keep_checkpoint_max=3: writes and
# deletions all the time) and failure detection scaled to its short steps
# (--stall_timeout_secs=10, --reply_timeout_secs=20; the defaults, 300 s and 1800 s, are
# for SSD320 steps).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() { sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; }
trials=${1:-}
case "$trials" in ''|*[!0-9]*|0) usage >&2; exit 64 ;; esac
shift
workers=2 steps=10 seed=1 out="" keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --workers) workers=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "chaos.sh: unknown option '$1' (see --help)" >&2; exit 64 ;;
  esac
done
fixtures=${SSD_FIXTURES:-$root/../shared/fixtures}
fixtures=$(cd "$fixtures" && pwd)
bound=30        # seconds from the fault to the job's exit
run_limit=300   # seconds for a whole uninterrupted (or resumed) run

ssd=${SSD_BIN:-$root/.build/release/ssd}
if [ -z "${SSD_BIN:-}" ] && [ ! -x "$ssd" ]; then
  echo "chaos.sh: building $ssd (swift build -c release --product ssd)" >&2
  (cd "$root" && swift build -c release --product ssd 2>&1 | tail -n 3) >&2
fi
[ -x "$ssd" ] || { echo "chaos.sh: no ssd binary at $ssd" >&2; exit 69; }

if [ -z "$out" ]; then out=$(mktemp -d /tmp/ssd-chaos.XXXXXX); else mkdir -p "$out"; out=$(cd "$out" && pwd); fi
# shellcheck source=/dev/null
. "$root/scripts/env.sh"

config=$out/chaos.config
sed -E -e 's/height: [0-9]+/height: 64/; s/width: [0-9]+/width: 64/' \
  -e 's/num_layers_before_predictor: [0-9]+/num_layers_before_predictor: 1/' \
  -e 's/batch_size: [0-9]+/batch_size: 2/' -e "s/^  num_steps: [0-9]+/  num_steps: $steps/" \
  -e "s/total_steps: [0-9]+/total_steps: $steps/" -e 's/warmup_steps: [0-9]+/warmup_steps: 2/' \
  -e "s#input_path: \"[^\"]*train[^\"]*\"#input_path: \"$fixtures/tfrecord/synth_train.record-*\"#" \
  -e "s#input_path: \"[^\"]*val[^\"]*\"#input_path: \"$fixtures/tfrecord/synth_val.record-*\"#" \
  -e "s#label_map_path: \"[^\"]*\"#label_map_path: \"$fixtures/mscoco_label_map.pbtxt\"#" \
  "$root/configs/ssd_small_synth.config" > "$config"
flags=(--hparams_overrides=load_pretrained=false --sample_1_of_n_eval_examples=16 --seed=3 --log_every_n_steps=1
       --threads=1 --eval_batch_size=2 --save_checkpoints_steps=1 --keep_checkpoint_max=3
       --stall_timeout_secs=10 --reply_timeout_secs=20)

job_pid="" rank_pids=""
# Ends what is left of the job: mpirun's process group and every rank the banner named.
end_job() {
  [ -n "$job_pid" ] && kill -KILL -- "-$job_pid" 2>/dev/null
  for p in $rank_pids; do kill -KILL "$p" 2>/dev/null; done
  return 0
}
cleanup() { end_job; }
trap cleanup EXIT

# start MODEL_DIR LOG: the job in its own process group (kill -- -PGID reaches every rank).
start() {
  (cd "$(dirname "$2")" && SSD_BIN=$ssd THREADS_PER_RANK=1 exec setsid "$root/launch/run.sh" "$workers" "$config" "$1" \
     "${flags[@]}" >"$2" 2>&1) &
  job_pid=$!
}

# finish SECONDS: waits for the job; sets `status` to its exit status, or "timeout" (then
# ends it). Not in $(...): only this shell can wait for its child.
finish() {
  local end=$(( $(date +%s%N) + $1 * 1000000000 ))
  while kill -0 "$job_pid" 2>/dev/null && [ "$(date +%s%N)" -lt "$end" ]; do sleep 0.05; done
  if kill -0 "$job_pid" 2>/dev/null; then
    # mpirun ends its ranks on SIGTERM; then whatever is left is killed.
    for p in $rank_pids; do kill -CONT "$p" 2>/dev/null; done
    kill -TERM "$job_pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$job_pid" 2>/dev/null || break; sleep 0.1; done
    end_job
    wait "$job_pid" 2>/dev/null || true
    job_pid="" rank_pids="" status=timeout
    return
  fi
  status=0
  wait "$job_pid" || status=$?
  job_pid="" rank_pids=""
}

# Digest of the newest checkpoint of MODEL_DIR (empty if none or unreadable).
digest() { "$ssd" ckpt verify --digest-only "$1" 2>/dev/null || true; }
last_step() { grep -oE '^step [0-9]+ \|' "$1" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }

echo "chaos: $trials trials, coordinator + $workers workers, $steps steps (checkpoint every step), seed $seed; output in $out"
echo "chaos: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(date +%s)
start "$out/reference/model" "$out/reference.log"
finish "$run_limit"
reference=$(digest "$out/reference/model")
if [ "$status" != 0 ] || [ -z "$reference" ]; then
  echo "chaos: the uninterrupted reference run failed (status $status); see $out/reference.log" >&2
  tail -n 20 "$out/reference.log" >&2
  trap - EXIT; exit 1
fi
echo "chaos: reference run: $(( $(date +%s) - t0 )) s, final checkpoint sha256 $reference"

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
maximum() { printf '%s\n' "$@" | sort -g | tail -n 1; }
summary() {
  local total_lost=0 l
  for l in "${lost_all[@]}"; do total_lost=$((total_lost + l)); done
  echo "chaos summary: $1 trials, $passed passed; faults: $kills SIGKILL, $stops SIGSTOP, $during during a checkpoint write;" \
  "exit time after the fault: max $(maximum "${exit_times[@]:-}") s, median $(median "${exit_times[@]:-}") s (bound ${bound} s);" \
  "lost steps: max $(maximum "${lost_all[@]:-0}"), total $total_lost; $(( $(date +%s) - t0 )) s in all"
}
# Interrupted (e.g. a time limit): the summary of the trials done so far.
trap 'end_job; echo "chaos: interrupted after $((t - 1)) trials"; summary $((t - 1)); exit 130' INT TERM
RANDOM=$seed
misses=0 passed=0 exit_times=() lost_all=() during=0 kills=0 stops=0 failed_trials=()
for ((t = 1; t <= trials; t++)); do
  dir=$out/trial-$t
  mkdir -p "$dir"
  log=$dir/job.log
  # The fault: who, how, when.
  victim=$(( RANDOM % (workers + 1) ))            # 0 = coordinator, w + 1 = worker w
  if (( RANDOM % 3 == 0 )); then sig=STOP; else sig=KILL; fi
  after=$(( RANDOM % steps ))                      # after this step's log line (0: before training)
  mode=$(( RANDOM % 2 ))                           # 1: wait for a checkpoint write in progress
  delay_ms=$(( RANDOM % 400 ))
  start "$dir/model" "$log"
  why=""
  # Wait for the coordinator's banner (every pid) and then for step `after`.
  for _ in $(seq 1 2400); do
    grep -q '^coordinator (world rank 0, pid' "$log" 2>/dev/null && break
    kill -0 "$job_pid" 2>/dev/null || break
    sleep 0.05
  done
  banner=$(grep -m1 '^coordinator (world rank 0, pid' "$log" || true)
  rank_pids=$(echo "$banner" | grep -oE 'pid [0-9]+' | cut -d' ' -f2 | tr '\n' ' ')
  if [ -z "$banner" ]; then why="the job never started"; fi
  if [ -z "$why" ]; then
    if (( victim == 0 )); then
      pid=$(echo "$banner" | sed -E 's/^coordinator \(world rank 0, pid ([0-9]+)\).*/\1/'); who=coordinator
    else
      pid=$(echo "$banner" | grep -oE "worker $((victim - 1)) \(world rank $victim, pid [0-9]+\)" | grep -oE '[0-9]+\)$' | tr -d ')')
      who="worker $((victim - 1))"
    fi
    if (( after > 0 )); then
      for _ in $(seq 1 2400); do
        grep -q "^step $after |" "$log" && break
        kill -0 "$job_pid" 2>/dev/null || break
        sleep 0.02
      done
      grep -q "^step $after |" "$log" || why="the job never reached step $after"
    fi
  fi
  if [ -z "$why" ]; then
    moment="after step $after"
    if (( mode == 1 )); then
      # Busy-wait (bash builtins only) for a temporary checkpoint file: the write is in progress.
      caught=0 end=$(( $(date +%s) + 5 ))
      shopt -s nullglob
      while (( $(date +%s) < end )); do
        files=("$dir"/model/*.tmp-*)
        if (( ${#files[@]} > 0 )); then caught=1; break; fi
      done
      shopt -u nullglob
      if (( caught )); then moment+=", during a checkpoint write"; during=$((during + 1)); else moment+=", no write caught in 5 s"; fi
    else
      sleep "$(printf '0.%03d' "$delay_ms")"
      moment+=" + ${delay_ms} ms"
    fi
    fault_ns=$(date +%s%N)
    if ! kill -"$sig" "$pid" 2>/dev/null; then why="$who (pid $pid) had already exited"; fi
  fi
  if [ -n "$why" ]; then
    finish "$bound"
    if [ "$status" = 0 ] && (( misses < 10 )); then
      # The job was quicker than the draw (it ended before the fault): not a trial; draw again.
      misses=$((misses + 1))
      echo "trial $t/$trials: not run: the job finished before the fault ($why); drawing again"
      rm -rf "$dir"
      t=$((t - 1))
      continue
    fi
    line="trial $t/$trials: no fault injected ($why; job status $status)"
    echo "$line | FAIL"
    failed_trials+=("$t")
    continue
  fi
  [ "$sig" = KILL ] && kills=$((kills + 1)) || stops=$((stops + 1))
  finish "$bound"
  fstatus=$status
  exit_s=$(awk -v a="$fault_ns" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  # A stopped victim that outlived the job (it should not) is ended here.
  leftover=""
  if grep -q ssd "/proc/$pid/cmdline" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; leftover=" (victim outlived the job)"; fi
  problems=()
  if [ "$status" = timeout ]; then problems+=("still running ${bound} s after the fault$leftover")
  elif [ "$status" = 0 ]; then problems+=("job exited 0 after the fault")
  else exit_times+=("$exit_s"); fi
  [ -n "$leftover" ] && [ "$status" != timeout ] && problems+=("victim outlived the job")
  # Every checkpoint in model_dir verifies.
  if [ ! -d "$dir/model" ]; then
    echo "no model_dir: the job ended before it wrote anything" >"$dir/verify.txt"
  elif ! "$ssd" ckpt verify "$dir/model" >"$dir/verify.txt" 2>&1; then problems+=("checkpoint verify failed: $(grep -m1 -E 'FAILED|Error' "$dir/verify.txt")"); fi
  ncommitted=$(grep -c '(committed)' "$dir/verify.txt" || true)
  committed_step=$(grep -oE 'model\.ckpt-[0-9]+' "$dir/model/checkpoint" 2>/dev/null | head -n 1 | grep -oE '[0-9]+$' || echo 0)
  logged=$(last_step "$log")
  lost=$(( logged > committed_step ? logged - committed_step : 0 ))
  lost_all+=("$lost")
  # Resume: the same command again, to the end.
  start "$dir/model" "$dir/resume.log"
  finish "$run_limit"; rstatus=$status
  final=$(digest "$dir/model")
  if [ "$rstatus" != 0 ]; then problems+=("resumed run failed (status $rstatus)")
  elif [ "$committed_step" -gt 0 ] && ! grep -q "Resuming from" "$dir/resume.log"; then problems+=("resumed run did not resume")
  elif [ "$final" != "$reference" ]; then problems+=("final weights differ from the reference run (sha256 $final)"); fi
  line="trial $t/$trials: SIG$sig $who (pid $pid) $moment | exit $fstatus in ${exit_s} s | $ncommitted committed checkpoints verify, newest step $committed_step, lost $lost steps | resumed: "
  if [ "$rstatus" = 0 ] && [ "$final" = "$reference" ]; then line+="weights bit-identical"; else line+="status $rstatus"; fi
  if ((${#problems[@]} == 0)); then
    passed=$((passed + 1))
    echo "$line | PASS"
    [ "$keep" = 1 ] || rm -rf "$dir"
  else
    failed_trials+=("$t")
    echo "$line | FAIL: $(IFS='; '; echo "${problems[*]}")"
  fi
done

summary "$trials"
trap - EXIT INT TERM
if ((${#failed_trials[@]})); then
  echo "chaos: failed trials: ${failed_trials[*]} (logs in $out/trial-N)" >&2
  exit 1
fi
[ "$keep" = 1 ] || rm -rf "$out"
