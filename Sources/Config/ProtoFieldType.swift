/// The kind of value a proto2 field holds.
public enum ProtoFieldType: Equatable, Sendable, CustomStringConvertible {
  case int32, int64, uint32, uint64, float, double, bool, string
  /// An enum, by its schema name (nested enums are qualified: `PostProcessing.ScoreConverter`).
  case enumeration(String)
  /// A message, by its schema name (nested messages are qualified: `Ssd.MaskHead`).
  case message(String)

  public var isMessage: Bool {
    if case .message = self { return true }
    return false
  }

  public var description: String {
    switch self {
    case .int32: return "int32"
    case .int64: return "int64"
    case .uint32: return "uint32"
    case .uint64: return "uint64"
    case .float: return "float"
    case .double: return "double"
    case .bool: return "bool"
    case .string: return "string"
    case .enumeration(let name): return "enum \(name)"
    case .message(let name): return "message \(name)"
    }
  }
}
