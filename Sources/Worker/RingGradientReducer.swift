import Comm
import Dispatch
import Foundation

/// The distributed `GradientReducer` (ZeRO-1): the ring reduce-scatter of `RingAllReduce`
/// averages the gradient arena so that worker r holds the mean of segment r, which is
/// exactly `shards[r]` (`ShardLayout` and `RingAllReduce.segmentRange` cut the arena the same
/// way — checked on every call); after the shard update the ring all-gather brings every
/// worker all updated weights. Every MPI call runs on `thread`.
///
/// Stall detection: before each step's reduce-scatter every worker sends every other worker
/// a presence notice (the step). The ring waits at most `stallTimeout`; when it passes, the
/// workers whose notice never arrived are the ones that did not join this collective, and
/// `onStall` receives a `CommError.stalled` (bucket 0 = the whole arena, reduced as one
/// bucket here) — the worker process aborts the job with it.
///
/// This whole-arena `reduceScatter` is the non-overlapped path; `TrainingWorker` normally
/// reduce-scatters bucket by bucket during backward instead (`BucketedReduceScatter`, which
/// uses this reducer's ring, thread, stall timeout and `onStall`, with identical results).
///
/// `communicationSeconds` accumulates the exposed time of the collectives (the calls here,
/// plus the wait for the overlapped buckets that `TrainingWorker` adds); the worker reads and
/// resets it after each step.
public final class RingGradientReducer: GradientReducer {
  public let ring: RingAllReduce
  public let thread: CommThread
  public let stallTimeout: Duration
  /// Called with the stall report before the error is thrown (aborts the job in a worker).
  public var onStall: ((CommError) -> Void)?
  public var communicationSeconds = 0.0
  private var step = 0
  static let ringSlot = 2
  static let presenceTag = 31 * 1024 + 1000

  public var rank: Int { ring.rank }
  public var worldSize: Int { ring.size }

  public init(transport: Transport, thread: CommThread, stallTimeout: Duration = .seconds(300),
              chunkElements: Int = 1 << 18) {
    self.ring = RingAllReduce(transport: transport, chunkElements: chunkElements, timeout: stallTimeout)
    self.thread = thread
    self.stallTimeout = stallTimeout
  }

  private func checkShards(_ count: Int, _ shards: [Range<Int>]) {
    precondition(shards.count == worldSize, "\(shards.count) shards for \(worldSize) workers")
    for s in 0..<worldSize {
      precondition(shards[s] == RingAllReduce.segmentRange(s, count: count, parts: worldSize),
                   "shard \(s) \(shards[s]) is not the ring's segment \(RingAllReduce.segmentRange(s, count: count, parts: worldSize))")
    }
  }

  public func reduceScatter(_ gradients: UnsafeMutableBufferPointer<Float>, shards: [Range<Int>]) throws {
    checkShards(gradients.count, shards)
    let t0 = DispatchTime.now().uptimeNanoseconds
    defer { communicationSeconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }
    let ring = self.ring, step = self.step, onStall = self.onStall
    self.step += 1
    try thread.sync {
      let transport = ring.transport
      let p = transport.size, me = transport.rank
      guard p > 1 else { return }
      let others = (0..<p).filter { $0 != me }
      var notices = [UInt64](repeating: UInt64.max, count: p + 1)
      notices[p] = UInt64(step)
      try notices.withUnsafeMutableBufferPointer { nb in
        let base = nb.baseAddress!
        var received: [Int: TransportRequest] = [:]
        var requests: [TransportRequest] = []
        do {
          for r in others {
            let q = try transport.postReceive(UnsafeMutableRawBufferPointer(start: base + r, count: 8), from: r,
                                              tag: Self.presenceTag)
            received[r] = q
            requests.append(q)
          }
          for r in others {
            requests.append(try transport.postSend(UnsafeRawBufferPointer(start: base + p, count: 8), to: r,
                                                   tag: Self.presenceTag))
          }
          do {
            try ring.reduceScatter(gradients, average: true, slot: Self.ringSlot)
          } catch CommError.timedOut(_, let silent, let waited) {
            var missing: [Int] = []
            for r in others where !(try transport.test(received[r]!)) { missing.append(r) }
            let stall = CommError.stalled(bucket: 0, step: step, missingRanks: missing, silentPeer: silent,
                                          waitedSeconds: waited)
            onStall?(stall)
            throw stall
          }
          try transport.waitAll(requests, peers: others + others, operation: "presence notices of step \(step)",
                                deadline: ContinuousClock.now + self.stallTimeout)
        } catch {
          for q in requests { transport.cancel(q) }
          throw error
        }
        for r in others where base[r] != UInt64(step) {
          throw CommError.protocolViolation("worker \(r) announced step \(base[r]) while worker \(me) reduced step \(step)")
        }
      }
    }
  }

  public func allGather(_ values: UnsafeMutableBufferPointer<Float>, shards: [Range<Int>]) throws {
    checkShards(values.count, shards)
    let t0 = DispatchTime.now().uptimeNanoseconds
    defer { communicationSeconds += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9 }
    let ring = self.ring, onStall = self.onStall, step = self.step - 1
    try thread.sync {
      do {
        try ring.allGather(values, slot: Self.ringSlot)
      } catch CommError.timedOut(_, let silent, let waited) {
        let stall = CommError.stalled(bucket: 0, step: step, missingRanks: [], silentPeer: silent, waitedSeconds: waited)
        onStall?(stall)
        throw stall
      }
    }
  }
}
