/// The keys of a buffer (64-bit `NonMaxSuppression.candidateKey`s) in descending order,
/// produced lazily: greedy NMS usually visits only the best few hundred candidates before
/// it has kept enough, so ordering all n keys would be wasted work.
///
/// Small buffers (≤ 2·`batchSize`) are sorted once. Otherwise a 4,096-bin histogram of the
/// keys' top 12 bits (the sign, exponent and 3 mantissa bits of the score or logit) gives
/// bin ranges holding ≥ `batchSize` keys; each range's keys are gathered into a max-heap
/// and popped in order, then the next lower range. Ranges partition the keys in
/// descending order, so the sequence is exactly the keys sorted descending. A lazy heap
/// instead of a sort per range: when many keys share a bin (scores that agree in their top
/// bits, e.g. an untrained network's), only the few popped pay the log n.
struct DescendingKeys {
  private let keys: UnsafeBufferPointer<UInt64>
  private let batchSize: Int
  private var sorted: [UInt64] = []
  private var position = 0
  private var histogram: [Int32] = []
  private var heap: [UInt64] = []
  private var heapCount = 0
  /// Bins at and above `high` have been handed out.
  private var high = 4096

  init(_ keys: UnsafeBufferPointer<UInt64>, batchSize: Int = 256) {
    self.keys = keys
    self.batchSize = batchSize
    if keys.count <= 2 * batchSize {
      sorted = keys.sorted(by: >)
    } else {
      histogram = [Int32](repeating: 0, count: 4096)
      histogram.withUnsafeMutableBufferPointer { h in
        for k in keys { h[Int(k >> 52)] += 1 }
      }
      heap.reserveCapacity(2 * batchSize)
    }
  }

  /// The next key in descending order, or nil when all have been returned.
  mutating func next() -> UInt64? {
    if histogram.isEmpty {
      guard position < sorted.count else { return nil }
      position += 1
      return sorted[position - 1]
    }
    while heapCount == 0 {
      if high == 0 { return nil }
      var low = high, count = 0
      while low > 0 && count < batchSize { low -= 1; count += Int(histogram[low]) }
      heap.removeAll(keepingCapacity: true)
      let lo = UInt64(low), hi = UInt64(high)
      for k in keys {
        let bin = k >> 52
        if bin >= lo && bin < hi { heap.append(k) }
      }
      high = low
      heapCount = heap.count
      heap.withUnsafeMutableBufferPointer { h in
        for i in stride(from: heapCount / 2 - 1, through: 0, by: -1) { DescendingKeys.siftDown(h.baseAddress!, i, heapCount) }
      }
    }
    return heap.withUnsafeMutableBufferPointer { h in
      let p = h.baseAddress!
      let top = p[0]
      heapCount -= 1
      p[0] = p[heapCount]
      DescendingKeys.siftDown(p, 0, heapCount)
      return top
    }
  }

  /// Restores the max-heap property below `i` in `h[0..<count]`.
  @inline(__always)
  static func siftDown(_ h: UnsafeMutablePointer<UInt64>, _ i: Int, _ count: Int) {
    var i = i
    let v = h[i]
    while true {
      var c = 2 * i + 1
      if c >= count { break }
      if c + 1 < count && h[c + 1] > h[c] { c += 1 }
      if h[c] <= v { break }
      h[i] = h[c]
      i = c
    }
    h[i] = v
  }
}
