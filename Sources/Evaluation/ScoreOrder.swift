/// The detection order of pycocotools: `numpy.argsort(-scores, kind='mergesort')`, a
/// *stable* sort of negated scores, so equal scores keep their original order and NaN
/// scores (numpy sorts NaN last) come after every number.
enum ScoreOrder {
  /// True when the entry with score `a` at original position `i` comes before the entry
  /// with score `b` at position `j` (positions break ties, which is what stability means).
  @inline(__always)
  static func precedes(_ a: Double, _ i: Int, _ b: Double, _ j: Int) -> Bool {
    if a.isNaN { return b.isNaN && i < j }
    if b.isNaN { return true }
    if a != b { return a > b }
    return i < j
  }

  /// Positions 0..<scores.count in evaluation order (introsort with the tie-break above).
  static func argsort(_ scores: [Double]) -> [Int] {
    var order = Array(scores.indices)
    scores.withUnsafeBufferPointer { s in
      order.sort { precedes(s[$0], $0, s[$1], $1) }
    }
    return order
  }

  /// Reference for `argsort`: a literal top-down merge sort on `-score` that takes from
  /// the left run on ties, as numpy's mergesort does (NaN last).
  static func mergesortReference(_ scores: [Double]) -> [Int] {
    let keys = scores.map { -$0 }
    func lessOrEqual(_ x: Double, _ y: Double) -> Bool {  // "x may stay before y"
      if x.isNaN { return y.isNaN }
      if y.isNaN { return true }
      return x <= y
    }
    func sort(_ idx: [Int]) -> [Int] {
      if idx.count <= 1 { return idx }
      let mid = idx.count / 2
      let left = sort(Array(idx[..<mid])), right = sort(Array(idx[mid...]))
      var out: [Int] = []
      out.reserveCapacity(idx.count)
      var l = 0, r = 0
      while l < left.count && r < right.count {
        if lessOrEqual(keys[left[l]], keys[right[r]]) { out.append(left[l]); l += 1 } else { out.append(right[r]); r += 1 }
      }
      out += left[l...]
      out += right[r...]
      return out
    }
    return sort(Array(scores.indices))
  }
}
