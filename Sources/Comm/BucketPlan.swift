/// A fixed partition of the flat gradient arena into buckets that are all-reduced one after
/// another while backward still runs. Identical on every rank (checked by `LayoutCheck`).
///
/// Variables must tile the arena in order (variable i+1 starts where i ends). Buckets are
/// contiguous runs of whole variables taken in *reverse* variable order, because backward
/// produces the last variables' gradients first: bucket 0 holds the last variables. A bucket
/// is closed as soon as it reaches `bucketBytes`, so every bucket but the final one (the first
/// variables) is at least that large; a variable larger than `bucketBytes` is a bucket alone.
///
/// Example: variables of 3, 5, 2, 4 floats, bucketBytes 24 (6 floats): bucket 0 = variables
/// 2…3 (arena 8..<14), bucket 1 = variables 0…1 (arena 0..<8).
public struct BucketPlan: Equatable, Sendable {
  /// One bucket: an arena range and the variables (indices into `variables`) that tile it.
  public struct Bucket: Equatable, Sendable {
    public let index: Int
    /// Elements of the gradient arena.
    public let range: Range<Int>
    /// Indices into `BucketPlan.variables`, ascending.
    public let variables: Range<Int>
  }

  public let variables: [VariableLayout]
  /// In reduction order: bucket 0 first.
  public let buckets: [Bucket]
  public let bucketBytes: Int
  /// Bucket index of each variable.
  public let bucketOfVariable: [Int]

  /// Elements in the whole arena.
  public var totalCount: Int { variables.last.map { $0.offset + $0.count } ?? 0 }

  public init(variables: [VariableLayout], bucketBytes: Int = 8 << 20) {
    precondition(bucketBytes > 0, "bucketBytes must be positive")
    var expected = 0
    for (i, v) in variables.enumerated() {
      precondition(v.offset == expected,
                   "variable \(i) (\(v.name)) starts at \(v.offset), expected \(expected): variables must tile the arena in order")
      expected += v.count
    }
    self.variables = variables
    self.bucketBytes = bucketBytes
    let limit = (bucketBytes + 3) / 4
    var buckets: [Bucket] = []
    var owner = [Int](repeating: 0, count: variables.count)
    var end = variables.count
    while end > 0 {
      var start = end, elements = 0
      while start > 0 && elements < limit {
        start -= 1
        elements += variables[start].count
      }
      let range = variables[start].offset..<(variables[end - 1].offset + variables[end - 1].count)
      for v in start..<end { owner[v] = buckets.count }
      buckets.append(Bucket(index: buckets.count, range: range, variables: start..<end))
      end = start
    }
    self.buckets = buckets
    bucketOfVariable = owner
  }

  /// One bucket holding the whole arena: the reduce-scatter after backward, nothing
  /// overlapped (`--overlap_comm=false`).
  public static func wholeArena(variables: [VariableLayout]) -> BucketPlan {
    let total = variables.last.map { $0.offset + $0.count } ?? 0
    return BucketPlan(variables: variables, bucketBytes: max(4, 4 * total))
  }

  /// One line per variable and per bucket: what `LayoutCheck` compares across ranks.
  public var canonicalLines: [String] {
    variables.enumerated().map { i, v in "variable \(i) \(v.name) shape \(v.shape) offset \(v.offset)" }
      + buckets.map { b in
        "bucket \(b.index) elements \(b.range.lowerBound)..<\(b.range.upperBound) variables \(b.variables.lowerBound)..<\(b.variables.upperBound)"
      }
  }

  /// 64-bit FNV-1a hash of `canonicalLines` (newline-joined).
  public var fingerprint: UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in canonicalLines.joined(separator: "\n").utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return hash
  }
}
