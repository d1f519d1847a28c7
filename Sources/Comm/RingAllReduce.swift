/// Bandwidth-optimal ring collectives over a `Transport`: all-reduce (sum, optionally
/// averaged) as reduce-scatter followed by all-gather, plus broadcast and gather
/// (`RingAllReduce+Broadcast.swift`, `RingAllReduce+Gather.swift`).
///
/// Ring schedule. The buffer of n floats is cut into p segments (p = world size) whose
/// lengths differ by at most one: segment s = `ShardLayout.range(s, count: n, parts: p)`, the first
/// n mod p segments one longer. Rank r sends to r+1 and receives from r−1 (mod p).
/// - Reduce-scatter, p−1 steps: at step t rank r sends segment (r−1−t) and receives segment
///   (r−2−t), adding the arriving partial sum into its own copy. Afterwards rank r holds the
///   full sum of segment r (`ownedRange`).
/// - All-gather, p−1 steps: at step t rank r sends segment (r−t) and receives (r−t−1) into
///   place. Afterwards every rank holds every segment.
///
/// Worked example, p = 3, n = 7: segments [0,3) [3,5) [5,7). Reduce-scatter step 0: rank 0
/// sends segment 2, rank 1 sends segment 0, rank 2 sends segment 1; step 1: rank 0 sends its
/// partial segment 1 (x2+x0), rank 1 segment 2 (x0+x1), rank 2 segment 0 (x1+x2); rank 0 ends
/// with segment 0 = (x1+x2)+x0, rank 1 with segment 1 = (x2+x0)+x1, rank 2 with segment 2.
///
/// Summation order (fixed, hence bit-identical results across runs and on every rank): an
/// element of segment s is summed as ((x[s+1] + x[s+2]) + x[s+3]) + … + x[s+p], ranks mod p,
/// i.e. starting with rank s+1 and ending with rank s itself. With averaging the final sum is
/// then divided by p (one more rounding). `reference(...)` computes exactly this.
///
/// Pipelining: each segment is sent as sub-chunks of `chunkElements`; the chunk a rank has just
/// reduced is forwarded at once, so transfer and addition overlap across steps. Each rank posts
/// its receives before the sends they answer. Waits poll with a sleeping backoff (see
/// `Backoff`). With `timeout` set, a wait that passes it throws `CommError.timedOut` naming the
/// step and the silent neighbour; outstanding requests are cancelled first.
///
/// Tags: `slot` selects a block of 1024 tags so different users of one transport do not mix;
/// within it, phase × 256 + step (`CollectiveTag`, the registry of every tag). Worlds are
/// limited to 256 ranks.
///
/// Every rank of one collective must use the same `chunkElements` (message boundaries follow
/// it) and pass buffers of the same length.
public final class RingAllReduce {
  public let transport: Transport
  /// Floats per pipelined message.
  public var chunkElements: Int
  /// How long one collective may wait in total before `CommError.timedOut`; nil waits forever.
  public var timeout: Duration?
  /// Two segments of scratch for arriving partial sums, reused across calls.
  private var scratch: UnsafeMutableBufferPointer<Float> = .init(start: nil, count: 0)
  /// (p−1) segments of scratch for the direct schedule, reused across calls.
  private var directScratch: UnsafeMutableBufferPointer<Float> = .init(start: nil, count: 0)

  public var rank: Int { transport.rank }
  public var size: Int { transport.size }

  public init(transport: Transport, chunkElements: Int = 1 << 18, timeout: Duration? = nil) {
    precondition(chunkElements > 0, "chunkElements must be positive")
    precondition(transport.size <= 256, "ring collectives support at most 256 ranks, got \(transport.size)")
    self.transport = transport
    self.chunkElements = chunkElements
    self.timeout = timeout
  }

  deinit {
    scratch.deallocate()
    directScratch.deallocate()
  }

  /// The transport tag of one message of this collective (`CollectiveTag`).
  func tag(slot: CollectiveTag.Slot, _ phase: CollectiveTag.Phase, step: Int) -> Int {
    CollectiveTag.ring(slot, phase, step: step).value
  }

  /// The segment this rank owns after `reduceScatter` of `count` elements (and must hold before
  /// `allGather`): segment `rank`. For ZeRO-1 the optimizer updates exactly these weights.
  public func ownedRange(count: Int) -> Range<Int> {
    ShardLayout.range(rank, count: count, parts: size)
  }

  /// Sums `buffer` over all ranks in place (then divides by the world size if `average`).
  public func allReduce(_ buffer: UnsafeMutableBufferPointer<Float>, average: Bool = false, slot: CollectiveTag.Slot = .general) throws {
    try reduceScatter(buffer, average: average, slot: slot)
    try allGather(buffer, slot: slot)
  }

  /// `allReduce` of an array.
  public func allReduce(_ array: inout [Float], average: Bool = false, slot: CollectiveTag.Slot = .general) throws {
    try array.withUnsafeMutableBufferPointer { try allReduce($0, average: average, slot: slot) }
  }

  private func segment(_ s: Int, _ n: Int) -> Range<Int> {
    ShardLayout.range(((s % size) + size) % size, count: n, parts: size)
  }

  /// Sub-chunk boundaries of a segment, relative to its start.
  private func chunks(of length: Int) -> [Range<Int>] {
    stride(from: 0, to: length, by: chunkElements).map { $0..<min($0 + chunkElements, length) }
  }

  private func ensureScratch(_ count: Int) {
    if scratch.count >= count { return }
    scratch.deallocate()
    scratch = .allocate(capacity: count)
  }

  func ensureDirectScratch(_ count: Int) {
    if directScratch.count >= count { return }
    directScratch.deallocate()
    directScratch = .allocate(capacity: count)
  }

  var directScratchBase: UnsafeMutablePointer<Float> { directScratch.baseAddress! }

  /// Runs `body`, cancelling every request it posted (recorded in `posted`) if it throws.
  func withCleanup(_ body: (inout [TransportRequest]) throws -> Void) throws {
    var posted: [TransportRequest] = []
    do {
      try body(&posted)
    } catch {
      for request in posted { transport.cancel(request) }
      throw error
    }
  }

  func deadline() -> ContinuousClock.Instant? {
    timeout.map { ContinuousClock.now + $0 }
  }

  /// Reduce-scatter: afterwards `buffer[ownedRange(count: buffer.count)]` holds the sum over
  /// all ranks (divided by the world size if `average`); the rest of `buffer` holds partial
  /// sums. Summation order as in the type's documentation.
  public func reduceScatter(_ buffer: UnsafeMutableBufferPointer<Float>, average: Bool = false, slot: CollectiveTag.Slot = .general) throws {
    let p = size, n = buffer.count
    guard p > 1, n > 0 else { return }
    try reduceScatter(buffer, segments: (0..<p).map { ShardLayout.range($0, count: n, parts: p) },
                      average: average, slot: slot)
  }

  /// Reduce-scatter over a caller-chosen partition: `segments[s]` (relative to `buffer`,
  /// contiguous, in order, covering it; empty ones allowed) ends up summed on rank s, in
  /// the same per-element order as the even split — ((x[s+1] + x[s+2]) + …) + x[s] — so an
  /// element gets bit-identical results whichever buffer it is reduced in, as long as the
  /// same rank owns it. Used to reduce a bucket of a larger arena whose ZeRO-1 shards cut
  /// it unevenly (`segments[s]` = bucket ∩ shard s). Every rank must pass the same segments.
  public func reduceScatter(_ buffer: UnsafeMutableBufferPointer<Float>, segments: [Range<Int>],
                            average: Bool = false, slot: CollectiveTag.Slot = .general) throws {
    let p = size, r = rank, n = buffer.count
    precondition(segments.count == p, "reduceScatter needs one segment per rank: \(segments.count) for \(p)")
    var expected = 0
    for s in segments {
      precondition(s.lowerBound == expected, "reduceScatter segments must tile the buffer in order: \(segments)")
      expected = s.upperBound
    }
    precondition(expected == n, "reduceScatter segments cover \(expected) of \(n) elements")
    guard p > 1, n > 0 else { return }
    func segment(_ s: Int, _ n: Int) -> Range<Int> { segments[((s % p) + p) % p] }
    let next = (r + 1) % p, prev = (r + p - 1) % p
    let steps = p - 1
    let maxSegment = segments.map(\.count).max()!
    ensureScratch(2 * maxSegment)
    let base = buffer.baseAddress!, tmp = scratch.baseAddress!
    let divisor = Float(p)
    let deadline = deadline()
    try withCleanup { posted in
      var receives: [[TransportRequest]] = Array(repeating: [], count: steps)
      func postReceives(_ t: Int) throws {
        let seg = segment(r - 2 - t, n)
        let slotBase = tmp + (t % 2) * maxSegment
        for c in chunks(of: seg.count) {
          let request = try transport.postReceive(UnsafeMutableBufferPointer(start: slotBase + c.lowerBound, count: c.count),
                                                  from: prev, tag: tag(slot: slot, .reduceScatter, step: t))
          receives[t].append(request)
          posted.append(request)
        }
      }
      try postReceives(0)
      if steps > 1 { try postReceives(1) }
      var sends: [TransportRequest] = []
      let first = segment(r - 1, n)
      for c in chunks(of: first.count) {
        let request = try transport.postSend(UnsafeBufferPointer(start: base + first.lowerBound + c.lowerBound, count: c.count),
                                             to: next, tag: tag(slot: slot, .reduceScatter, step: 0))
        sends.append(request)
        posted.append(request)
      }
      for t in 0..<steps {
        let seg = segment(r - 2 - t, n)
        let slotBase = tmp + (t % 2) * maxSegment
        let last = t == steps - 1
        for (i, c) in chunks(of: seg.count).enumerated() {
          try transport.wait(receives[t][i], peer: prev,
                             operation: "ring reduce-scatter step \(t) of \(steps) (rank \(r), slot \(slot))",
                             deadline: deadline)
          let dst = base + seg.lowerBound + c.lowerBound, src = slotBase + c.lowerBound
          if last && average {
            for k in 0..<c.count { dst[k] = (src[k] + dst[k]) / divisor }
          } else {
            for k in 0..<c.count { dst[k] = src[k] + dst[k] }
          }
          if !last {
            let request = try transport.postSend(UnsafeBufferPointer(start: dst, count: c.count), to: next,
                                                 tag: tag(slot: slot, .reduceScatter, step: t + 1))
            sends.append(request)
            posted.append(request)
          }
        }
        if t + 2 < steps { try postReceives(t + 2) }
      }
      try transport.waitAll(sends, peers: Array(repeating: next, count: sends.count),
                            operation: "ring reduce-scatter sends (rank \(r), slot \(slot))", deadline: deadline)
    }
  }

  /// All-gather: each rank contributes `buffer[ownedRange(count: buffer.count)]`; afterwards
  /// every rank's `buffer` holds all segments.
  public func allGather(_ buffer: UnsafeMutableBufferPointer<Float>, slot: CollectiveTag.Slot = .general) throws {
    let p = size, n = buffer.count
    guard p > 1, n > 0 else { return }
    try allGather(buffer, segments: (0..<p).map { ShardLayout.range($0, count: n, parts: p) }, slot: slot)
  }

  /// All-gather over a caller-chosen partition: rank s contributes `buffer[segments[s]]`
  /// (relative to `buffer`, contiguous, in order, covering it; empty ones allowed) and
  /// afterwards every rank's `buffer` holds all of them. Used to gather a piece of a larger
  /// arena whose ZeRO-1 shards cut it unevenly (`segments[s]` = piece ∩ shard s). Every rank
  /// must pass the same segments.
  public func allGather(_ buffer: UnsafeMutableBufferPointer<Float>, segments: [Range<Int>],
                        slot: CollectiveTag.Slot = .general) throws {
    let p = size, r = rank, n = buffer.count
    precondition(segments.count == p, "allGather needs one segment per rank: \(segments.count) for \(p)")
    var expected = 0
    for s in segments {
      precondition(s.lowerBound == expected, "allGather segments must tile the buffer in order: \(segments)")
      expected = s.upperBound
    }
    precondition(expected == n, "allGather segments cover \(expected) of \(n) elements")
    guard p > 1, n > 0 else { return }
    func segment(_ s: Int, _ n: Int) -> Range<Int> { segments[((s % p) + p) % p] }
    let next = (r + 1) % p, prev = (r + p - 1) % p
    let steps = p - 1
    let base = buffer.baseAddress!
    let deadline = deadline()
    try withCleanup { posted in
      var receives: [[TransportRequest]] = Array(repeating: [], count: steps)
      for t in 0..<steps {
        let seg = segment(r - t - 1, n)
        for c in chunks(of: seg.count) {
          let request = try transport.postReceive(
            UnsafeMutableBufferPointer(start: base + seg.lowerBound + c.lowerBound, count: c.count),
            from: prev, tag: tag(slot: slot, .allGather, step: t))
          receives[t].append(request)
          posted.append(request)
        }
      }
      var sends: [TransportRequest] = []
      let own = segment(r, n)
      for c in chunks(of: own.count) {
        let request = try transport.postSend(UnsafeBufferPointer(start: base + own.lowerBound + c.lowerBound, count: c.count),
                                             to: next, tag: tag(slot: slot, .allGather, step: 0))
        sends.append(request)
        posted.append(request)
      }
      for t in 0..<steps {
        let seg = segment(r - t - 1, n)
        for (i, c) in chunks(of: seg.count).enumerated() {
          try transport.wait(receives[t][i], peer: prev,
                             operation: "ring all-gather step \(t) of \(steps) (rank \(r), slot \(slot))",
                             deadline: deadline)
          if t + 1 < steps {
            let request = try transport.postSend(
              UnsafeBufferPointer(start: base + seg.lowerBound + c.lowerBound, count: c.count),
              to: next, tag: tag(slot: slot, .allGather, step: t + 1))
            sends.append(request)
            posted.append(request)
          }
        }
      }
      try transport.waitAll(sends, peers: Array(repeating: next, count: sends.count),
                            operation: "ring all-gather sends (rank \(r), slot \(slot))", deadline: deadline)
    }
  }
}
