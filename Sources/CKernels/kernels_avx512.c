// The AVX-512 variant of CKernels: 16-lane vectors (the same source as the other variants).
#if defined(__x86_64__)
#define VW 16
#define SUFFIX avx512
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512vl,avx512bw,avx2"))), apply_to = function)
#include "kernels_body.h"
#pragma clang attribute pop
#endif
