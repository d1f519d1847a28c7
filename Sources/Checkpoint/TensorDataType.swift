/// Element type of a checkpoint tensor, with TensorFlow's `DataType` codes (types.proto).
public enum TensorDataType: Hashable, Sendable, CustomStringConvertible {
  case float32, float64, float16, bfloat16
  case int8, int16, int32, int64
  case uint8, uint16, uint32, uint64
  case bool
  case string
  /// A code this library does not model (complex, quantized, resource, variant, ...).
  case other(code: Int32)

  /// Decodes TensorFlow's `DataType` enum value.
  public init(code: Int32) {
    switch code {
    case 1: self = .float32
    case 2: self = .float64
    case 3: self = .int32
    case 4: self = .uint8
    case 5: self = .int16
    case 6: self = .int8
    case 7: self = .string
    case 9: self = .int64
    case 10: self = .bool
    case 14: self = .bfloat16
    case 17: self = .uint16
    case 19: self = .float16
    case 22: self = .uint32
    case 23: self = .uint64
    default: self = .other(code: code)
    }
  }

  /// TensorFlow's `DataType` enum value.
  public var code: Int32 {
    switch self {
    case .float32: return 1
    case .float64: return 2
    case .int32: return 3
    case .uint8: return 4
    case .int16: return 5
    case .int8: return 6
    case .string: return 7
    case .int64: return 9
    case .bool: return 10
    case .bfloat16: return 14
    case .uint16: return 17
    case .float16: return 19
    case .uint32: return 22
    case .uint64: return 23
    case let .other(code): return code
    }
  }

  /// Bytes per element in a tensor's raw little-endian form; nil for strings and unknown types.
  public var byteSize: Int? {
    switch self {
    case .int8, .uint8, .bool: return 1
    case .int16, .uint16, .float16, .bfloat16: return 2
    case .int32, .uint32, .float32: return 4
    case .int64, .uint64, .float64: return 8
    case .string, .other: return nil
    }
  }

  /// numpy-style name (`float32`, `int64`, ...), as in the fixtures' values.json.
  public var description: String {
    switch self {
    case .float32: return "float32"
    case .float64: return "float64"
    case .float16: return "float16"
    case .bfloat16: return "bfloat16"
    case .int8: return "int8"
    case .int16: return "int16"
    case .int32: return "int32"
    case .int64: return "int64"
    case .uint8: return "uint8"
    case .uint16: return "uint16"
    case .uint32: return "uint32"
    case .uint64: return "uint64"
    case .bool: return "bool"
    case .string: return "string"
    case let .other(code): return "DataType(\(code))"
    }
  }
}
