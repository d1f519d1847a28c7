/// What is wrong at a `ConfigDiagnostic`'s location.
public enum ConfigProblem: Error, Equatable, Sendable {
  /// The text is not protobuf text format (unexpected token, unterminated string, ...).
  case syntax(String)
  /// `name` is not a field of `messageType`; `suggestion` is the nearest field name, if close.
  case unknownField(name: String, messageType: String, suggestion: String?)
  /// The value has the wrong kind for the field (`expected` e.g. "float", "message").
  case wrongType(expected: String, found: String)
  /// `value` is not one of the enum's value names.
  case unknownEnumValue(value: String, enumType: String, allowed: [String], suggestion: String?)
  /// A number does not fit the field's type (`int32`, `uint32`, ...).
  case outOfRange(value: String, type: String)
  /// A `[...]` list or a second occurrence was given for a field that is not repeated.
  case notRepeated
  /// (Warning) A second member of a oneof is set; it replaces `other`, as `text_format.Merge` does.
  case oneofConflict(field: String, other: String, oneof: String)
  /// A value this trainer (or the OD API builder) cannot do without is absent.
  case missingRequired(String)
  /// A value is present but unusable (e.g. `total_steps < warmup_steps`).
  case invalidValue(String)
  /// Valid for the OD API, but not something this SSD320 trainer implements.
  case unsupported(String)
  /// The file could not be read.
  case unreadable(String)
  /// (Warning) A non-repeated field is set again; the last value wins, as `text_format.Merge` does.
  case setAgain(previous: SourceLocation)

  /// The human-readable part after the field path; ends with a hint where one helps.
  public var message: String {
    switch self {
    case .syntax(let text):
      return text
    case .unknownField(let name, let type, let suggestion):
      var text = "unknown field '\(name)' in message \(type)"
      if let suggestion { text += "; did you mean '\(suggestion)'?" }
      return text
    case .wrongType(let expected, let found):
      return "expected \(expected), found \(found)"
    case .unknownEnumValue(let value, let type, let allowed, let suggestion):
      var text = "'\(value)' is not a value of enum \(type)"
      if let suggestion {
        text += "; did you mean '\(suggestion)'?"
      } else {
        text += " (allowed: \(allowed.joined(separator: ", ")))"
      }
      return text
    case .outOfRange(let value, let type):
      return "\(value) is out of range for \(type)"
    case .notRepeated:
      return "field is not repeated; give it a single value"
    case .oneofConflict(let field, let other, let oneof):
      return "'\(field)' replaces '\(other)' set earlier (both belong to oneof \(oneof); the last one wins); keep one"
    case .missingRequired(let text):
      return text
    case .invalidValue(let text):
      return text
    case .unsupported(let text):
      return text
    case .unreadable(let text):
      return text
    case .setAgain(let previous):
      return "set again (first set at \(previous)); the last value wins"
    }
  }
}
