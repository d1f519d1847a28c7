#!/usr/bin/env bash
# A real Slurm (Debian's slurmctld + slurmd, MUNGE authentication) on the netns test cluster
# (../shared/tools/netns-cluster): one private munged, slurmctld on node 0, one `slurmd -N` per
# node namespace with its own spool dir. For tests of the sbatch scripts; needs root and
# scripts/setup-slurm.sh.
#
#   scripts/slurm-cluster.sh start NODES [CPUS]   set up NODES namespaces and the daemons (CPUS per node,
#                                                 default: this machine's cores); waits until all are idle
#   scripts/slurm-cluster.sh exec CMD [ARGS...]   run CMD on node 0 (the login node) with SLURM_CONF set:
#                                                 sbatch, squeue, scancel, sinfo, scontrol, sacct is absent
#   scripts/slurm-cluster.sh node I CMD [ARGS...] run CMD on node I (e.g. kill a node's processes from inside)
#   scripts/slurm-cluster.sh revive I             start node I's slurmd again (after a test killed every process
#                                                 of the node); Slurm returns the node to service
#   scripts/slurm-cluster.sh stop                 kill every daemon and job process, remove the namespaces
#                                                 and the state dir (safe to run twice)
#
# Environment: NETNS_CLUSTER_PREFIX (required, unique per run: other sessions may run clusters at
# the same time), NETNS_CLUSTER_SUBNET (default 10.200.0), NETNS_CLUSTER_TOOLS (default
# ../shared/tools/netns-cluster beside the package), SLURM_CLUSTER_DIR (state: slurm.conf, munge
# key and socket, spool, logs; default /tmp/ssd-slurm-PREFIX), SLURMD_TIMEOUT (seconds before a
# silent node is marked DOWN, default 20).
#
# How it fits together: every node is a network namespace with its own address and host name
# (the namespace name, through a UTS namespace), so each slurmd, its slurmstepd and everything a
# job starts on that node live in that node's network; slurmctld listens on node 0. munged serves
# all of them through one Unix socket under SLURM_CLUSTER_DIR (Unix sockets are file system
# objects, shared across network namespaces). Jobs run as root (SlurmUser=root).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
[ $# -ge 1 ] || usage
cmd=$1; shift

prefix=${NETNS_CLUSTER_PREFIX:-}
[ -n "$prefix" ] && [ "$prefix" != mpic ] || { echo "slurm-cluster: set a unique NETNS_CLUSTER_PREFIX (other sessions may run clusters too)" >&2; exit 64; }
export NETNS_CLUSTER_PREFIX=$prefix NETNS_CLUSTER_SUBNET=${NETNS_CLUSTER_SUBNET:-10.200.0}
tools=${NETNS_CLUSTER_TOOLS:-$(cd "$root/.." && pwd)/shared/tools/netns-cluster}
dir=${SLURM_CLUSTER_DIR:-/tmp/ssd-slurm-$prefix}
conf=$dir/slurm.conf
subnet=$NETNS_CLUSTER_SUBNET

node_name() { echo "$prefix-n$1"; }
on_node() {  # I CMD...: CMD inside node I with this cluster's SLURM_CONF
  local i=$1; shift
  "$tools/node-exec.sh" "$i" env SLURM_CONF="$conf" "$@"
}

stop() {
  # Daemons first, by their pid files (they are ours), then everything left in the namespaces.
  local f p
  for f in "$dir"/run/slurmd-*.pid "$dir"/run/slurmctld.pid "$dir"/munge/munged.pid; do
    [ -f "$f" ] || continue
    p=$(cat "$f" 2>/dev/null || true)
    [ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true
  done
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    local alive=0
    for f in "$dir"/run/slurmd-*.pid "$dir"/run/slurmctld.pid "$dir"/munge/munged.pid; do
      [ -f "$f" ] && p=$(cat "$f" 2>/dev/null) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null && alive=1
    done
    [ $alive = 0 ] && break
    sleep 0.5
  done
  for f in "$dir"/run/slurmd-*.pid "$dir"/run/slurmctld.pid "$dir"/munge/munged.pid; do
    [ -f "$f" ] && p=$(cat "$f" 2>/dev/null) && [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true
  done
  if [ -x "$tools/teardown.sh" ]; then "$tools/teardown.sh" -f >/dev/null 2>&1 || "$tools/teardown.sh" -f || true; fi
  rm -rf "$dir"
  echo "slurm-cluster '$prefix': stopped"
}

write_conf() {  # NODES CPUS
  local n=$1 cpus=$2 i
  cat > "$conf" <<EOF
# Written by scripts/slurm-cluster.sh for the netns test cluster '$prefix'.
ClusterName=ssd${prefix//[^a-z0-9]/}
SlurmctldHost=$(node_name 0)($subnet.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket.2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
PlugStackConfig=$dir/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SlurmdParameters=config_overrides
ReturnToService=2
SlurmdTimeout=${SLURMD_TIMEOUT:-20}
SlurmctldTimeout=30
MessageTimeout=10
InactiveLimit=0
KillWait=30
MinJobAge=300
SchedulerParameters=bf_interval=2
EOF
  for ((i = 0; i < n; i++)); do
    echo "NodeName=$(node_name "$i") NodeAddr=$subnet.$((i + 1)) CPUs=$cpus State=UNKNOWN" >> "$conf"
  done
  echo "PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP" >> "$conf"
}

start() {
  local n=${1:?usage: slurm-cluster.sh start NODES [CPUS]} cpus=${2:-$(nproc)} i
  [ "$(id -u)" -eq 0 ] || { echo "slurm-cluster: needs root (network namespaces, munged as the munge user)" >&2; exit 77; }
  for c in slurmctld slurmd munged sbatch; do
    command -v "$c" >/dev/null || { echo "slurm-cluster: $c missing: run scripts/setup-slurm.sh" >&2; exit 69; }
  done
  id munge >/dev/null 2>&1 || { echo "slurm-cluster: no munge user: run scripts/setup-slurm.sh" >&2; exit 69; }
  [ -x "$tools/setup.sh" ] || { echo "slurm-cluster: netns tools not found at $tools (set NETNS_CLUSTER_TOOLS)" >&2; exit 69; }
  [ ! -e "$dir" ] || { echo "slurm-cluster: $dir exists: another cluster with prefix '$prefix'? (stop it first)" >&2; exit 73; }
  mkdir -p "$dir"/{state,spool,run,log,munge}
  chmod 755 "$dir"   # munged (user munge) must reach its socket directory
  : > "$dir/plugstack.conf"
  # `ip netns exec` mounts a fresh /sys without the cgroup file systems, so slurmd's cgroup
  # autodetection fails there; naming the v1 plugin skips it (proctrack/linuxproc and task/none
  # never create a cgroup).
  echo "CgroupPlugin=cgroup/v1" > "$dir/cgroup.conf"
  "$tools/setup.sh" "$n" >/dev/null

  # munged: private key, socket, pid, log and seed files; all owned by munge.
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chown -R munge:munge "$dir/munge"
  # Execute permission for all on the socket's directory: Slurm (root here) connects to it.
  chmod 711 "$dir/munge"; chmod 600 "$dir/munge/munge.key"
  runuser -u munge -- munged --socket="$dir/munge/munge.socket.2" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed"

  write_conf "$n" "$cpus"
  on_node 0 slurmctld -i
  for ((i = 0; i < n; i++)); do
    mkdir -p "$dir/spool/$(node_name "$i")"
    on_node "$i" slurmd -N "$(node_name "$i")"
  done
  # Ready when every node is idle.
  local deadline=$((SECONDS + 60)) states=""
  while [ $SECONDS -lt $deadline ]; do
    states=$(on_node 0 sinfo -h -N -o '%N %t' 2>/dev/null || true)
    if [ "$(echo "$states" | grep -c ' idle$' || true)" -eq "$n" ]; then
      echo "slurm-cluster '$prefix': $n node(s) idle ($(node_name 0)..$(node_name $((n - 1))), $cpus CPUs each); SLURM_CONF=$conf"
      return 0
    fi
    sleep 0.5
  done
  echo "slurm-cluster: nodes not idle after 60 s:" >&2
  echo "$states" >&2
  tail -n 20 "$dir"/log/*.log >&2 || true
  return 1
}

case "$cmd" in
  start) start "$@" ;;
  stop) stop ;;
  exec) [ $# -ge 1 ] || usage; on_node 0 "$@" ;;
  node) [ $# -ge 2 ] || usage; i=$1; shift; on_node "$i" "$@" ;;
  revive)
    [ $# -eq 1 ] || usage
    on_node "$1" slurmd -N "$(node_name "$1")"
    on_node 0 scontrol update NodeName="$(node_name "$1")" State=RESUME 2>/dev/null || true ;;
  *) usage ;;
esac
