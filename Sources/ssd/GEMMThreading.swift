import Foundation
import Model

/// Puts GEMM threading on our own threads at startup (`BLASRuntime.Threading` says why),
/// keeping the thread count OpenBLAS was given: `OPENBLAS_NUM_THREADS` (per MPI rank in
/// the launch scripts) or the number of cores. Commands with a `--threads` option change
/// the count, not the mode. `SSD_GEMM_THREADING=openblas` restores OpenBLAS's own pool.
enum GEMMThreading {
  static func configure() {
    let env = ProcessInfo.processInfo.environment["SSD_GEMM_THREADING"] ?? "own"
    guard let mode = BLASRuntime.Threading(rawValue: env) else {
      FileHandle.standardError.write("ssd: SSD_GEMM_THREADING must be 'own' or 'openblas', got '\(env)'; using 'own'\n"
        .data(using: .utf8)!)
      BLASRuntime.configure(.own, threads: BLASRuntime.threadCount)
      return
    }
    BLASRuntime.configure(mode, threads: BLASRuntime.threadCount)
  }
}
