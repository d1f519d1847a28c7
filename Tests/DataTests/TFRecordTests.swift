import Foundation
import Formats
import Testing
@testable import Data
import TestSupport

/// The three manifests with their files, as (relative path, manifest file entry).
private func manifestFiles() throws -> [(String, [String: Any])] {
  var out: [(String, [String: Any])] = []
  for (dir, manifest) in [("tfrecord", "tfrecord/manifest_synth_train.json"),
                          ("tfrecord", "tfrecord/manifest_synth_val.json"),
                          ("tfrecord/legacy", "tfrecord/legacy/manifest_synth_legacy.json")] {
    let m = try #require(try Fixtures.json(manifest) as? [String: Any])
    for f in try #require(m["files"] as? [[String: Any]]) {
      out.append((dir + "/" + (f["file"] as! String), f))
    }
  }
  return out
}

@Test func indexMatchesManifestOffsetsAndLengths() throws {
  let files = try manifestFiles()
  #expect(files.count == 4)
  for (relative, entry) in files {
    let file = try TFRecordFile(path: Fixtures.path(relative))
    let records = entry["records"] as! [[String: Any]]
    #expect(file.count == entry["num_records"] as! Int, "\(relative)")
    #expect(file.fileSize == entry["num_bytes"] as! Int)
    #expect(file.offsets == records.map { $0["offset"] as! Int }, "\(relative)")
    #expect(file.lengths == records.map { $0["length"] as! Int }, "\(relative)")
    #expect(file.framingError == nil)
  }
}

@Test func indexAgreesWithNaiveScanAndReadsIdenticalPayloads() throws {
  for (relative, _) in try manifestFiles() {
    let bytes = try Fixtures.bytes(relative)
    let (records, error) = TFRecordScanner.scan(bytes, path: relative)
    #expect(error == nil)
    let file = try TFRecordFile(path: Fixtures.path(relative))
    #expect(file.offsets == records.map(\.offset))
    for (i, r) in records.enumerated() {
      #expect(try file.readRecord(i) == r.payload, "\(relative) record \(i)")
    }
  }
}

@Test func writerReproducesTensorFlowFilesByteForByte() throws {
  let dir = try Fixtures.temporaryDirectory("writer")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  for (relative, _) in try manifestFiles() + [("tfrecord/single_example.record", [:])] {
    let original = try Fixtures.bytes(relative)
    let source = try TFRecordFile(path: Fixtures.path(relative))
    let out = dir + "/copy.record"
    let writer = try TFRecordWriter(path: out)
    for i in 0..<source.count { try writer.write(try source.readRecord(i)) }
    try writer.close()
    #expect(try [UInt8](Foundation.Data(contentsOf: URL(fileURLWithPath: out))) == original, "\(relative)")
  }
}

@Test func writerRoundTripsEdgeCasePayloads() throws {
  let dir = try Fixtures.temporaryDirectory("edge")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let payloads: [[UInt8]] = [[], [0], Array(repeating: 0xFF, count: 3_000_000), Array("hello".utf8)]
  let path = dir + "/edge.record"
  let writer = try TFRecordWriter(path: path)
  for p in payloads { try writer.write(p) }
  try writer.close()
  let file = try TFRecordFile(path: path)
  #expect(file.count == payloads.count)
  for (i, p) in payloads.enumerated() { #expect(try file.readRecord(i) == p) }
  #expect(TFRecordWriter.frame([UInt8]()) == [0, 0, 0, 0, 0, 0, 0, 0] + le(CRC32C.mask(CRC32C.checksum([UInt8](repeating: 0, count: 8)))) + le(CRC32C.mask(0)))
}

private func le(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

@Test func badDataCRCIsReportedOnReadWithLocation() throws {
  let path = Fixtures.path("bad_tfrecord/bad_data_crc.record")
  let file = try TFRecordFile(path: path)
  #expect(file.count == 3)
  _ = try file.readRecord(0)
  let error = try #require(throws: DataError.self) { try file.readRecord(1) }
  #expect(error.kindName == "data_crc")
  // TensorFlow: "corrupted record at 2524" = the data offset of record 1 (2512 + 12).
  #expect(error.location == RecordLocation(file: path, recordIndex: 1, byteOffset: 2512))
  #expect(error.description.contains("record 1 at byte 2512: data CRC mismatch (data at byte 2524)"))
  let naive = TFRecordScanner.scan(try Fixtures.bytes("bad_tfrecord/bad_data_crc.record"), path: path)
  #expect(naive.records.count == 1 && naive.error?.kindName == "data_crc")
}

@Test func badLengthCRCStopsTheFile() throws {
  let path = Fixtures.path("bad_tfrecord/bad_length_crc.record")
  let error = try #require(throws: DataError.self) { try TFRecordFile(path: path) }
  #expect(error.kindName == "length_crc")
  // TensorFlow: "corrupted record at 2309".
  #expect(error.location == RecordLocation(file: path, recordIndex: 1, byteOffset: 2309))
  let tolerant = try TFRecordFile(path: path, tolerateFramingErrors: true)
  #expect(tolerant.count == 1)
  #expect(tolerant.framingError?.kindName == "length_crc")
  let naive = TFRecordScanner.scan(try Fixtures.bytes("bad_tfrecord/bad_length_crc.record"), path: path)
  #expect(naive.records.count == 1 && naive.error?.kind == error.kind)
}

@Test func truncatedFileIsReportedAtTheCutRecord() throws {
  let path = Fixtures.path("bad_tfrecord/truncated.record")
  let error = try #require(throws: DataError.self) { try TFRecordFile(path: path) }
  // TensorFlow: "truncated record at 4612"; 1061 data bytes + 12 header bytes remain.
  #expect(error.location == RecordLocation(file: path, recordIndex: 2, byteOffset: 4612))
  #expect(error.kind == .truncated(needed: 2122 + 16, available: 1061 + 12))
  let tolerant = try TFRecordFile(path: path, tolerateFramingErrors: true)
  #expect(tolerant.count == 2)
  let naive = TFRecordScanner.scan(try Fixtures.bytes("bad_tfrecord/truncated.record"), path: path)
  #expect(naive.records.count == 2 && naive.error?.kind == error.kind)
}

@Test func truncatedHeaderIsReported() throws {
  let dir = try Fixtures.temporaryDirectory("header")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let path = dir + "/short.record"
  let bytes = TFRecordWriter.frame([1, 2, 3]) + [9, 9, 9, 9, 9]
  try Foundation.Data(bytes).write(to: URL(fileURLWithPath: path))
  let error = try #require(throws: DataError.self) { try TFRecordFile(path: path) }
  #expect(error.kind == .truncated(needed: 12, available: 5))
  #expect(error.location?.byteOffset == 19)
  // A whole header but no room for the data CRC (12..15 bytes left).
  let headerOnly = Array(TFRecordWriter.frame([UInt8]())[0..<14])
  try Foundation.Data(headerOnly).write(to: URL(fileURLWithPath: path))
  let e2 = try #require(throws: DataError.self) { try TFRecordFile(path: path) }
  #expect(e2.kind == .truncated(needed: 16, available: 14))
  #expect(TFRecordScanner.scan(headerOnly, path: path).error?.kind == e2.kind)
}

@Test func emptyFileHasZeroRecords() throws {
  let file = try TFRecordFile(path: Fixtures.path("bad_tfrecord/empty.record"))
  #expect(file.count == 0)
  #expect(file.framingError == nil)
}

@Test func datasetNumbersRecordsAcrossFilesInGlobOrder() throws {
  let dataset = try TFRecordDataset(inputPath: Fixtures.path("tfrecord/synth_train.record*"))
  #expect(dataset.files.map { ($0.path as NSString).lastPathComponent }
    == ["synth_train.record-00000-of-00002", "synth_train.record-00001-of-00002"])
  #expect(dataset.count == 64)
  #expect(dataset.fileAndRecord(0) == (0, 0))
  #expect(dataset.fileAndRecord(31) == (0, 31))
  #expect(dataset.fileAndRecord(32) == (1, 0))
  #expect(dataset.fileAndRecord(63) == (1, 31))
  #expect(try dataset.readRecord(33) == dataset.files[1].readRecord(1))
  #expect(dataset.location(of: 32).recordIndex == 0)
}

@Test func inputPathsExpandCommaListsAndRejectMissingPatterns() throws {
  let spec = Fixtures.path("tfrecord/synth_val.record*") + "," + Fixtures.path("tfrecord/synth_train.record-0000[10]*")
  let files = try InputPaths.expand(spec).map { ($0 as NSString).lastPathComponent }
  #expect(files == ["synth_val.record-00000-of-00001", "synth_train.record-00000-of-00002", "synth_train.record-00001-of-00002"])
  let missing = Fixtures.path("tfrecord/nothing*.record")
  let error = try #require(throws: DataError.self) {
    try InputPaths.expand(Fixtures.path("tfrecord/synth_val.record*") + "," + missing)
  }
  #expect(error.kind == .noMatch(pattern: missing))
  #expect(error.description.contains(missing))
  // Spaces around list items are ignored; directories never match.
  let spaced = try InputPaths.expand(" " + Fixtures.path("tfrecord/synth_val.record*") + " , " + Fixtures.path("tfrecord/single_example.record"))
  #expect(spaced.map { ($0 as NSString).lastPathComponent } == ["synth_val.record-00000-of-00001", "single_example.record"])
  let dirError = try #require(throws: DataError.self) { try InputPaths.expand(Fixtures.path("tfrecord/leg*")) }
  #expect(dirError.kindName == "no_match")
  // Datasets made only of an empty file have zero records, no error.
  #expect(try TFRecordDataset(inputPath: Fixtures.path("bad_tfrecord/empty.record")).count == 0)
}
