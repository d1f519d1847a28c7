#!/usr/bin/env bash
# Optional: installs Debian's Slurm (slurmctld, slurmd, slurm-client) and MUNGE, which
# scripts/slurm-cluster.sh starts on the netns test cluster (idempotent; not needed to build
# or use swift-ssd). Package services are not started: the test scripts run their own daemons.
# Usage: scripts/setup-slurm.sh        (run as root, or with sudo available)
set -euo pipefail

packages=(slurmctld slurmd slurm-client munge)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup-slurm: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for c in slurmctld slurmd sbatch squeue scancel scontrol munged; do
  command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] || { echo "setup-slurm: $c missing after install" >&2; exit 1; }
done
echo "setup-slurm: slurm $(dpkg-query -W -f='${Version}' slurmctld), munge $(dpkg-query -W -f='${Version}' munge) present" >&2
