/// Turns parsed `TextField`s into a typed `ProtoMessage` of a schema's root type, the way
/// `text_format.Merge` fills a message: a non-repeated scalar set twice keeps the last value
/// (reported as a warning), a non-repeated message set twice is merged, repeated fields take
/// `[a, b]` lists and repeated entries alike, and a second member of a oneof replaces the
/// first (also a warning).
/// Collects every problem instead of stopping at the first.
struct SchemaChecker {
  let schema: ProtoSchema
  let file: String
  private(set) var diagnostics: [ConfigDiagnostic] = []

  init(schema: ProtoSchema, file: String) {
    self.schema = schema
    self.file = file
  }

  /// The root message built from `fields`; check `diagnostics` for errors afterwards.
  mutating func check(_ fields: [TextField]) -> ProtoMessage {
    var root = ProtoMessage(schema: schema, type: schema.root, location: nil)
    merge(fields, into: &root, path: "")
    return root
  }

  var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }
  var warnings: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .warning } }

  private mutating func report(_ location: SourceLocation, _ path: String, _ problem: ConfigProblem,
                               severity: ConfigDiagnostic.Severity = .error)
  {
    diagnostics.append(ConfigDiagnostic(file: file, location: location, path: path, problem: problem,
                                        severity: severity))
  }

  private mutating func merge(_ fields: [TextField], into message: inout ProtoMessage, path: String) {
    for field in fields {
      merge(field, into: &message, path: path)
    }
  }

  mutating func merge(_ field: TextField, into message: inout ProtoMessage, path: String) {
    let fieldPath = path.isEmpty ? field.name : path + "." + field.name
    let messageSchema = message.messageSchema
    guard let fs = messageSchema.field(field.name) else {
      report(field.nameLocation, fieldPath,
             .unknownField(name: field.name, messageType: message.type,
                           suggestion: nearestName(to: field.name, in: messageSchema.fields.map(\.name))))
      return
    }
    if let oneof = fs.oneof, let other = message.fields.first(where: {
      $0.name != fs.name && messageSchema.field($0.name)?.oneof == oneof
    }) {
      // text_format.Merge lets the later member replace the earlier one; so do we, loudly.
      report(field.nameLocation, fieldPath, .oneofConflict(field: fs.name, other: other.name, oneof: oneof),
             severity: .warning)
    }
    let items: [TextValue]
    switch field.value {
    case .list(let values, let location):
      guard fs.isRepeated else {
        report(location, fieldPath, .notRepeated)
        return
      }
      items = values
    default:
      items = [field.value]
    }
    if !fs.type.isMessage, !field.hasColon, !field.value.isMessage {
      report(field.value.location, fieldPath, .syntax("expected ':' between '\(field.name)' and its value"))
      return
    }
    for item in items {
      let itemPath = fs.isRepeated ? "\(fieldPath)[\(message.values(fs.name).count)]" : fieldPath
      switch fs.type {
      case .message(let typeName):
        guard case .message(let subfields, let location) = item else {
          let found: String
          if case .scalar(let s) = item { found = s.described } else { found = "a list" }
          report(item.location, itemPath, .wrongType(expected: "a message block '{ ... }' (\(typeName))", found: found))
          continue
        }
        var sub: ProtoMessage
        if !fs.isRepeated, message.has(fs.name) {
          sub = message.message(fs.name)
        } else {
          sub = ProtoMessage(schema: schema, type: typeName, location: location)
        }
        merge(subfields, into: &sub, path: itemPath)
        message.set(fs.name, .message(sub), at: field.nameLocation, valueLocation: location)
      default:
        guard case .scalar(let scalar) = item else {
          report(item.location, itemPath, .wrongType(expected: fs.type.description,
                                                     found: item.isMessage ? "a message block" : "a list"))
          continue
        }
        switch ScalarConversion.convert(scalar, to: fs.type, schema: schema) {
        case .success(let value):
          if !fs.isRepeated, let previous = message.location(of: fs.name) {
            report(field.nameLocation, itemPath, .setAgain(previous: previous), severity: .warning)
          }
          message.set(fs.name, value, at: field.nameLocation, valueLocation: scalar.location)
        case .failure(let problem):
          report(scalar.location, itemPath, problem)
        }
      }
    }
  }
}

extension TextValue {
  var isMessage: Bool {
    if case .message = self { return true }
    return false
  }
}
