/// Tokens of protobuf text format, as much as label maps need.
struct TextFormatScanner {
  enum Token: Equatable, CustomStringConvertible {
    case identifier(String)
    case string(String)
    case number(String)
    case symbol(Character)
    var description: String {
      switch self {
      case let .identifier(s): return "'\(s)'"
      case let .string(s): return "string \"\(s)\""
      case let .number(s): return "number \(s)"
      case let .symbol(c): return "'\(c)'"
      }
    }
  }

  private let chars: [Character]
  private var i = 0
  private let path: String
  private(set) var line = 1

  init(text: String, path: String) {
    chars = Array(text)
    self.path = path
  }

  func error(_ message: String) -> DataError {
    DataError(.syntax(path: path, line: line, message: message + " (label map syntax: item { name: \"...\" id: N display_name: \"...\" })"))
  }

  /// Next token, nil at the end.
  mutating func next() throws -> Token? {
    while i < chars.count {
      let c = chars[i]
      if c == "\n" { line += 1; i += 1 }
      else if c.isWhitespace { i += 1 }
      else if c == "#" { while i < chars.count && chars[i] != "\n" { i += 1 } }
      else { break }
    }
    guard i < chars.count else { return nil }
    let c = chars[i]
    if c == "\"" || c == "'" { return .string(try quoted(c)) }
    if c.isLetter || c == "_" {
      let start = i
      while i < chars.count && (chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == ".") { i += 1 }
      return .identifier(String(chars[start..<i]))
    }
    if c.isNumber || c == "-" || c == "+" {
      let start = i
      i += 1
      while i < chars.count && (chars[i].isNumber || chars[i].isLetter || chars[i] == "." || chars[i] == "-" || chars[i] == "+") { i += 1 }
      return .number(String(chars[start..<i]))
    }
    if "{}<>:;,[]".contains(c) {
      i += 1
      return .symbol(c)
    }
    throw error("unexpected character '\(c)'")
  }

  private mutating func quoted(_ quote: Character) throws -> String {
    let startLine = line
    i += 1
    var bytes: [UInt8] = []
    while true {
      guard i < chars.count, chars[i] != "\n" else { throw error("unterminated string starting on line \(startLine)") }
      let c = chars[i]
      i += 1
      if c == quote { break }
      if c != "\\" {
        bytes += Array(String(c).utf8)
        continue
      }
      guard i < chars.count else { throw error("dangling backslash") }
      let e = chars[i]
      i += 1
      switch e {
      case "n": bytes.append(10)
      case "t": bytes.append(9)
      case "r": bytes.append(13)
      case "\\", "\"", "'", "?": bytes += Array(String(e).utf8)
      case "x":
        var v = 0, n = 0
        while n < 2, i < chars.count, let d = chars[i].hexDigitValue { v = v * 16 + d; i += 1; n += 1 }
        guard n > 0 else { throw error("bad \\x escape") }
        bytes.append(UInt8(v))
      default:
        guard let d0 = e.wholeNumberValue, d0 < 8 else { throw error("unknown escape \\\(e)") }
        var v = d0, n = 1
        while n < 3, i < chars.count, let d = chars[i].wholeNumberValue, d < 8 { v = v * 8 + d; i += 1; n += 1 }
        bytes.append(UInt8(truncatingIfNeeded: v))
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Consumes an optional ':' and an opening '{' or '<'; returns the matching closer.
  mutating func openBlock() throws -> Character {
    var t = try next()
    if t == .symbol(":") { t = try next() }
    if t == .symbol("{") { return "}" }
    if t == .symbol("<") { return ">" }
    throw error("expected '{', found \(t.map(\.description) ?? "end of file")")
  }

  /// `: "value"` (adjacent strings concatenate), then an optional ';' or ','.
  mutating func stringValue() throws -> String {
    guard try next() == .symbol(":") else { throw error("expected ':' after field name") }
    guard case var .string(s) = try next() else { throw error("expected a quoted string") }
    while true {
      let saved = (i, line)
      if case let .string(more) = try next() { s += more } else { (i, line) = saved; break }
    }
    skipSeparator()
    return s
  }

  /// `: 123`, then an optional ';' or ','.
  mutating func intValue() throws -> Int {
    guard try next() == .symbol(":") else { throw error("expected ':' after field name") }
    guard case let .number(text) = try next() else { throw error("expected an integer") }
    let value: Int?
    if text.hasPrefix("0x") || text.hasPrefix("0X") { value = Int(text.dropFirst(2), radix: 16) }
    else { value = Int(text) }
    guard let v = value else { throw error("'\(text)' is not an integer") }
    skipSeparator()
    return v
  }

  private mutating func skipSeparator() {
    let saved = (i, line)
    if let t = try? next(), t == .symbol(";") || t == .symbol(",") { return }
    (i, line) = saved
  }

  /// Skips the value of an unknown field: a scalar, a [list] or a nested block.
  mutating func skipField(named name: String) throws {
    let saved = (i, line)
    var t = try next()
    if t == .symbol(":") {
      let afterColon = (i, line)
      t = try next()
      if t == .symbol("{") || t == .symbol("<") { (i, line) = afterColon } else if t == .symbol("[") {
        while let x = try next(), x != .symbol("]") {}
        skipSeparator()
        return
      } else {
        guard t != nil else { throw error("field '\(name)' has no value") }
        if case .string = t {
          while true {
            let s2 = (i, line)
            if case .string = try next() {} else { (i, line) = s2; break }
          }
        }
        skipSeparator()
        return
      }
    } else {
      (i, line) = saved
    }
    let close = try openBlock()
    var depth = 1
    while depth > 0 {
      guard let x = try next() else { throw error("unterminated block '\(name)'") }
      if x == .symbol("{") || x == .symbol("<") { depth += 1 }
      if x == .symbol("}") || x == .symbol(">") { depth -= 1 }
    }
    _ = close
    skipSeparator()
  }
}
