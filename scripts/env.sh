# Sourced by the project's scripts: settings every process of ours should run with.
# OpenBLAS picks its GEMM kernel when it loads; Debian's 0.3.21 falls back to a slow SSE3
# kernel on CPUs newer than its tables. The `ssd` binary fixes that itself (re-exec);
# test binaries and mpirun-launched ranks get it from here.
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -q -m1 -w avx512f /proc/cpuinfo 2>/dev/null && grep -q -m1 -w avx512bw /proc/cpuinfo; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif grep -q -m1 -w avx2 /proc/cpuinfo 2>/dev/null; then
    export OPENBLAS_CORETYPE=Haswell
  fi
fi
# Open MPI as root (containers, CI) needs these two.
if [ "$(id -u)" -eq 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
