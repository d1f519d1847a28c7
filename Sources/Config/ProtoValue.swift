/// A typed proto2 field value: what the schema checker makes of one text-format token or block.
public enum ProtoValue: Equatable, Sendable, CustomStringConvertible {
  /// int32 / int64.
  case int(Int64)
  /// uint32 / uint64.
  case uint(UInt64)
  /// float (stored as Float32, as TensorFlow reads it).
  case float(Float)
  case double(Double)
  case bool(Bool)
  case string(String)
  /// An enum value by name.
  case enumeration(String)
  case message(ProtoMessage)

  public var description: String {
    switch self {
    case .int(let v): return String(v)
    case .uint(let v): return String(v)
    case .float(let v): return String(v)
    case .double(let v): return String(v)
    case .bool(let v): return String(v)
    case .string(let v): return "\"\(v)\""
    case .enumeration(let v): return v
    case .message(let m): return "\(m.type) { ... }"
    }
  }
}
