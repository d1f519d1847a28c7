import Testing
@testable import Model

/// `sgemm` on our own threads (row or column bands of single-threaded OpenBLAS calls)
/// gives the product of one OpenBLAS call, for every transpose combination, band edges that
/// are not multiples of the 16-wide panel, and beta ≠ 0, within float32 rounding.
///
/// Bits are not asserted here: OpenBLAS's thread count is process-wide, and the suites that
/// run beside this one in `swift test` (every forward-only pass, `BLASRuntime.configure`)
/// change it, so a band can be threaded (and summed) differently mid-test. That race made
/// the bit check fail on 2026-12-05 (12 of 12 bit checks on an AMD EPYC, Haswell kernel);
/// run alone (`swift test --no-parallel --filter GEMMTests`) the k ≤ 300 cases match bit
/// for bit. OpenBLAS also picks its blocking by size, so the k = 2049 case differs in the
/// last bits even then.
struct GEMMTests {
  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func ownThreadsAgreeWithOneCall(transA: Bool, transB: Bool) {
    var rng = SplitMix64(seed: 3)
    // Row bands (m ≥ n) and column bands (m < n), band edges off the 16-wide panels.
    for (m, n, k) in [(1001, 67, 300), (70, 500, 300), (256, 256, 256), (97, 33, 2049), (33, 97, 2049)] {
      let a = Tensor.random([m * k], rng: &rng).data, b = Tensor.random([k * n], rng: &rng).data
      let c0 = Tensor.random([m * n], rng: &rng).data
      let lda = transA ? m : k, ldb = transB ? k : n
      var whole = c0, split = c0
      sgemmSingle(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb,
                  beta: 0.25, c: &whole, ldc: n)
      let saved = BLASRuntime.splitMinimumMACs
      BLASRuntime.splitMinimumMACs = 1
      defer { BLASRuntime.splitMinimumMACs = saved }
      for threads in [2, 3] {
        split = c0
        let mode = BLASRuntime.threading, count = BLASRuntime.gemmThreads
        BLASRuntime.configure(.own, threads: threads)
        #expect(BLASRuntime.splitThreads == threads && BLASRuntime.threadCount == 1)
        sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda, b: b, ldb: ldb,
              beta: 0.25, c: &split, ldc: n)
        BLASRuntime.configure(mode, threads: count)
        // |a·b| ≤ k·max|a|·max|b| ≈ 2049; float32 sums of that length agree to ~1e-3 absolute.
        #expect(maxAbsDifference(split, whole) < 2e-3 * Float(k).squareRoot(), "m \(m) n \(n) k \(k), \(threads) threads")
      }
    }
  }
}
