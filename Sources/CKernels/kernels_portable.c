// The portable variant of CKernels (the compiler's baseline ISA; on x86-64, SSE2): the
// reference the AVX2 and AVX-512 variants are tested against.
#define VW 4
#define SUFFIX portable
#include "kernels_body.h"
