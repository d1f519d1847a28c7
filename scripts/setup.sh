#!/usr/bin/env bash
# Installs what swift-ssd needs from Debian's archive (idempotent) and checks the toolchain.
# Usage: scripts/setup.sh        (run as root, or with sudo available)
set -euo pipefail

packages=(libopenblas-dev libopenmpi-dev openmpi-bin libprotobuf-c-dev protobuf-c-compiler
          libturbojpeg0-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6.x toolchain needed)" >&2; exit 1; }
command -v mpirun >/dev/null || { echo "setup: mpirun missing after install" >&2; exit 1; }
echo "setup: Debian packages present; $(swift --version 2>&1 | head -1)" >&2
