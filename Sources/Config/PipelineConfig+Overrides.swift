/// Field overrides `path=value` applied to a loaded config: an extension beyond model_main.py
/// (whose `--hparams_overrides` accepts only `load_pretrained`), in the spirit of the OD API's
/// generic `config_util` keys such as `train_config.batch_size`.
///
/// - `path` is the field path as diagnostics print it: names joined by '.', with `[i]` to
///   pick an element of a repeated message field (`eval_input_reader[0].shuffle`,
///   `train_config.data_augmentation_options[1].random_crop_image.min_area`). Messages along
///   the path are created when absent.
/// - `value` is protobuf text format for the last field: a scalar (`8`, `0.5`, `'x'`, `RELU_6`,
///   `false`), a list `[a, b]` for a repeated field (replacing all elements), or a block
///   `{ ... }` for a message field (replacing the whole message).
///
/// Problems are diagnostics with origin `source`: line = the override's 1-based number,
/// column = position in that override (`override:2:14: error: train_config.batch_sise: ...`).
extension PipelineConfig {
  public func applyingOverrides(_ overrides: [String], source: String = "override") throws -> PipelineConfig {
    var proto = self.proto
    var diagnostics: [ConfigDiagnostic] = []
    var warnings = self.warnings
    for (i, text) in overrides.enumerated() {
      var applier = OverrideApplier(file: file, source: source, line: i + 1, text: text)
      applier.apply(to: &proto)
      diagnostics += applier.diagnostics.filter { $0.severity == .error }
      warnings += applier.diagnostics.filter { $0.severity == .warning && !$0.isSetAgain }
    }
    if !diagnostics.isEmpty { throw ConfigError(diagnostics) }
    return try PipelineConfig(proto: proto, file: file, warnings: warnings)
  }
}

extension ConfigDiagnostic {
  var isSetAgain: Bool {
    if case .setAgain = problem { return true }
    return false
  }
}

/// Applies one `path=value` override to a checked message.
struct OverrideApplier {
  let file: String
  let source: String
  let line: Int
  let text: String
  private(set) var diagnostics: [ConfigDiagnostic] = []

  init(file: String, source: String, line: Int, text: String) {
    self.file = file
    self.source = source
    self.line = line
    self.text = text
  }

  private struct Component {
    var name: String
    var index: Int?
    var column: Int
  }

  private mutating func report(column: Int, path: String, _ problem: ConfigProblem) {
    diagnostics.append(ConfigDiagnostic(file: file, location: SourceLocation(line: line, column: column, origin: source),
                                        path: path, problem: problem))
  }

  /// Splits `a.b[2].c` into components; reports and returns nil when malformed.
  private mutating func components(_ path: Substring) -> [Component]? {
    var result: [Component] = []
    var column = 1
    for part in path.split(separator: ".", omittingEmptySubsequences: false) {
      var name = Substring(part)
      var index: Int?
      if let open = part.firstIndex(of: "["), part.hasSuffix("]") {
        name = part[..<open]
        guard let n = Int(part[part.index(after: open)..<part.index(before: part.endIndex)]), n >= 0 else {
          report(column: column, path: String(path), .syntax("bad index in '\(part)'; write name[0]"))
          return nil
        }
        index = n
      }
      let isIdentifier = name.first.map { $0.isLetter || $0 == "_" } == true
        && name.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII }
      guard isIdentifier else {
        report(column: column, path: String(path), .syntax("'\(part)' is not a field name; write path.to.field=value"))
        return nil
      }
      result.append(Component(name: String(name), index: index, column: column))
      column += part.count + 1
    }
    return result
  }

  mutating func apply(to root: inout ProtoMessage) {
    guard let eq = text.firstIndex(of: "=") else {
      report(column: 1, path: "", .syntax("expected path=value, e.g. train_config.batch_size=8"))
      return
    }
    guard let components = components(text[..<eq]) else { return }
    descend(into: &root, components[...], prefix: "")
  }

  private mutating func descend(into message: inout ProtoMessage, _ path: ArraySlice<Component>, prefix: String) {
    let c = path.first!
    let here = prefix.isEmpty ? c.name : prefix + "." + c.name
    let schema = message.messageSchema
    guard let field = schema.field(c.name) else {
      report(column: c.column, path: here,
             .unknownField(name: c.name, messageType: message.type,
                           suggestion: nearestName(to: c.name, in: schema.fields.map(\.name))))
      return
    }
    if path.count == 1 {
      guard c.index == nil else {
        report(column: c.column, path: here, .syntax("give the whole repeated field (\(c.name)=[...]) instead of one element"))
        return
      }
      setValue(field, in: &message, column: c.column, path: prefix)
      return
    }
    guard case .message(let typeName) = field.type else {
      report(column: c.column, path: here, .wrongType(expected: "a message field before '.'", found: "\(field.type) field"))
      return
    }
    if field.isRepeated {
      let elements = message.messages(c.name)
      guard let i = c.index else {
        report(column: c.column, path: here, .syntax("'\(c.name)' is repeated; pick an element, e.g. \(c.name)[0]"))
        return
      }
      guard i < elements.count else {
        report(column: c.column, path: here, .invalidValue("index \(i) is out of range: the config has \(elements.count) element(s)"))
        return
      }
      var sub = elements[i]
      descend(into: &sub, path.dropFirst(), prefix: "\(here)[\(i)]")
      message.replace(c.name, at: i, with: .message(sub))
    } else {
      guard c.index == nil else {
        report(column: c.column, path: here, .notRepeated)
        return
      }
      var sub = message.has(c.name) ? message.message(c.name)
        : ProtoMessage(schema: message.schema, type: typeName, location: nil)
      descend(into: &sub, path.dropFirst(), prefix: here)
      message.set(c.name, .message(sub), at: message.location(of: c.name),
                  valueLocation: message.entry(c.name)?.valueLocations.last ?? nil)
    }
  }

  /// Parses `name: value` (laid out so columns match the override text) and merges it into
  /// `message` in place of the field's current value.
  private mutating func setValue(_ field: ProtoFieldSchema, in message: inout ProtoMessage, column: Int, path: String) {
    let eq = text.firstIndex(of: "=")!
    let valueText = text[text.index(after: eq)...]
    let indent = String(repeating: " ", count: text.distance(from: text.startIndex, to: eq) - field.name.count)
    let synthetic = String(repeating: "\n", count: line - 1) + indent + field.name + ":" + valueText
    let fields: [TextField]
    do {
      fields = try TextFormatParser.parse(synthetic, file: file, origin: source)
    } catch let error as ConfigError {
      diagnostics += error.diagnostics.map { d in
        var d = d
        d.path = path.isEmpty ? field.name : path + "." + field.name
        if case .syntax(let message) = d.problem, message.hasPrefix("expected a field name") {
          d.problem = .syntax("expected one value after '='; quote strings that contain spaces")
        }
        return d
      }
      return
    } catch {
      preconditionFailure("unexpected error \(error)")
    }
    guard fields.count == 1 else {
      report(column: fields.count > 1 ? fields[1].nameLocation.column : column, path: path,
             .syntax("expected one value after '='; quote strings that contain spaces"))
      return
    }
    var checker = SchemaChecker(schema: message.schema, file: file)
    var updated = message
    updated.clear(field.name)
    checker.merge(fields[0], into: &updated, path: path)
    diagnostics += checker.diagnostics
    if !checker.errors.isEmpty { return }
    message = updated
  }
}
