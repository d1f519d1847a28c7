/// An Object Detection API label map (`StringIntLabelMap` in protobuf text format):
/// `item { name: "/m/01g317" id: 1 display_name: "person" }` entries. Comments (`#`), both
/// quote styles, `:` before `{`, `<...>` blocks and unknown fields (skipped) are accepted.
///
/// `classId(forText:)` implements the decoder rule for `image/object/class/text`: the text is
/// looked up by `name` and by `display_name`, the larger id wins, -1 when neither matches.
public struct LabelMap: Sendable, Equatable {
  /// One `item { ... }` entry.
  public struct Item: Sendable, Equatable {
    public var name: String
    public var id: Int
    public var displayName: String?

    public init(name: String, id: Int, displayName: String? = nil) {
      self.name = name
      self.id = id
      self.displayName = displayName
    }
  }

  public let items: [Item]
  private let byName: [String: Int]
  private let byDisplayName: [String: Int]

  /// A label map from explicit items (later items win on duplicate names, as in
  /// label_map_util's dictionaries).
  public init(items: [Item]) {
    self.items = items
    var byName: [String: Int] = [:]
    var byDisplayName: [String: Int] = [:]
    for item in items {
      byName[item.name] = item.id
      if let d = item.displayName { byDisplayName[d] = item.id }
    }
    self.byName = byName
    self.byDisplayName = byDisplayName
  }

  /// Reads and parses a `.pbtxt` label map file.
  public init(contentsOfFile path: String) throws {
    let bytes = try FileBytes.read(path, purpose: "read label map")
    try self.init(text: String(decoding: bytes, as: UTF8.self), path: path)
  }

  /// Parses label map text; `path` only names the source in errors.
  public init(text: String, path: String = "<label map>") throws {
    var parser = TextFormatScanner(text: text, path: path)
    var items: [Item] = []
    while let token = try parser.next() {
      guard case let .identifier(field) = token else { throw parser.error("expected 'item', found \(token)") }
      guard field == "item" else {
        try parser.skipField(named: field)
        continue
      }
      let close = try parser.openBlock()
      var name: String?
      var id: Int?
      var displayName: String?
      let itemLine = parser.line
      while true {
        guard let t = try parser.next() else { throw parser.error("unterminated item starting at line \(itemLine)") }
        if t == .symbol(close) { break }
        guard case let .identifier(key) = t else { throw parser.error("expected a field name, found \(t)") }
        switch key {
        case "name": name = try parser.stringValue()
        case "display_name": displayName = try parser.stringValue()
        case "id": id = try parser.intValue()
        default: try parser.skipField(named: key)
        }
      }
      guard let itemId = id else { throw parser.error("item ending here has no id") }
      items.append(Item(name: name ?? "", id: itemId, displayName: displayName))
    }
    self.init(items: items)
  }

  /// The class id for `text`: max of the `name` and `display_name` lookups, -1 if neither matches.
  public func classId(forText text: String) -> Int {
    max(byName[text] ?? -1, byDisplayName[text] ?? -1)
  }

  /// Whether some item has this id.
  public func contains(id: Int) -> Bool { items.contains { $0.id == id } }

  /// The largest id (0 for an empty map).
  public var maxId: Int { items.map(\.id).max() ?? 0 }

  /// display_name (or name) by id, for printing.
  public func displayName(forId id: Int) -> String? {
    guard let item = items.last(where: { $0.id == id }) else { return nil }
    return item.displayName ?? item.name
  }

  public static func == (a: LabelMap, b: LabelMap) -> Bool { a.items == b.items }
}

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
