/// One `name: value` or `name { ... }` entry as written, before the schema is consulted.
struct TextField {
  var name: String
  var nameLocation: SourceLocation
  /// Whether a ':' followed the name (required before scalars, optional before messages).
  var hasColon: Bool
  var value: TextValue
}

/// A value as written: a scalar token, a `{ ... }` / `< ... >` block, or a `[a, b]` list.
indirect enum TextValue {
  case scalar(TextScalar)
  case message(fields: [TextField], location: SourceLocation)
  case list([TextValue], location: SourceLocation)

  var location: SourceLocation {
    switch self {
    case .scalar(let s): return s.location
    case .message(_, let location), .list(_, let location): return location
    }
  }
}

/// A scalar token: identifier (enum names, true/false, inf, nan), number text, or decoded
/// string (adjacent literals already concatenated).
struct TextScalar {
  enum Kind { case identifier, number, string }
  var kind: Kind
  var text: String
  var location: SourceLocation

  /// How the value reads in an error message.
  var described: String {
    switch kind {
    case .identifier: return "identifier '\(text)'"
    case .number: return "number \(text)"
    case .string: return "string \"\(text)\""
    }
  }
}

/// Parses protobuf text format (as `google.protobuf.text_format.Merge` accepts it) into
/// `TextField`s without a schema: `#` comments, optional ':' before a message, `{}` or `<>`
/// blocks, `[a, b]` lists, one optional ',' or ';' after each field, ' or " strings with
/// C escapes and adjacent-literal concatenation.
struct TextFormatParser {
  private var lexer: TextFormatLexer
  private var token: TextFormatToken
  private let file: String
  private var path: [String] = []
  /// Blocks open around the current token.
  private var depth = 0

  /// Deepest nesting of `{ }` / `< >` blocks accepted (protobuf's parsers stop at 100 too):
  /// the parser recurses per block, so unbounded nesting would overflow the stack. A
  /// pipeline config nests about 8 deep.
  static let maximumDepth = 100

  /// Parses a whole file; throws `ConfigError` with one syntax diagnostic on failure.
  static func parse(_ text: String, file: String, origin: String? = nil) throws -> [TextField] {
    do {
      var parser = try TextFormatParser(text, file: file, origin: origin)
      return try parser.fields(until: nil, openedAt: nil)
    } catch let failure as TextFormatLexer.Failure {
      throw ConfigError([
        ConfigDiagnostic(file: file, location: failure.location, path: "", problem: .syntax(failure.message))
      ])
    }
  }

  private init(_ text: String, file: String, origin: String?) throws {
    lexer = TextFormatLexer(text, origin: origin)
    token = try lexer.next()
    self.file = file
  }

  private mutating func advance() throws {
    token = try lexer.next()
  }

  private func fail(_ message: String, at location: SourceLocation? = nil) -> ConfigError {
    ConfigError([
      ConfigDiagnostic(file: file, location: location ?? token.location, path: path.joined(separator: "."),
                       problem: .syntax(message))
    ])
  }

  private var tokenDescription: String {
    switch token.kind {
    case .identifier: return "'\(token.text)'"
    case .number: return "number \(token.text)"
    case .string: return "a string"
    case .symbol(let c): return "'\(c)'"
    case .end: return "end of file"
    }
  }

  /// Reads fields until the closing symbol (`}` / `>`) or, at the top level, the end of file.
  private mutating func fields(until close: Character?, openedAt: SourceLocation?) throws -> [TextField] {
    var result: [TextField] = []
    while true {
      switch token.kind {
      case .end:
        if let close, let openedAt {
          throw fail("missing '\(close)' to close the block opened at \(openedAt)")
        }
        return result
      case .symbol(let c) where c == close:
        try advance()
        return result
      case .identifier:
        result.append(try field())
      case .symbol("["):
        throw fail("extension and Any fields ('[...]' names) are not supported in a pipeline config")
      default:
        let expected = close.map { "a field name or '\($0)'" } ?? "a field name"
        throw fail("expected \(expected), found \(tokenDescription)")
      }
    }
  }

  private mutating func field() throws -> TextField {
    let name = token.text
    let nameLocation = token.location
    try advance()
    path.append(name)
    defer { path.removeLast() }
    var hasColon = false
    if token.kind == .symbol(":") {
      hasColon = true
      try advance()
    }
    let value: TextValue
    switch token.kind {
    case .symbol("["):
      value = try list()
    default:
      value = try singleValue(after: hasColon ? "':'" : "'\(name)'")
    }
    if token.kind == .symbol(",") || token.kind == .symbol(";") {
      try advance()
    }
    return TextField(name: name, nameLocation: nameLocation, hasColon: hasColon, value: value)
  }

  private mutating func singleValue(after: String) throws -> TextValue {
    let location = token.location
    switch token.kind {
    case .symbol(let open) where open == "{" || open == "<":
      guard depth < Self.maximumDepth else {
        throw fail("blocks nested more than \(Self.maximumDepth) deep; a pipeline config needs far fewer "
                   + "(check the braces above this line)")
      }
      depth += 1
      defer { depth -= 1 }
      try advance()
      return .message(fields: try fields(until: open == "{" ? "}" : ">", openedAt: location), location: location)
    case .identifier:
      let scalar = TextScalar(kind: .identifier, text: token.text, location: location)
      try advance()
      return .scalar(scalar)
    case .number:
      let scalar = TextScalar(kind: .number, text: token.text, location: location)
      try advance()
      return .scalar(scalar)
    case .string:
      var text = token.text
      try advance()
      while token.kind == .string {
        text += token.text
        try advance()
      }
      return .scalar(TextScalar(kind: .string, text: text, location: location))
    default:
      throw fail("expected a value after \(after), found \(tokenDescription)")
    }
  }

  private mutating func list() throws -> TextValue {
    let location = token.location
    try advance()
    var items: [TextValue] = []
    if token.kind == .symbol("]") {
      try advance()
      return .list(items, location: location)
    }
    while true {
      if token.kind == .symbol("[") {
        throw fail("lists cannot be nested")
      }
      items.append(try singleValue(after: items.isEmpty ? "'['" : "','"))
      if token.kind == .symbol(",") {
        try advance()
      } else if token.kind == .symbol("]") {
        try advance()
        return .list(items, location: location)
      } else {
        throw fail("expected ',' or ']' in the list opened at \(location), found \(tokenDescription)")
      }
    }
  }
}
