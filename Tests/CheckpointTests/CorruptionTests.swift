import Random
import Foundation
import Formats
import Testing
@testable import Checkpoint
import TestSupport

/// Copies a fixture checkpoint, lets `damage` edit one of its files, and returns the
/// directory.
func damagedCopy(_ fixture: String, file: String, tag: String = #function,
                 _ damage: (inout [UInt8]) -> Void) throws -> String {
  let dir = try Fixtures.copyDirectory("checkpoint/" + fixture, tag: tag)
  var bytes = try Fixtures.bytesAt(dir + "/" + file)
  damage(&bytes)
  try Fixtures.writeBytes(bytes, to: dir + "/" + file)
  return dir
}

/// A flipped bit inside a V1 data block is caught by the block CRC, naming the file.
@Test func v1BlockCorruptionIsDetected() throws {
  let dir = try damagedCopy("resnet_v1_50_partial/v1", file: "model.ckpt") { $0[5000] ^= 0x10 }
  defer { Fixtures.remove(dir) }
  do {
    _ = try CheckpointReader(path: dir + "/model.ckpt")
    Issue.record("corruption not detected")
  } catch let error as CheckpointError {
    guard case let .blockChecksumMismatch(path, offset, _, _) = error else { Issue.record("\(error)"); return }
    #expect(path == dir + "/model.ckpt")
    #expect(offset <= 5000)
    #expect(error.description.contains(dir + "/model.ckpt") && error.description.contains("CRC32C"))
  }
}

/// Truncated files: a cut-off V1 file loses its footer magic; an index file shorter than the footer
/// is reported as truncated.
@Test func truncatedTablesAreDetected() throws {
  let cut = try damagedCopy("small/v1", file: "model.ckpt") { $0.removeLast(100) }
  defer { Fixtures.remove(cut) }
  do {
    _ = try CheckpointReader(path: cut + "/model.ckpt")
    Issue.record("truncation not detected")
  } catch let CheckpointError.badMagic(path, found) {
    #expect(path == cut + "/model.ckpt" && found != TableFormat.magic)
  }
  let truncatedIndex = try damagedCopy("small/v2", file: "model.ckpt.index") { $0.removeLast($0.count - 20) }
  defer { Fixtures.remove(truncatedIndex) }
  #expect(throws: CheckpointError.truncated(path: truncatedIndex + "/model.ckpt.index", what: "table footer", offset: 0,
                                            needed: 48, fileSize: 20)) {
    try CheckpointReader(path: truncatedIndex + "/model.ckpt")
  }
}

/// A wrong magic number is reported with the value found.
@Test func badMagicIsReported() throws {
  let dir = try damagedCopy("small/v2", file: "model.ckpt.index") { $0[$0.count - 1] = 0x00 }
  defer { Fixtures.remove(dir) }
  do {
    _ = try CheckpointReader(path: dir + "/model.ckpt")
    Issue.record("bad magic not detected")
  } catch let CheckpointError.badMagic(path, found) {
    #expect(path == dir + "/model.ckpt.index")
    #expect(found == 0x00_4775248b80fb57)
  }
}

/// V2 tensor data: a flipped byte fails that tensor's CRC (others still read), a truncated
/// data file and a missing one are typed errors naming the data file.
@Test func v2DataCorruptionIsDetected() throws {
  let data = "model.ckpt.data-00000-of-00001"
  let flipped = try damagedCopy("small/v2", file: data) { $0[$0.count - 3] ^= 0x01 }
  defer { Fixtures.remove(flipped) }
  let reader = try CheckpointReader(path: flipped + "/model.ckpt")
  var failures: [String] = []
  for v in reader.variables {
    do { _ = try reader.readBytes(v.name) } catch let CheckpointError.tensorChecksumMismatch(path, name, _, _) {
      #expect(path == flipped + "/" + data)
      failures.append(name)
    }
  }
  #expect(failures.count == 1, "exactly the tensor holding the flipped byte fails: \(failures)")

  let truncated = try damagedCopy("small/v2", file: data) { $0.removeLast(8) }
  defer { Fixtures.remove(truncated) }
  let r2 = try CheckpointReader(path: truncated + "/model.ckpt")
  var truncatedErrors = 0
  for v in r2.variables {
    do { _ = try r2.readBytes(v.name) } catch let CheckpointError.truncated(path, _, _, _, size) {
      #expect(path == truncated + "/" + data)
      #expect(size == 1440 - 8)
      truncatedErrors += 1
    }
  }
  #expect(truncatedErrors == 1)

  let missing = try Fixtures.copyDirectory("checkpoint/small/v2")
  defer { Fixtures.remove(missing) }
  try FileManager.default.removeItem(atPath: missing + "/" + data)
  let r3 = try CheckpointReader(path: missing + "/model.ckpt")
  #expect(throws: CheckpointError.self) { try r3.readBytes("global_step") }
  do { _ = try r3.readBytes("global_step") } catch let CheckpointError.io(path, operation, _, _) {
    #expect(path == missing + "/" + data && operation == "open")
  }
}

/// A record that is not a valid protocol buffer (CRC recomputed so only the parser sees it)
/// is reported with the file and key.
@Test func malformedRecordIsReported() throws {
  // Rebuild the small index with one entry's value replaced by garbage.
  let path = Fixtures.path("checkpoint/small/v2/model.ckpt.index")
  let entries = try TableReader(path: path).entries()
  var builder = TableBuilder()
  for e in entries {
    builder.add(key: e.key, value: e.keyString == "learning_rate" ? [0x0A, 0xFF, 0x01][...] : e.value)
  }
  let dir = try Fixtures.copyDirectory("checkpoint/small/v2")
  defer { Fixtures.remove(dir) }
  try Fixtures.writeBytes(builder.finish(), to: dir + "/model.ckpt.index")
  do {
    _ = try CheckpointReader(path: dir + "/model.ckpt")
    Issue.record("garbage record accepted")
  } catch let CheckpointError.badRecord(p, key, _) {
    #expect(p == dir + "/model.ckpt.index" && key == "learning_rate")
  }
}

/// Mutated records behind valid CRCs (the table is rebuilt after each mutation) and random
/// byte flips in the raw files never crash the reader: each attempt either reads every
/// variable or throws a `CheckpointError`.
@Test(arguments: ["small/v1/model.ckpt", "small/v2/model.ckpt.index"])
func mutatedFilesFailCleanly(_ relative: String) throws {
  let source = Fixtures.path("checkpoint/" + relative)
  let original = try Fixtures.bytesAt(source)
  let entries = try TableReader(path: source, file: original).entries()
  let dir = try Fixtures.copyDirectory("checkpoint/" + relative.split(separator: "/").dropLast().joined(separator: "/"))
  defer { Fixtures.remove(dir) }
  let target = dir + "/" + relative.split(separator: "/").last!
  let prefix = relative.hasSuffix(".index") ? String(target.dropLast(".index".count)) : target
  var rng = SplitMix64(seed: 12345)
  func next(_ n: Int) -> Int { rng.nextInt(below: n) }
  var outcomes = (read: 0, rejected: 0)
  for round in 0..<120 {
    var bytes: [UInt8]
    if round % 3 == 2 {
      bytes = original
      for _ in 0..<(1 + next(3)) { bytes[next(bytes.count)] ^= UInt8(1 + next(255)) }
    } else {
      var builder = TableBuilder()
      let victim = next(entries.count)
      for (k, e) in entries.enumerated() {
        var value = Array(e.value)
        if k == victim && !value.isEmpty {
          switch next(3) {
          case 0: value[next(value.count)] ^= UInt8(1 + next(255))
          case 1: value.removeLast(1 + next(value.count))
          default: value.insert(UInt8(next(256)), at: next(value.count))
          }
        }
        builder.add(key: e.key, value: value[...])
      }
      bytes = builder.finish()
    }
    try Fixtures.writeBytes(bytes, to: target)
    do {
      let reader = try CheckpointReader(path: prefix)
      for v in reader.variables { _ = try reader.readBytes(v.name) }
      outcomes.read += 1
    } catch is CheckpointError {
      outcomes.rejected += 1
    }
  }
  #expect(outcomes.read + outcomes.rejected == 120)
  #expect(outcomes.rejected > 0)
}
