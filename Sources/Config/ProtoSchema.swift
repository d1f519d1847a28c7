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
