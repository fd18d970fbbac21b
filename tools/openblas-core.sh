#!/bin/sh
# OpenBLAS' kernels for this CPU. ND4J ships OpenBLAS 0.3.19, which does not know Intel CPUs newer than itself
# (Sapphire Rapids and later) and then runs its slowest kernels (Prescott, SSE3 only): a float matrix product
# ran 4.6 times slower on such a Xeon (docs/development.md). On Intel CPUs with AVX-512 (or AVX2) this names the
# matching kernel family; a value already set is kept, and other CPUs are left to OpenBLAS' own detection.
#
#   openblas-core.sh              prints the family to use (nothing: leave it to OpenBLAS)
#   openblas-core.sh CMD ARGS...  runs CMD with OPENBLAS_CORETYPE set that way (the Java kernel's launcher)
core=""
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -r /proc/cpuinfo ] && grep -q -m1 GenuineIntel /proc/cpuinfo; then
  flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
  has() { case "$flags" in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
  if has avx512f && has avx512bw && has avx512dq && has avx512vl; then
    core=SkylakeX
  elif has avx2 && has fma; then
    core=Haswell
  fi
fi
if [ $# -eq 0 ]; then
  [ -z "$core" ] || echo "$core"
  exit 0
fi
if [ -n "$core" ]; then
  OPENBLAS_CORETYPE="$core"
  export OPENBLAS_CORETYPE
fi
exec "$@"
