import Foundation
import Formats
import Testing
@testable import Data
import TestSupport

@Test func singleExamplePayloadRoundTripsByteForByte() throws {
  let payload = try Fixtures.bytes("tfrecord/single_example.payload.bin")
  let example = try TFExample(serialized: payload)
  #expect(example.features.count == 15)
  #expect(example["image/height"] == .int64s([12]))
  #expect(example["image/width"] == .int64s([20]))
  #expect(example["image/filename"] == .bytes([Array("000000000042.jpg".utf8)]))
  #expect(example["image/object/bbox/xmin"] == .floats([0.15, 0.625]))
  #expect(example["image/object/bbox/ymax"] == .floats([Float(0.6666667), 1.0]))
  #expect(example.serialized() == payload)
  // The record file holds exactly this payload.
  #expect(try TFRecordFile(path: Fixtures.path("tfrecord/single_example.record")).readRecord(0) == payload)
}

@Test func everySortedFixtureExampleReserializesIdentically() throws {
  for name in ["synth_train.record-00000-of-00002", "synth_train.record-00001-of-00002", "synth_val.record-00000-of-00001"] {
    let file = try TFRecordFile(path: Fixtures.path("tfrecord/" + name))
    for i in 0..<file.count {
      let payload = try file.readRecord(i)
      #expect(try TFExample(serialized: payload).serialized() == payload, "\(name) record \(i)")
    }
  }
}

@Test func legacyExamplesInConverterOrderParseToTheSameValuesAfterReserializing() throws {
  let file = try TFRecordFile(path: Fixtures.path("tfrecord/legacy/synth_legacy.record-00000-of-00001"))
  for i in 0..<file.count {
    let payload = try file.readRecord(i)
    let example = try TFExample(serialized: payload)
    let again = example.serialized()
    #expect(again.count == payload.count)
    #expect(try TFExample(serialized: again) == example)
  }
}

/// Hand-built wire bytes: Example with float list "f" = [1.5, 2.5] and int64 list
/// "i" = [7, -3], either unpacked (one tag per value) or packed (one length-delimited run).
private func handBuiltExample(packed: Bool) -> [UInt8] {
  var floatList: [UInt8] = []
  for v: Float in [1.5, 2.5] {
    if !packed { floatList.append(0x0D) }  // field 1, wire type 5 (fixed32)
    floatList.appendLE(v.bitPattern)
  }
  var int64List: [UInt8] = []
  for v: UInt64 in [7, UInt64(bitPattern: -3)] {
    if !packed { int64List.append(0x08) }  // field 1, varint
    int64List.appendVarint(v)
  }
  if packed {
    floatList = [0x0A, UInt8(floatList.count)] + floatList  // field 1, length-delimited
    int64List = [0x0A, UInt8(int64List.count)] + int64List
  }
  func lengthDelimited(_ field: UInt8, _ body: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [field << 3 | 2]
    out.appendVarint(UInt64(body.count))
    return out + body
  }
  let entryF = lengthDelimited(1, Array("f".utf8)) + lengthDelimited(2, lengthDelimited(2, floatList))
  let entryI = lengthDelimited(1, Array("i".utf8)) + lengthDelimited(2, lengthDelimited(3, int64List))
  return lengthDelimited(1, lengthDelimited(1, entryF) + lengthDelimited(1, entryI))
}

@Test func unpackedListsAreAcceptedAndWrittenPacked() throws {
  let example = try TFExample(serialized: handBuiltExample(packed: false))
  #expect(example["f"] == .floats([1.5, 2.5]))
  #expect(example["i"] == .int64s([7, -3]))
  #expect(try TFExample(serialized: handBuiltExample(packed: true)) == example)
  #expect(example.serialized() == handBuiltExample(packed: true))
}

@Test func notAnExampleIsRejected() throws {
  let file = try TFRecordFile(path: Fixtures.path("bad_tfrecord/not_example.record"))
  #expect(file.count == 2)
  _ = try TFExample(serialized: try file.readRecord(0))
  let location = file.location(ofRecord: 1)
  let error = try #require(throws: DataError.self) {
    try TFExample(serialized: try file.readRecord(1), location: location)
  }
  #expect(error.kind == .notExample)
  #expect(error.location == location)
  // An empty payload is a valid (empty) Example, as in protobuf.
  #expect(try TFExample(serialized: []).features.isEmpty)
}

@Test func emptyListsAndUnsetFeaturesSurviveARoundTrip() throws {
  let example = TFExample(features: [
    "a": .bytes([]), "b": .floats([]), "c": .int64s([]), "d": .unset,
    "e": .bytes([[], [0, 255]]), "g": .floats([.nan, -0.0, .infinity]), "h": .int64s([.min, .max]),
  ])
  let back = try TFExample(serialized: example.serialized())
  #expect(back.bitwiseEqual(example))
}
