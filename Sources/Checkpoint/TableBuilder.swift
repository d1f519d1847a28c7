import Formats

/// Builds a TensorFlow table (SSTable) in memory the way TensorFlow's `TableBuilder` does with
/// its default options and no compression: data blocks of ~256 KiB with a restart point every
/// 16 keys, an empty metaindex block, an index block (restart interval 1) whose keys are the
/// shortest separators between blocks, and the 48-byte footer.
/// Keys must be added in strictly increasing bytewise order.
struct TableBuilder {
  private(set) var output: [UInt8] = []
  private var block = BlockBuilder(restartInterval: TableFormat.restartInterval)
  private var index = BlockBuilder(restartInterval: 1)
  private var lastKey: [UInt8] = []
  private var hasKey = false
  /// Handle of the last flushed data block whose index entry waits for the next key.
  private var pendingHandle: BlockHandle?

  mutating func add(key: [UInt8], value: ArraySlice<UInt8>) {
    precondition(!hasKey || lastKey.lexicographicallyPrecedes(key), "table keys must be strictly increasing")
    if let handle = pendingHandle {
      addIndexEntry(separator: Self.shortestSeparator(lastKey, key), handle: handle)
      pendingHandle = nil
    }
    block.add(key: key, value: value)
    lastKey = key
    hasKey = true
    if block.estimatedSize >= TableFormat.blockSize { flush() }
  }

  /// Finishes the table and returns its bytes.
  mutating func finish() -> [UInt8] {
    flush()
    if let handle = pendingHandle {
      addIndexEntry(separator: Self.shortSuccessor(lastKey), handle: handle)
      pendingHandle = nil
    }
    var meta = BlockBuilder(restartInterval: TableFormat.restartInterval)
    let metaHandle = writeBlock(meta.finish())
    let indexHandle = writeBlock(index.finish())
    var footer: [UInt8] = []
    metaHandle.encode(into: &footer)
    indexHandle.encode(into: &footer)
    footer += [UInt8](repeating: 0, count: 40 - footer.count)
    footer.appendLE(TableFormat.magic)
    output += footer
    return output
  }

  private mutating func flush() {
    guard !block.isEmpty else { return }
    pendingHandle = writeBlock(block.finish())
    block = BlockBuilder(restartInterval: TableFormat.restartInterval)
  }

  private mutating func addIndexEntry(separator: [UInt8], handle: BlockHandle) {
    var value: [UInt8] = []
    handle.encode(into: &value)
    index.add(key: separator, value: value[...])
  }

  /// Appends contents + type byte 0 + masked CRC32C; returns the contents' handle.
  private mutating func writeBlock(_ contents: [UInt8]) -> BlockHandle {
    let handle = BlockHandle(offset: output.count, size: contents.count)
    output += contents
    output.append(0)
    let crc = output.withUnsafeBytes { buf in
      CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buf[handle.offset..<output.count]))
    }
    output.appendLE(CRC32C.mask(crc))
    return handle
  }

  /// A short key k with start <= k < limit (LevelDB's bytewise `FindShortestSeparator`).
  static func shortestSeparator(_ start: [UInt8], _ limit: [UInt8]) -> [UInt8] {
    let n = min(start.count, limit.count)
    var d = 0
    while d < n && start[d] == limit[d] { d += 1 }
    guard d < n else { return start }  // one is a prefix of the other
    let b = start[d]
    guard b < 0xFF, b + 1 < limit[d] else { return start }
    return Array(start[..<d]) + [b + 1]
  }

  /// A short key k >= key (LevelDB's bytewise `FindShortSuccessor`).
  static func shortSuccessor(_ key: [UInt8]) -> [UInt8] {
    for (d, b) in key.enumerated() where b != 0xFF {
      return Array(key[..<d]) + [b + 1]
    }
    return key
  }
}
