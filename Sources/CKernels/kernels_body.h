// The kernels of CKernels.h, written once over a vector of VW floats (clang's
// ext_vector_type) and included by kernels_portable.c (VW 4, baseline ISA),
// kernels_avx2.c (VW 8, AVX2) and kernels_avx512.c (VW 16, AVX-512F), which define VW
// and SUFFIX. Channel counts that are not a multiple of VW end in one partial vector
// (zero-filled lanes, only the valid lanes stored).
//
// Every lane sees the same operations in the same order in every variant, and the same as
// the Swift kernels these replace (Winograd.swift, WinogradF4.swift, BatchNormKernels.swift):
// no FMA contraction (the pragma below), no reassociation, sums across rows kept per lane.
#pragma clang fp contract(off)

#include <stdlib.h>
#include <string.h>

#define SSDK_CAT2(a, b) ssdk_##a##_##b
#define SSDK_CAT(a, b) SSDK_CAT2(a, b)
#define FN(name) SSDK_CAT(name, SUFFIX)
#define INLINE static inline __attribute__((always_inline))

typedef float vf __attribute__((ext_vector_type(VW)));
typedef float vfu __attribute__((ext_vector_type(VW), aligned(4)));
typedef int vi __attribute__((ext_vector_type(VW)));

INLINE vf splat(float s) { return (vf)s; }

/// n (1...VW) floats at p; lanes past n are 0.
INLINE vf ldv(const float *p, long n) {
  if (n == VW) return *(const vfu *)p;
  vf v = splat(0);
  for (long i = 0; i < n; i++) v[i] = p[i];
  return v;
}

INLINE void stv(float *p, vf v, long n) {
  if (n == VW) {
    *(vfu *)p = v;
  } else {
    for (long i = 0; i < n; i++) p[i] = v[i];
  }
}

/// m ? a : b, lane by lane (m from a comparison: all ones or zero).
INLINE vf sel(vi m, vf a, vf b) { return (vf)(((vi)a & m) | ((vi)b & ~m)); }

INLINE long lmin(long a, long b) { return a < b ? a : b; }

/// Zero-filled floats for padded taps and cropped tiles (freed by the caller).
INLINE float *zeros_for(long n) { return (float *)calloc((size_t)(n + VW), sizeof(float)); }

// ---- Winograd F(2x2, 3x3) -------------------------------------------------------------

INLINE void wino2_in_tile(const float *const *s, long ch, float *o, long plane, long n) {
  vf d00 = ldv(s[0] + ch, n), d01 = ldv(s[1] + ch, n), d02 = ldv(s[2] + ch, n), d03 = ldv(s[3] + ch, n);
  vf d10 = ldv(s[4] + ch, n), d11 = ldv(s[5] + ch, n), d12 = ldv(s[6] + ch, n), d13 = ldv(s[7] + ch, n);
  vf d20 = ldv(s[8] + ch, n), d21 = ldv(s[9] + ch, n), d22 = ldv(s[10] + ch, n), d23 = ldv(s[11] + ch, n);
  vf d30 = ldv(s[12] + ch, n), d31 = ldv(s[13] + ch, n), d32 = ldv(s[14] + ch, n), d33 = ldv(s[15] + ch, n);
  // B^T d (rows).
  vf r00 = d00 - d20, r01 = d01 - d21, r02 = d02 - d22, r03 = d03 - d23;
  vf r10 = d10 + d20, r11 = d11 + d21, r12 = d12 + d22, r13 = d13 + d23;
  vf r20 = d20 - d10, r21 = d21 - d11, r22 = d22 - d12, r23 = d23 - d13;
  vf r30 = d10 - d30, r31 = d11 - d31, r32 = d12 - d32, r33 = d13 - d33;
  // (B^T d) B (columns).
  stv(o, r00 - r02, n); stv(o + plane, r01 + r02, n); stv(o + 2 * plane, r02 - r01, n); stv(o + 3 * plane, r01 - r03, n);
  stv(o + 4 * plane, r10 - r12, n); stv(o + 5 * plane, r11 + r12, n);
  stv(o + 6 * plane, r12 - r11, n); stv(o + 7 * plane, r11 - r13, n);
  stv(o + 8 * plane, r20 - r22, n); stv(o + 9 * plane, r21 + r22, n);
  stv(o + 10 * plane, r22 - r21, n); stv(o + 11 * plane, r21 - r23, n);
  stv(o + 12 * plane, r30 - r32, n); stv(o + 13 * plane, r31 + r32, n);
  stv(o + 14 * plane, r32 - r31, n); stv(o + 15 * plane, r31 - r33, n);
}

/// Points src[n*a + b] at pixel (step*ty - 1 + a, step*tx - 1 + b) of image img, or at zeros.
INLINE void gather_patch(const float **src, long n, long step, long img, long ty, long tx,
                         const float *x, long h, long w, long c, const float *zeros) {
  for (long a = 0; a < n; a++) {
    long iy = step * ty - 1 + a;
    for (long b = 0; b < n; b++) {
      long ix = step * tx - 1 + b;
      src[n * a + b] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? x + ((img * h + iy) * w + ix) * c : zeros;
    }
  }
}

void FN(wino2_input)(const float *x, long h, long w, long c, long th, long tw,
                     long tile0, long count, float *v, long plane) {
  float *zeros = zeros_for(c);
  const float *src[16];
  for (long j = 0; j < count; j++) {
    long t = tile0 + j, img = t / (th * tw), rem = t % (th * tw);
    gather_patch(src, 4, 2, img, rem / tw, rem % tw, x, h, w, c, zeros);
    float *out = v + j * c;
    for (long ch = 0; ch < c; ch += VW) wino2_in_tile(src, ch, out + ch, plane, lmin(VW, c - ch));
  }
  free(zeros);
}

void FN(wino2_output)(const float *m, long plane, long h, long w, long k, long th, long tw,
                      long tile0, long count, float *y) {
  float *spare = zeros_for(3 * k);  // sink for cropped outputs
  for (long j = 0; j < count; j++) {
    long t = tile0 + j, img = t / (th * tw), rem = t % (th * tw);
    long oy = 2 * (rem / tw), ox = 2 * (rem % tw);
    int row1 = oy + 1 < h, col1 = ox + 1 < w;
    float *y00 = y + ((img * h + oy) * w + ox) * k;
    float *y01 = col1 ? y00 + k : spare;
    float *y10 = row1 ? y00 + w * k : spare + k;
    float *y11 = row1 && col1 ? y00 + (w + 1) * k : spare + 2 * k;
    const float *p = m + j * k;
    for (long kk = 0; kk < k; kk += VW) {
      long n = lmin(VW, k - kk);
      const float *q = p + kk;
      vf m00 = ldv(q, n), m01 = ldv(q + plane, n), m02 = ldv(q + 2 * plane, n), m03 = ldv(q + 3 * plane, n);
      vf m10 = ldv(q + 4 * plane, n), m11 = ldv(q + 5 * plane, n), m12 = ldv(q + 6 * plane, n), m13 = ldv(q + 7 * plane, n);
      vf m20 = ldv(q + 8 * plane, n), m21 = ldv(q + 9 * plane, n), m22 = ldv(q + 10 * plane, n), m23 = ldv(q + 11 * plane, n);
      vf m30 = ldv(q + 12 * plane, n), m31 = ldv(q + 13 * plane, n), m32 = ldv(q + 14 * plane, n), m33 = ldv(q + 15 * plane, n);
      // A^T M (rows): s0 = m0 + m1 + m2, s1 = m1 - m2 - m3.
      vf s00 = m00 + m10 + m20, s01 = m01 + m11 + m21, s02 = m02 + m12 + m22, s03 = m03 + m13 + m23;
      vf s10 = m10 - m20 - m30, s11 = m11 - m21 - m31, s12 = m12 - m22 - m32, s13 = m13 - m23 - m33;
      stv(y00 + kk, s00 + s01 + s02, n);
      stv(y01 + kk, s01 - s02 - s03, n);
      stv(y10 + kk, s10 + s11 + s12, n);
      stv(y11 + kk, s11 - s12 - s13, n);
    }
  }
  free(spare);
}

void FN(wino2_output_grad)(const float *dy, long h, long w, long k, long th, long tw,
                           long tile0, long count, float *dm, long plane) {
  float *zeros = zeros_for(k);
  for (long j = 0; j < count; j++) {
    long t = tile0 + j, img = t / (th * tw), rem = t % (th * tw);
    long oy = 2 * (rem / tw), ox = 2 * (rem % tw);
    int row1 = oy + 1 < h, col1 = ox + 1 < w;
    const float *p00 = dy + ((img * h + oy) * w + ox) * k;
    const float *p01 = col1 ? p00 + k : zeros;
    const float *p10 = row1 ? p00 + w * k : zeros;
    const float *p11 = row1 && col1 ? p00 + (w + 1) * k : zeros;
    float *out = dm + j * k;
    for (long kk = 0; kk < k; kk += VW) {
      long n = lmin(VW, k - kk);
      vf y00 = ldv(p00 + kk, n), y01 = ldv(p01 + kk, n), y10 = ldv(p10 + kk, n), y11 = ldv(p11 + kk, n);
      // A dy (4x2): rows y0, y0 + y1, y0 - y1, -y1.
      vf a00 = y00, a01 = y01;
      vf a10 = y00 + y10, a11 = y01 + y11;
      vf a20 = y00 - y10, a21 = y01 - y11;
      vf a30 = -y10, a31 = -y11;
      // (A dy) A^T (4x4): each row (e0, e1) -> (e0, e0 + e1, e0 - e1, -e1).
      float *o = out + kk;
      stv(o, a00, n); stv(o + plane, a00 + a01, n); stv(o + 2 * plane, a00 - a01, n); stv(o + 3 * plane, -a01, n);
      stv(o + 4 * plane, a10, n); stv(o + 5 * plane, a10 + a11, n);
      stv(o + 6 * plane, a10 - a11, n); stv(o + 7 * plane, -a11, n);
      stv(o + 8 * plane, a20, n); stv(o + 9 * plane, a20 + a21, n);
      stv(o + 10 * plane, a20 - a21, n); stv(o + 11 * plane, -a21, n);
      stv(o + 12 * plane, a30, n); stv(o + 13 * plane, a30 + a31, n);
      stv(o + 14 * plane, a30 - a31, n); stv(o + 15 * plane, -a31, n);
    }
  }
  free(zeros);
}

void FN(wino2_kernel)(const float *w, long c, long k, long c0, long c1, float *u) {
  long ck = c * k;
  for (long ci = c0; ci < c1; ci++) {
    for (long kk = 0; kk < k; kk += VW) {
      long n = lmin(VW, k - kk), o = ci * k + kk;
      vf g00 = ldv(w + o, n), g01 = ldv(w + ck + o, n), g02 = ldv(w + 2 * ck + o, n);
      vf g10 = ldv(w + 3 * ck + o, n), g11 = ldv(w + 4 * ck + o, n), g12 = ldv(w + 5 * ck + o, n);
      vf g20 = ldv(w + 6 * ck + o, n), g21 = ldv(w + 7 * ck + o, n), g22 = ldv(w + 8 * ck + o, n);
      // Rows: G g (4x3).
      vf t10 = 0.5f * (g00 + g10 + g20), t11 = 0.5f * (g01 + g11 + g21), t12 = 0.5f * (g02 + g12 + g22);
      vf t20 = 0.5f * (g00 - g10 + g20), t21 = 0.5f * (g01 - g11 + g21), t22 = 0.5f * (g02 - g12 + g22);
      // Columns: (G g) G^T (4x4); row (a, b, c) -> (a, (a+b+c)/2, (a-b+c)/2, c).
      stv(u + o, g00, n); stv(u + ck + o, 0.5f * (g00 + g01 + g02), n);
      stv(u + 2 * ck + o, 0.5f * (g00 - g01 + g02), n); stv(u + 3 * ck + o, g02, n);
      stv(u + 4 * ck + o, t10, n); stv(u + 5 * ck + o, 0.5f * (t10 + t11 + t12), n);
      stv(u + 6 * ck + o, 0.5f * (t10 - t11 + t12), n); stv(u + 7 * ck + o, t12, n);
      stv(u + 8 * ck + o, t20, n); stv(u + 9 * ck + o, 0.5f * (t20 + t21 + t22), n);
      stv(u + 10 * ck + o, 0.5f * (t20 - t21 + t22), n); stv(u + 11 * ck + o, t22, n);
      stv(u + 12 * ck + o, g20, n); stv(u + 13 * ck + o, 0.5f * (g20 + g21 + g22), n);
      stv(u + 14 * ck + o, 0.5f * (g20 - g21 + g22), n); stv(u + 15 * ck + o, g22, n);
    }
  }
}

void FN(wino2_kernel_grad)(const float *du, long c, long k, long c0, long c1, float *dw) {
  long ck = c * k;
  for (long ci = c0; ci < c1; ci++) {
    for (long kk = 0; kk < k; kk += VW) {
      long n = lmin(VW, k - kk), o = ci * k + kk;
      // G^T dU (3x4): per column q, rows u0 + (u1 + u2)/2, (u1 - u2)/2, (u1 + u2)/2 + u3.
      vf e[3][4];
      for (int q = 0; q < 4; q++) {
        vf u0 = ldv(du + q * ck + o, n), u1 = ldv(du + (4 + q) * ck + o, n);
        vf u2 = ldv(du + (8 + q) * ck + o, n), u3 = ldv(du + (12 + q) * ck + o, n);
        e[0][q] = u0 + 0.5f * (u1 + u2);
        e[1][q] = 0.5f * (u1 - u2);
        e[2][q] = 0.5f * (u1 + u2) + u3;
      }
      // (G^T dU) G (3x3): the same combination over each row.
      for (int i = 0; i < 3; i++) {
        float *d0 = dw + (3 * i) * ck + o, *d1 = dw + (3 * i + 1) * ck + o, *d2 = dw + (3 * i + 2) * ck + o;
        stv(d0, ldv(d0, n) + (e[i][0] + 0.5f * (e[i][1] + e[i][2])), n);
        stv(d1, ldv(d1, n) + 0.5f * (e[i][1] - e[i][2]), n);
        stv(d2, ldv(d2, n) + (0.5f * (e[i][1] + e[i][2]) + e[i][3]), n);
      }
    }
  }
}

// ---- Winograd F(4x4, 3x3) -------------------------------------------------------------
// B^T = [[4,0,-5,0,1,0], [0,-4,-4,1,1,0], [0,4,-4,-1,1,0], [0,-2,-1,2,1,0], [0,2,-1,-2,1,0],
// [0,4,0,-5,0,1]]; A^T = [[1,1,1,1,1,0], [0,1,-1,2,-2,0], [0,1,1,4,4,0], [0,1,-1,8,-8,1]];
// G = [[1/4,0,0], [-1/6,-1/6,-1/6], [-1/6,1/6,-1/6], [1/24,1/12,1/6], [1/24,-1/12,1/6], [0,0,1]].

/// B^T (d0...d5), in place over p[0], p[s], ..., p[5s].
INLINE void b_mul(vf *p, long s) {
  vf d0 = p[0], d1 = p[s], d2 = p[2 * s], d3 = p[3 * s], d4 = p[4 * s], d5 = p[5 * s];
  vf a = d4 - 4 * d2, b = d3 - 4 * d1;
  vf c = d4 - d2, e = 2 * (d3 - d1);
  p[0] = 4 * d0 - 5 * d2 + d4; p[s] = a + b; p[2 * s] = a - b;
  p[3 * s] = c + e; p[4 * s] = c - e; p[5 * s] = 4 * d1 - 5 * d3 + d5;
}

/// A^T (m0...m5) -> 4 values, in place over p[0], p[s], p[2s], p[3s].
INLINE void a_mul(vf *p, long s) {
  vf m0 = p[0], m1 = p[s], m2 = p[2 * s], m3 = p[3 * s], m4 = p[4 * s], m5 = p[5 * s];
  vf sm = m1 + m2, d = m1 - m2, s2 = m3 + m4, d2 = m3 - m4;
  p[0] = m0 + sm + s2; p[s] = d + 2 * d2; p[2 * s] = sm + 4 * s2; p[3 * s] = d + 8 * d2 + m5;
}

/// A (y0...y3) -> 6 values (the transpose of a_mul), from p[0], p[s], p[2s], p[3s] into
/// p[0], ..., p[5s].
INLINE void at_mul(vf *p, long s) {
  vf y0 = p[0], y1 = p[s], y2 = p[2 * s], y3 = p[3 * s];
  vf e = y0 + y2, o = y1 + y3, e4 = y0 + 4 * y2, o2 = 2 * y1 + 8 * y3;
  p[0] = y0; p[s] = e + o; p[2 * s] = e - o; p[3 * s] = e4 + o2; p[4 * s] = e4 - o2; p[5 * s] = y3;
}

void FN(wino4_input)(const float *x, long h, long w, long c, long th, long tw,
                     long tile0, long count, float *v, long plane) {
  float *zeros = zeros_for(c);
  const float *src[36];
  vf p[36];
  for (long j = 0; j < count; j++) {
    long t = tile0 + j, img = t / (th * tw), rem = t % (th * tw);
    gather_patch(src, 6, 4, img, rem / tw, rem % tw, x, h, w, c, zeros);
    float *out = v + j * c;
    for (long ch = 0; ch < c; ch += VW) {
      long n = lmin(VW, c - ch);
      for (int i = 0; i < 36; i++) p[i] = ldv(src[i] + ch, n);
      for (int q = 0; q < 6; q++) b_mul(p + q, 6);      // columns: B^T p
      for (int i = 0; i < 6; i++) b_mul(p + 6 * i, 1);  // rows: (B^T p) B
      for (int i = 0; i < 36; i++) stv(out + i * plane + ch, p[i], n);
    }
  }
  free(zeros);
}

void FN(wino4_output)(const float *m, long plane, long h, long w, long k, long th, long tw,
                      long tile0, long count, float *y,
                      const float *scale, const float *shift, int act) {
  vf p[36];
  for (long j = 0; j < count; j++) {
    long t = tile0 + j, img = t / (th * tw), rem = t % (th * tw);
    long oy = 4 * (rem / tw), ox = 4 * (rem % tw);
    long rows = lmin(4, h - oy), cols = lmin(4, w - ox);
    float *base = y + ((img * h + oy) * w + ox) * k;
    const float *q = m + j * k;
    for (long kk = 0; kk < k; kk += VW) {
      long n = lmin(VW, k - kk);
      for (int i = 0; i < 36; i++) p[i] = ldv(q + i * plane + kk, n);
      vf sc = scale ? ldv(scale + kk, n) : splat(1), sh = shift ? ldv(shift + kk, n) : splat(0);
      for (int c6 = 0; c6 < 6; c6++) a_mul(p + c6, 6);  // columns: A^T M (6 rows -> 4)
      for (long i = 0; i < rows; i++) {
        a_mul(p + 6 * i, 1);                             // rows: (A^T M) A (6 columns -> 4)
        float *row = base + i * w * k + kk;
        for (long col = 0; col < cols; col++) {
          vf e = p[6 * i + col] * sc + sh;
          if (act != 0) e = sel(e < 0, splat(0), e);
          if (act == 2) e = sel(e > 6, splat(6), e);
          stv(row + col * k, e, n);
        }
      }
    }
  }
}

void FN(wino4_output_grad)(const float *dy, long h, long w, long k, long th, long tw,
                           long tile0, long count, float *dm, long plane) {
  vf p[36];
  for (long j = 0; j < count; j++) {
    long t = tile0 + j, img = t / (th * tw), rem = t % (th * tw);
    long oy = 4 * (rem / tw), ox = 4 * (rem % tw);
    long rows = lmin(4, h - oy), cols = lmin(4, w - ox);
    const float *base = dy + ((img * h + oy) * w + ox) * k;
    float *out = dm + j * k;
    for (long kk = 0; kk < k; kk += VW) {
      long n = lmin(VW, k - kk);
      // The 4x4 dOutput tile in the top-left of a 6x6 layout (zero where cropped).
      for (int i = 0; i < 4; i++) {
        for (int col = 0; col < 4; col++) {
          p[6 * i + col] = (i < rows && col < cols) ? ldv(base + (i * w + col) * k + kk, n) : splat(0);
        }
      }
      for (int col = 0; col < 4; col++) at_mul(p + col, 6);  // columns: A dy (4 rows -> 6)
      for (int i = 0; i < 6; i++) at_mul(p + 6 * i, 1);      // rows: (A dy) A^T (4 columns -> 6)
      for (int i = 0; i < 36; i++) stv(out + i * plane + kk, p[i], n);
    }
  }
}

/// G (a, b, c) -> 6 values.
INLINE void g_mul(vf a, vf b, vf c, vf *r, long s) {
  vf ac = a + c, q = a / 24 + c / 6;
  r[0] = a / 4; r[s] = -(ac + b) / 6; r[2 * s] = -(ac - b) / 6;
  r[3 * s] = q + b / 12; r[4 * s] = q - b / 12; r[5 * s] = c;
}

void FN(wino4_kernel)(const float *w, long c, long k, long c0, long c1, float *u) {
  long ck = c * k;
  vf col[3][6], r[6];
  for (long ci = c0; ci < c1; ci++) {
    for (long kk = 0; kk < k; kk += VW) {
      long n = lmin(VW, k - kk), o = ci * k + kk;
      vf g[9];
      for (int i = 0; i < 9; i++) g[i] = ldv(w + i * ck + o, n);
      // G g: column j of g (rows 0, 1, 2) -> 6 rows.
      for (int jj = 0; jj < 3; jj++) g_mul(g[jj], g[3 + jj], g[6 + jj], col[jj], 1);
      // (G g) G^T: each of the 6 rows -> 6 columns.
      for (int i = 0; i < 6; i++) {
        g_mul(col[0][i], col[1][i], col[2][i], r, 1);
        for (int jj = 0; jj < 6; jj++) stv(u + (6 * i + jj) * ck + o, r[jj], n);
      }
    }
  }
}

/// G^T (u0...u5) -> 3 values.
INLINE void gt_mul(const vf *u, long s, vf *r) {
  vf u0 = u[0], u1 = u[s], u2 = u[2 * s], u3 = u[3 * s], u4 = u[4 * s], u5 = u[5 * s];
  vf p12 = u1 + u2, p34 = u3 + u4;
  r[0] = u0 / 4 - p12 / 6 + p34 / 24;
  r[1] = (u2 - u1) / 6 + (u3 - u4) / 12;
  r[2] = p34 / 6 - p12 / 6 + u5;
}

void FN(wino4_kernel_grad)(const float *du, long c, long k, long c0, long c1, float *dw) {
  long ck = c * k;
  vf p[36], t[18], r[3];
  for (long ci = c0; ci < c1; ci++) {
    for (long kk = 0; kk < k; kk += VW) {
      long n = lmin(VW, k - kk), o = ci * k + kk;
      for (int i = 0; i < 36; i++) p[i] = ldv(du + i * ck + o, n);
      // G^T dU: each of the 6 columns (6 rows -> 3) into t[3][6].
      for (int col = 0; col < 6; col++) {
        gt_mul(p + col, 6, r);
        t[col] = r[0]; t[6 + col] = r[1]; t[12 + col] = r[2];
      }
      // (G^T dU) G: each of the 3 rows (6 columns -> 3).
      for (int i = 0; i < 3; i++) {
        gt_mul(t + 6 * i, 1, r);
        for (int jj = 0; jj < 3; jj++) {
          float *d = dw + (3 * i + jj) * ck + o;
          stv(d, ldv(d, n) + r[jj], n);
        }
      }
    }
  }
}

// ---- Batch norm -----------------------------------------------------------------------

/// Activation as BatchNorm applies it: relu v > 0 ? v : 0; relu6 then p < 6 ? p : 6.
INLINE vf bn_act(int act, vf v) {
  if (act == 0) return v;
  vf p = sel(v > 0, v, splat(0));
  return act == 2 ? sel(p < 6, p, splat(6)) : p;
}

/// 1 where the unit with output y was linear, else 0 (as floats).
INLINE vf act_mask(int act, vf y) {
  if (act == 0) return splat(1);
  if (act == 1) return sel(y > 0, splat(1), splat(0));
  return sel((y > 0) & (y < 6), splat(1), splat(0));
}

INLINE void bn_apply_rows(int act, const float *x, const float *res, float *out, const float *s,
                          const float *b, long r0, long r1, long c) {
  for (long r = r0; r < r1; r++) {
    const float *xr = x + r * c;
    float *o = out + r * c;
    for (long i = 0; i < c; i += VW) {
      long n = lmin(VW, c - i);
      vf v = ldv(xr + i, n) * ldv(s + i, n) + ldv(b + i, n);
      if (res) v = v + ldv(res + r * c + i, n);
      stv(o + i, bn_act(act, v), n);
    }
  }
}

void FN(bn_apply)(int act, const float *x, const float *residual, float *out,
                  const float *scale, const float *shift, long r0, long r1, long c) {
  // One specialized loop per activation.
  switch (act) {
  case 1: bn_apply_rows(1, x, residual, out, scale, shift, r0, r1, c); break;
  case 2: bn_apply_rows(2, x, residual, out, scale, shift, r0, r1, c); break;
  default: bn_apply_rows(0, x, residual, out, scale, shift, r0, r1, c); break;
  }
}

/// The blocked two-sum shared by the moments and the backward sums: for each block of 64
/// rows and each channel vector, term(row, channel, n, &d1, &d2) gives the two addends;
/// they are summed in float over the block (row order), then added into t1/t2 in double.
/// Channels are the outer loop so the two block sums stay in registers.
#define PAIRED_SUMS(TERM)                                                               \
  for (long r = r0; r < r1; r += 64) {                                                  \
    long re = lmin(r1, r + 64);                                                         \
    for (long i = 0; i < c; i += VW) {                                                  \
      long n = lmin(VW, c - i);                                                         \
      vf a1 = splat(0), a2 = splat(0);                                                  \
      for (long rr = r; rr < re; rr++) {                                                \
        vf d1, d2;                                                                      \
        TERM(rr, i, n, d1, d2);                                                         \
        a1 = a1 + d1;                                                                   \
        a2 = a2 + d2;                                                                   \
      }                                                                                 \
      stv(acc + i, a1, n);                                                              \
      stv(acc + c + i, a2, n);                                                          \
    }                                                                                   \
    for (long i = 0; i < c; i++) { t1[i] += (double)acc[i]; t2[i] += (double)acc[c + i]; } \
  }

void FN(bn_moment_sums)(const float *x, const float *pivot, long r0, long r1, long c,
                        double *t1, double *t2, float *acc) {
#define MOMENT_TERM(rr, i, n, d1, d2)                    \
  {                                                      \
    vf d = ldv(x + (rr) * c + (i), n) - ldv(pivot + (i), n); \
    d1 = d;                                              \
    d2 = d * d;                                          \
  }
  PAIRED_SUMS(MOMENT_TERM)
#undef MOMENT_TERM
}

INLINE void bn_backward_sums_act(int act, const float *dy, const float *y, const float *x, const float *mean,
                                 long r0, long r1, long c, double *t1, double *t2, float *acc) {
#define BACKWARD_TERM(rr, i, n, d1, d2)                                         \
  {                                                                             \
    long o_ = (rr) * c + (i);                                                   \
    vf dz = ldv(dy + o_, n) * act_mask(act, ldv(y + o_, n));                    \
    d1 = dz;                                                                    \
    d2 = dz * (ldv(x + o_, n) - ldv(mean + (i), n));                            \
  }
  PAIRED_SUMS(BACKWARD_TERM)
#undef BACKWARD_TERM
}

void FN(bn_backward_sums)(int act, const float *dy, const float *y, const float *x, const float *mean,
                          long r0, long r1, long c, double *t1, double *t2, float *acc) {
  switch (act) {
  case 1: bn_backward_sums_act(1, dy, y, x, mean, r0, r1, c, t1, t2, acc); break;
  case 2: bn_backward_sums_act(2, dy, y, x, mean, r0, r1, c, t1, t2, acc); break;
  default: bn_backward_sums_act(0, dy, y, x, mean, r0, r1, c, t1, t2, acc); break;
  }
}

INLINE void bn_backward_apply_act(int act, const float *dy, const float *y, const float *x, const float *mean,
                                  const float *a, const float *k, const float *b, float *dx, float *dz,
                                  long r0, long r1, long c) {
  for (long r = r0; r < r1; r++) {
    for (long i = 0; i < c; i += VW) {
      long n = lmin(VW, c - i), o = r * c + i;
      vf v = ldv(dy + o, n) * act_mask(act, ldv(y + o, n));
      if (dz) stv(dz + o, v, n);
      stv(dx + o, ldv(a + i, n) * v + ldv(k + i, n) * (ldv(x + o, n) - ldv(mean + i, n)) + ldv(b + i, n), n);
    }
  }
}

void FN(bn_backward_apply)(int act, const float *dy, const float *y, const float *x, const float *mean,
                           const float *a, const float *k, const float *b, float *dx, float *dz,
                           long r0, long r1, long c) {
  switch (act) {
  case 1: bn_backward_apply_act(1, dy, y, x, mean, a, k, b, dx, dz, r0, r1, c); break;
  case 2: bn_backward_apply_act(2, dy, y, x, mean, a, k, b, dx, dz, r0, r1, c); break;
  default: bn_backward_apply_act(0, dy, y, x, mean, a, k, b, dx, dz, r0, r1, c); break;
  }
}
