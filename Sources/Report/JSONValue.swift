import Foundation

/// A parsed JSON value. Parsed with `JSONDecoder`, whose number conversion is exact
/// (shortest round-trip decimals come back as the same doubles); `JSONSerialization` on
/// Linux is off by an ulp for some values, which would make the report's numbers differ
/// from the log's.
enum JSONValue: Decodable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .null }
    else if let b = try? c.decode(Bool.self) { self = .bool(b) }
    else if let d = try? c.decode(Double.self) { self = .number(d) }
    else if let s = try? c.decode(String.self) { self = .string(s) }
    else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
    else { self = .object(try c.decode([String: JSONValue].self)) }
  }

  /// Parses a document; Python's bare `NaN`, `Infinity` and `-Infinity` are accepted as numbers.
  static func parse(_ text: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(sanitizeNonFinite(text).utf8))
  }

  /// The number, including the non-finite markers `sanitizeNonFinite` leaves; nil otherwise.
  var number: Double? {
    switch self {
    case .number(let d): return d
    case .string("\u{1}NaN"): return .nan
    case .string("\u{1}Infinity"): return .infinity
    case .string("\u{1}-Infinity"): return -.infinity
    default: return nil
    }
  }

  var string: String? { if case .string(let s) = self { return s } else { return nil } }
  var object: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }
  var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }

  /// Text for a non-numeric value (strings as they are, others as JSON-like text).
  var text: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let d): return LinePlot.number(d)
    case .string(let s): return s
    case .array(let a): return "[" + a.map(\.text).joined(separator: ", ") + "]"
    case .object(let o): return "{" + o.keys.sorted().map { "\($0): \(o[$0]!.text)" }.joined(separator: ", ") + "}"
    }
  }

  /// Python's json writes NaN / Infinity / -Infinity bare, which JSON parsers reject.
  /// Outside strings they become marker strings ("\u0001NaN", …) that `number` reads back.
  static func sanitizeNonFinite(_ json: String) -> String {
    guard json.contains("NaN") || json.contains("Infinity") else { return json }
    var out = ""
    var inString = false, escaped = false
    var i = json.startIndex
    while i < json.endIndex {
      let c = json[i]
      if inString {
        out.append(c)
        if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
        i = json.index(after: i)
        continue
      }
      if c == "\"" { inString = true; out.append(c); i = json.index(after: i); continue }
      var matched = false
      for token in ["-Infinity", "Infinity", "NaN"] where json[i...].hasPrefix(token) {
        out += "\"\\u0001\(token)\""
        i = json.index(i, offsetBy: token.count)
        matched = true
        break
      }
      if !matched { out.append(c); i = json.index(after: i) }
    }
    return out
  }
}
