import Foundation

/// Splits element-wise work (batch norm, activations, im2col) over a few threads.
/// These phases never overlap with a GEMM; GEMMs are split by `sgemm` itself (row bands,
/// `BLASRuntime.Threading`) or threaded by OpenBLAS.
public enum Parallel {
  /// Threads used for element-wise work; 1 runs everything on the calling thread.
  nonisolated(unsafe) public static var threads: Int = 2

  /// Calls `body(chunkIndex, range)` for `chunks` contiguous pieces of `0..<count`
  /// (at most `threads` pieces, none smaller than `minChunk` unless `count` is).
  /// Returns the number of chunks used, so callers can merge per-chunk partials.
  @discardableResult
  public static func forEachChunk(count: Int, minChunk: Int = 4096,
                                  _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) -> Int {
    let chunks = chunkCount(count: count, minChunk: minChunk)
    if chunks <= 1 {
      body(0, 0..<count)
      return 1
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
      body(c, range(chunk: c, of: chunks, count: count))
    }
    return chunks
  }

  /// How many chunks `forEachChunk` will use for `count` items.
  public static func chunkCount(count: Int, minChunk: Int = 4096) -> Int {
    max(1, min(threads, count / max(minChunk, 1)))
  }

  /// The `c`-th of `chunks` near-equal contiguous pieces of `0..<count`.
  @inline(__always)
  public static func range(chunk c: Int, of chunks: Int, count: Int) -> Range<Int> {
    (c * count / chunks)..<((c + 1) * count / chunks)
  }
}
