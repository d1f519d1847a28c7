import COpenBLAS
import Dispatch

/// C = alpha·op(A)·op(B) + beta·C, row-major; op(X) is X or its transpose.
/// A is m×k after op, B is k×n after op, C is m×n.
/// The corresponding C function is `cblas_sgemm`.
///
/// With `BLASRuntime.splitThreads` > 1 (`BLASRuntime.Threading`), a large product is cut
/// into that many bands of C, each a single-threaded OpenBLAS call on its own thread (see
/// `BLASRuntime.Threading` for why); otherwise OpenBLAS threads it. Each band packs the
/// whole of the operand it shares, so the cut runs across the larger dimension: row bands
/// (each packs all of op(B), k×n) when m ≥ n, column bands (each packs all of op(A), m×k)
/// otherwise, e.g. a 1×1 convolution's dWeight [Cin, rows]·[rows, Cout] with Cin < Cout.
@inline(__always)
public func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
  if m == 0 || n == 0 { return }
  let t = BLASRuntime.splitThreads
  let split = t > 1 && max(m, n) >= 32 * t && m * n * k >= BLASRuntime.splitMinimumMACs
  if split && m >= n {
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
  } else if split {
    DispatchQueue.concurrentPerform(iterations: t) { i in
      let panels = (n + 15) / 16
      let lo = min(n, 16 * (i * panels / t)), hi = min(n, 16 * ((i + 1) * panels / t))
      if lo < hi {
        sgemmSingle(transA: transA, transB: transB, m: m, n: hi - lo, k: k, alpha: alpha,
                    a: a, lda: lda, b: transB ? b + lo * ldb : b + lo, ldb: ldb, beta: beta,
                    c: c + lo, ldc: ldc)
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
  /// OpenBLAS's own thread count (1 while `sgemm` splits products itself).
  public static var threadCount: Int { Int(openblas_get_num_threads()) }
  public static func setThreadCount(_ n: Int) { openblas_set_num_threads(Int32(n)) }

  /// Threads `sgemm` splits large products over itself (0: OpenBLAS threads them).
  nonisolated(unsafe) public private(set) static var splitThreads = 0
  /// Products smaller than this many multiply-adds are not split.
  nonisolated(unsafe) public static var splitMinimumMACs = 1 << 22

  /// Who threads GEMMs.
  ///
  /// - `openblas`: OpenBLAS's pool (its threaded driver shares packed panels between
  ///   threads: best for training's large backward products).
  /// - `own`: OpenBLAS is set to one thread and `sgemm` cuts each large product into row
  ///   bands computed side by side (a Winograd convolution's 36 products are shared out
  ///   whole). A forward-only pass alternates short GEMMs with element-wise work on the
  ///   same cores; OpenBLAS's idle worker spins in sched_yield through that work and takes
  ///   CPU from it, while our threads sleep.
  /// - `auto` (the default): `own` inside forward-only network passes
  ///   (`forForwardOnlyPass`), `openblas` everywhere else. On the 2-core development
  ///   machine this makes the SSD320 inference forward about 15% faster while the
  ///   training step keeps OpenBLAS's 6% edge (`ssd bench model` under each
  ///   `SSD_GEMM_THREADING`).
  ///
  /// Results agree to float32 rounding; for the model's product sizes they are the same
  /// bits (a row band is blocked like the whole product; tested).
  public enum Threading: String, Sendable, CaseIterable { case auto, own, openblas }

  /// Current threading mode (`configure`).
  nonisolated(unsafe) public private(set) static var threading = Threading.auto
  /// GEMM threads (`configure`); OpenBLAS's count at load by default.
  nonisolated(unsafe) public private(set) static var gemmThreads = Int(openblas_get_num_threads())

  /// Sets the mode and the number of GEMM threads.
  public static func configure(_ mode: Threading, threads: Int) {
    threading = mode
    gemmThreads = max(1, threads)
    apply(split: mode == .own)
  }

  /// `configure` with the same mode and a new thread count.
  public static func setGEMMThreads(_ threads: Int) { configure(threading, threads: threads) }

  private static func apply(split: Bool) {
    // Read `gemmThreads` before changing OpenBLAS's count: a lazily initialized static, its
    // first read takes OpenBLAS's count at that moment (read after `setThreadCount(1)` it
    // became 1, and every later training step of the process ran on one thread).
    let threads = gemmThreads
    if split {
      setThreadCount(1)
      splitThreads = threads > 1 ? threads : 0
    } else {
      splitThreads = 0
      setThreadCount(threads)
    }
  }

  /// Runs `body` (a forward-only network pass) with `own` threading when the mode is `auto`.
  /// Passes of the other kind in the same process wait (`BLASPassGate`).
  public static func forForwardOnlyPass<T>(_ body: () throws -> T) rethrows -> T {
    guard threading == .auto else { return try BLASPassGate.shared.run(.forwardOnly, body) }
    return try BLASPassGate.shared.run(.forwardOnly, enter: { apply(split: true) }, exit: { apply(split: false) }, body)
  }

  /// Runs `body` (a training step: forward, backward, update) on OpenBLAS's settings as
  /// configured, never while a forward-only pass of another thread has them changed.
  public static func forTrainingPass<T>(_ body: () throws -> T) rethrows -> T {
    try BLASPassGate.shared.run(.training, body)
  }

  /// A description for benchmark headers, e.g. "2 (OpenBLAS threads)".
  public static var threadingDescription: String {
    switch threading {
    case .auto: return "\(gemmThreads) (auto: own threads in forward-only passes, OpenBLAS's in training)"
    case .own: return "\(gemmThreads) (own threads, OpenBLAS single-threaded)"
    case .openblas: return "\(gemmThreads) (OpenBLAS threads)"
    }
  }
}
