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

  /// Per GEMM group (a label naming the strategy, pass and shape): calls, seconds and
  /// multiply-adds, for `ssd bench model --gemm-profile`.
  nonisolated(unsafe) public static var gemms: [String: (calls: Int, seconds: Double, macs: Double)] = [:]

  public static func reset() {
    seconds = [Double](repeating: 0, count: Kind.allCases.count)
    gemms = [:]
  }

  /// `measure(.convGEMM, body)`, also adding the time and `macs` to `label`'s entry.
  @inline(__always)
  public static func measureGEMM<T>(_ label: @autoclosure () -> String, macs: Int, _ body: () throws -> T) rethrows -> T {
    if !enabled { return try body() }
    let t0 = DispatchTime.now().uptimeNanoseconds
    let r = try body()
    let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
    seconds[Kind.convGEMM.rawValue] += dt
    let key = label()
    let e = gemms[key] ?? (0, 0, 0)
    gemms[key] = (e.calls + 1, e.seconds + dt, e.macs + Double(macs))
    return r
  }

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
