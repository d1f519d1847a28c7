import CKernels

/// The C kernels of `Sources/CKernels` (Winograd transforms, batch norm loops) and the
/// instruction-set variant they run in: portable (the compiler's baseline; the reference),
/// AVX2 or AVX-512, chosen at start from cpuid, or by `SSD_KERNELS=portable|avx2|avx512`.
/// All variants give the same bits (same operations per element, no FMA contraction), so
/// the choice changes speed only.
///
/// Like `GEMM.swift` for `cblas_sgemm`, this is the one file that calls the C functions;
/// each wrapper is single-threaded over a range, and callers split ranges over threads.
public enum Kernels {
  /// An instruction-set variant of the C kernels.
  public enum ISA: Int32, CaseIterable, Sendable {
    case portable = 0, avx2 = 1, avx512 = 2
    public var name: String { String(cString: ssdk_isa_name(rawValue)) }
  }

  /// The variant in use.
  public static var isa: ISA { ISA(rawValue: ssdk_isa())! }
  /// The widest variant this CPU and OS can run.
  public static var supported: ISA { ISA(rawValue: ssdk_isa_supported())! }
  /// True when `SSD_KERNELS` asked for a variant this CPU cannot run.
  public static var requestUnmet: Bool { ssdk_isa_request_unmet() != 0 }

  /// Selects variant `isa` for the rest of the process; false (and no change) when this CPU
  /// cannot run it.
  @discardableResult
  public static func select(_ isa: ISA) -> Bool { ssdk_set_isa(isa.rawValue) == 0 }

  /// Runs `body` with variant `isa` (precondition: `supported` covers it), then restores
  /// the previous one. For tests and benchmarks; not for concurrent use.
  public static func with<T>(_ isa: ISA, _ body: () throws -> T) rethrows -> T {
    let saved = self.isa
    precondition(ssdk_set_isa(isa.rawValue) == 0, "this CPU cannot run the \(isa.name) kernels (it supports \(supported.name))")
    defer { ssdk_set_isa(saved.rawValue) }
    return try body()
  }

  /// Every variant this CPU can run, narrowest first.
  public static var runnable: [ISA] { ISA.allCases.filter { $0.rawValue <= supported.rawValue } }

  /// A description for benchmark headers, e.g. "avx2 (CPU supports avx2)".
  public static var description: String {
    "\(isa.name) (CPU supports \(supported.name)\(requestUnmet ? "; SSD_KERNELS asked for more" : ""))"
  }

  // MARK: Winograd F(2×2, 3×3) and F(4×4, 3×3)

  /// The Winograd transforms of one tile size (`Winograd.Variant`).
  struct WinogradTransforms {
    let input: (UnsafePointer<Float>, Int, Int, Int, Int, Int, Int, Int, UnsafeMutablePointer<Float>, Int) -> Void
    let outputGradient: (UnsafePointer<Float>, Int, Int, Int, Int, Int, Int, Int, UnsafeMutablePointer<Float>, Int) -> Void
    let kernel: (UnsafePointer<Float>, Int, Int, Int, Int, UnsafeMutablePointer<Float>) -> Void
    let kernelGradient: (UnsafePointer<Float>, Int, Int, Int, Int, UnsafeMutablePointer<Float>) -> Void
  }

  static let winograd2 = WinogradTransforms(input: ssdk_wino2_input, outputGradient: ssdk_wino2_output_grad,
                                            kernel: ssdk_wino2_kernel, kernelGradient: ssdk_wino2_kernel_grad)
  static let winograd4 = WinogradTransforms(input: ssdk_wino4_input, outputGradient: ssdk_wino4_output_grad,
                                            kernel: ssdk_wino4_kernel, kernelGradient: ssdk_wino4_kernel_grad)

  /// F(2×2) output transform (no epilogue).
  static func winograd2Output(m: UnsafePointer<Float>, plane: Int, h: Int, w: Int, k: Int, tileRows: Int, tileCols: Int,
                              tile0: Int, count: Int, y: UnsafeMutablePointer<Float>) {
    ssdk_wino2_output(m, plane, h, w, k, tileRows, tileCols, tile0, count, y)
  }

  /// F(4×4) output transform with `act(scale·v + shift)`.
  static func winograd4Output(m: UnsafePointer<Float>, plane: Int, h: Int, w: Int, k: Int, tileRows: Int, tileCols: Int,
                              tile0: Int, count: Int, y: UnsafeMutablePointer<Float>,
                              scale: UnsafePointer<Float>?, shift: UnsafePointer<Float>?, activation: Activation) {
    ssdk_wino4_output(m, plane, h, w, k, tileRows, tileCols, tile0, count, y, scale, shift, activation.code)
  }

  // MARK: Batch norm

  /// out = act(x·scale + shift (+ residual)) for rows `rows`.
  static func batchNormApply(_ act: Activation, x: UnsafePointer<Float>, residual: UnsafePointer<Float>?,
                             out: UnsafeMutablePointer<Float>, scale: UnsafePointer<Float>, shift: UnsafePointer<Float>,
                             rows: Range<Int>, channels: Int) {
    ssdk_bn_apply(act.code, x, residual, out, scale, shift, rows.lowerBound, rows.upperBound, channels)
  }

  /// t1 += Σ (x − pivot), t2 += Σ (x − pivot)² per channel over `rows` (blocked; `acc`: 2c floats).
  static func batchNormMomentSums(x: UnsafePointer<Float>, pivot: UnsafePointer<Float>, rows: Range<Int>, channels: Int,
                                  t1: UnsafeMutablePointer<Double>, t2: UnsafeMutablePointer<Double>,
                                  acc: UnsafeMutablePointer<Float>) {
    ssdk_bn_moment_sums(x, pivot, rows.lowerBound, rows.upperBound, channels, t1, t2, acc)
  }

  /// t1 += Σ dz, t2 += Σ dz·(x − mean), dz = dy·mask(y), over `rows`.
  static func batchNormBackwardSums(_ act: Activation, dy: UnsafePointer<Float>, y: UnsafePointer<Float>,
                                    x: UnsafePointer<Float>, mean: UnsafePointer<Float>, rows: Range<Int>, channels: Int,
                                    t1: UnsafeMutablePointer<Double>, t2: UnsafeMutablePointer<Double>,
                                    acc: UnsafeMutablePointer<Float>) {
    ssdk_bn_backward_sums(act.code, dy, y, x, mean, rows.lowerBound, rows.upperBound, channels, t1, t2, acc)
  }

  /// dx = a·dz + k·(x − mean) + b, dz = dy·mask(y) (stored when `dz` is given), over `rows`.
  static func batchNormBackwardApply(_ act: Activation, dy: UnsafePointer<Float>, y: UnsafePointer<Float>,
                                     x: UnsafePointer<Float>, mean: UnsafePointer<Float>, a: UnsafePointer<Float>,
                                     k: UnsafePointer<Float>, b: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                                     dz: UnsafeMutablePointer<Float>?, rows: Range<Int>, channels: Int) {
    ssdk_bn_backward_apply(act.code, dy, y, x, mean, a, k, b, dx, dz, rows.lowerBound, rows.upperBound, channels)
  }
}

extension Activation {
  /// The C kernels' activation code.
  var code: Int32 {
    switch self {
    case .none: return 0
    case .relu: return 1
    case .relu6: return 2
    }
  }
}
