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
