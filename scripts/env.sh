# Sourced by the project's scripts: settings every process of ours should run with.
# OpenBLAS picks its GEMM kernel when it loads; Debian's 0.3.21 falls back to a slow SSE3
# kernel on CPUs newer than its tables. The `ssd` binary fixes that itself (re-exec, see
# Sources/ssd/StartupEnvironment.swift); test binaries and mpirun-launched ranks get it
# from here.
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -q -m1 -w avx512f /proc/cpuinfo 2>/dev/null && grep -q -m1 -w avx512bw /proc/cpuinfo; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif grep -q -m1 -w avx2 /proc/cpuinfo 2>/dev/null; then
    export OPENBLAS_CORETYPE=Haswell
  fi
fi
# Activations are tens of MB; glibc maps each fresh and the kernel faults it in 4 KiB
# pages unless glibc asks for transparent huge pages (madvise), which this tunable makes
# it do (about 10% on SSD320 inference at batch 8). `ssd` adds it itself when missing.
case "${GLIBC_TUNABLES:-}" in
  *glibc.malloc.hugetlb*) ;;
  *) if [ -r /sys/kernel/mm/transparent_hugepage/enabled ] && ! grep -q '\[never\]' /sys/kernel/mm/transparent_hugepage/enabled; then
       export GLIBC_TUNABLES="${GLIBC_TUNABLES:+$GLIBC_TUNABLES:}glibc.malloc.hugetlb=1"
     fi ;;
esac
# Open MPI as root (containers, CI) needs these two.
if [ "$(id -u)" -eq 0 ]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
