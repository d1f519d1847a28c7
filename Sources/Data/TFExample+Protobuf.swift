import CExampleProto
import CProtobufC

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// tf.train.Example <-> protobuf wire bytes through the protobuf-c code generated from
/// proto/example.proto and proto/feature.proto (Sources/CExampleProto). Packed and unpacked
/// float/int64 lists are both accepted when parsing; lists are written packed.
extension TFExample {
  /// Parses a serialized tf.train.Example. Throws `DataError.notExample` (at `location`)
  /// when protobuf-c rejects the bytes. Duplicate map keys: the last one wins, as in protobuf.
  public init(serialized bytes: [UInt8], location: RecordLocation? = nil) throws {
    var dummy: UInt8 = 0
    let parsed: UnsafeMutablePointer<Tensorflow__Example>? = bytes.withUnsafeBufferPointer { buf in
      if let base = buf.baseAddress { return tensorflow__example__unpack(nil, buf.count, base) }
      return tensorflow__example__unpack(nil, 0, &dummy)
    }
    guard let message = parsed else { throw DataError(.notExample, at: location) }
    defer { tensorflow__example__free_unpacked(message, nil) }
    var features: [String: TFFeature] = [:]
    if let fs = message.pointee.features, fs.pointee.n_feature > 0 {
      for i in 0..<fs.pointee.n_feature {
        guard let entry = fs.pointee.feature[i] else { continue }
        let key = entry.pointee.key.map { String(cString: $0) } ?? ""
        features[key] = Self.convert(entry.pointee.value)
      }
    }
    self.init(features: features)
  }

  private static func convert(_ feature: UnsafeMutablePointer<Tensorflow__Feature>?) -> TFFeature {
    guard let f = feature?.pointee else { return .unset }
    switch f.kind_case {
    case TENSORFLOW__FEATURE__KIND_BYTES_LIST:
      guard let list = f.bytes_list?.pointee, list.n_value > 0 else { return .bytes([]) }
      return .bytes((0..<list.n_value).map { i in
        let item = list.value[i]
        guard item.len > 0, let data = item.data else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: item.len))
      })
    case TENSORFLOW__FEATURE__KIND_FLOAT_LIST:
      guard let list = f.float_list?.pointee, list.n_value > 0 else { return .floats([]) }
      return .floats(Array(UnsafeBufferPointer(start: list.value, count: list.n_value)))
    case TENSORFLOW__FEATURE__KIND_INT64_LIST:
      guard let list = f.int64_list?.pointee, list.n_value > 0 else { return .int64s([]) }
      return .int64s(Array(UnsafeBufferPointer(start: list.value, count: list.n_value)))
    default:
      return .unset
    }
  }

  /// The protobuf wire bytes, map entries sorted by key (deterministic, like TensorFlow's
  /// `SerializeToString(deterministic=True)`).
  public func serialized() -> [UInt8] {
    var arena = CArena()
    defer { arena.freeAll() }
    let keys = sortedKeys
    let entries: UnsafeMutablePointer<UnsafeMutablePointer<Tensorflow__Features__FeatureEntry>?> =
      arena.allocate(max(1, keys.count))
    for (i, key) in keys.enumerated() {
      let entry: UnsafeMutablePointer<Tensorflow__Features__FeatureEntry> = arena.allocate(1)
      tensorflow__features__feature_entry__init(entry)
      entry.pointee.key = arena.cString(key)
      let feature: UnsafeMutablePointer<Tensorflow__Feature> = arena.allocate(1)
      tensorflow__feature__init(feature)
      switch features[key]! {
      case let .bytes(values):
        let list: UnsafeMutablePointer<Tensorflow__BytesList> = arena.allocate(1)
        tensorflow__bytes_list__init(list)
        let items: UnsafeMutablePointer<ProtobufCBinaryData> = arena.allocate(max(1, values.count))
        for (j, v) in values.enumerated() {
          items[j] = ProtobufCBinaryData(len: v.count, data: arena.copy(v))
        }
        list.pointee.n_value = values.count
        list.pointee.value = items
        feature.pointee.kind_case = TENSORFLOW__FEATURE__KIND_BYTES_LIST
        feature.pointee.bytes_list = list
      case let .floats(values):
        let list: UnsafeMutablePointer<Tensorflow__FloatList> = arena.allocate(1)
        tensorflow__float_list__init(list)
        list.pointee.n_value = values.count
        list.pointee.value = arena.copy(values)
        feature.pointee.kind_case = TENSORFLOW__FEATURE__KIND_FLOAT_LIST
        feature.pointee.float_list = list
      case let .int64s(values):
        let list: UnsafeMutablePointer<Tensorflow__Int64List> = arena.allocate(1)
        tensorflow__int64_list__init(list)
        list.pointee.n_value = values.count
        list.pointee.value = arena.copy(values)
        feature.pointee.kind_case = TENSORFLOW__FEATURE__KIND_INT64_LIST
        feature.pointee.int64_list = list
      case .unset:
        break
      }
      entry.pointee.value = feature
      entries[i] = entry
    }
    var fs = Tensorflow__Features()
    tensorflow__features__init(&fs)
    fs.n_feature = keys.count
    fs.feature = entries
    return withUnsafeMutablePointer(to: &fs) { fsPointer in
      var example = Tensorflow__Example()
      tensorflow__example__init(&example)
      example.features = fsPointer
      let size = tensorflow__example__get_packed_size(&example)
      return [UInt8](unsafeUninitializedCapacity: max(1, size)) { buf, initialized in
        initialized = tensorflow__example__pack(&example, buf.baseAddress!)
        precondition(initialized == size, "protobuf-c packed \(initialized) bytes, promised \(size)")
      }
    }
  }
}

/// malloc-backed scratch memory for building protobuf-c messages; freed all at once.
private struct CArena {
  private var blocks: [UnsafeMutableRawPointer] = []

  mutating func allocate<T>(_ count: Int) -> UnsafeMutablePointer<T> {
    let raw = calloc(max(1, count), MemoryLayout<T>.stride)!
    blocks.append(raw)
    return raw.bindMemory(to: T.self, capacity: max(1, count))
  }

  mutating func copy<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
    let p: UnsafeMutablePointer<T> = allocate(values.count)
    values.withUnsafeBufferPointer { src in
      if let base = src.baseAddress { p.update(from: base, count: src.count) }
    }
    return p
  }

  mutating func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
    let p = strdup(s)!
    blocks.append(UnsafeMutableRawPointer(p))
    return p
  }

  func freeAll() { for b in blocks { free(b) } }
}
