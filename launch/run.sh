#!/usr/bin/env bash
# Runs one distributed job: `mpirun -np 1 ssd coordinator ARGS : -np WORKERS ssd worker ARGS`
# (one MPI world; rank 0 coordinates, ranks 1..WORKERS train with a ring all-reduce).
#
#   launch/run.sh WORKERS PIPELINE_CONFIG MODEL_DIR [ssd train flags...]
#   launch/run.sh WORKERS PIPELINE_CONFIG MODEL_DIR --max_restarts N [--min_workers M] [flags...]
#
# With --max_restarts (or --min_workers, --keep_per_worker_batch) the job runs under `ssd supervise`,
# which restarts it from the newest checkpoint without the hosts that failed (docs/distributed.md).
#
# Environment:
#   SSD_BIN             the ssd binary (default: .build/release/ssd, else .build/debug/ssd)
#   THREADS_PER_RANK    OPENBLAS_NUM_THREADS of each worker (default: cores / workers, at least 1)
#   HOSTFILE            Open MPI hostfile for a multi-node job (default: this machine only)
#   OVERSUBSCRIBE       1 to allow more ranks than slots (default: 1 when no HOSTFILE is given)
#   MPIRUN_MAP          mpirun --map-by policy (e.g. ppr:1:node; default: Open MPI's)
#   MPIRUN_BIND         mpirun --bind-to policy (default: none)
#   MPIRUN_EXTRA        extra mpirun arguments (word-split)
#   MPIRUN              the mpirun to run (default: mpirun; e.g. a wrapper that starts it elsewhere,
#                       like the netns test cluster's cluster-mpirun.sh)
#   DRY_RUN             1 to print the mpirun line without running it
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
if [ $# -lt 3 ]; then
  sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 64
fi
workers=$1 config=$2 model_dir=$3
shift 3
case "$workers" in ''|*[!0-9]*|0) echo "launch/run.sh: WORKERS must be a positive integer, got '$workers'" >&2; exit 64 ;; esac
[ -f "$config" ] || { echo "launch/run.sh: pipeline config '$config' not found" >&2; exit 66; }

# Signals blocked by whoever started this script (e.g. a program that starts it from a thread
# that blocks them) would stay blocked in mpirun too, so that no stop signal could reach the
# ranks (below): start again with none blocked (perl-base is part of every Debian system).
blocked=$(awk '/^SigBlk:/ { print $2 }' "/proc/$$/status" 2>/dev/null || true)
if [ -n "$blocked" ] && (( 0x$blocked & 0x4203 )) && [ -z "${SSD_RUN_UNBLOCKED:-}" ] && command -v perl >/dev/null; then
  SSD_RUN_UNBLOCKED=1 exec perl -MPOSIX -e 'sigprocmask(SIG_SETMASK, POSIX::SigSet->new) or die "sigprocmask: $!"; exec { $ARGV[0] } @ARGV or die "exec: $!"' \
    -- "$0" "$workers" "$config" "$model_dir" "$@"
fi

# shellcheck source=/dev/null
. "$root/scripts/env.sh"   # OPENBLAS_CORETYPE for this CPU; Open MPI's run-as-root variables

bin=${SSD_BIN:-}
if [ -z "$bin" ]; then
  for b in "$root/.build/release/ssd" "$root/.build/debug/ssd"; do
    if [ -x "$b" ]; then bin=$b; break; fi
  done
fi
[ -n "$bin" ] && [ -x "$bin" ] || { echo "launch/run.sh: no ssd binary; run 'swift build -c release' or set SSD_BIN" >&2; exit 69; }

# Supervised (automatic restart): ssd supervise runs this script once per attempt, without these flags.
if [ -z "${SSD_SUPERVISED:-}" ]; then
  for a in "$@"; do
    case "$a" in
      --max_restarts|--max_restarts=*|--min_workers|--min_workers=*|--keep_per_worker_batch|--keep_per_worker_batch=*)
        [ "${DRY_RUN:-0}" = 1 ] && { printf '%q ' "$bin" supervise --launcher "$here/run.sh" "$workers" "$config" "$model_dir" "$@"; echo; exit 0; }
        exec "$bin" supervise --launcher "$here/run.sh" "$workers" "$config" "$model_dir" "$@" ;;
    esac
  done
fi

cores=$(nproc 2>/dev/null || echo 1)
threads=${THREADS_PER_RANK:-$(( cores / workers > 0 ? cores / workers : 1 ))}

mpi=("${MPIRUN:-mpirun}")
[ "$(id -u)" -eq 0 ] && mpi+=(--allow-run-as-root)
if [ -n "${HOSTFILE:-}" ]; then
  mpi+=(--hostfile "$HOSTFILE")
  [ "${OVERSUBSCRIBE:-0}" = 1 ] && mpi+=(--oversubscribe)
else
  [ "${OVERSUBSCRIBE:-1}" = 1 ] && mpi+=(--oversubscribe)
fi
mpi+=(
  --bind-to "${MPIRUN_BIND:-none}"
  # Waiting ranks yield the core (more ranks than cores on small machines).
  --mca mpi_yield_when_idle 1
  # A node that stops answering (cut link, dead host) is noticed in ~10 s, not minutes.
  --mca oob_tcp_keepalive_time 5 --mca oob_tcp_keepalive_intvl 2 --mca oob_tcp_keepalive_probes 3
  # The remote daemons start with SIGTERM/SIGINT/SIGHUP blocked too (see Signals below).
  --mca orte_launch_agent "env --block-signal=TERM --block-signal=INT --block-signal=HUP orted"
)
# The ranks' environment, given to each app context: Open MPI applies `-x NAME=VALUE` only to
# the app context it precedes (placed before the coordinator's, the workers ran OpenBLAS with
# a thread per core: 2 workers on 2 cores ran 4 GEMM threads yielding to each other).
rank_env=(-x OPENBLAS_NUM_THREADS="$threads")
[ -n "${OPENBLAS_CORETYPE:-}" ] && rank_env+=(-x OPENBLAS_CORETYPE="$OPENBLAS_CORETYPE")
[ -n "${MPIRUN_MAP:-}" ] && mpi+=(--map-by "$MPIRUN_MAP")
# shellcheck disable=SC2206
[ -n "${MPIRUN_EXTRA:-}" ] && mpi+=($MPIRUN_EXTRA)

args=(--pipeline_config_path "$config" --model_dir "$model_dir" "$@")
cmd=("${mpi[@]}"
  -np 1 "${rank_env[@]}" "$bin" coordinator "${args[@]}"
  : -np "$workers" "${rank_env[@]}" "$bin" worker "${args[@]}")

printf '%q ' "${cmd[@]}"; echo
[ "${DRY_RUN:-0}" = 1 ] && exit 0

# Signals. Open MPI cannot forward SIGTERM, SIGINT or SIGHUP: on any of them mpirun and its
# daemons kill the ranks (SIGCONT, 1 s, SIGTERM, 1 s, SIGKILL), too soon for a checkpoint. So
# mpirun and its remote daemons (orte_launch_agent) start with those three blocked, and this
# script stays mpirun's parent and turns every SIGTERM, SIGINT, SIGHUP and SIGUSR1 it gets into a
# SIGUSR1 for mpirun, which forwards it to every rank: the trainer finishes its step, writes a
# checkpoint and stops; a second signal aborts at once (docs/distributed.md). A signal that
# reaches the ranks directly (Slurm signals every process of a job) works the same way; one sent
# to mpirun itself stays pending there, and this script, seeing it, forwards a SIGUSR1 too.
# mpirun runs in its own session, so a terminal's Ctrl-C reaches only this script; it is killed
# if this script is (SIGKILL included), as when this script exec'd it.
wrap=(setsid)
setpriv --help 2>/dev/null | grep -q -- --pdeathsig && wrap+=(setpriv --pdeathsig KILL --)
wrap+=(env --block-signal=TERM --block-signal=INT --block-signal=HUP)
"${wrap[@]}" "${cmd[@]}" &
pid=$!
# One stop request, one SIGUSR1. Slurm signals this script, mpirun and the ranks at once (scancel,
# preemption, a time limit), and a signal pending at mpirun shows only at the next tick below; a
# copy forwarded late (a loaded machine: CI saw it) would reach the ranks more than 2 s after the
# first signal and abort them without a checkpoint. So a signal here is merged into one forwarded
# less than 2 s before (a later one is the deliberate second signal, forwarded: the ranks abort),
# and a signal pending at mpirun into one forwarded less than 10 s before.
last_forward=-100000000
forward() {  # MERGE_SECONDS
  local now=${EPOCHREALTIME//[!0-9]/}
  now=${now:-${SECONDS}000000}
  (( now - last_forward < $1 * 1000000 )) && return 0
  last_forward=$now
  kill -USR1 "$pid" 2>/dev/null || true
}
trap 'forward 2' TERM INT HUP USR1
# A parent that started this script with signals blocked (bash cannot unblock them; e.g. a
# program's thread that blocks them) leaves them pending here instead of trapped: seen the same way.
seen_pending=0 seen_own=0
while kill -0 "$pid" 2>/dev/null; do
  sleep 1 & tick=$!
  wait "$tick" 2>/dev/null || true   # returns at once when a trapped signal arrives
  kill "$tick" 2>/dev/null || true
  # SIGHUP, SIGINT or SIGTERM pending at mpirun (bits 0, 1, 14 of ShdPnd): sent to mpirun itself.
  pending=$(awk '/^ShdPnd:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
  if [ "$seen_pending" = 0 ] && [ -n "$pending" ] && (( 0x$pending & 0x4003 )); then
    seen_pending=1
    forward 10
  fi
  # SIGHUP, SIGINT, SIGUSR1 or SIGTERM pending (blocked) at this script.
  own=$(awk '/^ShdPnd:/ { print $2 }' "/proc/$$/status" 2>/dev/null || true)
  if [ "$seen_own" = 0 ] && [ -n "$own" ] && (( 0x$own & 0x4203 )); then
    seen_own=1
    forward 2
  fi
done
status=0
wait "$pid" || status=$?
exit "$status"
