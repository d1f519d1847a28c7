import COpenBLAS

/// C = alpha·op(A)·op(B) + beta·C, row-major; op(X) is X or its transpose.
/// A is m×k after op, B is k×n after op, C is m×n.
/// The corresponding C function is `cblas_sgemm`.
@inline(__always)
public func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
  if m == 0 || n == 0 { return }
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
              Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// OpenBLAS runtime facts and controls.
public enum BLASRuntime {
  /// The kernel OpenBLAS selected at load time, e.g. "SkylakeX" or "Prescott".
  public static var coreName: String { String(cString: openblas_get_corename()) }
  public static var threadCount: Int { Int(openblas_get_num_threads()) }
  public static func setThreadCount(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}
