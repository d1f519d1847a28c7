/// The same reduction with a direct (all-to-all) schedule, for ranks that share a machine.
extension RingAllReduce {
  /// All-reduce with the segments of `ShardLayout` but exchanged directly: rank r receives
  /// segment r from every other rank at once, sums them, then sends its finished segment to
  /// every rank. Bytes per rank are the ring's, but there are 2 dependent phases instead of
  /// 2(p−1) ring steps, which helps when ranks outnumber cores and every step waits for a
  /// descheduled neighbour. Over a network prefer the ring (p−1 simultaneous flows per node).
  ///
  /// Results are bit-identical to `allReduce`: partial sums are added in the ring's order,
  /// ((x[s+1] + x[s+2]) + …) + x[s], waiting for the contributions in that order.
  /// Scratch: (p−1)·⌈n/p⌉ floats.
  public func allReduceDirect(_ buffer: UnsafeMutableBufferPointer<Float>, average: Bool = false, slot: CollectiveTag.Slot = .general) throws {
    try reduceScatterDirect(buffer, average: average, slot: slot)
    try allGatherDirect(buffer, slot: slot)
  }

  /// Reduce-scatter with the direct schedule; same contract as `reduceScatter`.
  public func reduceScatterDirect(_ buffer: UnsafeMutableBufferPointer<Float>, average: Bool = false, slot: CollectiveTag.Slot = .general) throws {
    let p = size, r = rank, n = buffer.count
    guard p > 1, n > 0 else { return }
    let own = ShardLayout.range(r, count: n, parts: p)
    let length = own.count
    let maxSegment = (n + p - 1) / p
    ensureDirectScratch((p - 1) * maxSegment)
    let base = buffer.baseAddress!, tmp = directScratchBase
    let tag = tag(slot: slot, .reduceScatter, step: 255)
    let deadline = deadline()
    // Contributions in summation order: ranks r+1, r+2, …, r+p−1; slot j holds rank r+1+j's.
    let sources = (1..<p).map { (r + $0) % p }
    try withCleanup { posted in
      var receives: [TransportRequest] = []
      if length > 0 {
        for (j, source) in sources.enumerated() {
          let request = try transport.postReceive(UnsafeMutableBufferPointer(start: tmp + j * maxSegment, count: length),
                                                  from: source, tag: tag)
          receives.append(request)
          posted.append(request)
        }
      }
      var sends: [TransportRequest] = [], destinations: [Int] = []
      for destination in sources {
        let seg = ShardLayout.range(destination, count: n, parts: p)
        if seg.isEmpty { continue }
        let request = try transport.postSend(UnsafeBufferPointer(start: base + seg.lowerBound, count: seg.count),
                                             to: destination, tag: tag)
        sends.append(request)
        destinations.append(destination)
        posted.append(request)
      }
      if length > 0 {
        try transport.wait(receives[0], peer: sources[0], operation: "direct reduce-scatter (rank \(r))", deadline: deadline)
        let acc = tmp
        for j in 1..<(p - 1) {
          try transport.wait(receives[j], peer: sources[j], operation: "direct reduce-scatter (rank \(r))", deadline: deadline)
          let src = tmp + j * maxSegment
          for k in 0..<length { acc[k] = acc[k] + src[k] }
        }
        let dst = base + own.lowerBound
        if average {
          let divisor = Float(p)
          for k in 0..<length { dst[k] = (acc[k] + dst[k]) / divisor }
        } else {
          for k in 0..<length { dst[k] = acc[k] + dst[k] }
        }
      }
      try transport.waitAll(sends, peers: destinations, operation: "direct reduce-scatter sends (rank \(r))",
                            deadline: deadline)
    }
  }

  /// All-gather with the direct schedule; same contract as `allGather`.
  public func allGatherDirect(_ buffer: UnsafeMutableBufferPointer<Float>, slot: CollectiveTag.Slot = .general) throws {
    let p = size, r = rank, n = buffer.count
    guard p > 1, n > 0 else { return }
    let base = buffer.baseAddress!
    let tag = tag(slot: slot, .allGather, step: 255)
    let deadline = deadline()
    let others = (1..<p).map { (r + $0) % p }
    try withCleanup { posted in
      var requests: [TransportRequest] = [], peers: [Int] = []
      for source in others {
        let seg = ShardLayout.range(source, count: n, parts: p)
        if seg.isEmpty { continue }
        let request = try transport.postReceive(UnsafeMutableBufferPointer(start: base + seg.lowerBound, count: seg.count),
                                                from: source, tag: tag)
        requests.append(request)
        peers.append(source)
        posted.append(request)
      }
      let own = ShardLayout.range(r, count: n, parts: p)
      if !own.isEmpty {
        for destination in others {
          let request = try transport.postSend(UnsafeBufferPointer(start: base + own.lowerBound, count: own.count),
                                               to: destination, tag: tag)
          requests.append(request)
          peers.append(destination)
          posted.append(request)
        }
      }
      try transport.waitAll(requests, peers: peers, operation: "direct all-gather (rank \(r))", deadline: deadline)
    }
  }
}
