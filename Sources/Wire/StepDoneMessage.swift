/// Worker → coordinator: the answer to `TrainMessage`. The worker's `StepStats` (its own
/// batch; the wait for the collectives in `communicationSeconds`), whether the loss was
/// finite (the update was skipped if not) and, with `--check_replicas`, a checksum of its
/// weights after the step (0 otherwise).
public struct StepDoneMessage: WireMessage, Equatable {
  public static let kind = MessageKind.stepDone
  public var worker: Int
  public var finite: Bool
  public var stats: StepStats
  public var checksum: UInt64

  public init(worker: Int, finite: Bool, stats: StepStats, checksum: UInt64) {
    self.worker = worker
    self.finite = finite
    self.stats = stats
    self.checksum = checksum
  }

  public func encode(to w: inout WireWriter) {
    w.int(worker)
    w.bool(finite)
    stats.encode(to: &w)
    w.u64(checksum)
  }

  public init(from r: inout WireReader) throws {
    worker = try r.int(in: 0...Int(Int32.max), "worker rank")
    finite = try r.bool()
    stats = try StepStats(from: &r)
    checksum = try r.u64()
  }
}
