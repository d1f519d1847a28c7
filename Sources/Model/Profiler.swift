import Foundation

/// Wall time spent per kind of layer work, for `ssd bench model`. Off unless enabled.
public enum Profiler {
  /// Kinds of work the model does.
  public enum Kind: Int, CaseIterable {
    /// GEMMs of convolutions; im2col/col2im and Winograd transforms; batch norm (with its
    /// fused activation/residual); stand-alone activations and adds; pooling, up/subsampling;
    /// the rest (bias, kernel flips, output concatenation).
    case convGEMM, im2col, batchNorm, activation, pool, other
    public var label: String {
      switch self {
      case .convGEMM: return "conv GEMM"
      case .im2col: return "im2col/winograd"
      case .batchNorm: return "batch norm"
      case .activation: return "activation/add"
      case .pool: return "pool/resample"
      case .other: return "other"
      }
    }
  }

  nonisolated(unsafe) public static var enabled = false
  nonisolated(unsafe) public static var seconds = [Double](repeating: 0, count: Kind.allCases.count)

  public static func reset() { seconds = [Double](repeating: 0, count: Kind.allCases.count) }

  /// Runs `body`, adding its wall time to `kind` when profiling is on.
  @inline(__always)
  public static func measure<T>(_ kind: Kind, _ body: () throws -> T) rethrows -> T {
    if !enabled { return try body() }
    let t0 = DispatchTime.now().uptimeNanoseconds
    let r = try body()
    seconds[kind.rawValue] += Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
    return r
  }
}
