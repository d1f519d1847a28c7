/// A schema-checked proto2 message: the fields that are set (in first-written order) plus
/// the schema that supplies defaults for the rest. Values of `float` fields are Float32.
///
/// Accessors take field names and trap on names the schema does not have (a programmer
/// error); absent fields read as their proto default (`has` tells them apart).
public struct ProtoMessage: Equatable, Sendable {
  public let schema: ProtoSchema
  /// The message type's schema name (e.g. `Ssd`, `Ssd.MaskHead`).
  public let type: String
  /// Where the message's block was opened (`{`); nil for the file root and default instances.
  public var location: SourceLocation?
  public private(set) var fields: [ProtoFieldValue] = []

  public init(schema: ProtoSchema, type: String, location: SourceLocation?) {
    self.schema = schema
    self.type = type
    self.location = location
  }

  public static func == (a: ProtoMessage, b: ProtoMessage) -> Bool {
    a.type == b.type && a.fields == b.fields
  }

  public var messageSchema: ProtoMessageSchema { schema.message(type) }

  private func fieldSchema(_ name: String) -> ProtoFieldSchema {
    guard let f = messageSchema.field(name) else { preconditionFailure("\(type) has no field \(name)") }
    return f
  }

  private func index(_ name: String) -> Int? { fields.firstIndex { $0.name == name } }

  /// Whether the field is set (for repeated fields: has at least one element).
  public func has(_ name: String) -> Bool {
    _ = fieldSchema(name)
    return index(name) != nil
  }

  /// The set field, if any.
  public func entry(_ name: String) -> ProtoFieldValue? {
    _ = fieldSchema(name)
    return index(name).map { fields[$0] }
  }

  /// Where the field's name was written, if it is set.
  public func location(of name: String) -> SourceLocation? { entry(name)?.location }

  /// A non-repeated field's value, or its default.
  public func value(_ name: String) -> ProtoValue {
    let f = fieldSchema(name)
    precondition(!f.isRepeated, "\(type).\(name) is repeated")
    return entry(name)?.values.last ?? schema.defaultValue(of: f)
  }

  /// A repeated field's values (empty when unset).
  public func values(_ name: String) -> [ProtoValue] {
    precondition(fieldSchema(name).isRepeated, "\(type).\(name) is not repeated")
    return entry(name)?.values ?? []
  }

  public func int(_ name: String) -> Int {
    switch value(name) {
    case .int(let v): return Int(v)
    case .uint(let v): return Int(v)
    default: preconditionFailure("\(type).\(name) is not an integer field")
    }
  }

  public func float(_ name: String) -> Float {
    guard case .float(let v) = value(name) else { preconditionFailure("\(type).\(name) is not a float field") }
    return v
  }

  /// A float field's value if set, nil otherwise (for fields without a usable default).
  public func floatIfSet(_ name: String) -> Float? { has(name) ? float(name) : nil }

  public func bool(_ name: String) -> Bool {
    guard case .bool(let v) = value(name) else { preconditionFailure("\(type).\(name) is not a bool field") }
    return v
  }

  public func string(_ name: String) -> String {
    guard case .string(let v) = value(name) else { preconditionFailure("\(type).\(name) is not a string field") }
    return v
  }

  /// An enum field's value name.
  public func enumName(_ name: String) -> String {
    guard case .enumeration(let v) = value(name) else { preconditionFailure("\(type).\(name) is not an enum field") }
    return v
  }

  /// A message field's value, or an empty instance (all defaults) when unset.
  public func message(_ name: String) -> ProtoMessage {
    guard case .message(let m) = value(name) else { preconditionFailure("\(type).\(name) is not a message field") }
    return m
  }

  public func floats(_ name: String) -> [Float] {
    values(name).map {
      guard case .float(let v) = $0 else { preconditionFailure("\(type).\(name) is not a float field") }
      return v
    }
  }

  public func ints(_ name: String) -> [Int] {
    values(name).map {
      switch $0 {
      case .int(let v): return Int(v)
      case .uint(let v): return Int(v)
      default: preconditionFailure("\(type).\(name) is not an integer field")
      }
    }
  }

  public func strings(_ name: String) -> [String] {
    values(name).map {
      guard case .string(let v) = $0 else { preconditionFailure("\(type).\(name) is not a string field") }
      return v
    }
  }

  public func messages(_ name: String) -> [ProtoMessage] {
    values(name).map {
      guard case .message(let m) = $0 else { preconditionFailure("\(type).\(name) is not a message field") }
      return m
    }
  }

  /// Which member of a oneof is set, with its message value (oneofs here hold messages).
  public func whichOneof(_ oneof: String) -> (name: String, message: ProtoMessage)? {
    for f in fields where messageSchema.field(f.name)?.oneof == oneof {
      if case .message(let m) = f.values.last { return (f.name, m) }
    }
    return nil
  }

  /// Sets a non-repeated field (replacing any value) or appends to a repeated one, and clears
  /// the other members of its oneof. The caller has checked the value's type.
  public mutating func set(_ name: String, _ value: ProtoValue, at location: SourceLocation?,
                           valueLocation: SourceLocation?)
  {
    let f = fieldSchema(name)
    if let oneof = f.oneof {
      let schema = messageSchema
      fields.removeAll { $0.name != name && schema.field($0.name)?.oneof == oneof }
    }
    if let i = index(name) {
      if f.isRepeated {
        fields[i].values.append(value)
        fields[i].valueLocations.append(valueLocation)
      } else {
        fields[i].values = [value]
        fields[i].valueLocations = [valueLocation]
      }
    } else {
      fields.append(ProtoFieldValue(name: name, location: location, values: [value], valueLocations: [valueLocation]))
    }
  }

  /// Replaces element `index` of a repeated field.
  public mutating func replace(_ name: String, at index: Int, with value: ProtoValue) {
    guard let i = self.index(name), fields[i].values.indices.contains(index) else {
      preconditionFailure("\(type).\(name) has no element \(index)")
    }
    fields[i].values[index] = value
  }

  /// Removes every value of a field.
  public mutating func clear(_ name: String) {
    _ = fieldSchema(name)
    fields.removeAll { $0.name == name }
  }

}
