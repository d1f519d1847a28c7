import Testing
@testable import Checkpoint
import Formats
import TestSupport

/// V2 bundles with partitioned tensors, written the way TensorFlow writes them (our writer
/// never partitions): the full entry lists its `slices`, and each slice has its own record
/// under the OrderedCode key (0, name, rank, start₀, length₀, …) with its own shape, bytes
/// and CRC in the data shard.
struct PartitionedBundleTests {
  /// One slice along dimension 0 of a float32 tensor [rows, 3]: rows [start, start + length)
  /// at `offset` of the data shard.
  struct Slice {
    var start: Int, length: Int, offset: Int
  }

  /// The `.index` bytes of a bundle holding "w" [rows, 3] as `slices`, their CRCs taken
  /// from `data` where the bytes are there.
  static func index(rows: Int, slices: [Slice], data: [UInt8]) -> [UInt8] {
    func signed(_ v: Int) -> [UInt8] {  // OrderedCode: -1, or 0 ≤ v < 2^48 in n bytes (7n - 1 value bits)
      if v == -1 { return [0x7F] }
      let n = (1...7).first { v < 1 << (7 * $0 - 1) }!
      var bytes = (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * (n - 1 - $0))) }
      bytes[0] |= ~(0xFF >> UInt8(n))
      return bytes
    }
    var table = TableBuilder()
    table.add(key: [], value: ProtoCodec.encodeBundleHeader(BundleHeader(numShards: 1, bigEndian: false, producer: 1))[...])
    let keyed = slices.map { s -> ([UInt8], Slice) in
      ([0x00, UInt8(ascii: "w"), 0x00, 0x01, 0x01, 0x02] + signed(s.start) + signed(s.length) + [0x80, 0x7F], s)
    }
    for (key, s) in keyed.sorted(by: { $0.0.lexicographicallyPrecedes($1.0) }) {
      let size = s.length * 3 * 4
      let crc = size <= data.count && s.offset <= data.count - size ? CRC32C.mask(CRC32C.checksum(Array(data[s.offset..<s.offset + size]))) : 0
      let entry = BundleEntry(dtype: .float32, shape: [s.length, 3], shardID: 0, offset: s.offset, size: size, crc32c: crc)
      table.add(key: key, value: ProtoCodec.encodeBundleEntry(entry)[...])
    }
    // Empty TensorSliceProto `slices` (field 7), one per slice, mark the entry partitioned.
    let full = ProtoCodec.encodeBundleEntry(BundleEntry(dtype: .float32, shape: [rows, 3], shardID: 0, offset: 0, size: 0, crc32c: 0))
      + [UInt8](repeating: 0, count: 2 * slices.count).enumerated().map { $0.offset % 2 == 0 ? 0x3A : 0x00 }
    table.add(key: Array("w".utf8), value: full[...])
    return table.finish()
  }

  static func write(_ index: [UInt8], _ data: [UInt8], tag: String = #function) throws -> String {
    let prefix = try Fixtures.temporaryDirectory(tag) + "/model.ckpt"
    try Fixtures.writeBytes(index, to: prefix + ".index")
    try Fixtures.writeBytes(data, to: TensorBundle.dataPath(prefix: prefix, shard: 0, of: 1))
    return prefix
  }

  static func floats(_ values: some Sequence<Int>) -> [UInt8] {
    var out: [UInt8] = []
    for v in values { out.appendLE(Float(v).bitPattern) }
    return out
  }

  /// Three slices stored out of order are assembled into the tensor.
  @Test func slicesAssembleIntoTheTensor() throws {
    // Rows 0..<1 at byte 60, rows 1..<3 at byte 0, rows 3..<5 at byte 24 (values = element index).
    let data = Self.floats(3..<15) + Self.floats(0..<3)
    let prefix = try Self.write(Self.index(rows: 5, slices: [.init(start: 0, length: 1, offset: 48), .init(start: 1, length: 2, offset: 0),
                                                              .init(start: 3, length: 2, offset: 24)], data: data), data)
    defer { Fixtures.remove(prefix) }
    let reader = try CheckpointReader(path: prefix)
    #expect(reader.variables == [CheckpointVariable(name: "w", dtype: .float32, shape: [5, 3])])
    #expect(try reader.readFloat32("w") == (0..<15).map(Float.init))
  }

  /// Slices that overlap (and so leave elements out) or share bytes are a bad record.
  @Test func overlappingSlicesAreRefused() throws {
    let data = Self.floats(0..<12)
    let overlapping = try Self.write(Self.index(rows: 4, slices: [.init(start: 0, length: 2, offset: 0),
                                                                  .init(start: 1, length: 2, offset: 24)], data: data), data)
    defer { Fixtures.remove(overlapping) }
    let error = #expect(throws: CheckpointError.self) { try CheckpointReader(path: overlapping).readFloat32("w") }
    #expect(error?.description.contains("overlap") == true)
    let sharing = try Self.write(Self.index(rows: 4, slices: [.init(start: 0, length: 2, offset: 0),
                                                              .init(start: 2, length: 2, offset: 12)], data: data), data)
    defer { Fixtures.remove(sharing) }
    let shared = #expect(throws: CheckpointError.self) { try CheckpointReader(path: sharing).readFloat32("w") }
    #expect(shared?.description.contains("share bytes 12..<24") == true)
  }
}
