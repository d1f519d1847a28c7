import Testing
@testable import Model

/// `sgemm` on our own threads (row or column bands of single-threaded OpenBLAS calls) gives
/// the product of one OpenBLAS call, for every transpose combination, band edges that are
/// not multiples of the 16-wide panel, and beta ≠ 0. Not always the same bits: OpenBLAS picks
/// its blocking by the product's size, so a band can sum in another order (the k = 2049
/// case differs in the last bits). With the AVX-512 kernels (SkylakeX, Cooperlake) the
/// smaller cases give the same bits; with the AVX2 ones (Haswell, Zen; checked on an AMD
/// EPYC) they differ in the last bits too, so bits are only required there.
struct GEMMTests {
  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func ownThreadsGiveTheSameBits(transA: Bool, transB: Bool) {
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
        if k <= 300 && ["SkylakeX", "Cooperlake"].contains(BLASRuntime.coreName) {
          #expect(split == whole, "m \(m) n \(n) k \(k), \(threads) threads: bits")
        }
      }
    }
  }
}
