// Run-time choice of the CKernels variant: a table of function pointers filled once from
// cpuid (and XGETBV: the OS must save the wider registers), overridable with
// SSD_KERNELS=portable|avx2|avx512 (tests use it and ssdk_set_isa to run each variant
// the CPU supports).
#include "CKernels.h"
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

#define DECLARE(S)                                                                                        \
  void ssdk_wino2_input_##S(const float *, long, long, long, long, long, long, long, float *, long);    \
  void ssdk_wino2_output_##S(const float *, long, long, long, long, long, long, long, long, float *);   \
  void ssdk_wino2_output_grad_##S(const float *, long, long, long, long, long, long, long, float *, long); \
  void ssdk_wino2_kernel_##S(const float *, long, long, long, long, float *);                           \
  void ssdk_wino2_kernel_grad_##S(const float *, long, long, long, long, float *);                      \
  void ssdk_wino4_input_##S(const float *, long, long, long, long, long, long, long, float *, long);    \
  void ssdk_wino4_output_##S(const float *, long, long, long, long, long, long, long, long, float *,    \
                             const float *, const float *, int);                                        \
  void ssdk_wino4_output_grad_##S(const float *, long, long, long, long, long, long, long, float *, long); \
  void ssdk_wino4_kernel_##S(const float *, long, long, long, long, float *);                           \
  void ssdk_wino4_kernel_grad_##S(const float *, long, long, long, long, float *);                      \
  void ssdk_bn_apply_##S(int, const float *, const float *, float *, const float *, const float *,      \
                         long, long, long);                                                             \
  void ssdk_bn_moment_sums_##S(const float *, const float *, long, long, long, double *, double *,      \
                               float *);                                                                \
  void ssdk_bn_backward_sums_##S(int, const float *, const float *, const float *, const float *, long, \
                                 long, long, double *, double *, float *);                              \
  void ssdk_bn_backward_apply_##S(int, const float *, const float *, const float *, const float *,      \
                                  const float *, const float *, const float *, float *, float *, long,  \
                                  long, long);

DECLARE(portable)
#if defined(__x86_64__)
DECLARE(avx2)
DECLARE(avx512)
#endif

typedef struct {
  void (*wino2_input)(const float *, long, long, long, long, long, long, long, float *, long);
  void (*wino2_output)(const float *, long, long, long, long, long, long, long, long, float *);
  void (*wino2_output_grad)(const float *, long, long, long, long, long, long, long, float *, long);
  void (*wino2_kernel)(const float *, long, long, long, long, float *);
  void (*wino2_kernel_grad)(const float *, long, long, long, long, float *);
  void (*wino4_input)(const float *, long, long, long, long, long, long, long, float *, long);
  void (*wino4_output)(const float *, long, long, long, long, long, long, long, long, float *,
                       const float *, const float *, int);
  void (*wino4_output_grad)(const float *, long, long, long, long, long, long, long, float *, long);
  void (*wino4_kernel)(const float *, long, long, long, long, float *);
  void (*wino4_kernel_grad)(const float *, long, long, long, long, float *);
  void (*bn_apply)(int, const float *, const float *, float *, const float *, const float *, long, long, long);
  void (*bn_moment_sums)(const float *, const float *, long, long, long, double *, double *, float *);
  void (*bn_backward_sums)(int, const float *, const float *, const float *, const float *, long, long, long,
                           double *, double *, float *);
  void (*bn_backward_apply)(int, const float *, const float *, const float *, const float *, const float *,
                            const float *, const float *, float *, float *, long, long, long);
} ssdk_table;

#define TABLE(S)                                                                                     \
  {ssdk_wino2_input_##S,  ssdk_wino2_output_##S,     ssdk_wino2_output_grad_##S, ssdk_wino2_kernel_##S, \
   ssdk_wino2_kernel_grad_##S, ssdk_wino4_input_##S, ssdk_wino4_output_##S,     ssdk_wino4_output_grad_##S, \
   ssdk_wino4_kernel_##S, ssdk_wino4_kernel_grad_##S, ssdk_bn_apply_##S,      ssdk_bn_moment_sums_##S,    \
   ssdk_bn_backward_sums_##S, ssdk_bn_backward_apply_##S}

static const ssdk_table tables[3] = {
  TABLE(portable),
#if defined(__x86_64__)
  TABLE(avx2),
  TABLE(avx512),
#else
  TABLE(portable),
  TABLE(portable),
#endif
};

static int supported = -1, current = -1, unmet = 0;

/// The widest variant the CPU and OS support.
static int detect(void) {
#if defined(__x86_64__)
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return SSDK_PORTABLE;
  int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
  if (!osxsave || !avx) return SSDK_PORTABLE;
  unsigned xlo, xhi;
  __asm__ volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0));
  if ((xlo & 0x6) != 0x6) return SSDK_PORTABLE;  // XMM and YMM state
  if (__get_cpuid_max(0, 0) < 7) return SSDK_PORTABLE;
  __cpuid_count(7, 0, a, b, c, d);
  int avx2 = (b >> 5) & 1;
  int avx512 = ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1);  // F, DQ, BW, VL
  if (avx512 && (xlo & 0xE6) == 0xE6) return SSDK_AVX512;  // opmask, ZMM_Hi256, Hi16_ZMM state
  if (avx2) return SSDK_AVX2;
#endif
  return SSDK_PORTABLE;
}

static void init(void) {
  if (current >= 0) return;
  supported = detect();
  int want = supported;
  const char *env = getenv("SSD_KERNELS");
  if (env && *env) {
    int asked = -1;
    if (!strcmp(env, "portable")) asked = SSDK_PORTABLE;
    else if (!strcmp(env, "avx2")) asked = SSDK_AVX2;
    else if (!strcmp(env, "avx512")) asked = SSDK_AVX512;
    if (asked < 0 || asked > supported) unmet = 1;
    else want = asked;
  }
  current = want;
}

static inline const ssdk_table *T(void) {
  if (current < 0) init();
  return &tables[current];
}

int ssdk_isa(void) { T(); return current; }
int ssdk_isa_supported(void) { T(); return supported; }
int ssdk_isa_request_unmet(void) { T(); return unmet; }

int ssdk_set_isa(int isa) {
  T();
  if (isa < SSDK_PORTABLE || isa > supported) return -1;
  current = isa;
  return 0;
}

const char *ssdk_isa_name(int isa) {
  switch (isa) {
  case SSDK_AVX2: return "avx2";
  case SSDK_AVX512: return "avx512";
  default: return "portable";
  }
}

void ssdk_wino2_input(const float *x, long h, long w, long c, long th, long tw, long tile0, long count, float *v,
                      long plane) {
  T()->wino2_input(x, h, w, c, th, tw, tile0, count, v, plane);
}
void ssdk_wino2_output(const float *m, long plane, long h, long w, long k, long th, long tw, long tile0, long count,
                       float *y) {
  T()->wino2_output(m, plane, h, w, k, th, tw, tile0, count, y);
}
void ssdk_wino2_output_grad(const float *dy, long h, long w, long k, long th, long tw, long tile0, long count,
                            float *dm, long plane) {
  T()->wino2_output_grad(dy, h, w, k, th, tw, tile0, count, dm, plane);
}
void ssdk_wino2_kernel(const float *w, long c, long k, long c0, long c1, float *u) {
  T()->wino2_kernel(w, c, k, c0, c1, u);
}
void ssdk_wino2_kernel_grad(const float *du, long c, long k, long c0, long c1, float *dw) {
  T()->wino2_kernel_grad(du, c, k, c0, c1, dw);
}
void ssdk_wino4_input(const float *x, long h, long w, long c, long th, long tw, long tile0, long count, float *v,
                      long plane) {
  T()->wino4_input(x, h, w, c, th, tw, tile0, count, v, plane);
}
void ssdk_wino4_output(const float *m, long plane, long h, long w, long k, long th, long tw, long tile0, long count,
                       float *y, const float *scale, const float *shift, int act) {
  T()->wino4_output(m, plane, h, w, k, th, tw, tile0, count, y, scale, shift, act);
}
void ssdk_wino4_output_grad(const float *dy, long h, long w, long k, long th, long tw, long tile0, long count,
                            float *dm, long plane) {
  T()->wino4_output_grad(dy, h, w, k, th, tw, tile0, count, dm, plane);
}
void ssdk_wino4_kernel(const float *w, long c, long k, long c0, long c1, float *u) {
  T()->wino4_kernel(w, c, k, c0, c1, u);
}
void ssdk_wino4_kernel_grad(const float *du, long c, long k, long c0, long c1, float *dw) {
  T()->wino4_kernel_grad(du, c, k, c0, c1, dw);
}
void ssdk_bn_apply(int act, const float *x, const float *residual, float *out, const float *scale,
                   const float *shift, long r0, long r1, long c) {
  T()->bn_apply(act, x, residual, out, scale, shift, r0, r1, c);
}
void ssdk_bn_moment_sums(const float *x, const float *pivot, long r0, long r1, long c, double *t1, double *t2,
                         float *acc) {
  T()->bn_moment_sums(x, pivot, r0, r1, c, t1, t2, acc);
}
void ssdk_bn_backward_sums(int act, const float *dy, const float *y, const float *x, const float *mean, long r0,
                           long r1, long c, double *t1, double *t2, float *acc) {
  T()->bn_backward_sums(act, dy, y, x, mean, r0, r1, c, t1, t2, acc);
}
void ssdk_bn_backward_apply(int act, const float *dy, const float *y, const float *x, const float *mean,
                            const float *a, const float *k, const float *b, float *dx, float *dz, long r0, long r1,
                            long c) {
  T()->bn_backward_apply(act, dy, y, x, mean, a, k, b, dx, dz, r0, r1, c);
}
