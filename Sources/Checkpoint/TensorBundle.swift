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
  /// Slices of partitioned tensors: tensor name → (extents, where the slice's bytes are).
  private let sliceEntries: [String: [(extents: [SliceExtent], entry: BundleEntry)]]

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
    var sliceEntries: [String: [(extents: [SliceExtent], entry: BundleEntry)]] = [:]
    for record in records.dropFirst() {
      // A partitioned tensor is listed under its plain name (with `slices`); each of its
      // slices has its own record under an OrderedCode (name, slice) key starting with 0x00.
      if record.key.first == 0x00 {
        guard let key = OrderedCode.sliceKey(record.key) else {
          throw CheckpointError.corruptTable(path: indexPath, offset: 0, reason: "undecodable slice key")
        }
        do {
          sliceEntries[key.name, default: []].append((key.extents, try ProtoCodec.decodeBundleEntry(record.value)))
        } catch let f as ProtoCodec.Failure {
          throw CheckpointError.badRecord(path: indexPath, key: key.name + " (slice)", reason: f.reason)
        }
        continue
      }
      let name = record.keyString
      do { entries[name] = try ProtoCodec.decodeBundleEntry(record.value) } catch let f as ProtoCodec.Failure {
        throw CheckpointError.badRecord(path: indexPath, key: name, reason: f.reason)
      }
    }
    self.entries = entries
    self.sliceEntries = sliceEntries
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

  /// The tensor's raw little-endian row-major bytes, CRC-checked; a partitioned tensor is
  /// assembled from its slices.
  func readBytes(_ name: String) throws -> [UInt8] {
    guard let entry = entries[name] else { throw CheckpointError.variableNotFound(path: indexPath, name: name) }
    guard entry.sliceCount == 0 else { return try readPartitioned(name, entry) }
    return try readEntry(name, entry)
  }

  private func readPartitioned(_ name: String, _ full: BundleEntry) throws -> [UInt8] {
    guard let elementSize = full.dtype.byteSize else {
      throw CheckpointError.unsupportedDataType(path: indexPath, name: name, dtype: full.dtype.description)
    }
    let shape = full.shape
    let total = shape.reduce(1, *)
    var placed: [(starts: [Int], lengths: [Int], entry: BundleEntry)] = []
    var covered = 0
    for (extents, entry) in sliceEntries[name] ?? [] {
      guard extents.count == shape.count, entry.dtype == full.dtype else {
        throw CheckpointError.badRecord(path: indexPath, key: name, reason: "slice rank or dtype differs from the tensor")
      }
      var starts: [Int] = [], lengths: [Int] = []
      for (d, e) in extents.enumerated() {
        let start = e.start, length = e.length ?? shape[d]
        guard start >= 0, start <= shape[d], length >= 0, length <= shape[d] - start else {
          throw CheckpointError.badRecord(path: indexPath, key: name,
                                          reason: "slice \(start)+\(length) exceeds dimension \(d) of size \(shape[d])")
        }
        starts.append(start)
        lengths.append(length)
      }
      guard entry.shape == lengths else {
        throw CheckpointError.badRecord(path: indexPath, key: name,
                                        reason: "slice entry shape \(entry.shape) differs from its key's extents \(lengths)")
      }
      placed.append((starts, lengths, entry))
      covered += lengths.reduce(1, *)
      guard covered <= total else {
        throw CheckpointError.badRecord(path: indexPath, key: name,
                                        reason: "its slices hold more than the tensor's \(total) elements (they overlap)")
      }
    }
    guard covered == total else {
      throw CheckpointError.badRecord(path: indexPath, key: name,
                                      reason: "its \(full.sliceCount) slices hold \(covered) of \(total) elements")
    }
    // The shapes are claims of the index. Before the tensor is allocated, the slices must
    // lie in their data files without sharing bytes: then the tensor is no larger than the
    // files (a few bytes of index claiming a [2^40] tensor throw instead of allocating a
    // terabyte). Then they must tile it without overlap.
    var ranges: [Int: [Range<Int>]] = [:]
    for (_, lengths, entry) in placed where !lengths.contains(0) {
      ranges[entry.shardID, default: []].append(try checkedRange(name, entry))
    }
    for (shard, list) in ranges {
      let sorted = list.sorted { $0.lowerBound < $1.lowerBound }
      for (a, b) in zip(sorted, sorted.dropFirst()) where a.overlaps(b) {
        throw CheckpointError.badRecord(path: indexPath, key: name,
                                        reason: "two of its slices share bytes \(b.lowerBound)..<\(a.upperBound) of shard \(shard)")
      }
    }
    var cells = [UInt8](repeating: 0, count: total)
    for (starts, lengths, _) in placed {
      copySlice([UInt8](repeating: 1, count: lengths.reduce(1, *)), starts: starts, lengths: lengths, fullShape: shape,
                elementSize: 1, into: &cells)
    }
    guard !cells.contains(0) else {  // the slices hold `total` elements, so some overlap
      throw CheckpointError.badRecord(path: indexPath, key: name, reason: "its slices overlap and leave elements out")
    }
    var out = [UInt8](repeating: 0, count: total * elementSize)
    for (starts, lengths, entry) in placed {
      copySlice(try readEntry(name, entry), starts: starts, lengths: lengths, fullShape: shape,
                elementSize: elementSize, into: &out)
    }
    return out
  }

  /// The checked byte range of an entry in its data shard: size matching dtype and shape,
  /// shard in range, and (`inFile`) bytes inside the file.
  private func checkedRange(_ name: String, _ entry: BundleEntry, inFile: Bool = true) throws -> Range<Int> {
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
    let path = dataPath(entry)
    guard inFile else { return entry.offset..<entry.offset + entry.size }
    let fileSize = try FileIO.size(path)
    guard entry.size <= fileSize, entry.offset <= fileSize - entry.size else {
      throw CheckpointError.truncated(path: path, what: "bytes of '\(name)'", offset: entry.offset, needed: entry.size,
                                      fileSize: fileSize)
    }
    return entry.offset..<entry.offset + entry.size
  }

  private func dataPath(_ entry: BundleEntry) -> String {
    Self.dataPath(prefix: prefix, shard: entry.shardID, of: header.numShards)
  }

  private func readEntry(_ name: String, _ entry: BundleEntry) throws -> [UInt8] {
    _ = try checkedRange(name, entry, inFile: false)  // readRange checks the file
    let path = dataPath(entry)
    let bytes = try FileIO.readRange(path, offset: entry.offset, count: entry.size, what: "bytes of '\(name)'")
    let computed = CRC32C.checksum(bytes)
    guard CRC32C.unmask(entry.crc32c) == computed else {
      throw CheckpointError.tensorChecksumMismatch(path: path, name: name, stored: entry.crc32c,
                                                   computed: CRC32C.mask(computed))
    }
    return bytes
  }
}
