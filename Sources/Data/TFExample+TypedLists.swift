/// Typed reads of features with the errors the record decoder reports: a feature of the
/// wrong list type, or a scalar feature with more than one value or an unusable size.
/// Absent features (and features with no list set) read as empty lists.
extension TFExample {
  func bytesList(_ key: String, at location: RecordLocation?) throws -> [[UInt8]] {
    switch self[key] {
    case nil, .unset?: return []
    case let .bytes(v)?: return v
    case let other?: throw DataError(.wrongFeatureType(field: key, expected: "bytes_list", found: other.kindName), at: location)
    }
  }

  func floatList(_ key: String, at location: RecordLocation?) throws -> [Float] {
    switch self[key] {
    case nil, .unset?: return []
    case let .floats(v)?: return v
    case let other?: throw DataError(.wrongFeatureType(field: key, expected: "float_list", found: other.kindName), at: location)
    }
  }

  func int64List(_ key: String, at location: RecordLocation?) throws -> [Int64] {
    switch self[key] {
    case nil, .unset?: return []
    case let .int64s(v)?: return v
    case let other?: throw DataError(.wrongFeatureType(field: key, expected: "int64_list", found: other.kindName), at: location)
    }
  }

  /// A one-value bytes feature, or `value` when absent (TensorFlow's default).
  func scalarBytes(_ key: String, default value: String, at location: RecordLocation?) throws -> [UInt8] {
    let list = try bytesList(key, at: location)
    if list.isEmpty { return Array(value.utf8) }
    guard list.count == 1 else {
      throw DataError(.badValue(field: key, detail: "holds \(list.count) values, expected 1"), at: location)
    }
    return list[0]
  }

  /// A one-value int64 feature holding a positive size (at most Int32.max); 1 when absent.
  func scalarSize(_ key: String, at location: RecordLocation?) throws -> Int {
    let list = try int64List(key, at: location)
    if list.isEmpty { return 1 }
    guard list.count == 1 else {
      throw DataError(.badValue(field: key, detail: "holds \(list.count) values, expected 1"), at: location)
    }
    guard list[0] > 0 && list[0] <= Int64(Int32.max) else {
      throw DataError(.badValue(field: key, detail: "\(list[0]) is not a positive size"), at: location)
    }
    return Int(list[0])
  }
}
