import COpenBLAS
import Dispatch

/// C = alpha·op(A)·op(B) + beta·C, row-major; op(X) is X or its transpose.
/// A is m×k after op, B is k×n after op, C is m×n.
/// The corresponding C function is `cblas_sgemm`.
///
/// With `BLASRuntime.splitThreads` > 1 (`BLASRuntime.configure(.own, threads:)`), a large
/// product is cut into that many row bands of C, each a single-threaded OpenBLAS call on
/// its own thread (see `BLASRuntime.Threading` for why); otherwise OpenBLAS threads it.
@inline(__always)
public func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
  if m == 0 || n == 0 { return }
  let t = BLASRuntime.splitThreads
  if t > 1 && m >= 32 * t && m * n * k >= BLASRuntime.splitMinimumMACs {
    DispatchQueue.concurrentPerform(iterations: t) { i in
      // Bands of whole 16-row panels, so each call keeps OpenBLAS's full kernel tiles.
      let panels = (m + 15) / 16
      let lo = min(m, 16 * (i * panels / t)), hi = min(m, 16 * ((i + 1) * panels / t))
      if lo < hi {
        sgemmSingle(transA: transA, transB: transB, m: hi - lo, n: n, k: k, alpha: alpha,
                    a: transA ? a + lo : a + lo * lda, lda: lda, b: b, ldb: ldb, beta: beta,
                    c: c + lo * ldc, ldc: ldc)
      }
    }
  } else {
    sgemmSingle(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                beta: beta, c: c, ldc: ldc)
  }
}

/// One `cblas_sgemm` call as it is (OpenBLAS's own threading, if any).
@inline(__always)
public func sgemmSingle(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
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

  /// Threads `sgemm` splits large products over itself (0: OpenBLAS threads them).
  nonisolated(unsafe) public private(set) static var splitThreads = 0
  /// Products smaller than this many multiply-adds are not split.
  nonisolated(unsafe) public static var splitMinimumMACs = 1 << 22

  /// Who threads GEMMs: our own threads (`sgemm` cuts products into row bands of
  /// single-threaded OpenBLAS calls; the default of `ssd`) or OpenBLAS's pool.
  ///
  /// Why our own: a forward pass alternates short GEMMs with element-wise work on the
  /// same cores. OpenBLAS's idle worker spins in sched_yield through that work and takes
  /// CPU from it, while our threads sleep. On this 2-core machine the SSD320 forward pass
  /// runs about 25% faster (`ssd bench model --skip-train`, with and without
  /// `SSD_GEMM_THREADING=openblas`). Results are bit-identical either way: neither splits
  /// the k sum, and a row band is computed exactly as in the whole product (tested).
  public enum Threading: String, Sendable { case own, openblas }

  /// Current threading mode (`configure`).
  nonisolated(unsafe) public private(set) static var threading = Threading.openblas

  /// GEMM threads under the current mode.
  public static var gemmThreads: Int { threading == .own ? max(splitThreads, 1) : threadCount }

  /// Sets the mode and the number of GEMM threads. `.own` sets OpenBLAS to one thread and
  /// lets `sgemm` split products over `threads` threads (none when `threads` is 1).
  public static func configure(_ mode: Threading, threads: Int) {
    threading = mode
    if mode == .own {
      setThreadCount(1)
      splitThreads = threads > 1 ? threads : 0
    } else {
      splitThreads = 0
      setThreadCount(max(1, threads))
    }
  }

  /// `configure` with the same mode and a new thread count.
  public static func setGEMMThreads(_ threads: Int) { configure(threading, threads: threads) }

  /// A description for benchmark headers, e.g. "2 (own threads)".
  public static var threadingDescription: String {
    "\(gemmThreads) (\(threading == .own ? "own threads, OpenBLAS single-threaded" : "OpenBLAS threads"))"
  }
}
