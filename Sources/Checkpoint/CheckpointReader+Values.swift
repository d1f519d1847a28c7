/// Typed reads on top of `readBytes`.
extension CheckpointReader {
  /// A float32 variable's values, row-major. `shape`, when given, must equal the stored shape.
  public func readFloat32(_ name: String, shape: [Int]? = nil) throws -> [Float] {
    try typedValues(name, .float32, shape: shape)
  }

  public func readFloat64(_ name: String, shape: [Int]? = nil) throws -> [Double] {
    try typedValues(name, .float64, shape: shape)
  }

  public func readInt32(_ name: String, shape: [Int]? = nil) throws -> [Int32] {
    try typedValues(name, .int32, shape: shape)
  }

  public func readInt64(_ name: String, shape: [Int]? = nil) throws -> [Int64] {
    try typedValues(name, .int64, shape: shape)
  }

  /// Any numeric or bool variable widened to Double (int64 beyond 2^53 loses precision);
  /// for display and sums.
  public func readAsDoubles(_ name: String) throws -> [Double] {
    guard let v = variable(named: name) else { throw CheckpointError.variableNotFound(path: path, name: name) }
    let bytes = try readBytes(name)
    func load<T: FixedWidthInteger>(_: T.Type) -> [T] { decodeLittleEndian(bytes, as: T.self) }
    switch v.dtype {
    case .float32: return decodeLittleEndian(bytes, as: UInt32.self).map { Double(Float(bitPattern: $0)) }
    case .float64: return decodeLittleEndian(bytes, as: UInt64.self).map { Double(bitPattern: $0) }
    case .float16:
      return decodeLittleEndian(bytes, as: UInt16.self).map { Double(halfToFloat($0)) }
    case .bfloat16:
      return decodeLittleEndian(bytes, as: UInt16.self).map { Double(Float(bitPattern: UInt32($0) << 16)) }
    case .int8: return load(Int8.self).map(Double.init)
    case .int16: return load(Int16.self).map(Double.init)
    case .int32: return load(Int32.self).map(Double.init)
    case .int64: return load(Int64.self).map(Double.init)
    case .uint8, .bool: return load(UInt8.self).map(Double.init)
    case .uint16: return load(UInt16.self).map(Double.init)
    case .uint32: return load(UInt32.self).map(Double.init)
    case .uint64: return load(UInt64.self).map(Double.init)
    case .string, .other:
      throw CheckpointError.unsupportedDataType(path: path, name: name, dtype: v.dtype.description)
    }
  }

  /// The `global_step` variable (int64 or int32 scalar), nil if absent or unreadable.
  public var globalStep: Int64? {
    guard let v = variable(named: "global_step"), v.elementCount == 1 else { return nil }
    switch v.dtype {
    case .int64: return try? readInt64("global_step", shape: v.shape).first
    case .int32: return (try? readInt32("global_step", shape: v.shape).first).map(Int64.init)
    default: return nil
    }
  }

  private func typedValues<T>(_ name: String, _ dtype: TensorDataType, shape: [Int]?) throws -> [T] {
    guard let v = variable(named: name) else { throw CheckpointError.variableNotFound(path: path, name: name) }
    guard v.dtype == dtype else {
      throw CheckpointError.dataTypeMismatch(path: path, name: name, expected: dtype, found: v.dtype)
    }
    if let shape, shape != v.shape {
      throw CheckpointError.shapeMismatch(path: path, name: name, expected: shape, found: v.shape)
    }
    let bytes = try readBytes(name)
    precondition(bytes.count == v.elementCount * MemoryLayout<T>.stride)
    return [T](unsafeUninitializedCapacity: v.elementCount) { buffer, count in
      // Raw little-endian bytes are the in-memory layout on every platform Swift runs on here.
      bytes.withUnsafeBytes { src in
        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: src)
      }
      count = v.elementCount
    }
  }
}

/// Little-endian integers from raw bytes.
func decodeLittleEndian<T: FixedWidthInteger>(_ bytes: [UInt8], as: T.Type) -> [T] {
  let size = MemoryLayout<T>.size
  return (0..<bytes.count / size).map { k in
    var v: T = 0
    for b in 0..<size { v |= T(truncatingIfNeeded: bytes[k * size + b]) << (8 * b) }
    return v
  }
}

/// IEEE half → Float (exact).
func halfToFloat(_ h: UInt16) -> Float {
  let sign: Float = h & 0x8000 != 0 ? -1 : 1
  let exponent = Int((h >> 10) & 0x1F)
  let mantissa = Float(h & 0x3FF)
  switch exponent {
  case 0: return sign * mantissa * 0x1p-24
  case 31: return mantissa == 0 ? sign * .infinity : .nan
  default: return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
  }
}
