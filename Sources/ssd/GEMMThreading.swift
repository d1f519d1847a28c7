import Foundation
import Model

/// Sets GEMM threading at startup (`BLASRuntime.Threading` explains the modes), keeping the
/// thread count OpenBLAS was given: `OPENBLAS_NUM_THREADS` (per MPI rank in the launch
/// scripts) or the number of cores. Commands with a `--threads` option change the count,
/// not the mode. `SSD_GEMM_THREADING=auto|own|openblas` picks the mode (default auto).
enum GEMMThreading {
  static func configure() {
    let env = ProcessInfo.processInfo.environment["SSD_GEMM_THREADING"] ?? "auto"
    let mode = BLASRuntime.Threading(rawValue: env) ?? {
      FileHandle.standardError.write("ssd: SSD_GEMM_THREADING must be auto, own or openblas, got '\(env)'; using auto\n"
        .data(using: .utf8)!)
      return .auto
    }()
    BLASRuntime.configure(mode, threads: BLASRuntime.threadCount)
  }
}
