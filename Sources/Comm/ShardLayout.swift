/// The one cut of an arena into ranks' parts: `count` elements into `parts` contiguous
/// ranges whose sizes differ by at most one, earlier ranges larger: 10 over 3 → 0..<4,
/// 4..<7, 7..<10. It is both the ring's segments (`RingAllReduce`: rank r ends a
/// reduce-scatter with segment r summed) and ZeRO-1's shards (worker r updates and keeps the
/// momentum of shard r), which is why the two always agree.
public enum ShardLayout {
  /// Part `part` of `parts` over `count` elements.
  public static func range(_ part: Int, count: Int, parts: Int) -> Range<Int> {
    precondition(count >= 0 && parts >= 1 && (0..<parts).contains(part),
                 "ShardLayout needs count ≥ 0 and part in 0..<parts, got part \(part) of \(parts) over \(count)")
    let base = count / parts, extra = count % parts
    let start = part * base + min(part, extra)
    return start..<(start + base + (part < extra ? 1 : 0))
  }

  /// All `parts` ranges, in order; they tile `0..<count`.
  public static func ranges(count: Int, parts: Int) -> [Range<Int>] {
    (0..<parts).map { range($0, count: count, parts: parts) }
  }
}
