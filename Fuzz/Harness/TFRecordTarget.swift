import Data
import Formats

/// TFRecord framing and CRCs: the header-only index of `TFRecordFile` (strict and
/// tolerant), every record read back, against the naive in-memory `TFRecordScanner`.
/// Input: a flags byte, then the file. Flags bit 0: fix both CRCs of every record first
/// (so mutated lengths and payloads get past the checksums).
enum TFRecordTarget {
  static func run(_ input: [UInt8]) {
    var (flags, bytes) = input.flagsAndBody
    if flags & 1 != 0 { repairCRCs(&bytes) }
    let path = Scratch.write("input.tfrecord", bytes)
    let scan = TFRecordScanner.scan(bytes, path: path)
    if let error = scan.error { expectNamesInput(error, path) }
    do {
      let file = try TFRecordFile(path: path, tolerateFramingErrors: true)
      fuzzCheck(file.count >= scan.records.count,
                "index has \(file.count) records, the scan found \(scan.records.count) good ones")
      for i in 0..<file.count {
        do {
          let payload = try file.readRecord(i)
          if i < scan.records.count {
            fuzzCheck(payload == scan.records[i].payload, "record \(i) differs from the scan's")
          }
        } catch {
          expectNamesInput(error, path)
          fuzzCheck(i >= scan.records.count, "record \(i) fails to read but the scan read it: \(error)")
        }
      }
      if scan.error == nil { fuzzCheck(file.count == scan.records.count && file.framingError == nil,
                                       "the scan read the whole file, the index did not") }
    } catch {
      expectNamesInput(error, path)
    }
    do {
      let strict = try TFRecordFile(path: path)
      fuzzCheck(strict.framingError == nil, "a strict open kept a framing error")
    } catch {
      expectNamesInput(error, path)
    }
  }

  /// Rewrites the length CRC and (when the record fits) the data CRC of every record.
  static func repairCRCs(_ bytes: inout [UInt8]) {
    var offset = 0
    while bytes.count - offset >= 12 {
      let lengthCRC = CRC32C.mask(CRC32C.checksum(Array(bytes[offset..<offset + 8])))
      put(lengthCRC, at: offset + 8, in: &bytes)
      var length: UInt64 = 0
      for k in 0..<8 { length |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
      guard length <= UInt64(bytes.count - offset - 12), bytes.count - offset - 12 - Int(length) >= 4 else { return }
      let data = offset + 12
      let dataCRC = CRC32C.mask(CRC32C.checksum(Array(bytes[data..<data + Int(length)])))
      put(dataCRC, at: data + Int(length), in: &bytes)
      offset = data + Int(length) + 4
    }
  }

  static func put(_ v: UInt32, at offset: Int, in bytes: inout [UInt8]) {
    for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: v >> (8 * k)) }
  }

  /// Each fixture file's first records (at most 3, so seeds stay small), with and without
  /// the repair flag.
  static func seeds(_ paths: [String]) -> [[UInt8]] {
    var out: [[UInt8]] = []
    for path in paths {
      guard let bytes = Scratch.read(path) else { continue }
      let scan = TFRecordScanner.scan(bytes, path: path)
      var end = bytes.count
      if scan.records.count > 3 { end = scan.records[3].offset }
      let head = Array(bytes[0..<end])
      out.append([0] + head)
      if scan.error == nil { out.append([1] + head) }
    }
    return out
  }
}
