import Data
import Model
import Wire

/// The coordinator–worker protocol as a receiving rank decodes it (`ControlChannel.receive`,
/// then `MessageKind.decode` on the coordinator or `Command` on a worker): a 24-byte
/// `MessageHeader`, the payload message checked against the header's count, and the payload of
/// its kind. Input: a flags byte, then the bytes. Flags bit 0 set: the bytes are a header and
/// then the payload message, as on the wire (`MessageHeader.checkPayload` compares its size
/// with the header's count, as `ControlChannel` does before it allocates). Bit 0
/// clear: the bytes are a payload of kind `MessageKind.allCases[(flags >> 1) % 14]` (mutations
/// reach every message's decoder without first matching the magic word).
enum WireTarget {
  static let what = "fuzz message from rank 7"

  static func run(_ input: [UInt8]) {
    let (flags, bytes) = input.flagsAndBody
    let kind: MessageKind
    let payload: [UInt8]
    if flags & 1 != 0 {
      let headerBytes = Array(bytes.prefix(MessageHeader.byteCount))
      let header: MessageHeader
      do {
        header = try MessageHeader(decoding: headerBytes, from: "rank 7")
      } catch {
        expectNamesInput(error, "rank 7")
        fuzzCheck(error is WireError, "header error of type \(type(of: error)): \(error)")
        return
      }
      fuzzCheck(header.encoded() == headerBytes, "header \(header) re-encodes to other bytes")
      // What ControlChannel does next: the payload message (here the rest of the input; none
      // when the header announces 0 bytes) is measured before a buffer is sized, and a size
      // other than the header's count is refused.
      let sent = Array(bytes.dropFirst(MessageHeader.byteCount))
      if header.payloadCount > 0 || !sent.isEmpty {
        do {
          try header.checkPayload(received: sent.count, from: "rank 7")
        } catch {
          expectNamesInput(error, "rank 7")
          fuzzCheck(error is WireError, "payload size error of type \(type(of: error)): \(error)")
          return
        }
      }
      kind = header.kind
      payload = sent
    } else {
      kind = MessageKind.allCases[Int(flags >> 1) % MessageKind.allCases.count]
      payload = bytes
    }
    decode(kind, payload)
  }

  /// Decodes `payload` as `kind` the way both sides do; a decoded message must re-encode to
  /// bytes that decode to the same bytes again (writer and reader agree on every field).
  static func decode(_ kind: MessageKind, _ payload: [UInt8]) {
    do {
      let message = try kind.decode(payload, what: what)
      let again = message.encoded()
      do {
        let twice = try kind.decode(again, what: what).encoded()
        fuzzCheck(twice == again, "\(kind): decode(encode(message)) re-encodes differently")
      } catch {
        fuzzCheck(false, "\(kind): a decoded message re-encodes to bytes that do not decode: \(error)")
      }
      // Strings are the only lossy field (invalid UTF-8 becomes U+FFFD); other bytes survive.
      if kind != .hello && kind != .evaluated {
        fuzzCheck(again == payload, "\(kind): a decoded payload re-encodes to other bytes")
      }
    } catch {
      expectNamesInput(error, what)
      fuzzCheck(error is WireError, "\(kind): error of type \(type(of: error)): \(error)")
    }
    do {
      _ = try Command(kind: kind, payload: payload, what: what)
    } catch {
      expectNamesInput(error, what)
      fuzzCheck(error is WireError, "command \(kind): error of type \(type(of: error)): \(error)")
    }
  }

  /// One message of every kind, each in both layouts (header + payload, and bare payload).
  static func seeds(_ paths: [String]) -> [[UInt8]] {
    let stats = StepStats(step: 7, totalLoss: 1.25, classificationLoss: 0.75, localizationLoss: 0.375,
                          regularizationLoss: 0.125, learningRate: 0.07, images: 4, numMatches: 61,
                          inputSeconds: 0.001, computeSeconds: 2.5, communicationSeconds: 0.25)
    var info = SampleInfo(sourceId: "397133", filename: "000000397133.jpg", storedHeight: 427, storedWidth: 640,
                          isCrowd: [false, true], area: [1035.5, 20.25],
                          location: RecordLocation(file: "/data/val.record-00003", recordIndex: 17, byteOffset: 123_456))
    info.decodedHeight = 427
    info.decodedWidth = 640
    let image = EvaluatedImage(
      sampleIndex: 3, info: info,
      groundTruth: GroundTruth(boxes: [BoundingBox(ymin: 0.1, xmin: 0.2, ymax: 0.5, xmax: 0.6),
                                       BoundingBox(ymin: 0, xmin: 0, ymax: 1, xmax: 1)],
                               classes: [1, 44], weights: [1, 0.5]),
      detections: Detections(receivedBoxes: [0.1, 0.2, 0.3, 0.4, 0, 0, 0, 0], scores: [0.9, 0], classes: [0, 0],
                             anchorIndices: [12, -1], count: 1),
      losses: EvaluationLosses(classification: 0.5, localization: 0.25, regularization: 0.125, total: 0.875))
    var plain = image
    plain.losses = nil
    plain.info.location = nil
    let messages: [any WireMessage] = [
      HelloMessage(worker: 1, host: "node-b [10.200.0.3]", pid: 4242, trainExamples: 96, trainableCount: 1000, stateCount: 17),
      TrainMessage(step: 12), StepDoneMessage(worker: 1, finite: true, stats: stats, checksum: 0xfeed_beef),
      EndPhaseMessage(), SyncStatesMessage(), GetParametersMessage(),
      ParametersMessage(values: [0.5, -1, 2, 3e30], states: [1, 0]), GetMomentumMessage(),
      MomentumMessage(worker: 2, shard: [0.5, -0.25]), SetParametersMessage(values: [1, 2, 3], states: []),
      SetMomentumMessage(shard: [1, 2]), EvaluateMessage(batchSize: 8, indices: [0, 5, 10]),
      EvaluatedMessage(worker: 1, images: [image, plain]), ShutdownMessage(),
    ]
    var out: [[UInt8]] = []
    for m in messages {
      let kind = type(of: m).kind
      let payload = m.encoded()
      let k = UInt8(MessageKind.allCases.firstIndex(of: kind)!)
      out.append([1] + MessageHeader(kind: kind, payloadCount: payload.count).encoded() + payload)
      out.append([k << 1] + payload)
    }
    return out
  }
}
