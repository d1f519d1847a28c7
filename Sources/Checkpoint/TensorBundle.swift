import Formats

/// A V2 checkpoint ("tensor bundle"): `<prefix>.index` is a table whose empty-key record is
/// a `BundleHeaderProto` and whose other records map variable names to `BundleEntryProto`;
/// the bytes live in `<prefix>.data-SSSSS-of-NNNNN` at [offset, offset + size).
/// Opening reads only the index; `readBytes` reads one tensor and checks its CRC32C.
final class TensorBundle {
  let prefix: String
  let header: BundleHeader
  let variables: [CheckpointVariable]
  private let entries: [String: BundleEntry]

  var indexPath: String { prefix + ".index" }

  init(prefix: String) throws {
    self.prefix = prefix
    let indexPath = prefix + ".index"
    let records = try TableReader(path: indexPath).entries()
    guard let first = records.first, first.key.isEmpty else {
      throw CheckpointError.badRecord(path: indexPath, key: "", reason: "the index has no header record (empty key)")
    }
    do { header = try ProtoCodec.decodeBundleHeader(first.value) } catch let f as ProtoCodec.Failure {
      throw CheckpointError.badRecord(path: indexPath, key: "", reason: f.reason)
    }
    guard header.numShards >= 1 else {
      throw CheckpointError.badRecord(path: indexPath, key: "", reason: "num_shards is \(header.numShards)")
    }
    guard !header.bigEndian else {
      throw CheckpointError.unsupportedFeature(path: indexPath, name: "<header>", feature: "big-endian tensor data")
    }
    var entries: [String: BundleEntry] = [:]
    for record in records.dropFirst() {
      // Keys of individual slices of partitioned tensors are OrderedCode-encoded and start
      // with 0x00; the partitioned tensor itself is listed under its plain name.
      if record.key.first == 0x00 { continue }
      let name = record.keyString
      do { entries[name] = try ProtoCodec.decodeBundleEntry(record.value) } catch let f as ProtoCodec.Failure {
        throw CheckpointError.badRecord(path: indexPath, key: name, reason: f.reason)
      }
    }
    self.entries = entries
    self.variables = entries.map { CheckpointVariable(name: $0.key, dtype: $0.value.dtype, shape: $0.value.shape) }
      .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
  }

  /// `<prefix>.data-SSSSS-of-NNNNN`.
  static func dataPath(prefix: String, shard: Int, of count: Int) -> String {
    func pad(_ v: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, 5 - s.count)) + s
    }
    return "\(prefix).data-\(pad(shard))-of-\(pad(count))"
  }

  /// The tensor's raw little-endian row-major bytes, CRC-checked.
  func readBytes(_ name: String) throws -> [UInt8] {
    guard let entry = entries[name] else { throw CheckpointError.variableNotFound(path: indexPath, name: name) }
    guard entry.sliceCount == 0 else {
      throw CheckpointError.unsupportedFeature(path: indexPath, name: name, feature: "a partitioned (sliced) tensor")
    }
    guard let elementSize = entry.dtype.byteSize else {
      throw CheckpointError.unsupportedDataType(path: indexPath, name: name, dtype: entry.dtype.description)
    }
    let expected = entry.shape.reduce(1, *) * elementSize
    guard entry.size == expected, entry.offset >= 0 else {
      throw CheckpointError.badRecord(path: indexPath, key: name,
                                      reason: "entry size \(entry.size) does not match shape \(entry.shape) of \(entry.dtype) (\(expected) bytes)")
    }
    guard entry.shardID >= 0, entry.shardID < header.numShards else {
      throw CheckpointError.badRecord(path: indexPath, key: name,
                                      reason: "shard \(entry.shardID) outside 0..<\(header.numShards)")
    }
    let path = Self.dataPath(prefix: prefix, shard: entry.shardID, of: header.numShards)
    let bytes = try FileIO.readRange(path, offset: entry.offset, count: entry.size, what: "bytes of '\(name)'")
    let computed = CRC32C.checksum(bytes)
    guard CRC32C.unmask(entry.crc32c) == computed else {
      throw CheckpointError.tensorChecksumMismatch(path: path, name: name, stored: entry.crc32c,
                                                   computed: CRC32C.mask(computed))
    }
    return bytes
  }
}
