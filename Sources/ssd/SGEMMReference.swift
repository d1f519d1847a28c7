import Dispatch
import Foundation
import Model

/// The same-run reference every speed figure of `ssd bench model` and `ssd bench infer` is
/// set against: the best of `repeats` square SGEMMs through the model's own `sgemm` (and
/// so its GEMM threading), as wall GFLOP/s and GFLOP per CPU-second.
enum SGEMMReference {
  static func rate(size n: Int, repeats: Int) -> (wall: Double, cpu: Double) {
    let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
    var c = [Float](repeating: 0, count: n * n)
    var best = 0.0, bestCPU = 0.0
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        c.withUnsafeMutableBufferPointer { cp in
          for _ in 0..<(repeats + 1) {
            let s = now(), c = cpuTime()
            sgemm(transA: false, transB: false, m: n, n: n, k: n, a: ap.baseAddress!, lda: n,
                  b: bp.baseAddress!, ldb: n, c: cp.baseAddress!, ldc: n)
            let flop = 2 * Double(n * n) * Double(n)
            best = max(best, flop / (now() - s) / 1e9)
            bestCPU = max(bestCPU, flop / (cpuTime() - c) / 1e9)
          }
        }
      }
    }
    return (best, bestCPU)
  }

  /// User + system CPU seconds of this process.
  static func cpuTime() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6
      + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6
  }

  static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }
}
