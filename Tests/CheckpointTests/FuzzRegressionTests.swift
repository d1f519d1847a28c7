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
}
