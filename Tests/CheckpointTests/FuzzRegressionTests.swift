import Testing
@testable import Checkpoint
import Formats
import TestSupport

/// Inputs found by fuzzing (scripts/fuzz.sh, docs/fuzzing.md) that crashed the process or
/// made it allocate gigabytes before their fix; each now gives a typed error naming the file.
/// The inputs are committed under Tests/Fixtures/fuzz/<target>/.
struct FuzzRegressionTests {
  /// 5 bytes declaring a 26 GB uncompressed length: reserved before the fix (an abort);
  /// no Snappy element expands more than 64/3 times, so such a block is corrupt.
  @Test func snappyLengthBeyondWhatTheInputCanHold() throws {
    let input = try Fixtures.fuzzInput("snappy", "declared-length-26gb.snappy")
    #expect(throws: Snappy.Failure.self) { try Snappy.decompress(input[...]) }
    // Inside a table the error names the file.
    let file = handMadeTable(blockContents: input, type: 1)
    let error = #expect(throws: CheckpointError.self) { try TableReader(path: "t.ckpt", file: file).entries() }
    #expect(error?.description.contains("t.ckpt: corrupt table data") == true)
  }

  /// A 212-byte `.index` whose float32 tensor "w" [2^40, 3] is split in two slices of 2^39
  /// rows (found by review, not by the fuzzer: the mutations never made the three shapes
  /// agree): the reader allocated the 13 TB tensor before reading any slice (an abort). Now
  /// the slices must lie in the 48-byte data file first.
  @Test func partitionedTensorLargerThanItsDataFile() throws {
    let dir = try Fixtures.temporaryDirectory()
    defer { Fixtures.remove(dir) }
    for suffix in [".index", ".data-00000-of-00001"] {
      try Fixtures.writeBytes(try Fixtures.fuzzInput("checkpoint-v2", "claims-2p40-rows" + suffix), to: dir + "/model.ckpt" + suffix)
    }
    let reader = try CheckpointReader(path: dir + "/model.ckpt")
    #expect(reader.variables == [CheckpointVariable(name: "w", dtype: .float32, shape: [1 << 40, 3])])
    let error = #expect(throws: CheckpointError.self) { try reader.readFloat32("w") }
    #expect(error == .truncated(path: dir + "/model.ckpt.data-00000-of-00001", what: "bytes of 'w'", offset: 0,
                                needed: 12 << 39, fileSize: 48))
  }
}
