/// The kind of value a proto2 field holds.
public enum ProtoFieldType: Equatable, Sendable, CustomStringConvertible {
  case int32, int64, uint32, uint64, float, double, bool, string
  /// An enum, by its schema name (nested enums are qualified: `PostProcessing.ScoreConverter`).
  case enumeration(String)
  /// A message, by its schema name (nested messages are qualified: `Ssd.MaskHead`).
  case message(String)

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

/// A default written in a schema table; converted to a `ProtoValue` of the field's type.
public enum ProtoDefault: Sendable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByStringLiteral
{
  case integer(Int64), real(Double), boolean(Bool), text(String)
  public init(integerLiteral value: Int64) { self = .integer(value) }
  public init(floatLiteral value: Double) { self = .real(value) }
  public init(booleanLiteral value: Bool) { self = .boolean(value) }
  public init(stringLiteral value: String) { self = .text(value) }
}

/// One field of a proto2 message: name, number, label, type, explicit default, oneof.
public struct ProtoFieldSchema: Sendable {
  public var name: String
  public var number: Int
  public var isRepeated: Bool
  public var type: ProtoFieldType
  /// The `[default = ...]` of the .proto file, already typed; nil means the type's zero.
  public var explicitDefault: ProtoValue?
  /// The oneof this field belongs to, if any.
  public var oneof: String?
  public var isDeprecated: Bool

  public init(name: String, number: Int, isRepeated: Bool, type: ProtoFieldType, default def: ProtoDefault?,
              oneof: String?, isDeprecated: Bool)
  {
    self.name = name
    self.number = number
    self.isRepeated = isRepeated
    self.type = type
    self.oneof = oneof
    self.isDeprecated = isDeprecated
    guard let def else {
      explicitDefault = nil
      return
    }
    switch (type, def) {
    case (.int32, .integer(let v)), (.int64, .integer(let v)): explicitDefault = .int(v)
    case (.uint32, .integer(let v)), (.uint64, .integer(let v)):
      precondition(v >= 0, "negative default for unsigned field \(name)")
      explicitDefault = .uint(UInt64(v))
    case (.float, .integer(let v)): explicitDefault = .float(Float(v))
    case (.float, .real(let v)): explicitDefault = .float(Float(v))
    case (.double, .integer(let v)): explicitDefault = .double(Double(v))
    case (.double, .real(let v)): explicitDefault = .double(v)
    case (.bool, .boolean(let v)): explicitDefault = .bool(v)
    case (.string, .text(let v)): explicitDefault = .string(v)
    case (.enumeration, .text(let v)): explicitDefault = .enumeration(v)
    default: preconditionFailure("default \(def) does not fit field \(name) of type \(type)")
    }
  }
}

/// A proto2 message type: its fields in declaration order.
public struct ProtoMessageSchema: Sendable {
  public var name: String
  public var fields: [ProtoFieldSchema]
  private var byName: [String: Int]

  public init(_ name: String, _ fields: [ProtoFieldSchema]) {
    self.name = name
    self.fields = fields
    var byName: [String: Int] = [:]
    for (i, f) in fields.enumerated() {
      precondition(byName[f.name] == nil, "duplicate field \(f.name) in \(name)")
      byName[f.name] = i
    }
    self.byName = byName
  }

  public func field(_ name: String) -> ProtoFieldSchema? {
    byName[name].map { fields[$0] }
  }

  /// Names of the fields of one oneof, in declaration order.
  public func oneofMembers(_ oneof: String) -> [String] {
    fields.filter { $0.oneof == oneof }.map(\.name)
  }
}

/// A proto2 enum type: value names and numbers in declaration order (the first is the default).
public struct ProtoEnumSchema: Sendable {
  public var name: String
  public var values: [(name: String, number: Int32)]

  public init(_ name: String, _ values: [(String, Int32)]) {
    self.name = name
    self.values = values.map { (name: $0.0, number: $0.1) }
  }

  public func number(of name: String) -> Int32? { values.first { $0.name == name }?.number }
  public func name(of number: Int32) -> String? { values.first { $0.number == number }?.name }
}

/// A set of message and enum types with a root message (the type of a whole file).
public final class ProtoSchema: Sendable {
  public let root: String
  public let messages: [String: ProtoMessageSchema]
  public let enums: [String: ProtoEnumSchema]

  public init(root: String, messages: [ProtoMessageSchema], enums: [ProtoEnumSchema]) {
    self.root = root
    self.messages = Dictionary(uniqueKeysWithValues: messages.map { ($0.name, $0) })
    self.enums = Dictionary(uniqueKeysWithValues: enums.map { ($0.name, $0) })
    for m in messages {
      for f in m.fields {
        switch f.type {
        case .message(let t): precondition(self.messages[t] != nil, "\(m.name).\(f.name): unknown message \(t)")
        case .enumeration(let t): precondition(self.enums[t] != nil, "\(m.name).\(f.name): unknown enum \(t)")
        default: break
        }
      }
    }
  }

  public func message(_ name: String) -> ProtoMessageSchema {
    guard let m = messages[name] else { preconditionFailure("no message \(name) in schema") }
    return m
  }

  /// The value a field has when it is not set: its explicit default or the type's zero
  /// (first enum value, empty message).
  public func defaultValue(of field: ProtoFieldSchema) -> ProtoValue {
    if let d = field.explicitDefault { return d }
    switch field.type {
    case .int32, .int64: return .int(0)
    case .uint32, .uint64: return .uint(0)
    case .float: return .float(0)
    case .double: return .double(0)
    case .bool: return .bool(false)
    case .string: return .string("")
    case .enumeration(let e): return .enumeration(enums[e]!.values[0].name)
    case .message(let m): return .message(ProtoMessage(schema: self, type: m, location: nil))
    }
  }
}

// Table-building helpers: `opt("batch_size", 1, .uint32, 32)`, `rep("input_path", 1, .string)`,
// `one("ssd", 2, .message("Ssd"), oneof: "model")`.
func opt(_ name: String, _ number: Int, _ type: ProtoFieldType, _ def: ProtoDefault? = nil,
         deprecated: Bool = false) -> ProtoFieldSchema
{
  ProtoFieldSchema(name: name, number: number, isRepeated: false, type: type, default: def, oneof: nil,
                   isDeprecated: deprecated)
}

func rep(_ name: String, _ number: Int, _ type: ProtoFieldType) -> ProtoFieldSchema {
  ProtoFieldSchema(name: name, number: number, isRepeated: true, type: type, default: nil, oneof: nil,
                   isDeprecated: false)
}

func one(_ name: String, _ number: Int, _ type: ProtoFieldType, oneof: String) -> ProtoFieldSchema {
  ProtoFieldSchema(name: name, number: number, isRepeated: false, type: type, default: nil, oneof: oneof,
                   isDeprecated: false)
}

func msg(_ name: String) -> ProtoFieldType { .message(name) }
func enm(_ name: String) -> ProtoFieldType { .enumeration(name) }
