import Foundation

/// The one stall/presence check of the gradient collectives: before a collective each rank
/// sends every other rank a 16-byte presence notice (step, collective) and posts a receive
/// for theirs; the collective runs with the ring's timeout, then the notices are awaited
/// until `timeout`. When either wait passes its deadline, the ranks whose notice never
/// arrived are the ones that did not join this collective of this step: a
/// `CommError.stalled` names them (or, if all joined, the silent ring neighbour), `onStall`
/// gets it (by default the job is aborted through the transport with
/// `AbortCode.collectiveStalled`), and it is thrown. Notices that arrive must name the same
/// step and collective (else `CommError.protocolViolation`: ranks out of step).
///
/// Notices share one tag (`CollectiveTag.presence`); between two ranks they are matched in
/// order, and every rank runs the same sequence of collectives, so notice i from a peer is
/// that peer's collective i. Runs on the comm thread, like the collective it watches.
struct StallDetector {
  let transport: Transport
  /// How long the presence notices may take after the collective finished.
  let timeout: Duration?

  /// Runs `collective` (one collective over `transport`) for `step` under the presence check.
  func run(_ what: GradientCollective, step: Int, onStall: (CommError) -> Void,
           _ collective: () throws -> Void) throws {
    let p = transport.size, me = transport.rank
    guard p > 1 else { return try collective() }
    let others = (0..<p).filter { $0 != me }
    let tag = CollectiveTag.presence.value
    let started = ContinuousClock.now
    // [step, collective] per peer, then our own notice.
    let notices = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 2 * (p + 1))
    defer { notices.deallocate() }
    notices.initialize(repeating: UInt64.max)
    notices[2 * p] = UInt64(bitPattern: Int64(step))
    notices[2 * p + 1] = what.code
    let base = notices.baseAddress!
    var receives: [Int: TransportRequest] = [:]
    var sends: [Int: TransportRequest] = [:]
    func stalled(missing: [Int], silent: Int) -> CommError {
      let stall = CommError.stalled(what, step: step, missingRanks: missing, silentPeer: silent,
                                    waitedSeconds: (ContinuousClock.now - started).seconds)
      onStall(stall)
      return stall
    }
    do {
      for r in others {
        receives[r] = try transport.postReceive(UnsafeMutableRawBufferPointer(start: base + 2 * r, count: 16),
                                                from: r, tag: tag)
      }
      for r in others {
        sends[r] = try transport.postSend(UnsafeRawBufferPointer(start: base + 2 * p, count: 16), to: r, tag: tag)
      }
      do {
        try collective()
      } catch CommError.timedOut(_, let silent, _) {
        let missing = try others.filter { !(try transport.test(receives[$0]!)) }
        receives = receives.filter { missing.contains($0.key) }
        throw stalled(missing: missing, silent: silent)
      }
      // The notices: polled here (not `waitAll`) so a timeout knows which ones came.
      let deadline = timeout.map { ContinuousClock.now + $0 }
      var backoff = Backoff()
      while !receives.isEmpty || !sends.isEmpty {
        var progressed = false
        for (r, request) in receives where try transport.test(request) {
          receives[r] = nil
          progressed = true
        }
        for (r, request) in sends where try transport.test(request) {
          sends[r] = nil
          progressed = true
        }
        if progressed { backoff.reset(); continue }
        if let deadline, ContinuousClock.now >= deadline {
          let missing = receives.keys.sorted()
          throw stalled(missing: missing, silent: missing.first ?? sends.keys.min() ?? me)
        }
        backoff.pause()
      }
    } catch {
      for request in Array(receives.values) + Array(sends.values) { transport.cancel(request) }
      throw error
    }
    for r in others where notices[2 * r] != UInt64(bitPattern: Int64(step)) || notices[2 * r + 1] != what.code {
      throw CommError.protocolViolation("rank \(r) announced step \(Int64(bitPattern: notices[2 * r])) "
        + "\(GradientCollective.decode(notices[2 * r + 1])) while rank \(me) ran step \(step) \(what)")
    }
  }
}
