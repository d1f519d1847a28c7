import Dispatch
import Foundation

/// Winograd F(4×4, 3×3) forward convolution, the inference path of 3×3 stride-1 pad-1
/// convolutions (TensorFlow SAME at stride 1), NHWC input, HWIO kernel.
///
/// Each 4×4 output tile needs a 6×6 input tile d; with the kernel g,
/// `Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A` (Lavin & Gray's matrices, interpolation points 0, ±1, ±2):
/// 36 element-wise products per tile and channel pair instead of 144 multiply-adds, a 4×
/// cut in GEMM work against 2.25× for `Winograd` F(2×2, 3×3). The 36 products over all
/// tiles become 36 GEMMs [tiles, Cin]·[Cin, Cout].
///
/// Training keeps F(2×2): its rounding error is smaller (F(4×4)'s transforms multiply by
/// up to 8 and divide by 24; relative error about 1e-6 against 1e-7, see the tests), and
/// its backward passes are the transposes of that forward. Inference takes F(4×4) where
/// it does fewer multiply-adds (`isCheaper`): edge tiles of small maps are mostly padding.
///
/// Several inputs that share the kernel (the pyramid levels of a weight-shared tower) run
/// as one tile sequence (`Segment`s), so small levels fill the same GEMMs as large ones.
/// An `Epilogue` applies a per-channel affine map and activation as tiles are written, so
/// an inference batch norm (and ReLU/ReLU6) costs no extra pass over the output.
/// `NaiveConv2D` is the reference.
public enum WinogradF4 {
  /// Target floats of one block's transformed-input buffer (the product buffer is the same
  /// size when Cin = Cout). Inference holds no activations for backward, so blocks can be
  /// larger than training's: the GEMMs get more rows.
  nonisolated(unsafe) public static var blockFloats = 1 << 22

  /// y = act(scale ⊙ conv + shift), per output channel; nil scale is 1, nil shift is 0.
  public struct Epilogue {
    public var scale: UnsafePointer<Float>?
    public var shift: UnsafePointer<Float>?
    public var activation: Activation

    public init(scale: UnsafePointer<Float>? = nil, shift: UnsafePointer<Float>? = nil, activation: Activation = .none) {
      self.scale = scale; self.shift = shift; self.activation = activation
    }

    public static let identity = Epilogue()
  }

  /// One input and output of the shared kernel: x [N,H,W,Cin], y [N,H,W,Cout] (overwritten).
  public struct Segment {
    public var shape: ConvShape
    public var x: UnsafePointer<Float>
    public var y: UnsafeMutablePointer<Float>
    public var epilogue: Epilogue

    public init(shape: ConvShape, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, epilogue: Epilogue = .identity) {
      precondition(Winograd.applies(to: shape), "Winograd F(4,3) needs a 3×3 stride-1 pad-1 convolution, got \(shape)")
      self.shape = shape; self.x = x; self.y = y; self.epilogue = epilogue
    }

    var tileRows: Int { (shape.outHeight + 3) / 4 }
    var tileCols: Int { (shape.outWidth + 3) / 4 }
    var tiles: Int { WinogradF4.tiles(shape) }
  }

  /// Output tiles of `s`: ⌈H/4⌉·⌈W/4⌉ per image.
  public static func tiles(_ s: ConvShape) -> Int { s.batch * ((s.outHeight + 3) / 4) * ((s.outWidth + 3) / 4) }

  /// True when F(4×4) multiplies less than F(2×2) over all of `shapes` (the applications
  /// of one shared kernel): 36 products per 4×4 tile against 16 per 2×2 tile, cropped
  /// edge tiles counted in full.
  public static func isCheaper(for shapes: [ConvShape]) -> Bool {
    guard shapes.allSatisfy(Winograd.applies(to:)) else { return false }
    return shapes.map { 36 * tiles($0) }.reduce(0, +) < shapes.map { 16 * Winograd.tiles($0) }.reduce(0, +)
  }

  /// `isCheaper(for: [s])`.
  public static func isCheaper(for s: ConvShape) -> Bool { isCheaper(for: [s]) }

  /// Floats of the transformed kernel U [36][Cin][Cout].
  public static func kernelFloats(inChannels c: Int, outChannels k: Int) -> Int { 36 * c * k }

  /// Tiles per block for `totalTiles` tiles so V and M stay near `blockFloats`.
  public static func tilesPerBlock(totalTiles: Int, inChannels c: Int, outChannels k: Int) -> Int {
    max(1, min(totalTiles, max(64, blockFloats / (36 * max(c, k)))))
  }

  /// Floats of scratch `forward` needs besides the transformed kernel.
  public static func scratchFloats(inChannels c: Int, outChannels k: Int, tilesPerBlock tb: Int) -> Int {
    36 * tb * (c + k)
  }

  /// Runs every segment through the transformed kernel `u` (from `transformKernel`).
  /// `scratch` must hold `scratchFloats(...)` floats.
  public static func forward(_ segments: [Segment], u: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                             tilesPerBlock tb: Int) {
    guard let first = segments.first else { return }
    let c = first.shape.inChannels, k = first.shape.outChannels
    precondition(segments.allSatisfy { $0.shape.inChannels == c && $0.shape.outChannels == k },
                 "WinogradF4: segments sharing a kernel must agree on channels")
    // Global tile index → segment: starts[i] is the first global tile of segments[i].
    var starts: [Int] = []
    var total = 0
    for s in segments { starts.append(total); total += s.tiles }
    let v = scratch, m = scratch + 36 * tb * c
    var t0 = 0
    while t0 < total {
      let t1 = min(total, t0 + tb), n = t1 - t0
      Profiler.measure(.im2col) {
        forEachPiece(segments, starts, t0..<t1) { seg, local, offset in
          transformInput(seg, tiles: local, v: v + offset * c, plane: n * c)
        }
      }
      Profiler.measure(.convGEMM) {
        let th = BLASRuntime.splitThreads
        if th > 1 {
          // Our own GEMM threads: the 36 independent products are shared out whole.
          DispatchQueue.concurrentPerform(iterations: th) { t in
            for xi in stride(from: t, to: 36, by: th) {
              sgemmSingle(transA: false, transB: false, m: n, n: k, k: c, a: v + xi * n * c, lda: c,
                          b: u + xi * c * k, ldb: k, c: m + xi * n * k, ldc: k)
            }
          }
        } else {
          for xi in 0..<36 {
            sgemmSingle(transA: false, transB: false, m: n, n: k, k: c, a: v + xi * n * c, lda: c,
                        b: u + xi * c * k, ldb: k, c: m + xi * n * k, ldc: k)
          }
        }
      }
      Profiler.measure(.im2col) {
        forEachPiece(segments, starts, t0..<t1) { seg, local, offset in
          transformOutput(seg, tiles: local, m: m + offset * k, plane: n * k)
        }
      }
      t0 = t1
    }
  }

  /// Splits the global tile range `r` into per-segment pieces: (segment, local tile range,
  /// offset of the piece within the block).
  private static func forEachPiece(_ segments: [Segment], _ starts: [Int], _ r: Range<Int>,
                                   _ body: (Segment, Range<Int>, Int) -> Void) {
    for (i, seg) in segments.enumerated() {
      let lo = max(r.lowerBound, starts[i]), hi = min(r.upperBound, starts[i] + seg.tiles)
      if lo < hi { body(seg, (lo - starts[i])..<(hi - starts[i]), lo - r.lowerBound) }
    }
  }

  /// U[ξ][c][k] = (G g Gᵀ)[ξ] for every (c, k).
  public static func transformKernel(_ w: UnsafePointer<Float>, c: Int, k: Int, u: UnsafeMutablePointer<Float>) {
    let ck = c * k
    Parallel.forEachChunk(count: c, minChunk: max(1, 8192 / k)) { _, part in
      for ci in part {
        for kk in 0..<k {
          let o = ci * k + kk
          var g = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
          g.0 = w[o]; g.1 = w[ck + o]; g.2 = w[2 * ck + o]
          g.3 = w[3 * ck + o]; g.4 = w[4 * ck + o]; g.5 = w[5 * ck + o]
          g.6 = w[6 * ck + o]; g.7 = w[7 * ck + o]; g.8 = w[8 * ck + o]
          // G·g: column j of g (rows 0, 1, 2) → 6 rows.
          let c0 = gMul(g.0, g.3, g.6), c1 = gMul(g.1, g.4, g.7), c2 = gMul(g.2, g.5, g.8)
          // (G·g)·Gᵀ: each of the 6 rows → 6 columns.
          @inline(__always) func row(_ i: Int, _ a: Float, _ b: Float, _ cc: Float) {
            let r = gMul(a, b, cc)
            u[(6 * i) * ck + o] = r.0; u[(6 * i + 1) * ck + o] = r.1; u[(6 * i + 2) * ck + o] = r.2
            u[(6 * i + 3) * ck + o] = r.3; u[(6 * i + 4) * ck + o] = r.4; u[(6 * i + 5) * ck + o] = r.5
          }
          row(0, c0.0, c1.0, c2.0); row(1, c0.1, c1.1, c2.1); row(2, c0.2, c1.2, c2.2)
          row(3, c0.3, c1.3, c2.3); row(4, c0.4, c1.4, c2.4); row(5, c0.5, c1.5, c2.5)
        }
      }
    }
  }

  /// G·(a, b, c) for G = [[1/4,0,0], [−1/6,−1/6,−1/6], [−1/6,1/6,−1/6], [1/24,1/12,1/6],
  /// [1/24,−1/12,1/6], [0,0,1]].
  @inline(__always)
  static func gMul(_ a: Float, _ b: Float, _ c: Float) -> (Float, Float, Float, Float, Float, Float) {
    let ac = a + c, p = a / 24 + c / 6
    return (a / 4, -(ac + b) / 6, -(ac - b) / 6, p + b / 12, p - b / 12, c)
  }

  /// V[ξ][tile][c] = (Bᵀ d B)[ξ] of each tile's 6×6 input patch (zeros outside the image),
  /// for the segment's local tiles; tile j of the piece goes to row j of each plane.
  static func transformInput(_ seg: Segment, tiles: Range<Int>, v: UnsafeMutablePointer<Float>, plane: Int) {
    let s = seg.shape, x = seg.x
    let c = s.inChannels, h = s.inHeight, w = s.inWidth
    let th = seg.tileRows, tw = seg.tileCols
    let zeros = UnsafeMutablePointer<Float>.allocate(capacity: c + 8)
    zeros.initialize(repeating: 0, count: c + 8)
    defer { zeros.deallocate() }
    Parallel.forEachChunk(count: tiles.count, minChunk: max(1, 2048 / c)) { _, part in
      let src = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: 36)
      defer { src.deallocate() }
      let tmp = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 36)
      defer { tmp.deallocate() }
      for local in part {
        let (img, ty, tx) = Winograd.locate(tile: tiles.lowerBound + local, rows: th, cols: tw)
        Winograd.gatherPatch(src, n: 6, step: 4, img: img, ty: ty, tx: tx, x: x, h: h, w: w, c: c, zeros: zeros)
        let out = v + local * c
        var ch = 0
        while ch + 8 <= c {
          for i in 0..<36 { tmp[i] = SIMD8<Float>.load(src[i] + ch) }
          inputTile(tmp)
          for i in 0..<36 { store(tmp[i], out + i * plane + ch, count: 8) }
          ch += 8
        }
        if ch < c {
          let r = c - ch
          for i in 0..<36 { tmp[i] = load(src[i] + ch, count: r) }
          inputTile(tmp)
          for i in 0..<36 { store(tmp[i], out + i * plane + ch, count: r) }
        }
      }
    }
  }

  /// Bᵀ·(d0…d5) for Bᵀ = [[4,0,−5,0,1,0], [0,−4,−4,1,1,0], [0,4,−4,−1,1,0], [0,−2,−1,2,1,0],
  /// [0,2,−1,−2,1,0], [0,4,0,−5,0,1]].
  @inline(__always)
  static func bMul(_ d0: SIMD8<Float>, _ d1: SIMD8<Float>, _ d2: SIMD8<Float>, _ d3: SIMD8<Float>,
                   _ d4: SIMD8<Float>, _ d5: SIMD8<Float>)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    let a = d4 - 4 * d2, b = d3 - 4 * d1
    let c = d4 - d2, e = 2 * (d3 - d1)
    return (4 * d0 - 5 * d2 + d4, a + b, a - b, c + e, c - e, 4 * d1 - 5 * d3 + d5)
  }

  /// In place: the 6×6 patch p (row-major) → Bᵀ p B.
  @inline(__always)
  static func inputTile(_ p: UnsafeMutablePointer<SIMD8<Float>>) {
    for j in 0..<6 {  // columns: Bᵀ·p
      let r = bMul(p[j], p[6 + j], p[12 + j], p[18 + j], p[24 + j], p[30 + j])
      p[j] = r.0; p[6 + j] = r.1; p[12 + j] = r.2; p[18 + j] = r.3; p[24 + j] = r.4; p[30 + j] = r.5
    }
    for i in 0..<6 {  // rows: (Bᵀ p)·B
      let q = p + 6 * i
      let r = bMul(q[0], q[1], q[2], q[3], q[4], q[5])
      q[0] = r.0; q[1] = r.1; q[2] = r.2; q[3] = r.3; q[4] = r.4; q[5] = r.5
    }
  }

  /// Aᵀ·(m0…m5) for Aᵀ = [[1,1,1,1,1,0], [0,1,−1,2,−2,0], [0,1,1,4,4,0], [0,1,−1,8,−8,1]].
  @inline(__always)
  static func aMul(_ m0: SIMD8<Float>, _ m1: SIMD8<Float>, _ m2: SIMD8<Float>, _ m3: SIMD8<Float>,
                   _ m4: SIMD8<Float>, _ m5: SIMD8<Float>) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    let s = m1 + m2, d = m1 - m2, s2 = m3 + m4, d2 = m3 - m4
    return (m0 + s + s2, d + 2 * d2, s + 4 * s2, d + 8 * d2 + m5)
  }

  /// y tile = epilogue(Aᵀ M A) (4×4 per tile, cropped at the map's edges) for the segment's
  /// local tiles; tile j of the piece reads row j of each product plane.
  static func transformOutput(_ seg: Segment, tiles: Range<Int>, m: UnsafePointer<Float>, plane: Int) {
    let s = seg.shape, y = seg.y, ep = seg.epilogue
    let k = s.outChannels, h = s.outHeight, w = s.outWidth
    let th = seg.tileRows, tw = seg.tileCols
    let ones = UnsafeMutablePointer<Float>.allocate(capacity: k + 8)
    ones.initialize(repeating: 1, count: k + 8)
    let zeros = UnsafeMutablePointer<Float>.allocate(capacity: k + 8)
    zeros.initialize(repeating: 0, count: k + 8)
    defer { ones.deallocate(); zeros.deallocate() }
    let scale = ep.scale ?? UnsafePointer(ones), shift = ep.shift ?? UnsafePointer(zeros)
    let act = ep.activation
    Parallel.forEachChunk(count: tiles.count, minChunk: max(1, 2048 / k)) { _, part in
      let tmp = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 36)
      defer { tmp.deallocate() }
      for local in part {
        let (img, ty, tx) = Winograd.locate(tile: tiles.lowerBound + local, rows: th, cols: tw)
        let oy = 4 * ty, ox = 4 * tx
        let rows = min(4, h - oy), cols = min(4, w - ox)
        let base = y + ((img * h + oy) * w + ox) * k
        let p = m + local * k
        var kk = 0
        while kk < k {
          let r = min(8, k - kk)
          for i in 0..<36 { tmp[i] = r == 8 ? SIMD8<Float>.load(p + i * plane + kk)
                                            : load(p + i * plane + kk, count: r) }
          let sc = r == 8 ? SIMD8<Float>.load(scale + kk) : load(scale + kk, count: r)
          let sh = r == 8 ? SIMD8<Float>.load(shift + kk) : load(shift + kk, count: r)
          // Columns: Aᵀ·M (6 rows → 4), then rows: (Aᵀ M)·A (6 columns → 4).
          for j in 0..<6 {
            let q = aMul(tmp[j], tmp[6 + j], tmp[12 + j], tmp[18 + j], tmp[24 + j], tmp[30 + j])
            tmp[j] = q.0; tmp[6 + j] = q.1; tmp[12 + j] = q.2; tmp[18 + j] = q.3
          }
          for i in 0..<rows {
            let q = tmp + 6 * i
            let o = aMul(q[0], q[1], q[2], q[3], q[4], q[5])
            let row = base + i * w * k + kk
            @inline(__always) func put(_ v: SIMD8<Float>, _ col: Int) {
              var e = v * sc + sh
              switch act {
              case .none: break
              case .relu: e = e.replacing(with: 0, where: e .< 0)
              case .relu6: e = e.replacing(with: 0, where: e .< 0).replacing(with: 6, where: e .> 6)
              }
              store(e, row + col * k, count: r)
            }
            put(o.0, 0)
            if cols > 1 { put(o.1, 1) }
            if cols > 2 { put(o.2, 2) }
            if cols > 3 { put(o.3, 3) }
          }
          kk += 8
        }
      }
    }
  }

  /// The first `count` (< 8) floats at p, zero-padded.
  @inline(__always)
  static func load(_ p: UnsafePointer<Float>, count: Int) -> SIMD8<Float> {
    var v = SIMD8<Float>(repeating: 0)
    for i in 0..<count { v[i] = p[i] }
    return v
  }

  @inline(__always)
  static func store(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, count: Int) {
    if count == 8 {
      v.store(p)
    } else {
      for i in 0..<count { p[i] = v[i] }
    }
  }
}
