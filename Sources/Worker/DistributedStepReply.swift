/// A worker's answer to `train(step)`: its `StepStats`, whether the loss was finite (the
/// update was skipped if not), the seconds its collectives took and, with
/// `--check_replicas`, a checksum of its weights after the step.
public struct DistributedStepReply {
  public var finite: Bool
  public var stats: StepStats
  public var communicationSeconds: Double
  public var checksum: UInt64

  public init(_ message: ControlMessage, from worker: Int) throws {
    var r = WireReader(message.payload, what: "step \(message.step) reply from worker \(worker)")
    finite = try r.bool()
    let step = try r.int()
    let losses = try (0..<5).map { _ in try r.float() }
    let images = try r.int(), matches = try r.int()
    let input = try r.double(), compute = try r.double()
    let communication = try r.double()
    communicationSeconds = communication
    checksum = try r.u64()
    try r.finish()
    stats = StepStats(step: step, totalLoss: losses[0], classificationLoss: losses[1], localizationLoss: losses[2],
                      regularizationLoss: losses[3], learningRate: losses[4], images: images, numMatches: matches,
                      inputSeconds: input, computeSeconds: compute, communicationSeconds: communication)
  }
}
