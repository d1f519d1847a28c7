/// Broadcast from a root, pipelined along the ring.
extension RingAllReduce {
  /// Copies `root`'s `buffer` into every rank's `buffer` (all of one length). The data flows
  /// root → root+1 → … → root−1 in chunks of `chunkElements` floats, each rank forwarding a
  /// chunk as soon as it has it: time ≈ (bytes + (p−2)·chunk bytes) / link bandwidth.
  public func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int, slot: CollectiveTag.Slot = .general) throws {
    try broadcast(bytes: UnsafeMutableRawBufferPointer(buffer), root: root, slot: slot)
  }

  /// `broadcast` of an array (same length on every rank).
  public func broadcast(_ array: inout [Float], root: Int, slot: CollectiveTag.Slot = .general) throws {
    try array.withUnsafeMutableBufferPointer { try broadcast($0, root: root, slot: slot) }
  }

  /// Byte-buffer broadcast (same length on every rank); see `broadcast(_:root:slot:)`.
  public func broadcast(bytes buffer: UnsafeMutableRawBufferPointer, root: Int, slot: CollectiveTag.Slot = .general) throws {
    let p = size, r = rank, n = buffer.count
    precondition((0..<p).contains(root), "broadcast root \(root) outside 0..<\(p)")
    guard p > 1, n > 0 else { return }
    let next = (r + 1) % p, prev = (r + p - 1) % p
    let position = (r - root + p) % p
    let isLast = position == p - 1
    let chunkBytes = chunkElements * MemoryLayout<Float>.stride
    let pieces = stride(from: 0, to: n, by: chunkBytes).map { $0..<min($0 + chunkBytes, n) }
    let base = buffer.baseAddress!
    let tag = tag(slot: slot, .broadcast, step: 0)
    let deadline = deadline()
    try withCleanup { posted in
      var sends: [TransportRequest] = []
      if position == 0 {
        for piece in pieces {
          let request = try transport.postSend(UnsafeRawBufferPointer(start: base + piece.lowerBound, count: piece.count),
                                               to: next, tag: tag)
          sends.append(request)
          posted.append(request)
        }
      } else {
        var receives: [TransportRequest] = []
        for piece in pieces {
          let request = try transport.postReceive(
            UnsafeMutableRawBufferPointer(start: base + piece.lowerBound, count: piece.count), from: prev, tag: tag)
          receives.append(request)
          posted.append(request)
        }
        for (i, piece) in pieces.enumerated() {
          try transport.wait(receives[i], peer: prev,
                             operation: "ring broadcast from rank \(root) (rank \(r), slot \(slot))", deadline: deadline)
          if !isLast {
            let request = try transport.postSend(UnsafeRawBufferPointer(start: base + piece.lowerBound, count: piece.count),
                                                 to: next, tag: tag)
            sends.append(request)
            posted.append(request)
          }
        }
      }
      try transport.waitAll(sends, peers: Array(repeating: next, count: sends.count),
                            operation: "ring broadcast sends (rank \(r), slot \(slot))", deadline: deadline)
    }
  }

  /// Broadcast of a byte array whose length only `root` knows: the length goes first.
  /// Returns root's bytes on every rank.
  public func broadcast(bytes: [UInt8], root: Int, slot: CollectiveTag.Slot = .general) throws -> [UInt8] {
    var length = [UInt64(bytes.count)]
    try length.withUnsafeMutableBytes { try broadcast(bytes: $0, root: root, slot: slot) }
    var out = rank == root ? bytes : [UInt8](repeating: 0, count: Int(length[0]))
    try out.withUnsafeMutableBytes { try broadcast(bytes: $0, root: root, slot: slot) }
    return out
  }
}
