/// A V1 ("tensor slice", `SaverDef.V1`) checkpoint: one table file whose empty-key record
/// lists every tensor (`SavedTensorSliceMeta`) and whose other records each hold one slice
/// of one tensor (`SavedSlice`), keyed by the OrderedCode encoding of (name, slice).
/// Opening indexes the records by tensor name without decoding any values; `readBytes`
/// decodes and assembles a tensor's slices on demand.
final class TensorSliceFile {
  let path: String
  let variables: [CheckpointVariable]
  private let metas: [String: SavedSliceMeta]
  /// Record values of each tensor's slices; they share the file's storage.
  private let records: [String: [ArraySlice<UInt8>]]

  init(path: String, file: [UInt8]) throws {
    self.path = path
    let entries = try TableReader(path: path, file: file).entries()
    guard let first = entries.first, first.key.isEmpty else {
      throw CheckpointError.badRecord(path: path, key: "",
                                      reason: "the file has no header record (empty key) listing the tensors")
    }
    let metaList: [SavedSliceMeta]
    do { metaList = try ProtoCodec.decodeSliceMeta(first.value) } catch let f as ProtoCodec.Failure {
      throw CheckpointError.badRecord(path: path, key: "", reason: f.reason)
    }
    var metas: [String: SavedSliceMeta] = [:]
    for meta in metaList { metas[meta.name] = meta }
    var records: [String: [ArraySlice<UInt8>]] = [:]
    for entry in entries.dropFirst() {
      guard let name = Self.tensorName(fromKey: entry.key) else {
        throw CheckpointError.corruptTable(path: path, offset: 0,
                                           reason: "record key \(entry.key.prefix(40).map { String($0, radix: 16) }) is not an encoded (name, slice) key")
      }
      guard metas[name] != nil else {
        throw CheckpointError.badRecord(path: path, key: name, reason: "slice of a tensor the header does not list")
      }
      records[name, default: []].append(entry.value)
    }
    self.metas = metas
    self.records = records
    self.variables = metaList.map { CheckpointVariable(name: $0.name, dtype: $0.dtype, shape: $0.shape) }
      .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
  }

  /// The tensor's raw little-endian row-major bytes, assembled from all of its slices.
  func readBytes(_ name: String) throws -> [UInt8] {
    guard let meta = metas[name] else { throw CheckpointError.variableNotFound(path: path, name: name) }
    guard let size = meta.dtype.byteSize else {
      throw CheckpointError.unsupportedDataType(path: path, name: name, dtype: meta.dtype.description)
    }
    let shape = meta.shape
    let total = shape.reduce(1, *)
    let stored = (records[name] ?? []).reduce(0) { $0 + $1.count }
    // Every element takes at least one byte of the records: a larger shape is corrupt.
    guard total <= stored || total == 0 else {
      throw CheckpointError.badRecord(path: path, key: name,
                                      reason: "shape \(shape) needs \(total) elements but its records hold \(stored) bytes")
    }
    var out = [UInt8](repeating: 0, count: total * size)
    var covered = 0
    for value in records[name] ?? [] {
      var starts: [Int] = [], lengths: [Int] = []
      let slice: SavedSliceData
      do {
        slice = try ProtoCodec.decodeSavedSlice(value, dtype: meta.dtype) { extents in
          (starts, lengths) = try Self.resolve(extents, shape: shape)
          return lengths.reduce(1, *)
        }
      } catch let f as ProtoCodec.Failure {
        throw CheckpointError.badRecord(path: path, key: name, reason: f.reason)
      }
      guard slice.name == name else {
        throw CheckpointError.badRecord(path: path, key: name, reason: "record names tensor '\(slice.name)'")
      }
      copySlice(slice.bytes, starts: starts, lengths: lengths, fullShape: shape, elementSize: size, into: &out)
      covered += lengths.reduce(1, *)
    }
    guard covered == total else {
      throw CheckpointError.badRecord(path: path, key: name,
                                      reason: "its slices hold \(covered) of the tensor's \(total) elements")
    }
    return out
  }

  /// Starts and lengths of a slice; an extent without length (or no extents) spans the dimension.
  private static func resolve(_ extents: [SliceExtent], shape: [Int]) throws -> ([Int], [Int]) {
    if extents.isEmpty { return ([Int](repeating: 0, count: shape.count), shape) }
    guard extents.count == shape.count else {
      throw ProtoCodec.Failure(reason: "slice has \(extents.count) extents for a rank-\(shape.count) tensor")
    }
    var starts: [Int] = [], lengths: [Int] = []
    for (d, e) in extents.enumerated() {
      let start = e.length == nil ? 0 : e.start
      let length = e.length ?? shape[d]
      guard start >= 0, start <= shape[d], length >= 0, length <= shape[d] - start else {
        throw ProtoCodec.Failure(reason: "slice extent \(start)+\(length) exceeds dimension \(d) of size \(shape[d])")
      }
      starts.append(start)
      lengths.append(length)
    }
    return (starts, lengths)
  }

  /// The tensor name of a record key (see `OrderedCode`).
  static func tensorName(fromKey key: [UInt8]) -> String? { OrderedCode.tensorName(fromKey: key) }
}
