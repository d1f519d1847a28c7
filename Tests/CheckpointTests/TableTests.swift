import Formats
import Testing
@testable import Checkpoint
import TestSupport

/// Rebuilding TensorFlow's own tables from their entries with our `TableBuilder` reproduces
/// the files byte for byte: block splitting at 256 KiB, restart points, prefix compression,
/// index separators, trailers and footer all match TensorFlow's writer. The V1 ResNet
/// fixture (0.9 MB) spans several data blocks, including oversized single-entry ones.
@Test(arguments: ["small/v2/model.ckpt.index", "resnet_v1_50_partial/v2/model.ckpt.index",
                  "small/v1/model.ckpt", "resnet_v1_50_partial/v1/model.ckpt"])
func tableBuilderReproducesTensorFlowTables(_ relative: String) throws {
  let path = Fixtures.path("checkpoint/" + relative)
  let original = try Fixtures.bytesAt(path)
  let entries = try TableReader(path: path, file: original).entries()
  var builder = TableBuilder()
  for e in entries { builder.add(key: e.key, value: e.value) }
  let rebuilt = builder.finish()
  #expect(rebuilt.count == original.count)
  #expect(rebuilt == original)
}

/// A table round trip with enough entries for several data blocks and keys that share
/// long prefixes (restart points every 16 keys).
@Test func tableRoundTripAcrossManyBlocks() throws {
  var builder = TableBuilder()
  var expected: [([UInt8], [UInt8])] = []
  for i in 0..<3000 {
    let key = Array("FeatureExtractor/resnet_v1_50/block\(i / 1000)/unit_\(String(i % 1000 + 1000))/weights".utf8)
    let value = (0..<(i % 7 == 0 ? 400 : 90)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
    builder.add(key: key, value: value[...])
    expected.append((key, value))
  }
  let bytes = builder.finish()
  let entries = try TableReader(path: "mem", file: bytes).entries()
  #expect(entries.count == expected.count)
  #expect(entries.map(\.key) == expected.map(\.0))
  #expect(entries.map { Array($0.value) } == expected.map(\.1))
  let (_, index) = try TableReader(path: "mem", file: bytes).footer()
  let indexEntries = try TableReader(path: "mem", file: bytes).parseBlock(
    try TableReader(path: "mem", file: bytes).block(index, what: "index"), offset: index.offset)
  #expect(indexEntries.count > 1, "expected several data blocks, got \(indexEntries.count)")
}

/// LevelDB's bytewise separator rules.
@Test func separatorsAndSuccessors() {
  let b = { (s: String) in Array(s.utf8) }
  #expect(TableBuilder.shortestSeparator(b("abcdef"), b("abzz")) == b("abd"))
  #expect(TableBuilder.shortestSeparator(b("abc"), b("abcd")) == b("abc"))    // prefix: unchanged
  #expect(TableBuilder.shortestSeparator(b("abc"), b("abd")) == b("abc"))     // c+1 == d: unchanged
  #expect(TableBuilder.shortSuccessor(b("some/int64_vector")) == b("t"))
  #expect(TableBuilder.shortSuccessor([0xFF, 0xFF, 0x01]) == [0xFF, 0xFF, 0x02])
  #expect(TableBuilder.shortSuccessor([0xFF]) == [0xFF])
}

/// Snappy: literals (short and with a length byte), 1-, 2- and 4-byte-offset copies,
/// overlapping copies; malformed streams fail.
@Test func snappyDecompressesAllElementKinds() throws {
  // "abcd" literal, copy1 len 8 off 4 → "abcdabcdabcd"; 61-byte literal via length byte;
  // copy2 len 3 off 65 → "abc"; copy4 len 2 off 2.
  let long = (0..<61).map { UInt8(65 + $0 % 26) }
  var stream: [UInt8] = [0]  // length patched below
  stream += [3 << 2, 97, 98, 99, 100]
  stream += [0x01 | ((8 - 4) << 2), 4]
  stream += [60 << 2, 60] + long
  stream += [0x02 | ((3 - 1) << 2), 61 + 12, 0]
  stream += [0x03 | ((2 - 1) << 2), 2, 0, 0, 0]
  var expected = Array("abcdabcdabcd".utf8) + long
  expected += Array(expected[expected.count - 73..<expected.count - 70])
  expected += Array(expected[expected.count - 2..<expected.count])
  stream[0] = UInt8(expected.count)
  #expect(try Snappy.decompress(stream[...]) == expected)
  #expect(throws: Snappy.Failure.self) { try Snappy.decompress([5, 0x01 | (4 << 2), 9][...]) }  // offset past start
  #expect(throws: Snappy.Failure.self) { try Snappy.decompress([9, 3 << 2, 97][...]) }            // short literal
}

/// Builds a one-entry table by hand with the given block compression type and contents.
func handMadeTable(blockContents: [UInt8], type: UInt8) -> [UInt8] {
  var file: [UInt8] = []
  func appendBlock(_ contents: [UInt8], _ t: UInt8) -> BlockHandle {
    let h = BlockHandle(offset: file.count, size: contents.count)
    file += contents + [t]
    file.appendLE(CRC32C.mask(CRC32C.checksum(contents + [t])))
    return h
  }
  let data = appendBlock(blockContents, type)
  var meta = BlockBuilder(restartInterval: 16)
  let metaHandle = appendBlock(meta.finish(), 0)
  var index = BlockBuilder(restartInterval: 1)
  var handleBytes: [UInt8] = []
  data.encode(into: &handleBytes)
  index.add(key: Array("z".utf8), value: handleBytes[...])
  let indexHandle = appendBlock(index.finish(), 0)
  var footer: [UInt8] = []
  metaHandle.encode(into: &footer)
  indexHandle.encode(into: &footer)
  footer += [UInt8](repeating: 0, count: 40 - footer.count)
  footer.appendLE(TableFormat.magic)
  return file + footer
}

/// A Snappy-compressed data block is read; an unknown compression type is a typed error.
@Test func compressedBlocks() throws {
  var block = BlockBuilder(restartInterval: 16)
  block.add(key: Array("a".utf8), value: Array("hello".utf8)[...])
  let plain = block.finish()
  // Snappy stream: length, then one literal holding the whole block.
  let snappy: [UInt8] = [UInt8(plain.count), UInt8((plain.count - 1) << 2)] + plain
  let entries = try TableReader(path: "snappy.table", file: handMadeTable(blockContents: snappy, type: 1)).entries()
  #expect(entries.map(\.keyString) == ["a"])
  #expect(Array(entries[0].value) == Array("hello".utf8))
  #expect(throws: CheckpointError.unsupportedCompression(path: "zstd.table", offset: 0, type: 7)) {
    try TableReader(path: "zstd.table", file: handMadeTable(blockContents: plain, type: 7)).entries()
  }
}

/// OrderedCode keys: name escapes, and the slice keys TensorFlow 2.21 wrote for a variable
/// [20000, 3] partitioned 3 ways (bytes copied from that `.index`): starts/lengths of 1, 2
/// and 3 bytes. Negative numbers follow the same rule with inverted header bits.
@Test func orderedCodeKeys() {
  let escaped: [UInt8] = [0x00] + Array("a/b".utf8) + [0x00, 0xFF, 0x63, 0xFF, 0x00, 0x00, 0x01, 0x01, 0x01, 0x80, 0x7F]
  #expect(TensorSliceFile.tensorName(fromKey: escaped) == "a/b\u{0}c\u{FFFD}")
  #expect(OrderedCode.sliceKey(escaped) == .init(name: "a/b\u{0}c\u{FFFD}", extents: [.init(start: 0, length: nil)]))
  #expect(TensorSliceFile.tensorName(fromKey: Array("plain".utf8)) == nil)
  #expect(TensorSliceFile.tensorName(fromKey: [0x00, 0x61, 0x00, 0x05]) == nil)
  let big: [UInt8] = [0x00] + Array("big".utf8) + [0x00, 0x01, 0x01, 0x02]
  #expect(OrderedCode.sliceKey(big + [0x80, 0xDA, 0x0B, 0x80, 0x83])
          == .init(name: "big", extents: [.init(start: 0, length: 6667), .init(start: 0, length: 3)]))
  #expect(OrderedCode.sliceKey(big + [0xDA, 0x0B, 0xDA, 0x0B, 0x80, 0x83])
          == .init(name: "big", extents: [.init(start: 6667, length: 6667), .init(start: 0, length: 3)]))
  #expect(OrderedCode.sliceKey(big + [0xE0, 0x34, 0x16, 0xDA, 0x0A, 0x80, 0x83])
          == .init(name: "big", extents: [.init(start: 13334, length: 6666), .init(start: 0, length: 3)]))
  #expect(OrderedCode.sliceKey(big + [0x80, 0xDA]) == nil)  // truncated
  for (bytes, value) in [([0x3F, 0x9C], -100), ([0x3F, 0xBF], -65), ([0x40], -64), ([0xBF], 63), ([0xC0, 0x40], 64),
                         ([0xFF, 0xC0, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], Int64.max), ([0x00, 0x3F, 0x80, 0, 0, 0, 0, 0, 0, 0], Int64.min)] as [([UInt8], Int64)] {
    var i = 0
    #expect(OrderedCode.signed(bytes, &i) == value && i == bytes.count, "\(bytes)")
  }
}

/// `copySlice` places slices like a naive per-element index computation does, for several
/// ranks and partitions that tile the tensor.
@Test func sliceAssemblyMatchesNaiveIndexing() {
  let shape = [3, 4, 5]
  let elementSize = 2
  var full = [UInt8](repeating: 0, count: 60 * elementSize)
  var naive = full
  // Partition along dim 1 into [0,1) and [1,4), and along dim 2 into [0,2) and [2,5).
  for (s1, l1) in [(0, 1), (1, 3)] {
    for (s2, l2) in [(0, 2), (2, 3)] {
      let starts = [0, s1, s2], lengths = [3, l1, l2]
      var slice: [UInt8] = []
      for i in 0..<3 { for j in 0..<l1 { for k in 0..<l2 {
        let flat = i * 20 + (s1 + j) * 5 + (s2 + k)
        slice += [UInt8(flat), UInt8(flat ^ 0x5A)]
        naive[flat * 2] = UInt8(flat)
        naive[flat * 2 + 1] = UInt8(flat ^ 0x5A)
      } } }
      copySlice(slice, starts: starts, lengths: lengths, fullShape: shape, elementSize: elementSize, into: &full)
    }
  }
  #expect(full == naive)
  var scalar: [UInt8] = [0, 0, 0, 0]
  copySlice([1, 2, 3, 4], starts: [], lengths: [], fullShape: [], elementSize: 4, into: &scalar)
  #expect(scalar == [1, 2, 3, 4])
}

/// Our protobuf encoders reproduce TensorFlow's bytes for every header and entry record of
/// both fixture bundles (decode → encode is the identity), so a bundle we write differs from
/// TensorFlow's only where the data layout does.
@Test(arguments: ["small/v2/model.ckpt.index", "resnet_v1_50_partial/v2/model.ckpt.index"])
func bundleRecordsReencodeIdentically(_ relative: String) throws {
  let entries = try TableReader(path: Fixtures.path("checkpoint/" + relative)).entries()
  #expect(ProtoCodec.encodeBundleHeader(try ProtoCodec.decodeBundleHeader(entries[0].value)) == Array(entries[0].value))
  for e in entries.dropFirst() {
    #expect(ProtoCodec.encodeBundleEntry(try ProtoCodec.decodeBundleEntry(e.value)) == Array(e.value), "\(e.keyString)")
  }
}
