import Dispatch
import Foundation

/// Winograd convolution for 3×3, stride-1 convolutions padded 1 on every side (TensorFlow
/// SAME at stride 1), NHWC input, HWIO kernel, in two tile sizes (`Variant`):
///
/// - F(2×2, 3×3): each 2×2 output tile from a 4×4 input tile d, `Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A`,
///   16 products per tile and channel pair instead of 36 multiply-adds (2.25× less GEMM work);
/// - F(4×4, 3×3): 4×4 tiles from 6×6 input tiles (Lavin & Gray's matrices, points 0, ±1, ±2),
///   36 products per 16 outputs (4× less), with a little more float32 rounding: its
///   transforms multiply by up to 8 and divide by 24 (relative error about 1e-6 against
///   1e-7; `WinogradTests` states the tolerances).
///
/// The products over all tiles become `planes` GEMMs [tiles, Cin]·[Cin, Cout], run over
/// blocks of tiles whose transformed inputs and products fit the caller's scratch. Several
/// inputs sharing one kernel (the pyramid levels of a weight-shared tower) run as one tile
/// sequence of `Segment`s, so small maps fill the same GEMMs as large ones.
///
/// Forward is `forward`; dInput is `forward` of dOutput with the flipped, transposed kernel
/// (`flipTranspose`, also a 3×3 stride-1 pad-1 convolution); dWeight is `weightGradient`,
/// the transposes of forward's steps: dM = A·dy·Aᵀ per tile, dU[ξ] = Σ_tiles V[ξ]ᵀ·dM[ξ]
/// (`planes` GEMMs [Cin, tiles]·[tiles, Cout]), dW = Gᵀ·dU·G.
///
/// The transforms are the C kernels of `Kernels` (vector width of the CPU at hand).
/// `NaiveConv2D` is the reference every path is tested against.
public enum Winograd {
  /// A tile size.
  public enum Variant: Sendable, CustomStringConvertible {
    /// F(2×2, 3×3).
    case f2
    /// F(4×4, 3×3).
    case f4

    /// Output tile side (2 or 4).
    public var tile: Int { self == .f2 ? 2 : 4 }
    /// Transform planes (products per tile and channel pair): 16 or 36.
    public var planes: Int { self == .f2 ? 16 : 36 }
    public var description: String { self == .f2 ? "F(2x2,3x3)" : "F(4x4,3x3)" }
    var transforms: Kernels.WinogradTransforms { self == .f2 ? Kernels.winograd2 : Kernels.winograd4 }
  }

  /// Target floats of one block's transformed-input buffer in passes that keep activations
  /// (training); forward-only passes use `forwardOnlyBlockFloats` (they hold less, so
  /// their GEMMs can take more rows).
  /// 4M floats: 455 tiles per block for 256 channels under F(4×4), so each product's kernel
  /// matrix is packed once per 455 rows (at 113 rows, OpenBLAS's packing of U was a tenth
  /// of the GEMM time).
  nonisolated(unsafe) public static var blockFloats = 1 << 22
  nonisolated(unsafe) public static var forwardOnlyBlockFloats = 1 << 22
  /// Training uses F(4×4) where it multiplies less than F(2×2) (`variant(for:)`); false
  /// keeps F(2×2) everywhere in training (forward-only passes take F(4×4) where cheaper
  /// either way). `SSD_WINOGRAD_TRAINING=f2` sets it false at start.
  nonisolated(unsafe) public static var trainingUsesF4 = ProcessInfo.processInfo.environment["SSD_WINOGRAD_TRAINING"] != "f2"

  /// True when `s` is a 3×3, stride-1, pad-1 convolution.
  public static func applies(to s: ConvShape) -> Bool {
    s.kernelHeight == 3 && s.kernelWidth == 3 && s.stride == 1 && s.padTop == 1 && s.padLeft == 1
      && s.outHeight == s.inHeight && s.outWidth == s.inWidth
  }

  /// Output tiles of `s` with tile side `v.tile`: ⌈H/t⌉·⌈W/t⌉ per image.
  public static func tiles(_ s: ConvShape, _ v: Variant) -> Int {
    s.batch * ((s.outHeight + v.tile - 1) / v.tile) * ((s.outWidth + v.tile - 1) / v.tile)
  }

  /// True when F(4×4) multiplies less than F(2×2) over all of `shapes` (the applications of
  /// one shared kernel): 36 products per 4×4 tile against 16 per 2×2 tile, cropped edge
  /// tiles counted in full (small maps are mostly padding).
  public static func isF4Cheaper(for shapes: [ConvShape]) -> Bool {
    guard shapes.allSatisfy(applies(to:)) else { return false }
    return shapes.map { 36 * tiles($0, .f4) }.reduce(0, +) < shapes.map { 16 * tiles($0, .f2) }.reduce(0, +)
  }

  /// The tile size for `shapes` (applications of one kernel): F(4×4) where it is cheaper
  /// (in training only when `trainingUsesF4`), else F(2×2).
  public static func variant(for shapes: [ConvShape], training: Bool) -> Variant {
    (!training || trainingUsesF4) && isF4Cheaper(for: shapes) ? .f4 : .f2
  }

  /// Tiles per block for `totalTiles` tiles so one block's V and M stay near `target` floats.
  public static func tilesPerBlock(_ v: Variant, totalTiles: Int, inChannels c: Int, outChannels k: Int,
                                   target: Int) -> Int {
    max(1, min(totalTiles, max(64, target / (v.planes * max(c, k)))))
  }

  /// Floats of the transformed kernel U [planes][Cin][Cout].
  public static func kernelFloats(_ v: Variant, inChannels c: Int, outChannels k: Int) -> Int { v.planes * c * k }

  /// Floats of scratch `forward` and `weightGradient` need besides U / dU: V and M (or dM).
  public static func blockScratchFloats(_ v: Variant, inChannels c: Int, outChannels k: Int, tilesPerBlock tb: Int) -> Int {
    v.planes * tb * (c + k)
  }

  /// y = act(scale ⊙ conv + shift), per output channel, applied as output tiles are written
  /// (F(4×4) only); nil scale is 1, nil shift is 0.
  public struct Epilogue {
    public var scale: UnsafePointer<Float>?
    public var shift: UnsafePointer<Float>?
    public var activation: Activation

    public init(scale: UnsafePointer<Float>? = nil, shift: UnsafePointer<Float>? = nil, activation: Activation = .none) {
      self.scale = scale; self.shift = shift; self.activation = activation
    }

    public static let identity = Epilogue()
    var isIdentity: Bool { scale == nil && shift == nil && activation == .none }
  }

  /// One input and output of a shared kernel: x [N,H,W,Cin], y [N,H,W,Cout] (overwritten by
  /// `forward`; read as dOutput by `weightGradient`).
  public struct Segment {
    public var shape: ConvShape
    public var x: UnsafePointer<Float>
    public var y: UnsafeMutablePointer<Float>
    public var epilogue: Epilogue

    public init(shape: ConvShape, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, epilogue: Epilogue = .identity) {
      precondition(Winograd.applies(to: shape), "Winograd needs a 3×3 stride-1 pad-1 convolution, got \(shape)")
      self.shape = shape; self.x = x; self.y = y; self.epilogue = epilogue
    }

    func tileRows(_ v: Variant) -> Int { (shape.outHeight + v.tile - 1) / v.tile }
    func tileCols(_ v: Variant) -> Int { (shape.outWidth + v.tile - 1) / v.tile }
  }

  /// U[ξ][c][k] = (G g Gᵀ)[ξ] of w [3,3,Cin,Cout] (`kernelFloats` floats).
  public static func transformKernel(_ v: Variant, _ w: UnsafePointer<Float>, c: Int, k: Int, u: UnsafeMutablePointer<Float>) {
    let kernel = v.transforms.kernel
    Parallel.forEachChunk(count: c, minChunk: max(1, 8192 / k)) { _, part in
      kernel(w, c, k, part.lowerBound, part.upperBound, u)
    }
  }

  /// Runs every segment through the transformed kernel `u`: y = conv(x) (with each segment's
  /// epilogue; F(2×2) takes identity epilogues only). `scratch` must hold
  /// `blockScratchFloats(v, ..., tilesPerBlock: tb)` floats.
  public static func forward(_ v: Variant, _ segments: [Segment], u: UnsafePointer<Float>,
                             scratch: UnsafeMutablePointer<Float>, tilesPerBlock tb: Int) {
    guard let first = segments.first else { return }
    let c = first.shape.inChannels, k = first.shape.outChannels, planes = v.planes
    precondition(segments.allSatisfy { $0.shape.inChannels == c && $0.shape.outChannels == k },
                 "Winograd: segments sharing a kernel must agree on channels")
    precondition(v == .f4 || segments.allSatisfy { $0.epilogue.isIdentity }, "F(2x2) writes plain outputs")
    let starts = tileStarts(v, segments)
    let total = starts.last!
    let vb = scratch, mb = scratch + planes * tb * c
    let input = v.transforms.input
    var t0 = 0
    while t0 < total {
      let t1 = min(total, t0 + tb), n = t1 - t0
      Profiler.measure(.im2col) {
        forEachPiece(segments, starts, t0..<t1) { seg, local, offset in
          let th = seg.tileRows(v), tw = seg.tileCols(v), s = seg.shape
          Parallel.forEachChunk(count: local.count, minChunk: max(1, 2048 / c)) { _, part in
            input(seg.x, s.inHeight, s.inWidth, c, th, tw, local.lowerBound + part.lowerBound, part.count,
                  vb + (offset + part.lowerBound) * c, n * c)
          }
        }
      }
      Profiler.measureGEMM("\(v) forward \(planes)x[\(n),\(c)]x[\(c),\(k)]", macs: planes * n * c * k) {
        products(planes) { xi in
          (false, false, n, k, c, UnsafePointer(vb + xi * n * c), c, u + xi * c * k, k, Float(0), mb + xi * n * k, k)
        }
      }
      Profiler.measure(.im2col) {
        forEachPiece(segments, starts, t0..<t1) { seg, local, offset in
          let th = seg.tileRows(v), tw = seg.tileCols(v), s = seg.shape, ep = seg.epilogue
          Parallel.forEachChunk(count: local.count, minChunk: max(1, 2048 / k)) { _, part in
            let m = UnsafePointer(mb + (offset + part.lowerBound) * k), tile0 = local.lowerBound + part.lowerBound
            if v == .f2 {
              Kernels.winograd2Output(m: m, plane: n * k, h: s.outHeight, w: s.outWidth, k: k, tileRows: th, tileCols: tw,
                                      tile0: tile0, count: part.count, y: seg.y)
            } else {
              Kernels.winograd4Output(m: m, plane: n * k, h: s.outHeight, w: s.outWidth, k: k, tileRows: th, tileCols: tw,
                                      tile0: tile0, count: part.count, y: seg.y, scale: ep.scale, shift: ep.shift,
                                      activation: ep.activation)
            }
          }
        }
      }
      t0 = t1
    }
  }

  /// dw += ∂L/∂w summed over all segments, given each segment's forward input x and its
  /// dOutput in `y`. `du` (`kernelFloats` floats) and `scratch` (`blockScratchFloats`) are
  /// the caller's.
  public static func weightGradient(_ v: Variant, _ segments: [Segment], dw: UnsafeMutablePointer<Float>,
                                    du: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                                    tilesPerBlock tb: Int) {
    guard let first = segments.first else { return }
    let c = first.shape.inChannels, k = first.shape.outChannels, planes = v.planes
    precondition(segments.allSatisfy { $0.shape.inChannels == c && $0.shape.outChannels == k },
                 "Winograd: segments sharing a kernel must agree on channels")
    let starts = tileStarts(v, segments)
    let total = starts.last!
    let vb = scratch, dm = scratch + planes * tb * c
    let input = v.transforms.input, outputGradient = v.transforms.outputGradient
    var t0 = 0
    while t0 < total {
      let t1 = min(total, t0 + tb), n = t1 - t0
      Profiler.measure(.im2col) {
        forEachPiece(segments, starts, t0..<t1) { seg, local, offset in
          let th = seg.tileRows(v), tw = seg.tileCols(v), s = seg.shape
          Parallel.forEachChunk(count: local.count, minChunk: max(1, 2048 / max(c, k))) { _, part in
            let tile0 = local.lowerBound + part.lowerBound, j = offset + part.lowerBound
            input(seg.x, s.inHeight, s.inWidth, c, th, tw, tile0, part.count, vb + j * c, n * c)
            outputGradient(UnsafePointer(seg.y), s.outHeight, s.outWidth, k, th, tw, tile0, part.count, dm + j * k, n * k)
          }
        }
      }
      let beta: Float = t0 == 0 ? 0 : 1
      Profiler.measureGEMM("\(v) dWeight \(planes)x[\(c),\(n)]x[\(n),\(k)]", macs: planes * n * c * k) {
        products(planes) { xi in
          (true, false, c, k, n, UnsafePointer(vb + xi * n * c), c, UnsafePointer(dm + xi * n * k), k, beta, du + xi * c * k, k)
        }
      }
      t0 = t1
    }
    let kernelGradient = v.transforms.kernelGradient
    Profiler.measure(.im2col) {
      _ = Parallel.forEachChunk(count: c, minChunk: max(1, 8192 / k)) { _, part in
        kernelGradient(du, c, k, part.lowerBound, part.upperBound, dw)
      }
    }
  }

  /// The `count` independent products of one block: (transA, transB, m, n, k, a, lda, b,
  /// ldb, beta, c, ldc) for product ξ. With our own GEMM threads they are shared out whole
  /// (each a single-threaded call); otherwise each is one `sgemm`.
  private static func products(_ count: Int,
                               _ operands: (Int) -> (Bool, Bool, Int, Int, Int, UnsafePointer<Float>, Int,
                                                     UnsafePointer<Float>, Int, Float, UnsafeMutablePointer<Float>, Int)) {
    let th = BLASRuntime.splitThreads
    @inline(__always) func run(_ xi: Int) {
      let o = operands(xi)
      sgemmSingle(transA: o.0, transB: o.1, m: o.2, n: o.3, k: o.4, a: o.5, lda: o.6, b: o.7, ldb: o.8, beta: o.9,
                  c: o.10, ldc: o.11)
    }
    if th > 1 {
      DispatchQueue.concurrentPerform(iterations: th) { t in
        for xi in stride(from: t, to: count, by: th) { run(xi) }
      }
    } else {
      for xi in 0..<count { run(xi) }
    }
  }

  /// starts[i]: the first global tile of segments[i]; the last entry is the total.
  private static func tileStarts(_ v: Variant, _ segments: [Segment]) -> [Int] {
    var starts = [0]
    for s in segments { starts.append(starts.last! + tiles(s.shape, v)) }
    return starts
  }

  /// Splits the global tile range `r` into per-segment pieces: (segment, local tile range,
  /// offset of the piece within the block).
  private static func forEachPiece(_ segments: [Segment], _ starts: [Int], _ r: Range<Int>,
                                   _ body: (Segment, Range<Int>, Int) -> Void) {
    for (i, seg) in segments.enumerated() {
      let lo = max(r.lowerBound, starts[i]), hi = min(r.upperBound, starts[i + 1])
      if lo < hi { body(seg, (lo - starts[i])..<(hi - starts[i]), lo - r.lowerBound) }
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
