import Data
import Model
import Random
import Testing
@testable import Wire

/// Every coordinator–worker message decodes to what was encoded (one test per message), and
/// its header round-trips too.
struct MessageRoundTripTests {
  /// Encodes `message` with its header, decodes both back through the kind (as a receiver
  /// does) and returns the decoded message.
  func roundTrip<M: WireMessage & Equatable>(_ message: M) throws -> M {
    let payload = message.encoded()
    let header = try MessageHeader(decoding: MessageHeader(kind: M.kind, payloadCount: payload.count).encoded(), from: "test")
    #expect(header.kind == M.kind && header.payloadCount == payload.count)
    let decoded = try header.kind.decode(payload, what: "test")
    return try #require(decoded as? M)
  }

  @Test func hello() throws {
    let m = HelloMessage(worker: 3, host: "node-b [10.200.0.3]", pid: 4242, trainExamples: 117_266,
                         trainableCount: 32_840_570, stateCount: 75_648)
    #expect(try roundTrip(m) == m)
  }

  @Test func train() throws {
    #expect(try roundTrip(TrainMessage(step: 12_499)) == TrainMessage(step: 12_499))
  }

  @Test func stepDone() throws {
    let stats = StepStats(step: 7, totalLoss: 1.25, classificationLoss: 0.75, localizationLoss: 0.375,
                          regularizationLoss: 0.125, learningRate: 0.0693312, images: 4, numMatches: 61,
                          inputSeconds: 0.001, computeSeconds: 2.5, communicationSeconds: 0.25)
    for finite in [true, false] {
      let m = StepDoneMessage(worker: 1, finite: finite, stats: stats, checksum: 0xfeed_beef_0123_4567)
      #expect(try roundTrip(m) == m)
    }
    // A NaN loss survives bit for bit (the coordinator reports it).
    var nan = stats
    nan.totalLoss = .nan
    let decoded = try roundTrip(StepDoneMessage(worker: 0, finite: false, stats: nan, checksum: 0))
    #expect(decoded.stats.totalLoss.bitPattern == Float.nan.bitPattern)
  }

  @Test func emptyCommands() throws {
    #expect(try roundTrip(EndPhaseMessage()) == EndPhaseMessage())
    #expect(try roundTrip(SyncStatesMessage()) == SyncStatesMessage())
    #expect(try roundTrip(GetParametersMessage()) == GetParametersMessage())
    #expect(try roundTrip(GetMomentumMessage()) == GetMomentumMessage())
    #expect(try roundTrip(ShutdownMessage()) == ShutdownMessage())
    for m in [EndPhaseMessage().encoded(), ShutdownMessage().encoded()] { #expect(m.isEmpty) }
  }

  @Test func parameters() throws {
    var rng = SplitMix64(seed: 1)
    let m = ParametersMessage(values: (0..<1000).map { _ in rng.nextFloat(in: -3...3) },
                              states: (0..<17).map { _ in rng.nextFloat(in: 0...1) })
    #expect(try roundTrip(m) == m)
  }

  @Test func setParameters() throws {
    var rng = SplitMix64(seed: 2)
    let m = SetParametersMessage(values: (0..<999).map { _ in rng.nextFloat(in: -3...3) }, states: [])
    #expect(try roundTrip(m) == m)
  }

  @Test func momentum() throws {
    let m = MomentumMessage(worker: 2, shard: [0.5, -0.25, 1e-20, 3e30])
    #expect(try roundTrip(m) == m)
  }

  @Test func setMomentum() throws {
    let m = SetMomentumMessage(shard: [1, 2, 3])
    #expect(try roundTrip(m) == m)
  }

  @Test func evaluate() throws {
    let m = EvaluateMessage(batchSize: 8, indices: [0, 5, 10, 4995])
    #expect(try roundTrip(m) == m)
  }

  @Test func evaluated() throws {
    let m = EvaluatedMessage(worker: 1, images: [Self.image(index: 3, withLosses: true), Self.image(index: 9, withLosses: false)])
    #expect(try roundTrip(m) == m)
    #expect(try roundTrip(EvaluatedMessage(worker: 0, images: [])) == EvaluatedMessage(worker: 0, images: []))
  }

  /// An evaluation result with every field set (location, crowd flags, losses optional).
  static func image(index: Int, withLosses: Bool) -> EvaluatedImage {
    var info = SampleInfo(sourceId: "397133", filename: "000000397133.jpg", storedHeight: 427, storedWidth: 640,
                          isCrowd: [false, true], area: [1035.5, 20.25],
                          location: RecordLocation(file: "/data/val.record-00003", recordIndex: 17, byteOffset: 123_456))
    info.decodedHeight = 427
    info.decodedWidth = 640
    let gt = GroundTruth(boxes: [BoundingBox(ymin: 0.1, xmin: 0.2, ymax: 0.5, xmax: 0.6),
                                 BoundingBox(ymin: 0, xmin: 0, ymax: 1, xmax: 1)],
                         classes: [1, 44], weights: [1, 0.5])
    let detections = Detections(receivedBoxes: [0.1, 0.2, 0.3, 0.4, 0, 0, 0, 0], scores: [0.9, 0], classes: [0, 0],
                                anchorIndices: [12, -1], count: 1)
    let losses = withLosses ? EvaluationLosses(classification: 0.5, localization: 0.25, regularization: 0.125, total: 0.875) : nil
    return EvaluatedImage(sampleIndex: index, info: info, groundTruth: gt, detections: detections, losses: losses)
  }

  /// The worker side decodes exactly the coordinator → worker kinds as commands.
  @Test func commandsDecodeByKind() throws {
    #expect(try Command(kind: .train, payload: TrainMessage(step: 4).encoded(), what: "t") == .train(TrainMessage(step: 4)))
    #expect(try Command(kind: .shutdown, payload: [], what: "t") == .shutdown)
    let set = SetMomentumMessage(shard: [1])
    #expect(try Command(kind: .setMomentum, payload: set.encoded(), what: "t") == .setMomentum(set))
    #expect(throws: WireError.self) { try Command(kind: .hello, payload: [], what: "t") }
    #expect(throws: WireError.self) { try Command(kind: .endPhase, payload: [0], what: "t") }  // trailing byte
  }
}
