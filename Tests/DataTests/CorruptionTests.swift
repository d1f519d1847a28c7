import Foundation
import Testing
@testable import Data
import TestSupport

/// The indexed reader (header-only scan + pread) and the naive whole-file scanner must agree
/// on every corrupted variant of a real file: same good records, same first error and place.
@Test func indexedReaderAgreesWithNaiveScannerOnCorruptedFiles() throws {
  let original = try Fixtures.bytes("bad_tfrecord/label_out_of_range.record")  // 2 records, 5096 bytes
  let dir = try Fixtures.temporaryDirectory("corrupt")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let path = dir + "/c.record"
  var rng = SampleRandom(seed: 0x9E37_79B9_7F4A_7C15)
  func next(_ n: Int) -> Int { rng.nextInt(below: n) }
  for trial in 0..<120 {
    var bytes = original
    switch trial % 3 {
    case 0: bytes[next(bytes.count)] ^= UInt8(1 << next(8))  // flip one bit anywhere
    case 1: bytes.removeLast(1 + next(bytes.count))          // cut the file short
    default:                                                 // flip a bit in a header
      let header = [0, 2456][next(2)] + next(12)
      bytes[header] ^= UInt8(1 << next(8))
    }
    try Foundation.Data(bytes).write(to: URL(fileURLWithPath: path))
    let naive = TFRecordScanner.scan(bytes, path: path)
    let file = try TFRecordFile(path: path, tolerateFramingErrors: true)
    var good: [[UInt8]] = []
    var firstError: DataError? = file.framingError
    for i in 0..<file.count {
      do { good.append(try file.readRecord(i)) } catch let e as DataError { firstError = e; break }
    }
    #expect(good == naive.records.map(\.payload), "trial \(trial)")
    #expect(firstError?.kind == naive.error?.kind, "trial \(trial)")
    #expect(firstError?.location == naive.error?.location, "trial \(trial)")
  }
}

/// Mutated payloads never crash the protobuf-c parser or the decoder: each either parses or
/// fails with `notExample`, and a parsed one decodes or fails with a `DataError`.
@Test func mutatedPayloadsFailCleanly() throws {
  let payload = try Fixtures.bytes("tfrecord/single_example.payload.bin")
  var rng = SampleRandom(seed: 42)
  func next(_ n: Int) -> Int { rng.nextInt(below: n) }
  var parsed = 0, rejected = 0
  for trial in 0..<300 {
    var bytes = payload
    for _ in 0..<(1 + trial % 4) { bytes[next(bytes.count)] = UInt8(next(256)) }
    if trial % 5 == 0 { bytes.removeLast(next(bytes.count)) }
    do {
      let example = try TFExample(serialized: bytes)
      parsed += 1
      do { _ = try DetectionExampleDecoder().decode(example) } catch is DataError {}
    } catch let e as DataError {
      #expect(e.kind == .notExample)
      rejected += 1
    }
  }
  #expect(parsed > 0 && rejected > 0)
}
