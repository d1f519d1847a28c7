// CKernels: the element-wise and transform loops of the model (Winograd transforms, batch
// norm, activations) in C, compiled three times — portable (the target's baseline ISA),
// AVX2 and AVX-512 — from one source (kernels_body.h), with the variant chosen at run time
// from cpuid (ssdk_dispatch.c). SSD_KERNELS=portable|avx2|avx512 overrides the choice.
//
// Every variant performs the same float operations in the same order on every element
// (no FMA contraction, no cross-lane reductions), so all three give the same bits; the
// portable variant is their reference, and the Swift kernels they replace give the same
// bits as well (tested).
//
// All functions are single-threaded and work on a range of tiles, rows or input channels;
// the Swift callers split ranges over threads.
#ifndef SSD_CKERNELS_H
#define SSD_CKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

#pragma clang assume_nonnull begin

/// Instruction-set variants.
enum {
  SSDK_PORTABLE = 0,
  SSDK_AVX2 = 1,
  SSDK_AVX512 = 2,
};

/// The variant in use.
int ssdk_isa(void);
/// The widest variant this CPU (and OS) can run.
int ssdk_isa_supported(void);
/// Selects a variant; returns 0, or -1 (and changes nothing) when the CPU cannot run it.
int ssdk_set_isa(int isa);
/// "portable", "avx2+fma" or "avx512".
const char *ssdk_isa_name(int isa);
/// Non-zero when SSD_KERNELS asked for a variant this CPU cannot run (the best supported
/// one is used instead).
int ssdk_isa_request_unmet(void);

/// Activations, as Model's `Activation`: 0 none, 1 relu (max(v, 0)), 2 relu6.
enum { SSDK_ACT_NONE = 0, SSDK_ACT_RELU = 1, SSDK_ACT_RELU6 = 2 };

// ---- Winograd F(2x2, 3x3) -------------------------------------------------------------
// Tile t of a map with th x tw tiles per image is (image t / (th*tw), row, column); tiles
// [tile0, tile0 + count) are handled and tile tile0 + j is row j of each transform plane
// (planes `plane` floats apart). x/y are NHWC [N, h, w, channels].

/// V[xi][j][c] = (B^T d B)[xi] of each tile's 4x4 input patch (zero padding).
void ssdk_wino2_input(const float *x, long h, long w, long c, long th, long tw,
                      long tile0, long count, float *v, long plane);
/// y tile = A^T M A (2x2, cropped at odd edges).
void ssdk_wino2_output(const float *m, long plane, long h, long w, long k, long th, long tw,
                       long tile0, long count, float *y);
/// dM[xi][j][k] = (A dy A^T)[xi] of each tile's 2x2 output gradient (zero where cropped).
void ssdk_wino2_output_grad(const float *dy, long h, long w, long k, long th, long tw,
                            long tile0, long count, float *dm, long plane);
/// U[xi][c][k] = (G g G^T)[xi] of w [3,3,C,K], for input channels [c0, c1).
void ssdk_wino2_kernel(const float *w, long c, long k, long c0, long c1, float *u);
/// dw[i][j][c][k] += (G^T dU G)[i][j], for input channels [c0, c1).
void ssdk_wino2_kernel_grad(const float *du, long c, long k, long c0, long c1, float *dw);

// ---- Winograd F(4x4, 3x3) -------------------------------------------------------------
/// V[xi][j][c] = (B^T d B)[xi] of each tile's 6x6 input patch (zero padding).
void ssdk_wino4_input(const float *x, long h, long w, long c, long th, long tw,
                      long tile0, long count, float *v, long plane);
/// y tile = act(scale * (A^T M A) + shift) (4x4, cropped at the edges); a NULL scale is 1,
/// a NULL shift 0 (still computed as v*1 + 0).
void ssdk_wino4_output(const float *m, long plane, long h, long w, long k, long th, long tw,
                       long tile0, long count, float *y,
                       const float *_Nullable scale, const float *_Nullable shift, int act);
/// dM[xi][j][k] = (A dy A^T)[xi] of each tile's 4x4 output gradient (zero where cropped).
void ssdk_wino4_output_grad(const float *dy, long h, long w, long k, long th, long tw,
                            long tile0, long count, float *dm, long plane);
/// U[xi][c][k] = (G g G^T)[xi] of w [3,3,C,K], for input channels [c0, c1).
void ssdk_wino4_kernel(const float *w, long c, long k, long c0, long c1, float *u);
/// dw[i][j][c][k] += (G^T dU G)[i][j], for input channels [c0, c1).
void ssdk_wino4_kernel_grad(const float *du, long c, long k, long c0, long c1, float *dw);

// ---- Batch norm on [rows, c] ----------------------------------------------------------
/// out = act(x*scale + shift (+ residual)) for rows [r0, r1); residual may be NULL.
void ssdk_bn_apply(int act, const float *x, const float *_Nullable residual, float *out,
                   const float *scale, const float *shift, long r0, long r1, long c);
/// t1[i] += sum of (x - pivot), t2[i] += sum of (x - pivot)^2 over rows [r0, r1), summed in
/// float over blocks of 64 rows, each block added in double. acc: 2c floats of scratch.
void ssdk_bn_moment_sums(const float *x, const float *pivot, long r0, long r1, long c,
                         double *t1, double *t2, float *acc);
/// t1[i] += sum of dz, t2[i] += sum of dz*(x - mean), dz = dy * mask(y), blocked as above.
void ssdk_bn_backward_sums(int act, const float *dy, const float *y, const float *x, const float *mean,
                           long r0, long r1, long c, double *t1, double *t2, float *acc);
/// dx = a*dz + k*(x - mean) + b with dz = dy * mask(y), rows [r0, r1); stores dz when dz is
/// not NULL. dx may alias dy.
void ssdk_bn_backward_apply(int act, const float *dy, const float *y, const float *x, const float *mean,
                            const float *a, const float *k, const float *b, float *dx, float *_Nullable dz,
                            long r0, long r1, long c);

#pragma clang assume_nonnull end

#ifdef __cplusplus
}
#endif
#endif
