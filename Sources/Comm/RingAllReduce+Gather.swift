/// Gather of variable-length contributions to a root.
extension RingAllReduce {
  /// Collects every rank's `bytes` (any length, including 0) at `root`. Returns them indexed by
  /// rank on the root and nil elsewhere. Each rank sends its length, then its bytes, straight
  /// to the root.
  public func gather(bytes: [UInt8], root: Int, slot: CollectiveTag.Slot = .general) throws -> [[UInt8]]? {
    let p = size, r = rank
    precondition((0..<p).contains(root), "gather root \(root) outside 0..<\(p)")
    let lengthTag = tag(slot: slot, .gather, step: 0), dataTag = tag(slot: slot, .gather, step: 1)
    let deadline = deadline()
    var result: [[UInt8]]? = nil
    var lengths = UnsafeMutableBufferPointer<UInt64>(start: nil, count: 0)
    var buffers: [UnsafeMutableRawBufferPointer] = []
    defer {
      lengths.deallocate()
      buffers.forEach { $0.deallocate() }
    }
    try withCleanup { posted in
      if r != root {
        var length = UInt64(bytes.count)
        try withUnsafeBytes(of: &length) { raw in
          let request = try transport.postSend(raw, to: root, tag: lengthTag)
          posted.append(request)
          try transport.wait(request, peer: root, operation: "gather length to rank \(root)", deadline: deadline)
        }
        if !bytes.isEmpty {
          try bytes.withUnsafeBytes { raw in
            let request = try transport.postSend(raw, to: root, tag: dataTag)
            posted.append(request)
            try transport.wait(request, peer: root, operation: "gather data to rank \(root)", deadline: deadline)
          }
        }
        return
      }
      let others = (0..<p).filter { $0 != root }
      // Receive buffers are allocated outside the scope of `withCleanup`, so they outlive the
      // cancellation of their requests on an error path.
      lengths = .allocate(capacity: p)
      lengths.initialize(repeating: 0)
      var requests: [TransportRequest] = []
      for source in others {
        let request = try transport.postReceive(UnsafeMutableRawBufferPointer(start: lengths.baseAddress! + source, count: 8),
                                                from: source, tag: lengthTag)
        requests.append(request)
        posted.append(request)
      }
      try transport.waitAll(requests, peers: others, operation: "gather lengths at rank \(root)", deadline: deadline)
      var parts = (0..<p).map { $0 == root ? bytes : [] }
      requests = []
      var peers: [Int] = []
      buffers = (0..<p).map { UnsafeMutableRawBufferPointer.allocate(byteCount: $0 == root ? 0 : Int(lengths[$0]), alignment: 8) }
      for source in others where lengths[source] > 0 {
        let request = try transport.postReceive(buffers[source], from: source, tag: dataTag)
        requests.append(request)
        peers.append(source)
        posted.append(request)
      }
      try transport.waitAll(requests, peers: peers, operation: "gather data at rank \(root)", deadline: deadline)
      for source in others { parts[source] = Array(buffers[source]) }
      result = parts
    }
    return result
  }

  /// Float version of `gather(bytes:root:slot:)`: every rank's `values` (any length) at `root`.
  public func gather(_ values: [Float], root: Int, slot: CollectiveTag.Slot = .general) throws -> [[Float]]? {
    let bytes = values.withUnsafeBytes { Array($0) }
    return try gather(bytes: bytes, root: root, slot: slot)?.map { part in
      part.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
  }
}
