@testable import Checkpoint
import Formats

/// Makes mutated table files (V1 checkpoints, V2 `.index` files) get past the block CRCs:
/// rewrites the masked CRC32C of the metaindex block, the index block and every data block
/// the index names, wherever those handles point inside the file.
enum TableRepair {
  static func repair(_ bytes: inout [UInt8], setMagic: Bool) {
    guard bytes.count >= TableFormat.footerSize else { return }
    if setMagic {
      for k in 0..<8 { bytes[bytes.count - 8 + k] = UInt8(truncatingIfNeeded: TableFormat.magic >> (8 * UInt64(k))) }
    }
    guard let (meta, index) = try? TableReader(path: "", file: bytes).footer() else { return }
    fix(meta, in: &bytes)
    fix(index, in: &bytes)
    let reader = TableReader(path: "", file: bytes)
    guard let contents = try? reader.block(index, what: ""), let entries = try? reader.parseBlock(contents, offset: 0) else {
      return
    }
    for entry in entries {
      var i = entry.value.startIndex
      if let handle = BlockHandle.decode(entry.value, at: &i) { fix(handle, in: &bytes) }
    }
  }

  /// Rewrites the CRC of the block at `handle` if the block lies inside the file.
  static func fix(_ handle: BlockHandle, in bytes: inout [UInt8]) {
    let limit = bytes.count - TableFormat.footerSize
    let total = handle.size + TableFormat.blockTrailerSize
    guard total <= limit, handle.offset <= limit - total else { return }
    let end = handle.offset + handle.size  // the compression-type byte
    let crc = CRC32C.mask(bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[handle.offset...end])) })
    for k in 0..<4 { bytes[end + 1 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
  }
}

/// Reads everything a checkpoint offers, as `ssd ckpt inspect`, resume and fine-tuning do;
/// every error must name `path` (or the file it is about, which `names` lists).
func readWholeCheckpoint(_ reader: CheckpointReader, names: [String]) {
  func expectNamed(_ error: any Error) {
    let text = String(describing: error)
    fuzzCheck(names.contains { text.contains($0) }, "checkpoint error names none of \(names): \(text)")
  }
  _ = reader.globalStep
  for v in reader.variables {
    do {
      let bytes = try reader.readBytes(v.name)
      fuzzCheck(v.byteCount == nil || bytes.count == v.byteCount, "\(v.name): \(bytes.count) bytes for \(v)")
      let doubles = try reader.readAsDoubles(v.name)
      fuzzCheck(doubles.count == v.elementCount, "\(v.name): \(doubles.count) values for \(v)")
      switch v.dtype {
      case .float32: _ = try reader.readFloat32(v.name, shape: v.shape)
      case .float64: _ = try reader.readFloat64(v.name, shape: v.shape)
      case .int32: _ = try reader.readInt32(v.name, shape: v.shape)
      case .int64: _ = try reader.readInt64(v.name, shape: v.shape)
      default: break
      }
    } catch {
      expectNamed(error)
    }
  }
}
