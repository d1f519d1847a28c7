import Data
import Model
import Random
import Testing
@testable import Wire

/// Short and garbled input throws `WireError`, never traps: every prefix of every message,
/// random byte flips, and hand-made bad counts and headers. (A fuzz target can drive
/// `MessageHeader(decoding:from:)` and `MessageKind.decode(_:what:)` the same way.)
struct MalformedInputTests {
  static let samples: [any WireMessage] = [
    HelloMessage(worker: 1, host: "h", pid: 9, trainExamples: 64, trainableCount: 100, stateCount: 10),
    TrainMessage(step: 3),
    StepDoneMessage(worker: 0, finite: true, stats: StepStats(step: 3, totalLoss: 1, classificationLoss: 1,
                                                              localizationLoss: 0, regularizationLoss: 0,
                                                              learningRate: 0.1, images: 2, numMatches: 5,
                                                              inputSeconds: 0, computeSeconds: 1), checksum: 7),
    ParametersMessage(values: [1, 2, 3], states: [4]),
    SetParametersMessage(values: [1], states: [2, 3]),
    MomentumMessage(worker: 1, shard: [0.5]),
    SetMomentumMessage(shard: [0.25, 0.5]),
    EvaluateMessage(batchSize: 2, indices: [1, 2]),
    EvaluatedMessage(worker: 0, images: [MessageRoundTripTests.image(index: 1, withLosses: true)]),
  ]

  @Test func everyTruncationThrows() throws {
    for message in Self.samples {
      let kind = type(of: message).kind
      let full = message.encoded()
      _ = try kind.decode(full)
      for n in 0..<full.count {
        #expect(throws: WireError.self, "\(kind) cut to \(n) of \(full.count) bytes") {
          _ = try kind.decode(Array(full[0..<n]))
        }
      }
      #expect(throws: WireError.self, "\(kind) with a trailing byte") { _ = try kind.decode(full + [0]) }
    }
  }

  /// Random corruption: each flipped payload either decodes (the flip hit a value) or
  /// throws `WireError`; never a trap, never another error.
  @Test func randomByteFlipsThrowOrDecode() throws {
    var rng = SplitMix64(seed: 0x57_1e)
    var threw = 0, decoded = 0
    for message in Self.samples {
      let kind = type(of: message).kind
      let full = message.encoded()
      guard !full.isEmpty else { continue }
      for _ in 0..<300 {
        var bytes = full
        for _ in 0..<(1 + rng.nextInt(below: 4)) {
          bytes[rng.nextInt(below: bytes.count)] = UInt8(truncatingIfNeeded: rng.next())
        }
        do {
          _ = try kind.decode(bytes)
          decoded += 1
        } catch is WireError {
          threw += 1
        }
      }
    }
    #expect(threw > 0 && decoded > 0, "threw \(threw), decoded \(decoded)")
  }

  @Test func hugeAndNegativeCountsThrowBeforeAllocating() throws {
    for count in [Int64.max, Int64.max / 4 + 1, -1, 1 << 40] {
      var w = WireWriter()
      w.u64(UInt64(bitPattern: count))
      #expect(throws: WireError.self) { _ = try SetMomentumMessage(payload: w.bytes, what: "count \(count)") }
      var e = WireWriter()
      e.int(0)
      e.u64(UInt64(bitPattern: count))
      #expect(throws: WireError.self) { _ = try EvaluatedMessage(payload: e.bytes, what: "images \(count)") }
    }
  }

  @Test func inconsistentEvaluationResultsThrow() throws {
    // Detections whose arrays disagree, class ids beyond Int32, a flag byte of 2.
    var image = MessageRoundTripTests.image(index: 0, withLosses: false)
    image.detections.count = 5  // more than its rows
    #expect(throws: WireError.self) { _ = try EvaluatedMessage(payload: EvaluatedMessage(worker: 0, images: [image]).encoded(), what: "t") }
    var w = WireWriter()
    w.int(0)
    w.bool(true)
    var bytes = w.bytes
    bytes[8] = 2
    #expect(throws: WireError.self) { _ = try StepDoneMessage(payload: bytes, what: "t") }
  }

  @Test func badHeadersThrow() throws {
    let good = MessageHeader(kind: .train, payloadCount: 8).encoded()
    #expect(try MessageHeader(decoding: good, from: "t") == MessageHeader(kind: .train, payloadCount: 8))
    var badMagic = good
    badMagic[0] ^= 0xff
    var badKind = good
    badKind[8] = 99
    var huge = good
    huge[23] = 0x80
    for (name, bytes) in [("magic", badMagic), ("kind", badKind), ("length", huge), ("short", Array(good.prefix(23)))] {
      #expect(throws: WireError.self, "\(name)") { _ = try MessageHeader(decoding: bytes, from: "t") }
    }
  }
}
