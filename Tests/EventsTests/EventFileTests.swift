import Events
import Formats
import Foundation
import TestSupport
import Testing

/// The event writer and reader: what is written comes back (every tag, step and value), the
/// framing is TensorFlow's (checked here with an independent bitwise CRC-32C), and any
/// damaged byte is reported with the record and offset.
@Suite struct EventFileTests {
  static let time = Date(timeIntervalSince1970: 1_700_000_123.75)

  /// A file with 5 logged training steps (4 loss tags + learning rate each), an image, a
  /// checkpoint marker and a step-0 start marker.
  static func writeSample(in dir: String) throws -> (path: String, scalars: [(Int64, String, Float)]) {
    let writer = try EventFileWriter(directory: dir, time: time, hostname: "node-7")
    try writer.addSessionLog(SessionLog(status: .start), step: 0, wallTime: 1_700_000_124)
    var scalars: [(Int64, String, Float)] = []
    for k in 1...5 {
      let step = Int64(10 * k)
      var values: [(tag: String, value: Float)] = []
      for (i, tag) in EventTags.losses.enumerated() { values.append((tag, Float(k) * 0.5 + Float(i) * 0.125)) }
      values.append((EventTags.learningRate, 0.001 * Float(k)))
      try writer.addScalars(values, step: step, wallTime: 1_700_000_124 + Double(k))
      scalars += values.map { (step, $0.tag, $0.value) }
    }
    try writer.addImages([(EventTags.detectionImage(0), SummaryImage(height: 2, width: 4, encoded: [0xFF, 0xD8, 0xFF, 1, 2, 3]))],
                         step: 50, wallTime: 1_700_000_130)
    try writer.addSessionLog(SessionLog(status: .checkpoint, checkpointPath: dir + "/model.ckpt"), step: 50, wallTime: 1_700_000_131)
    writer.close()
    return (writer.path, scalars)
  }

  @Test func writtenEventsReadBackWithEveryTagAndStep() throws {
    let dir = try Fixtures.temporaryDirectory("events")
    defer { Fixtures.remove(dir) }
    let (path, scalars) = try Self.writeSample(in: dir)
    #expect((path as NSString).lastPathComponent == "events.out.tfevents.1700000123.node-7")
    #expect(EventFileName.files(in: dir) == [path])

    let file = try EventFile.read(path: path)
    #expect(file.incompleteTailBytes == 0)
    #expect(file.events.count == 1 + 1 + 5 + 1 + 1)
    #expect(file.fileVersion == "brain.Event:2")
    #expect(file.events[0] == TFEvent(wallTime: 1_700_000_123.75, step: 0, content: .fileVersion("brain.Event:2")))
    #expect(file.events[1].content == .sessionLog(SessionLog(status: .start)))
    let read = file.scalars
    #expect(read.count == scalars.count)
    for (a, b) in zip(read, scalars) {
      #expect(a.step == b.0 && a.tag == b.1 && a.value == b.2, "\(a) vs \(b)")
    }
    #expect(file.events[2...6].map(\.wallTime) == (1...5).map { 1_700_000_124 + Double($0) })
    #expect(file.images.count == 1)
    #expect(file.images[0].tag == "Detections_Left_Groundtruth_Right/0/0" && file.images[0].step == 50)
    #expect(file.images[0].image == SummaryImage(height: 2, width: 4, colorspace: 3, encoded: [0xFF, 0xD8, 0xFF, 1, 2, 3]))
    #expect(file.images[0].image.mimeType == "image/jpeg")
    #expect(file.events.last?.content == .sessionLog(SessionLog(status: .checkpoint, checkpointPath: dir + "/model.ckpt")))
    #expect(file.events.last?.step == 50)
  }

  /// Walks the raw bytes with an independent CRC-32C: every record is
  /// length | masked crc(length) | payload | masked crc(payload), nothing after the last one.
  @Test func framingIsTFRecordWithBothMaskedCRCs() throws {
    let dir = try Fixtures.temporaryDirectory("events-frame")
    defer { Fixtures.remove(dir) }
    let (path, _) = try Self.writeSample(in: dir)
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    var offset = 0, records = 0
    func le(_ at: Int, _ n: Int) -> UInt64 { (0..<n).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }
    while offset < bytes.count {
      let length = Int(le(offset, 8))
      #expect(UInt32(le(offset + 8, 4)) == BitwiseCRC.masked(Array(bytes[offset..<offset + 8])), "length CRC of record \(records)")
      let payload = Array(bytes[offset + 12..<offset + 12 + length])
      #expect(UInt32(le(offset + 12 + length, 4)) == BitwiseCRC.masked(payload), "data CRC of record \(records)")
      // The payload is an Event; the first one's field 3 is the version string.
      if records == 0 {
        let fields = WireFields.parse(payload)
        #expect(fields.first { $0.number == 3 }?.bytes == Array("brain.Event:2".utf8))
      }
      offset += length + 16
      records += 1
    }
    #expect(offset == bytes.count && records == 9)
    // The known answer from the standard: CRC-32C("123456789") = 0xE3069283.
    #expect(BitwiseCRC.crc(Array("123456789".utf8)) == 0xE306_9283)
  }

  /// Every single-byte change anywhere in the file is reported (never read as valid data,
  /// never a crash), naming the file and the damaged record.
  @Test func everyCorruptedByteIsDetected() throws {
    let dir = try Fixtures.temporaryDirectory("events-corrupt")
    defer { Fixtures.remove(dir) }
    let writer = try EventFileWriter(directory: dir, time: Self.time, hostname: "h")
    try writer.addScalars([("Loss/total_loss", 1.5), ("learning_rate", 0.25)], step: 3, wallTime: 5)
    try writer.addScalars([("Loss/total_loss", 1.25)], step: 4, wallTime: 6)
    writer.close()
    let good = Array(try Data(contentsOf: URL(fileURLWithPath: writer.path)))
    let starts = recordStarts(good)
    #expect(starts.count == 3)
    for i in good.indices {
      var bad = good
      bad[i] ^= 0x20
      let record = starts.lastIndex { $0 <= i }!
      do {
        let file = try EventFile.parse(bad, path: "f.tfevents")
        Issue.record("byte \(i) changed, read \(file.events.count) events without an error")
      } catch let e as EventFileError {
        let inLength = i - starts[record] < 12
        switch e {
        case .lengthCRCMismatch(let p, let r, let o, _, _):
          #expect(inLength && p == "f.tfevents" && r == record && o == starts[record], "byte \(i): \(e)")
        case .dataCRCMismatch(let p, let r, let o, _, _):
          #expect(!inLength && p == "f.tfevents" && r == record && o == starts[record], "byte \(i): \(e)")
        default:
          Issue.record("byte \(i): unexpected \(e)")
        }
        #expect(e.description.contains("f.tfevents") && e.description.contains("record \(record)"))
      }
    }
  }

  /// A file cut anywhere (a writer mid-record) reads as its complete records plus a tail.
  @Test func aCutFileReadsAsItsCompleteRecords() throws {
    let dir = try Fixtures.temporaryDirectory("events-cut")
    defer { Fixtures.remove(dir) }
    let (path, _) = try Self.writeSample(in: dir)
    let good = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let starts = recordStarts(good) + [good.count]
    for cut in 0...good.count {
      let file = try EventFile.parse(Array(good[0..<cut]), path: "cut")
      let whole = starts.lastIndex { $0 <= cut }!
      #expect(file.events.count == whole, "cut at \(cut)")
      #expect(file.incompleteTailBytes == cut - starts[whole], "cut at \(cut)")
    }
  }

  @Test func aPayloadThatIsNotAnEventIsNamed() throws {
    // A well-framed record whose payload is not a protobuf message (field 0 is invalid).
    let bytes = RecordFraming.frame([0x00, 0x01, 0x02])
    #expect(throws: EventFileError.notAnEvent(path: "x", record: 0, offset: 0)) { try EventFile.parse(bytes, path: "x") }
    #expect(throws: EventFileError.self) { try EventFile.read(path: "/nonexistent/events.out.tfevents.1.h") }
  }

  @Test func writersNeverOverwriteAndSanitizeTags() throws {
    let dir = try Fixtures.temporaryDirectory("events-names")
    defer { Fixtures.remove(dir) }
    let a = try EventFileWriter(directory: dir + "/eval_x", time: Self.time, hostname: "host/with/slash")
    let b = try EventFileWriter(directory: dir + "/eval_x", time: Self.time, hostname: "host/with/slash")
    try a.addScalars([("tag\nwith\u{1}control\u{7F}chars <b>\"q\"", 1)], step: 1)
    try b.addScalars([("", 2), ("DetectionBoxes_PerformanceByCategory/mAP/traffic light", 0.5)], step: 2)
    a.close(); b.close()
    #expect((a.path as NSString).lastPathComponent == "events.out.tfevents.1700000123.host_with_slash")
    #expect((b.path as NSString).lastPathComponent == "events.out.tfevents.1700000123.host_with_slash.1")
    #expect(EventFileName.files(in: dir + "/eval_x") == [a.path, b.path])
    #expect(try EventFile.read(path: a.path).scalars.map(\.tag) == ["tag_with_control_chars <b>\"q\""])
    #expect(try EventFile.read(path: b.path).scalars.map(\.tag) == ["", "DetectionBoxes_PerformanceByCategory/mAP/traffic light"])
  }

  /// Protobuf field numbers: an Event built by hand from TensorFlow's field numbers decodes,
  /// and ours encodes with the same numbers and wire types.
  @Test func wireFormatUsesTensorFlowsFieldNumbers() throws {
    // Event{wall_time: 1.5 (1, fixed64), step: 7 (2, varint), summary (5): Summary{value (1):
    // Value{tag (1): "a", simple_value (2, fixed32): 2.0}, Value{tag: "i", image (4):
    // Image{height (1): 2, width (2): 3, colorspace (3): 3, encoded_image_string (4): "xy"}}}}
    let image: [UInt8] = [0x08, 2, 0x10, 3, 0x18, 3, 0x22, 2, 0x78, 0x79]
    let value1: [UInt8] = [0x0A, 1, 0x61, 0x15, 0, 0, 0, 0x40]
    let value2: [UInt8] = [0x0A, 1, 0x69, 0x22, UInt8(image.count)] + image
    let summary: [UInt8] = [0x0A, UInt8(value1.count)] + value1 + [0x0A, UInt8(value2.count)] + value2
    let event: [UInt8] = [0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0x10, 7, 0x2A, UInt8(summary.count)] + summary
    let expected = TFEvent(wallTime: 1.5, step: 7, content: .summary([
      .scalar("a", 2), SummaryValue(tag: "i", kind: .image(SummaryImage(height: 2, width: 3, colorspace: 3, encoded: [0x78, 0x79]))),
    ]))
    #expect(TFEvent(serialized: event) == expected)
    let ours = WireFields.parse(expected.serialized())
    #expect(ours.map(\.number) == [1, 2, 5] && ours.map(\.wireType) == [1, 0, 2])
    let values = WireFields.parse(ours[2].bytes!)
    #expect(values.map(\.number) == [1, 1])
    #expect(Set(WireFields.parse(values[0].bytes!).map { "\($0.number):\($0.wireType)" }) == ["1:2", "2:5"])
    #expect(Set(WireFields.parse(values[1].bytes!).map { "\($0.number):\($0.wireType)" }) == ["1:2", "4:2"])
    // Session log: field 7, status (1) varint, checkpoint_path (2) bytes.
    let log = WireFields.parse(TFEvent(wallTime: 0, step: 9, content: .sessionLog(SessionLog(status: .checkpoint, checkpointPath: "p"))).serialized())
    #expect(log.map(\.number) == [2, 7])
    #expect(WireFields.parse(log[1].bytes!).map(\.number) == [1, 2])
  }

  /// Byte offsets of the records of a well-formed file.
  func recordStarts(_ bytes: [UInt8]) -> [Int] {
    var out: [Int] = [], offset = 0
    while offset < bytes.count {
      out.append(offset)
      let length = (0..<8).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
      offset += length + 16
    }
    return out
  }
}

extension EventFileTests {
  /// A report of a damaged file can still use the events before the damage.
  @Test func eventsBeforeDamageCanBeKept() throws {
    let dir = try Fixtures.temporaryDirectory("events-keep")
    defer { Fixtures.remove(dir) }
    let (path, _) = try Self.writeSample(in: dir)
    var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    let starts = recordStarts(bytes)
    bytes[starts[4] + 14] ^= 1  // inside record 4's payload
    let file = try EventFile.parse(bytes, path: "p", keepingEventsBeforeDamage: true)
    #expect(file.events.count == 4)
    guard case .dataCRCMismatch(_, 4, let offset, _, _)? = file.damage else {
      Issue.record("expected a data CRC mismatch at record 4, got \(String(describing: file.damage))")
      return
    }
    #expect(offset == starts[4])
    #expect(throws: EventFileError.self) { try EventFile.parse(bytes, path: "p") }
  }
}
