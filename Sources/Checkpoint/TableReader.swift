import Formats

/// Reads a whole TensorFlow table (SSTable) held in memory: checks the footer magic, every
/// block's masked CRC32C, the block structure and strictly increasing keys, and returns the
/// key/value entries in order. Values slice into the file bytes (or into a decompressed
/// block), so reading a 100 MB V1 checkpoint copies no tensor data.
struct TableReader {
  let path: String
  let file: [UInt8]

  /// One table entry; `value` shares storage with the file (or a decompressed block).
  struct Entry {
    let key: [UInt8]
    let value: ArraySlice<UInt8>
    var keyString: String { String(decoding: key, as: UTF8.self) }
  }

  init(path: String, file: [UInt8]) {
    self.path = path
    self.file = file
  }

  init(path: String) throws {
    self.init(path: path, file: try FileIO.readAll(path))
  }

  /// The footer's metaindex and index handles.
  func footer() throws -> (metaindex: BlockHandle, index: BlockHandle) {
    guard file.count >= TableFormat.footerSize else {
      throw CheckpointError.truncated(path: path, what: "table footer", offset: 0,
                                      needed: TableFormat.footerSize, fileSize: file.count)
    }
    let start = file.count - TableFormat.footerSize
    var r = ByteReader(file, offset: file.count - 8)
    let magic = try r.readUInt64()
    guard magic == TableFormat.magic else { throw CheckpointError.badMagic(path: path, found: magic) }
    let footer = file[start..<file.count - 8]
    var i = footer.startIndex
    guard let meta = BlockHandle.decode(footer, at: &i), let index = BlockHandle.decode(footer, at: &i) else {
      throw CheckpointError.corruptTable(path: path, offset: start, reason: "footer block handles are malformed")
    }
    return (meta, index)
  }

  /// Contents of the block at `handle`, after checking its trailer CRC and decompressing.
  func block(_ handle: BlockHandle, what: String) throws -> ArraySlice<UInt8> {
    let total = handle.size + TableFormat.blockTrailerSize  // handles are < Int.max / 2
    let limit = file.count - TableFormat.footerSize
    guard total <= limit, handle.offset <= limit - total else {
      throw CheckpointError.truncated(path: path, what: what, offset: handle.offset, needed: total,
                                      fileSize: file.count)
    }
    let contentsEnd = handle.offset + handle.size
    let type = file[contentsEnd]
    var r = ByteReader(file, offset: contentsEnd + 1)
    let stored = try r.readUInt32()
    let computed = file.withUnsafeBytes { buf in
      CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buf[handle.offset..<contentsEnd + 1]))
    }
    guard CRC32C.unmask(stored) == computed else {
      throw CheckpointError.blockChecksumMismatch(path: path, offset: handle.offset, stored: stored,
                                                  computed: CRC32C.mask(computed))
    }
    let contents = file[handle.offset..<contentsEnd]
    switch type {
    case 0: return contents
    case 1:
      do { return try Snappy.decompress(contents)[...] } catch let failure as Snappy.Failure {
        throw CheckpointError.corruptTable(path: path, offset: handle.offset,
                                           reason: "Snappy block does not decompress: \(failure.reason)")
      }
    default: throw CheckpointError.unsupportedCompression(path: path, offset: handle.offset, type: type)
    }
  }

  /// Decodes the entries of one block's contents (`offset` is for error messages only).
  func parseBlock(_ contents: ArraySlice<UInt8>, offset: Int) throws -> [Entry] {
    func corrupt(_ reason: String) -> CheckpointError {
      .corruptTable(path: path, offset: offset, reason: reason)
    }
    guard contents.count >= 4 else { throw corrupt("block of \(contents.count) bytes has no restart count") }
    var r = ByteReader(Array(contents.suffix(4)))
    let numRestarts = Int(try r.readUInt32())
    guard numRestarts >= 1, numRestarts <= (contents.count - 4) / 4 else {
      throw corrupt("block of \(contents.count) bytes claims \(numRestarts) restart points")
    }
    let limit = contents.endIndex - 4 - 4 * numRestarts
    var entries: [Entry] = []
    var key: [UInt8] = []
    var i = contents.startIndex
    while i < limit {
      guard let shared = Varint.read32(contents, at: &i), let unshared = Varint.read32(contents, at: &i),
            let valueLength = Varint.read32(contents, at: &i) else { throw corrupt("bad entry header varint") }
      guard shared <= key.count, i + unshared + valueLength <= limit else {
        throw corrupt("entry (shared \(shared), key bytes \(unshared), value bytes \(valueLength)) runs past the block")
      }
      key.removeSubrange(shared...)
      key.append(contentsOf: contents[i..<i + unshared])
      i += unshared
      entries.append(Entry(key: key, value: contents[i..<i + valueLength]))
      i += valueLength
    }
    guard i == limit else { throw corrupt("entries overrun the restart array") }
    return entries
  }

  /// All data entries in key order.
  func entries() throws -> [Entry] {
    let (_, indexHandle) = try footer()
    let index = try parseBlock(try block(indexHandle, what: "index block"), offset: indexHandle.offset)
    var result: [Entry] = []
    for indexEntry in index {
      var i = indexEntry.value.startIndex
      guard let handle = BlockHandle.decode(indexEntry.value, at: &i) else {
        throw CheckpointError.corruptTable(path: path, offset: indexHandle.offset,
                                           reason: "index entry holds a malformed block handle")
      }
      let entries = try parseBlock(try block(handle, what: "data block"), offset: handle.offset)
      for entry in entries {
        if let last = result.last, !last.key.lexicographicallyPrecedes(entry.key) {
          throw CheckpointError.corruptTable(path: path, offset: handle.offset,
                                             reason: "keys out of order ('\(last.keyString)' then '\(entry.keyString)')")
        }
        if !(entry.key.lexicographicallyPrecedes(indexEntry.key) || entry.key == indexEntry.key) {
          throw CheckpointError.corruptTable(path: path, offset: handle.offset,
                                             reason: "key '\(entry.keyString)' lies beyond its index separator")
        }
        result.append(entry)
      }
    }
    return result
  }
}
