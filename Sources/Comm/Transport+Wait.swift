/// Waiting for requests without burning a core.
extension Transport {
  /// Waits until `request` completes, polling `test` with `Backoff` (sleeps, never busy-polls
  /// for long). Past `deadline` throws `CommError.timedOut(operation:peer:...)`, naming `peer`
  /// (the rank the message was exchanged with) and `operation` (what was being done).
  public func wait(_ request: TransportRequest, peer: Int, operation: @autoclosure () -> String,
                   deadline: ContinuousClock.Instant? = nil) throws {
    try Backoff.poll(peer: peer, operation: operation, deadline: deadline) { try test(request) ? () : nil }
  }

  /// Waits until every request completes; `peers[i]` is the rank request `i` talks to (used in
  /// the timeout error). Requests are tested round-robin, so completion order does not matter.
  public func waitAll(_ requests: [TransportRequest], peers: [Int], operation: @autoclosure () -> String,
                      deadline: ContinuousClock.Instant? = nil) throws {
    precondition(peers.count == requests.count, "waitAll needs one peer per request")
    var pending = Array(requests.indices)
    var backoff = Backoff()
    let started = ContinuousClock.now
    while !pending.isEmpty {
      var progressed = false
      var stillPending: [Int] = []
      stillPending.reserveCapacity(pending.count)
      for i in pending {
        if try test(requests[i]) { progressed = true } else { stillPending.append(i) }
      }
      pending = stillPending
      if pending.isEmpty { return }
      if progressed { backoff.reset(); continue }
      if let deadline, ContinuousClock.now >= deadline {
        throw CommError.timedOut(operation: operation(), peer: peers[pending[0]],
                                 waitedSeconds: (ContinuousClock.now - started).seconds)
      }
      backoff.pause()
    }
  }
}

extension Duration {
  /// This duration in seconds, as a Double.
  var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) * 1e-18
  }
}
