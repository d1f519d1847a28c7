import Formats

/// Writes a V2 checkpoint (tensor bundle) the way TensorFlow's `BundleWriter` does with one
/// shard: `<prefix>.data-00000-of-00001` holds the tensors' raw bytes back to back (sorted by
/// name), `<prefix>.index` is a table with the `BundleHeaderProto` under the empty key and a
/// `BundleEntryProto` (dtype, shape, offset, size, masked CRC32C) per tensor name.
///
/// Crash safety (`AtomicFile`'s steps, in an order): both files are written under temporary
/// names, fsynced, then renamed into place (data first, index last, since readers look for
/// the index) and the directory is fsynced. A failure removes the temporary files and leaves any earlier files untouched.
public enum BundleWriter {
  /// Points at which a test can make the write fail.
  enum Stage { case dataWritten, indexWritten, dataRenamed }

  /// Writes `tensors` (unique names) as the checkpoint `prefix`.
  public static func write(prefix: String, tensors: [CheckpointTensor]) throws {
    try write(prefix: prefix, tensors: tensors, failAt: nil)
  }

  static func write(prefix: String, tensors: [CheckpointTensor], failAt: ((Stage) throws -> Void)?) throws {
    let sorted = tensors.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    for (a, b) in zip(sorted, sorted.dropFirst()) {
      precondition(a.name != b.name, "checkpoint tensor '\(a.name)' given twice")
    }
    let dataPath = TensorBundle.dataPath(prefix: prefix, shard: 0, of: 1)
    let indexPath = prefix + ".index"
    let dataTemp = AtomicFile.temporaryPath(for: dataPath), indexTemp = AtomicFile.temporaryPath(for: indexPath)

    var table = TableBuilder()
    table.add(key: [], value: ProtoCodec.encodeBundleHeader(
      BundleHeader(numShards: 1, bigEndian: false, producer: 1))[...])
    var offset = 0
    var dataRenamed = false
    for t in sorted {
      let entry = BundleEntry(dtype: t.dtype, shape: t.shape, shardID: 0, offset: offset, size: t.bytes.count,
                              crc32c: CRC32C.mask(CRC32C.checksum(t.bytes)))
      table.add(key: Array(t.name.utf8), value: ProtoCodec.encodeBundleEntry(entry)[...])
      offset += t.bytes.count
    }
    let index = table.finish()

    do {
      try FileIO.writeSynced(dataTemp, chunks: sorted.map(\.bytes))
      try failAt?(.dataWritten)
      try FileIO.writeSynced(indexTemp, chunks: [index])
      try failAt?(.indexWritten)
      try FileIO.rename(dataTemp, dataPath)
      dataRenamed = true
      try failAt?(.dataRenamed)
      try FileIO.rename(indexTemp, indexPath)
    } catch {
      try? FileIO.remove(dataTemp)
      try? FileIO.remove(indexTemp)
      // Without its index the new data file is unreachable; don't leave it behind.
      if dataRenamed { try? FileIO.remove(dataPath) }
      throw error
    }
    try FileIO.syncDirectory(directoryOf(prefix))
  }
}
