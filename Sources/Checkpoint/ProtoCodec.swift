import CCheckpointProtos
import CProtobufC

/// `BundleEntryProto` as plain Swift values: where one V2 tensor's bytes live.
struct BundleEntry: Equatable {
  var dtype: TensorDataType
  var shape: [Int]
  var shardID: Int
  var offset: Int
  var size: Int
  /// Masked CRC32C of the bytes.
  var crc32c: UInt32
  /// Number of `slices` (non-zero only for partitioned tensors).
  var sliceCount: Int = 0
}

/// `BundleHeaderProto` as plain Swift values.
struct BundleHeader: Equatable {
  var numShards: Int
  var bigEndian: Bool
  var producer: Int32
}

/// One extent of a `TensorSliceProto`; `length == nil` means the whole dimension.
struct SliceExtent: Equatable {
  var start: Int
  var length: Int?
}

/// `SavedSliceMeta` as plain Swift values.
struct SavedSliceMeta {
  var name: String
  var dtype: TensorDataType
  var shape: [Int]
  var slices: [[SliceExtent]]
}

/// One `SavedSlice`: a slice of a tensor and its values as raw little-endian bytes.
struct SavedSliceData {
  var name: String
  var extents: [SliceExtent]
  var bytes: [UInt8]
}

/// Encoding and decoding of checkpoint records through the protobuf-c code generated from
/// proto/checkpoint (scripts/gen-checkpoint-protos.sh). Decoders return nil or throw
/// `ProtoCodec.Failure` with a reason; callers add the file and key.
enum ProtoCodec {
  struct Failure: Error { let reason: String }

  // MARK: Decoding

  static func decodeBundleHeader(_ bytes: ArraySlice<UInt8>) throws -> BundleHeader {
    try withUnpacked(bytes, tensorflow__bundle_header_proto__unpack, tensorflow__bundle_header_proto__free_unpacked) { h in
      BundleHeader(numShards: Int(h.num_shards),
                   bigEndian: h.endianness.rawValue == TENSORFLOW__BUNDLE_HEADER_PROTO__ENDIANNESS__BIG.rawValue,
                   producer: h.version?.pointee.producer ?? 0)
    }
  }

  static func decodeBundleEntry(_ bytes: ArraySlice<UInt8>) throws -> BundleEntry {
    try withUnpacked(bytes, tensorflow__bundle_entry_proto__unpack, tensorflow__bundle_entry_proto__free_unpacked) { e in
      BundleEntry(dtype: TensorDataType(code: Int32(bitPattern: e.dtype.rawValue)),
                  shape: try shape(e.shape), shardID: Int(e.shard_id), offset: Int(e.offset), size: Int(e.size),
                  crc32c: e.crc32c, sliceCount: e.n_slices)
    }
  }

  /// The meta record of a V1 file (the value under the empty key).
  static func decodeSliceMeta(_ bytes: ArraySlice<UInt8>) throws -> [SavedSliceMeta] {
    try withUnpacked(bytes, tensorflow__saved_tensor_slices__unpack, tensorflow__saved_tensor_slices__free_unpacked) { s in
      guard let meta = s.meta?.pointee else { throw Failure(reason: "the header record has no `meta` field") }
      var result: [SavedSliceMeta] = []
      for k in 0..<meta.n_tensor {
        let t = meta.tensor[k]!.pointee
        var slices: [[SliceExtent]] = []
        for j in 0..<t.n_slice { slices.append(extents(t.slice[j])) }
        result.append(SavedSliceMeta(name: String(cString: t.name),
                                     dtype: TensorDataType(code: Int32(bitPattern: t.type.rawValue)),
                                     shape: try shape(t.shape), slices: slices))
      }
      return result
    }
  }

  /// A V1 data record; the values are converted to raw little-endian bytes of `dtype`.
  /// `elementCount` maps the slice extents to the element count the values must have.
  static func decodeSavedSlice(_ bytes: ArraySlice<UInt8>, dtype: TensorDataType,
                               elementCount: (_ extents: [SliceExtent]) throws -> Int) throws -> SavedSliceData {
    try withUnpacked(bytes, tensorflow__saved_tensor_slices__unpack, tensorflow__saved_tensor_slices__free_unpacked) { s in
      guard let slice = s.data?.pointee else { throw Failure(reason: "the record has no `data` field") }
      let ext = extents(slice.slice)
      let count = try elementCount(ext)
      guard let data = slice.data?.pointee else {
        if count == 0 { return SavedSliceData(name: String(cString: slice.name), extents: ext, bytes: []) }
        throw Failure(reason: "the record has no tensor values")
      }
      return SavedSliceData(name: String(cString: slice.name), extents: ext,
                            bytes: try rawBytes(data, dtype: dtype, count: count))
    }
  }

  private static func rawBytes(_ t: Tensorflow__TensorProto, dtype: TensorDataType, count: Int) throws -> [UInt8] {
    guard let size = dtype.byteSize else { throw Failure(reason: "values of type \(dtype) are not supported") }
    if t.tensor_content.len > 0 {
      guard t.tensor_content.len == count * size else {
        throw Failure(reason: "tensor_content has \(t.tensor_content.len) bytes, expected \(count * size)")
      }
      return Array(UnsafeBufferPointer(start: t.tensor_content.data, count: t.tensor_content.len))
    }
    var out = [UInt8]()
    out.reserveCapacity(count * size)
    func check(_ n: Int, _ field: String) throws {
      guard n == count else { throw Failure(reason: "\(field) holds \(n) values, the slice has \(count) elements") }
    }
    switch dtype {
    case .float32:
      try check(t.n_float_val, "float_val")
      for k in 0..<count { out.appendLE(t.float_val[k].bitPattern) }
    case .float64:
      try check(t.n_double_val, "double_val")
      for k in 0..<count { out.appendLE(t.double_val[k].bitPattern) }
    case .int32, .int16, .int8, .uint8, .uint16:
      try check(t.n_int_val, "int_val")
      for k in 0..<count {
        let v = UInt32(bitPattern: t.int_val[k])
        for b in 0..<size { out.append(UInt8(truncatingIfNeeded: v >> (8 * b))) }
      }
    case .int64:
      try check(t.n_int64_val, "int64_val")
      for k in 0..<count { out.appendLE(UInt64(bitPattern: t.int64_val[k])) }
    case .bool:
      try check(t.n_bool_val, "bool_val")
      for k in 0..<count { out.append(t.bool_val[k] != 0 ? 1 : 0) }
    case .float16, .bfloat16:
      try check(t.n_half_val, "half_val")
      for k in 0..<count {
        let v = UInt32(bitPattern: t.half_val[k])
        out.append(UInt8(truncatingIfNeeded: v))
        out.append(UInt8(truncatingIfNeeded: v >> 8))
      }
    case .uint32:
      try check(t.n_uint32_val, "uint32_val")
      for k in 0..<count { out.appendLE(t.uint32_val[k]) }
    case .uint64:
      try check(t.n_uint64_val, "uint64_val")
      for k in 0..<count { out.appendLE(t.uint64_val[k]) }
    case .string, .other:
      throw Failure(reason: "values of type \(dtype) are not supported")
    }
    return out
  }

  private static func shape(_ p: UnsafeMutablePointer<Tensorflow__TensorShapeProto>?) throws -> [Int] {
    guard let s = p?.pointee else { return [] }
    guard s.unknown_rank == 0 else { throw Failure(reason: "shape has unknown rank") }
    var dims: [Int] = []
    var elements = 1
    for k in 0..<s.n_dim {
      let size = s.dim[k]!.pointee.size
      guard size >= 0 else { throw Failure(reason: "dimension \(k) has unknown size \(size)") }
      let (product, overflow) = elements.multipliedReportingOverflow(by: Int(size))
      // Keep elements × 8 bytes representable so later size arithmetic cannot overflow.
      guard !overflow, product <= Int.max / 16 else { throw Failure(reason: "shape has too many elements") }
      elements = product
      dims.append(Int(size))
    }
    return dims
  }

  private static func extents(_ p: UnsafeMutablePointer<Tensorflow__TensorSliceProto>?) -> [SliceExtent] {
    guard let s = p?.pointee else { return [] }
    return (0..<s.n_extent).map { k in
      let e = s.extent[k]!.pointee
      let hasLength = e.has_length_case == TENSORFLOW__TENSOR_SLICE_PROTO__EXTENT__HAS_LENGTH_LENGTH
      return SliceExtent(start: Int(e.start), length: hasLength ? Int(e.length) : nil)
    }
  }

  private static func withUnpacked<M, R>(
    _ bytes: ArraySlice<UInt8>,
    _ unpack: (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<M>?,
    _ free: (UnsafeMutablePointer<M>?, UnsafeMutablePointer<ProtobufCAllocator>?) -> Void,
    _ body: (M) throws -> R
  ) throws -> R {
    let message = bytes.withUnsafeBufferPointer { buf -> UnsafeMutablePointer<M>? in
      // protobuf-c wants a non-null pointer even for an empty message.
      var empty: UInt8 = 0
      return buf.count == 0 ? unpack(nil, 0, &empty) : unpack(nil, buf.count, buf.baseAddress)
    }
    guard let message else { throw Failure(reason: "not a valid protocol buffer message") }
    defer { free(message, nil) }
    return try body(message.pointee)
  }

  // MARK: Encoding

  static func encodeBundleHeader(_ header: BundleHeader) -> [UInt8] {
    var version = Tensorflow__VersionDef()
    tensorflow__version_def__init(&version)
    version.producer = header.producer
    var h = Tensorflow__BundleHeaderProto()
    tensorflow__bundle_header_proto__init(&h)
    h.num_shards = Int32(header.numShards)
    h.endianness = header.bigEndian ? TENSORFLOW__BUNDLE_HEADER_PROTO__ENDIANNESS__BIG
                                    : TENSORFLOW__BUNDLE_HEADER_PROTO__ENDIANNESS__LITTLE
    return withUnsafeMutablePointer(to: &version) { v in
      h.version = v
      var out = [UInt8](repeating: 0, count: tensorflow__bundle_header_proto__get_packed_size(&h))
      _ = out.withUnsafeMutableBufferPointer { tensorflow__bundle_header_proto__pack(&h, $0.baseAddress) }
      return out
    }
  }

  static func encodeBundleEntry(_ entry: BundleEntry) -> [UInt8] {
    precondition(entry.sliceCount == 0, "partitioned tensors are not written")
    // Dims live in manually allocated storage for the duration of the pack call.
    let dims = UnsafeMutablePointer<Tensorflow__TensorShapeProto__Dim>.allocate(capacity: max(entry.shape.count, 1))
    let dimPointers = UnsafeMutablePointer<UnsafeMutablePointer<Tensorflow__TensorShapeProto__Dim>?>
      .allocate(capacity: max(entry.shape.count, 1))
    defer {
      dims.deallocate()
      dimPointers.deallocate()
    }
    for (k, size) in entry.shape.enumerated() {
      tensorflow__tensor_shape_proto__dim__init(dims + k)
      dims[k].size = Int64(size)
      dimPointers[k] = dims + k
    }
    var shape = Tensorflow__TensorShapeProto()
    tensorflow__tensor_shape_proto__init(&shape)
    shape.n_dim = entry.shape.count
    shape.dim = entry.shape.isEmpty ? nil : dimPointers
    var e = Tensorflow__BundleEntryProto()
    tensorflow__bundle_entry_proto__init(&e)
    e.dtype = Tensorflow__DataType(rawValue: UInt32(bitPattern: entry.dtype.code))
    e.shard_id = Int32(entry.shardID)
    e.offset = Int64(entry.offset)
    e.size = Int64(entry.size)
    e.crc32c = entry.crc32c
    return withUnsafeMutablePointer(to: &shape) { s in
      e.shape = s
      var out = [UInt8](repeating: 0, count: tensorflow__bundle_entry_proto__get_packed_size(&e))
      _ = out.withUnsafeMutableBufferPointer { tensorflow__bundle_entry_proto__pack(&e, $0.baseAddress) }
      return out
    }
  }
}
