/// Splits `count` arena elements into `parts` contiguous ranges whose sizes differ by at
/// most one, earlier ranges larger: 10 over 3 → 0..<4, 4..<7, 7..<10. Each worker's
/// optimizer (and momentum) covers its own range (ZeRO-1); with one worker it is everything.
public enum ShardLayout {
  public static func ranges(count: Int, parts: Int) -> [Range<Int>] {
    precondition(count >= 0 && parts >= 1, "ShardLayout needs count ≥ 0 and parts ≥ 1, got \(count), \(parts)")
    let base = count / parts, extra = count % parts
    var out: [Range<Int>] = []
    var start = 0
    for p in 0..<parts {
      let n = base + (p < extra ? 1 : 0)
      out.append(start..<(start + n))
      start += n
    }
    return out
  }
}
