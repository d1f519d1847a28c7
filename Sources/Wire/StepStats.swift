/// What one training step reports (this worker's batch; the coordinator averages over
/// workers in the distributed case).
public struct StepStats: Sendable, Equatable {
  /// The global step the update was made at (the value before the increment).
  public var step: Int
  public var totalLoss: Float
  public var classificationLoss: Float
  public var localizationLoss: Float
  public var regularizationLoss: Float
  /// Learning rate used by the update.
  public var learningRate: Float
  /// Images this worker processed.
  public var images: Int
  /// Matched anchors in this worker's batch.
  public var numMatches: Int
  /// Seconds spent waiting for the input pipeline and computing (the step after the batch
  /// arrived, communication included).
  public var inputSeconds: Double
  public var computeSeconds: Double
  /// Of `computeSeconds`, the wait for the gradient collectives (0 for one worker).
  public var communicationSeconds: Double

  public init(step: Int, totalLoss: Float, classificationLoss: Float, localizationLoss: Float,
              regularizationLoss: Float, learningRate: Float, images: Int, numMatches: Int,
              inputSeconds: Double, computeSeconds: Double, communicationSeconds: Double = 0) {
    self.step = step
    self.totalLoss = totalLoss
    self.classificationLoss = classificationLoss
    self.localizationLoss = localizationLoss
    self.regularizationLoss = regularizationLoss
    self.learningRate = learningRate
    self.images = images
    self.numMatches = numMatches
    self.inputSeconds = inputSeconds
    self.computeSeconds = computeSeconds
    self.communicationSeconds = communicationSeconds
  }

  public var lossesAreFinite: Bool {
    totalLoss.isFinite && classificationLoss.isFinite && localizationLoss.isFinite && regularizationLoss.isFinite
  }
}

extension StepStats: WireCodable {
  public func encode(to w: inout WireWriter) {
    w.int(step)
    for v in [totalLoss, classificationLoss, localizationLoss, regularizationLoss, learningRate] { w.float(v) }
    w.int(images)
    w.int(numMatches)
    w.double(inputSeconds)
    w.double(computeSeconds)
    w.double(communicationSeconds)
  }

  public init(from r: inout WireReader) throws {
    let step = try r.int(in: 0...Int.max, "step")
    let losses = try (0..<5).map { _ in try r.float() }
    let images = try r.int(in: 0...Int.max, "image count"), matches = try r.int(in: 0...Int.max, "match count")
    let input = try r.double(), compute = try r.double(), communication = try r.double()
    self.init(step: step, totalLoss: losses[0], classificationLoss: losses[1], localizationLoss: losses[2],
              regularizationLoss: losses[3], learningRate: losses[4], images: images, numMatches: matches,
              inputSeconds: input, computeSeconds: compute, communicationSeconds: communication)
  }
}
