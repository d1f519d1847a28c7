@testable import Checkpoint
import Formats

/// V1 (tensor slice) checkpoints: the table (footer, blocks, CRCs, Snappy, entries), the
/// `SavedTensorSlices` header and slice records, every variable read and assembled.
/// Input: a flags byte, then the file. Flags bit 0: fix the block CRCs; bit 1: set the
/// footer magic.
enum CheckpointV1Target {
  static func run(_ input: [UInt8]) {
    var (flags, bytes) = input.flagsAndBody
    if flags & 1 != 0 { TableRepair.repair(&bytes, setMagic: flags & 2 != 0) }
    let path = Scratch.write("model.ckpt", bytes)
    do {
      let reader = try CheckpointReader(path: path)
      fuzzCheck(reader.format == .v1, "a single file opened as \(reader.format)")
      readWholeCheckpoint(reader, names: [path])
    } catch {
      expectNamesInput(error, path)
    }
  }

  static func seeds(_ paths: [String]) -> [[UInt8]] {
    paths.compactMap(Scratch.read).flatMap { [[0] + $0, [1] + $0] }
  }
}

/// V2 (tensor bundle) checkpoints: the `.index` table, its `BundleHeaderProto` and
/// `BundleEntryProto` records (including slices of partitioned tensors), and every
/// variable read from the data shard with its CRC.
/// Input: a flags byte (as for V1), a 2-byte little-endian length n, n bytes of the
/// `.index` file, then the contents of data shard 0 (of `num_shards` in the header).
enum CheckpointV2Target {
  nonisolated(unsafe) static var dataPath: String?

  static func run(_ input: [UInt8]) {
    let (flags, body) = input.flagsAndBody
    let n = body.count >= 2 ? min(Int(body[0]) | Int(body[1]) << 8, body.count - 2) : 0
    var index = body.count >= 2 ? Array(body[2..<2 + n]) : body
    let data = body.count >= 2 ? Array(body[(2 + n)...]) : []
    if flags & 1 != 0 { TableRepair.repair(&index, setMagic: flags & 2 != 0) }
    let folder = Scratch.folder("v2")
    let prefix = folder + "/ckpt"
    if let old = dataPath { Scratch.remove(old) }
    let indexPath = Scratch.write("v2/ckpt.index", index)
    var shards = 1
    if let records = try? TableReader(path: indexPath, file: index).entries(), let first = records.first,
       first.key.isEmpty, let header = try? ProtoCodec.decodeBundleHeader(first.value), header.numShards >= 1 {
      shards = header.numShards
    }
    dataPath = TensorBundle.dataPath(prefix: prefix, shard: 0, of: shards)
    Scratch.write(String(dataPath!.dropFirst(Scratch.directory.count + 1)), data)
    do {
      let reader = try CheckpointReader(path: prefix)
      fuzzCheck(reader.format == .v2, "a bundle opened as \(reader.format)")
      readWholeCheckpoint(reader, names: [prefix])
    } catch {
      expectNamesInput(error, prefix)
    }
  }

  /// Each `.index` fixture with (the first 8 KiB of) its data shard, with and without the
  /// repair flag, and a hand-made bundle with a partitioned tensor (`partitioned`).
  static func seeds(_ paths: [String]) -> [[UInt8]] {
    let (partitionedIndex, partitionedData) = partitioned()
    var out: [[UInt8]] = [[0, UInt8(partitionedIndex.count & 0xFF), UInt8(partitionedIndex.count >> 8)]
                          + partitionedIndex + partitionedData]
    for path in paths where path.hasSuffix(".index") {
      guard let index = Scratch.read(path), index.count < 65536 else { continue }
      let data = Scratch.read(String(path.dropLast(".index".count)) + ".data-00000-of-00001") ?? []
      let body = [UInt8(index.count & 0xFF), UInt8(index.count >> 8)] + index + data.prefix(8192)
      out.append([0] + body)
      out.append([1] + body)
    }
    return out
  }
}

extension CheckpointV2Target {
  /// A bundle (index, data) whose float32 tensor "w" [4, 3] is stored in two slices along
  /// dimension 0, as TensorFlow writes partitioned variables (our writer never partitions):
  /// the full entry lists two `slices`, and each slice has its own record under the
  /// OrderedCode key (0, "w", rank 2, start, length, 0, -1).
  static func partitioned() -> (index: [UInt8], data: [UInt8]) {
    var data: [UInt8] = []
    for k in 0..<12 { data.appendLE(Float(k).bitPattern) }
    var table = TableBuilder()
    table.add(key: [], value: ProtoCodec.encodeBundleHeader(BundleHeader(numShards: 1, bigEndian: false, producer: 1))[...])
    for (start, offset) in [(0, 0), (2, 24)] {
      let key: [UInt8] = [0x00, UInt8(ascii: "w"), 0x00, 0x01, 0x01, 0x02, 0x80 | UInt8(start), 0x82, 0x80, 0x7F]
      let bytes = Array(data[offset..<offset + 24])
      let entry = BundleEntry(dtype: .float32, shape: [2, 3], shardID: 0, offset: offset, size: 24,
                              crc32c: CRC32C.mask(CRC32C.checksum(bytes)))
      table.add(key: key, value: ProtoCodec.encodeBundleEntry(entry)[...])
    }
    // Two empty TensorSliceProto `slices` (field 7) mark the full entry as partitioned.
    let full = ProtoCodec.encodeBundleEntry(BundleEntry(dtype: .float32, shape: [4, 3], shardID: 0, offset: 0, size: 0,
                                                        crc32c: 0)) + [0x3A, 0x00, 0x3A, 0x00]
    table.add(key: Array("w".utf8), value: full[...])
    return (table.finish(), data)
  }
}

/// Snappy blocks (compression type 1 of table blocks). Input: one compressed block.
enum SnappyTarget {
  static func run(_ input: [UInt8]) {
    do {
      let out = try Snappy.decompress(input[...])
      var i = 0
      var declared = 0
      var shift = 0
      while i < input.count {
        declared |= Int(input[i] & 0x7F) << shift
        if input[i] & 0x80 == 0 { break }
        i += 1
        shift += 7
      }
      fuzzCheck(out.count == declared, "decompressed \(out.count) bytes, the block declares \(declared)")
    } catch {
      fuzzCheck(error is Snappy.Failure, "Snappy threw \(type(of: error))")
    }
  }

  /// Hand-made blocks (every literal length form and all three copy forms) and the files
  /// in `paths`.
  static func seeds(_ paths: [String]) -> [[UInt8]] {
    func varint(_ v: Int) -> [UInt8] {
      var out: [UInt8] = []
      var v = v
      while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
      return out + [UInt8(v)]
    }
    let text = Array("the quick brown fox jumps over the lazy dog; ".utf8)
    var seeds: [[UInt8]] = []
    // Literal only (short form).
    seeds.append(varint(text.count) + [UInt8((text.count - 1) << 2)] + text)
    // Literal with a 1-byte and a 2-byte length.
    let long = (0..<300).map { UInt8(truncatingIfNeeded: $0 * 7) }
    seeds.append(varint(100) + [60 << 2, 99] + long.prefix(100))
    seeds.append(varint(300) + [61 << 2, UInt8((300 - 1) & 0xFF), UInt8((300 - 1) >> 8)] + long)
    // Literal then copies with 1-, 2- and 4-byte offsets.
    let lit = Array(text.prefix(20))
    let copy1: [UInt8] = [UInt8(((8 - 4) << 2) | 1 | (0 << 5)), 10]        // 8 bytes from offset 10
    let copy2: [UInt8] = [UInt8(((12 - 1) << 2) | 2), 20, 0]              // 12 bytes from offset 20
    let copy4: [UInt8] = [UInt8(((5 - 1) << 2) | 3), 3, 0, 0, 0]          // 5 bytes from offset 3 (overlapping)
    seeds.append(varint(20 + 8 + 12 + 5) + [UInt8((20 - 1) << 2)] + lit + copy1 + copy2 + copy4)
    seeds.append(varint(0))
    return seeds + paths.compactMap(Scratch.read)  // regression inputs
  }
}
