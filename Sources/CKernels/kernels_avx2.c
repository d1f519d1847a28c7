// The AVX2 variant of CKernels: 8-lane vectors (the same source as the other variants).
#if defined(__x86_64__)
#define VW 8
#define SUFFIX avx2
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#include "kernels_body.h"
#pragma clang attribute pop
#endif
