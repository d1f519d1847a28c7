/// Winograd F(2×2, 3×3) convolution for 3×3, stride-1 convolutions padded 1 on every side
/// (TensorFlow SAME at stride 1), NHWC input, HWIO kernel.
///
/// Each 2×2 output tile needs a 4×4 input tile d; with the kernel g,
/// `Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A`: 16 element-wise products per tile and channel pair
/// instead of 36 multiply-adds, a 2.25× cut in GEMM work. The 16 products over all tiles
/// become 16 GEMMs [tiles, Cin]·[Cin, Cout]. Tiles are processed in blocks whose
/// transformed inputs and products fit `blockFloats`, all in the caller's scratch arena.
/// Used by `Conv2D` for forward and (with the flipped, transposed kernel) for dInput;
/// the im2col path and `NaiveConv2D` stay as its references.
public enum Winograd {
  /// Target floats of one block's transformed input or product buffer.
  nonisolated(unsafe) public static var blockFloats = 1 << 20

  /// True when `s` is a 3×3, stride-1, pad-1 convolution.
  public static func applies(to s: ConvShape) -> Bool {
    s.kernelHeight == 3 && s.kernelWidth == 3 && s.stride == 1 && s.padTop == 1 && s.padLeft == 1
      && s.outHeight == s.inHeight && s.outWidth == s.inWidth
  }

  /// Floats of scratch `forward` needs for `s` with `tiles` tiles per block.
  public static func scratchFloats(_ s: ConvShape, tilesPerBlock tb: Int) -> Int {
    16 * s.inChannels * s.outChannels + 16 * tb * (s.inChannels + s.outChannels)
  }

  /// Output tiles of `s`: ⌈H/2⌉·⌈W/2⌉ per image.
  public static func tiles(_ s: ConvShape) -> Int { s.batch * ((s.outHeight + 1) / 2) * ((s.outWidth + 1) / 2) }

  /// Tiles per block so one block's buffers stay near `blockFloats`.
  public static func tilesPerBlock(_ s: ConvShape) -> Int {
    max(1, min(tiles(s), max(64, blockFloats / (16 * max(s.inChannels, s.outChannels)))))
  }

  /// y = conv(x, w) for `applies(to: s)` shapes. x [N,H,W,Cin], w [3,3,Cin,Cout], y [N,H,W,Cout]
  /// (overwritten). `scratch` must hold `scratchFloats(s, tilesPerBlock: tb)` floats.
  public static func forward(_ s: ConvShape, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
                             y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                             tilesPerBlock tb: Int) {
    precondition(applies(to: s), "Winograd F(2,3) needs a 3×3 stride-1 pad-1 convolution, got \(s)")
    let c = s.inChannels, k = s.outChannels
    let th = (s.outHeight + 1) / 2, tw = (s.outWidth + 1) / 2
    let tiles = s.batch * th * tw
    let u = scratch, v = u + 16 * c * k, m = v + 16 * tb * c
    Profiler.measure(.im2col) { transformKernel(w, c: c, k: k, u: u) }
    var t0 = 0
    while t0 < tiles {
      let t1 = min(tiles, t0 + tb), n = t1 - t0
      Profiler.measure(.im2col) { transformInput(s, x: x, tiles: t0..<t1, stride: n, v: v) }
      Profiler.measure(.convGEMM) {
        for xi in 0..<16 {
          sgemm(transA: false, transB: false, m: n, n: k, k: c, a: v + xi * n * c, lda: c,
                b: u + xi * c * k, ldb: k, c: m + xi * n * k, ldc: k)
        }
      }
      Profiler.measure(.im2col) { transformOutput(s, m: m, tiles: t0..<t1, stride: n, y: y) }
      t0 = t1
    }
  }

  /// Floats of scratch `weightGradient` needs for `s` with `tb` tiles per block.
  public static func weightGradientScratchFloats(_ s: ConvShape, tilesPerBlock tb: Int) -> Int {
    scratchFloats(s, tilesPerBlock: tb)
  }

  /// dW += ∂L/∂w for `applies(to: s)` shapes, given the forward input x [N,H,W,Cin] and
  /// dy [N,H,W,Cout]. Each 2×2 tile of dy becomes dM = A·dy·Aᵀ; dU[ξ] = Σ_tiles V[ξ]ᵀ·dM[ξ]
  /// (16 GEMMs [Cin, tiles]·[tiles, Cout]); dW = Gᵀ·dU·G (the transposes of forward's steps).
  public static func weightGradient(_ s: ConvShape, x: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                    dw: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                                    tilesPerBlock tb: Int) {
    precondition(applies(to: s), "Winograd F(2,3) needs a 3×3 stride-1 pad-1 convolution, got \(s)")
    let c = s.inChannels, k = s.outChannels
    let th = (s.outHeight + 1) / 2, tw = (s.outWidth + 1) / 2
    let tiles = s.batch * th * tw
    let du = scratch, v = du + 16 * c * k, dm = v + 16 * tb * c
    var t0 = 0
    while t0 < tiles {
      let t1 = min(tiles, t0 + tb), n = t1 - t0
      Profiler.measure(.im2col) {
        transformInput(s, x: x, tiles: t0..<t1, stride: n, v: v)
        transformOutputGradient(s, dy: dy, tiles: t0..<t1, stride: n, dm: dm)
      }
      Profiler.measure(.convGEMM) {
        for xi in 0..<16 {
          sgemm(transA: true, transB: false, m: c, n: k, k: n, a: v + xi * n * c, lda: c,
                b: dm + xi * n * k, ldb: k, beta: t0 == 0 ? 0 : 1, c: du + xi * c * k, ldc: k)
        }
      }
      t0 = t1
    }
    Profiler.measure(.im2col) { transformKernelGradient(du, c: c, k: k, dw: dw) }
  }

  /// dM[ξ][t − t0][k] = (A·dy·Aᵀ)[ξ] of each tile's 2×2 dOutput (zero where cropped).
  static func transformOutputGradient(_ s: ConvShape, dy: UnsafePointer<Float>, tiles: Range<Int>, stride n: Int,
                                      dm: UnsafeMutablePointer<Float>) {
    let k = s.outChannels, h = s.outHeight, w = s.outWidth
    let th = (h + 1) / 2, tw = (w + 1) / 2
    let plane = n * k
    let zeros = UnsafeMutablePointer<Float>.allocate(capacity: k)
    zeros.initialize(repeating: 0, count: k)
    defer { zeros.deallocate() }
    let z = UnsafePointer(zeros)
    Parallel.forEachChunk(count: tiles.count, minChunk: max(1, 4096 / k)) { _, part in
      for local in part {
        let (img, ty, tx) = locate(tile: tiles.lowerBound + local, rows: th, cols: tw)
        let oy = 2 * ty, ox = 2 * tx
        let hasRow1 = oy + 1 < h, hasCol1 = ox + 1 < w
        let p00 = dy + ((img * h + oy) * w + ox) * k
        let p01 = hasCol1 ? p00 + k : z
        let p10 = hasRow1 ? p00 + w * k : z
        let p11 = hasRow1 && hasCol1 ? p00 + (w + 1) * k : z
        let out = dm + local * k
        var kk = 0
        while kk + 8 <= k {
          outputGradientTile(p00, p01, p10, p11, kk, out, plane, SIMD8<Float>.self)
          kk += 8
        }
        while kk < k {
          outputGradientTile(p00, p01, p10, p11, kk, out, plane, SIMD1.self)
          kk += 1
        }
      }
    }
  }

  @inline(__always)
  static func outputGradientTile<V: WinogradLane>(_ p00: UnsafePointer<Float>, _ p01: UnsafePointer<Float>,
                                                  _ p10: UnsafePointer<Float>, _ p11: UnsafePointer<Float>,
                                                  _ kk: Int, _ out: UnsafeMutablePointer<Float>, _ plane: Int,
                                                  _: V.Type) {
    let y00 = V.load(p00 + kk), y01 = V.load(p01 + kk), y10 = V.load(p10 + kk), y11 = V.load(p11 + kk)
    // A·dy (4×2): rows y0, y0 + y1, y0 − y1, −y1 (y_r = row r of the 2×2 tile).
    let a00 = y00, a01 = y01
    let a10 = y00 + y10, a11 = y01 + y11
    let a20 = y00 - y10, a21 = y01 - y11
    let a30 = -y10, a31 = -y11
    // (A·dy)·Aᵀ (4×4): each row (e0, e1) ↦ (e0, e0 + e1, e0 − e1, −e1).
    let o = out + kk
    a00.store(o); (a00 + a01).store(o + plane); (a00 - a01).store(o + 2 * plane); (-a01).store(o + 3 * plane)
    a10.store(o + 4 * plane); (a10 + a11).store(o + 5 * plane)
    (a10 - a11).store(o + 6 * plane); (-a11).store(o + 7 * plane)
    a20.store(o + 8 * plane); (a20 + a21).store(o + 9 * plane)
    (a20 - a21).store(o + 10 * plane); (-a21).store(o + 11 * plane)
    a30.store(o + 12 * plane); (a30 + a31).store(o + 13 * plane)
    (a30 - a31).store(o + 14 * plane); (-a31).store(o + 15 * plane)
  }

  /// dw[i][j][c][k] += (Gᵀ·dU·G)[i][j] for every (c, k).
  static func transformKernelGradient(_ du: UnsafePointer<Float>, c: Int, k: Int, dw: UnsafeMutablePointer<Float>) {
    let ck = c * k
    Parallel.forEachChunk(count: c, minChunk: max(1, 8192 / k)) { _, part in
      for ci in part {
        for kk in 0..<k {
          let o = ci * k + kk
          // Gᵀ·dU (3×4): per column q, rows u0 + (u1 + u2)/2, (u1 − u2)/2, (u1 + u2)/2 + u3.
          @inline(__always) func col(_ q: Int) -> (Float, Float, Float) {
            let u0 = du[q * ck + o], u1 = du[(4 + q) * ck + o], u2 = du[(8 + q) * ck + o], u3 = du[(12 + q) * ck + o]
            return (u0 + 0.5 * (u1 + u2), 0.5 * (u1 - u2), 0.5 * (u1 + u2) + u3)
          }
          let c0 = col(0), c1 = col(1), c2 = col(2), c3 = col(3)
          // (Gᵀ·dU)·G (3×3): the same combination over each row (e0, e1, e2, e3).
          @inline(__always) func row(_ i: Int, _ e0: Float, _ e1: Float, _ e2: Float, _ e3: Float) {
            dw[(3 * i + 0) * ck + o] += e0 + 0.5 * (e1 + e2)
            dw[(3 * i + 1) * ck + o] += 0.5 * (e1 - e2)
            dw[(3 * i + 2) * ck + o] += 0.5 * (e1 + e2) + e3
          }
          row(0, c0.0, c1.0, c2.0, c3.0)
          row(1, c0.1, c1.1, c2.1, c3.1)
          row(2, c0.2, c1.2, c2.2, c3.2)
        }
      }
    }
  }

  /// U[ξ][c][k] = (G g Gᵀ)[ξ] for every (c, k), vectorized over k.
  static func transformKernel(_ w: UnsafePointer<Float>, c: Int, k: Int, u: UnsafeMutablePointer<Float>) {
    let ck = c * k
    Parallel.forEachChunk(count: c, minChunk: max(1, 8192 / k)) { _, part in
      for ci in part {
        let base = ci * k
        for kk in 0..<k {
          let o = base + kk
          let g00 = w[o], g01 = w[ck + o], g02 = w[2 * ck + o]
          let g10 = w[3 * ck + o], g11 = w[4 * ck + o], g12 = w[5 * ck + o]
          let g20 = w[6 * ck + o], g21 = w[7 * ck + o], g22 = w[8 * ck + o]
          // Rows: G g (4×3).
          let t10 = 0.5 * (g00 + g10 + g20), t11 = 0.5 * (g01 + g11 + g21), t12 = 0.5 * (g02 + g12 + g22)
          let t20 = 0.5 * (g00 - g10 + g20), t21 = 0.5 * (g01 - g11 + g21), t22 = 0.5 * (g02 - g12 + g22)
          // Columns: (G g) Gᵀ (4×4); row r of G g is (a, b, c) ↦ (a, (a+b+c)/2, (a−b+c)/2, c).
          u[0 * ck + o] = g00; u[1 * ck + o] = 0.5 * (g00 + g01 + g02)
          u[2 * ck + o] = 0.5 * (g00 - g01 + g02); u[3 * ck + o] = g02
          u[4 * ck + o] = t10; u[5 * ck + o] = 0.5 * (t10 + t11 + t12)
          u[6 * ck + o] = 0.5 * (t10 - t11 + t12); u[7 * ck + o] = t12
          u[8 * ck + o] = t20; u[9 * ck + o] = 0.5 * (t20 + t21 + t22)
          u[10 * ck + o] = 0.5 * (t20 - t21 + t22); u[11 * ck + o] = t22
          u[12 * ck + o] = g20; u[13 * ck + o] = 0.5 * (g20 + g21 + g22)
          u[14 * ck + o] = 0.5 * (g20 - g21 + g22); u[15 * ck + o] = g22
        }
      }
    }
  }

  /// V[ξ][t − t0][c] = (Bᵀ d B)[ξ] of each tile's 4×4 input patch, vectorized over c.
  static func transformInput(_ s: ConvShape, x: UnsafePointer<Float>, tiles: Range<Int>, stride n: Int,
                             v: UnsafeMutablePointer<Float>) {
    let c = s.inChannels, h = s.inHeight, w = s.inWidth
    let th = (s.outHeight + 1) / 2, tw = (s.outWidth + 1) / 2
    let zeros = UnsafeMutablePointer<Float>.allocate(capacity: c)
    zeros.initialize(repeating: 0, count: c)
    defer { zeros.deallocate() }
    let plane = n * c
    Parallel.forEachChunk(count: tiles.count, minChunk: max(1, 4096 / c)) { _, part in
      let src = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: 16)
      defer { src.deallocate() }
      for local in part {
        let (img, ty, tx) = locate(tile: tiles.lowerBound + local, rows: th, cols: tw)
        gatherPatch(src, n: 4, step: 2, img: img, ty: ty, tx: tx, x: x, h: h, w: w, c: c, zeros: zeros)
        let sp = UnsafeBufferPointer(start: UnsafePointer(src), count: 16)
        let out = v + local * c
        var ch = 0
        while ch + 8 <= c {
          inputTile(sp, ch, out, plane, SIMD8<Float>.self)
          ch += 8
        }
        while ch < c {
          inputTile(sp, ch, out, plane, SIMD1.self)
          ch += 1
        }
      }
    }
  }

  /// y tile = Aᵀ M A (2×2 per tile), cropped at odd edges, vectorized over k.
  static func transformOutput(_ s: ConvShape, m: UnsafePointer<Float>, tiles: Range<Int>, stride n: Int,
                              y: UnsafeMutablePointer<Float>) {
    let k = s.outChannels, h = s.outHeight, w = s.outWidth
    let th = (h + 1) / 2, tw = (w + 1) / 2
    let plane = n * k
    let scratchRow = UnsafeMutablePointer<Float>.allocate(capacity: 4 * k * max(Parallel.threads, 1))
    defer { scratchRow.deallocate() }
    Parallel.forEachChunk(count: tiles.count, minChunk: max(1, 4096 / k)) { chunk, part in
      let spare = scratchRow + chunk * 4 * k  // sink for cropped outputs
      for local in part {
        let (img, ty, tx) = locate(tile: tiles.lowerBound + local, rows: th, cols: tw)
        let oy = 2 * ty, ox = 2 * tx
        let hasRow1 = oy + 1 < h, hasCol1 = ox + 1 < w
        let y00 = y + ((img * h + oy) * w + ox) * k
        let y01 = hasCol1 ? y00 + k : spare
        let y10 = hasRow1 ? y00 + w * k : spare + k
        let y11 = hasRow1 && hasCol1 ? y00 + (w + 1) * k : spare + 2 * k
        let p = m + local * k
        var kk = 0
        while kk + 8 <= k {
          outputTile(p, kk, plane, y00, y01, y10, y11, SIMD8<Float>.self)
          kk += 8
        }
        while kk < k {
          outputTile(p, kk, plane, y00, y01, y10, y11, SIMD1.self)
          kk += 1
        }
      }
    }
  }

  /// Bᵀ d B for channels ch..<ch+V.scalarCount of one tile (explicit vectors: the 16 source
  /// and 16 destination pointers defeat the auto-vectorizer's alias checks).
  @inline(__always)
  static func inputTile<V: WinogradLane>(_ sp: UnsafeBufferPointer<UnsafePointer<Float>>, _ ch: Int,
                                         _ out: UnsafeMutablePointer<Float>, _ plane: Int, _: V.Type) {
    @inline(__always) func ld(_ i: Int) -> V { V.load(sp[i] + ch) }
    let d00 = ld(0), d01 = ld(1), d02 = ld(2), d03 = ld(3)
    let d10 = ld(4), d11 = ld(5), d12 = ld(6), d13 = ld(7)
    let d20 = ld(8), d21 = ld(9), d22 = ld(10), d23 = ld(11)
    let d30 = ld(12), d31 = ld(13), d32 = ld(14), d33 = ld(15)
    // Bᵀ d (rows).
    let r00 = d00 - d20, r01 = d01 - d21, r02 = d02 - d22, r03 = d03 - d23
    let r10 = d10 + d20, r11 = d11 + d21, r12 = d12 + d22, r13 = d13 + d23
    let r20 = d20 - d10, r21 = d21 - d11, r22 = d22 - d12, r23 = d23 - d13
    let r30 = d10 - d30, r31 = d11 - d31, r32 = d12 - d32, r33 = d13 - d33
    // (Bᵀ d) B (columns).
    let o = out + ch
    (r00 - r02).store(o); (r01 + r02).store(o + plane); (r02 - r01).store(o + 2 * plane); (r01 - r03).store(o + 3 * plane)
    (r10 - r12).store(o + 4 * plane); (r11 + r12).store(o + 5 * plane)
    (r12 - r11).store(o + 6 * plane); (r11 - r13).store(o + 7 * plane)
    (r20 - r22).store(o + 8 * plane); (r21 + r22).store(o + 9 * plane)
    (r22 - r21).store(o + 10 * plane); (r21 - r23).store(o + 11 * plane)
    (r30 - r32).store(o + 12 * plane); (r31 + r32).store(o + 13 * plane)
    (r32 - r31).store(o + 14 * plane); (r31 - r33).store(o + 15 * plane)
  }

  /// Aᵀ M A for channels kk..<kk+V.scalarCount of one tile.
  @inline(__always)
  static func outputTile<V: WinogradLane>(_ p: UnsafePointer<Float>, _ kk: Int, _ plane: Int,
                                          _ y00: UnsafeMutablePointer<Float>, _ y01: UnsafeMutablePointer<Float>,
                                          _ y10: UnsafeMutablePointer<Float>, _ y11: UnsafeMutablePointer<Float>,
                                          _: V.Type) {
    @inline(__always) func ld(_ i: Int) -> V { V.load(p + i * plane + kk) }
    let m00 = ld(0), m01 = ld(1), m02 = ld(2), m03 = ld(3)
    let m10 = ld(4), m11 = ld(5), m12 = ld(6), m13 = ld(7)
    let m20 = ld(8), m21 = ld(9), m22 = ld(10), m23 = ld(11)
    let m30 = ld(12), m31 = ld(13), m32 = ld(14), m33 = ld(15)
    // Aᵀ M (rows): s0 = m0 + m1 + m2, s1 = m1 − m2 − m3.
    let s00 = m00 + m10 + m20, s01 = m01 + m11 + m21, s02 = m02 + m12 + m22, s03 = m03 + m13 + m23
    let s10 = m10 - m20 - m30, s11 = m11 - m21 - m31, s12 = m12 - m22 - m32, s13 = m13 - m23 - m33
    (s00 + s01 + s02).store(y00 + kk)
    (s01 - s02 - s03).store(y01 + kk)
    (s10 + s11 + s12).store(y10 + kk)
    (s11 - s12 - s13).store(y11 + kk)
  }

  /// Tile t of a map of th×tw tiles per image: (image, tile row, tile column).
  @inline(__always)
  static func locate(tile t: Int, rows th: Int, cols tw: Int) -> (img: Int, ty: Int, tx: Int) {
    let rem = t % (th * tw)
    return (t / (th * tw), rem / tw, rem % tw)
  }

  /// Points `src[n·a + b]` at pixel (step·ty − 1 + a, step·tx − 1 + b) of image `img` of x
  /// [N, h, w, c] for the n×n input patch of a tile (pad 1), or at `zeros` outside the image.
  @inline(__always)
  static func gatherPatch(_ src: UnsafeMutablePointer<UnsafePointer<Float>>, n: Int, step: Int,
                          img: Int, ty: Int, tx: Int, x: UnsafePointer<Float>, h: Int, w: Int, c: Int,
                          zeros: UnsafePointer<Float>) {
    for a in 0..<n {
      let iy = step * ty - 1 + a
      for b in 0..<n {
        let ix = step * tx - 1 + b
        src[n * a + b] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? x + ((img * h + iy) * w + ix) * c : zeros
      }
    }
  }

  /// The kernel of dInput = conv(dOutput, w′) for a 3×3 stride-1 pad-1 conv:
  /// w′[i][j][k][c] = w[2−i][2−j][c][k] (spatially flipped, in/out swapped).
  public static func flipTranspose(_ w: UnsafePointer<Float>, c: Int, k: Int, into out: UnsafeMutablePointer<Float>) {
    for i in 0..<3 {
      for j in 0..<3 {
        let src = w + ((2 - i) * 3 + (2 - j)) * c * k
        let dst = out + (i * 3 + j) * k * c
        for ci in 0..<c {
          for kk in 0..<k { dst[kk * c + ci] = src[ci * k + kk] }
        }
      }
    }
  }
}

/// A vector of floats the Winograd transforms load, add and store as a unit.
protocol WinogradLane {
  static func load(_ p: UnsafePointer<Float>) -> Self
  func store(_ p: UnsafeMutablePointer<Float>)
  static func + (a: Self, b: Self) -> Self
  static func - (a: Self, b: Self) -> Self
  static prefix func - (a: Self) -> Self
}

extension SIMD8: WinogradLane where Scalar == Float {
  @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
  }
  @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: self, as: SIMD8<Float>.self)
  }
}

/// One float, for channel counts that are not a multiple of 8.
struct SIMD1: WinogradLane {
  var v: Float
  @inline(__always) static func load(_ p: UnsafePointer<Float>) -> SIMD1 { SIMD1(v: p.pointee) }
  @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) { p.pointee = v }
  @inline(__always) static func + (a: SIMD1, b: SIMD1) -> SIMD1 { SIMD1(v: a.v + b.v) }
  @inline(__always) static func - (a: SIMD1, b: SIMD1) -> SIMD1 { SIMD1(v: a.v - b.v) }
  @inline(__always) static prefix func - (a: SIMD1) -> SIMD1 { SIMD1(v: -a.v) }
}
