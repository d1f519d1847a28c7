import Testing
@testable import Comm

@Test func messagesMatchBySourceAndTagInOrder() throws {
  let results = try runRanks(2) { t -> [Float] in
    if t.rank == 0 {
      // Two messages with tag 5 and one with tag 9, sent before any receive is posted.
      for (value, tag) in [(Float(1), 5), (2, 5), (3, 9)] {
        let x = [value]
        let request = try x.withUnsafeBufferPointer { try t.postSend($0, to: 1, tag: tag) }
        try t.wait(request, peer: 1, operation: "send")
      }
      return []
    }
    // Receive tag 9 first: it must not take a tag-5 message; tag-5 ones arrive in send order.
    var out = [Float](repeating: 0, count: 3)
    try out.withUnsafeMutableBufferPointer { b in
      let r9 = try t.postReceive(UnsafeMutableBufferPointer(rebasing: b[2..<3]), from: 0, tag: 9)
      let r5a = try t.postReceive(UnsafeMutableBufferPointer(rebasing: b[0..<1]), from: 0, tag: 5)
      let r5b = try t.postReceive(UnsafeMutableBufferPointer(rebasing: b[1..<2]), from: 0, tag: 5)
      try t.waitAll([r9, r5a, r5b], peers: [0, 0, 0], operation: "receive")
    }
    return out
  }
  #expect(results[1] == [1, 2, 3])
}

@Test func aMessageLongerThanTheReceiveBufferIsAnError() throws {
  let results = InProcessWorld.run(size: 2) { t -> Void in
    var bytes: [UInt8] = [1, 2, 3, 4]
    if t.rank == 0 {
      let request = try bytes.withUnsafeBytes { try t.postSend($0, to: 1, tag: 0) }
      try t.wait(request, peer: 1, operation: "send")
    } else {
      try bytes.withUnsafeMutableBytes { b in
        let request = try t.postReceive(UnsafeMutableRawBufferPointer(rebasing: b[0..<2]), from: 0, tag: 0)
        try t.wait(request, peer: 0, operation: "receive")
      }
    }
  }
  #expect(throws: Never.self) { try results[0].get() }
  #expect(throws: CommError.truncated(source: 0, tag: 0, messageBytes: 4, bufferBytes: 2)) { try results[1].get() }
}

@Test func abortWakesEveryWaitingRank() throws {
  let results = InProcessWorld.run(size: 3) { t -> Void in
    if t.rank == 0 {
      t.abort(.collectiveStalled, reason: "drill")
      return
    }
    var x: [Float] = [0]
    try x.withUnsafeMutableBufferPointer { b in
      let request = try t.postReceive(b, from: 0, tag: 1)  // rank 0 never sends
      try t.wait(request, peer: 0, operation: "receive", deadline: .now + .seconds(30))
    }
  }
  for r in 1...2 { #expect(throws: CommError.aborted(reason: "drill")) { try results[r].get() } }
}
