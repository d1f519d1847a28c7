/// One token of protobuf text format.
struct TextFormatToken: Equatable {
  enum Kind: Equatable {
    case identifier          // [A-Za-z_][A-Za-z0-9_.+-]*
    case number              // starts with a digit, '+', '-' or '.digit'; text kept verbatim
    case string              // one quoted literal, escapes already decoded into `text`
    case symbol(Character)   // { } < > [ ] : , ;
    case end
  }
  var kind: Kind
  var text: String
  var location: SourceLocation
}

/// Splits protobuf text format into tokens, skipping whitespace and `#` comments.
/// Columns count characters (UTF-8 continuation bytes do not advance the column).
struct TextFormatLexer {
  private let bytes: [UInt8]
  private var index = 0
  private var line = 1
  private var column = 1
  private let origin: String?

  init(_ text: String, origin: String? = nil) {
    bytes = Array(text.utf8)
    self.origin = origin
  }

  /// A lexing failure at `location` (the parser adds file and field path).
  struct Failure: Error {
    var location: SourceLocation
    var message: String
  }

  private var here: SourceLocation { SourceLocation(line: line, column: column, origin: origin) }

  private mutating func advance() {
    let byte = bytes[index]
    index += 1
    if byte == UInt8(ascii: "\n") {
      line += 1
      column = 1
    } else if byte & 0xC0 != 0x80 {
      column += 1
    }
  }

  private func peek(_ offset: Int = 0) -> UInt8? {
    index + offset < bytes.count ? bytes[index + offset] : nil
  }

  private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
  private static func isLetter(_ b: UInt8) -> Bool {
    (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == UInt8(ascii: "_")
  }

  /// Returns the next token; `.end` at the end of input (repeatedly).
  mutating func next() throws -> TextFormatToken {
    skipTrivia()
    let start = here
    guard let byte = peek() else { return TextFormatToken(kind: .end, text: "", location: start) }
    let char = Character(Unicode.Scalar(byte))
    if "{}<>[]:,;".contains(char) {
      advance()
      return TextFormatToken(kind: .symbol(char), text: String(char), location: start)
    }
    if Self.isLetter(byte) {
      // Like protobuf's tokenizer, identifiers may continue with '+' and '-'; '.' is taken
      // too so that an unquoted `model.ckpt` is reported as one identifier.
      let from = index
      while let b = peek(),
        Self.isLetter(b) || Self.isDigit(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "+")
          || b == UInt8(ascii: "-")
      {
        advance()
      }
      return TextFormatToken(kind: .identifier, text: text(from), location: start)
    }
    let startsNumber = Self.isDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
      || (byte == UInt8(ascii: ".") && peek(1).map(Self.isDigit) == true)
    if startsNumber {
      let from = index
      advance()
      while let b = peek(),
        Self.isLetter(b) || Self.isDigit(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "+")
          || b == UInt8(ascii: "-")
      {
        advance()
      }
      return TextFormatToken(kind: .number, text: text(from), location: start)
    }
    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
      return TextFormatToken(kind: .string, text: try stringLiteral(quote: byte), location: start)
    }
    throw Failure(location: start, message: "unexpected character '\(describe(byte))'")
  }

  private func describe(_ byte: UInt8) -> String {
    byte >= 32 && byte < 127 ? String(Character(Unicode.Scalar(byte))) : "\\x" + hex(byte)
  }

  private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
  }

  private func text(_ from: Int) -> String {
    String(decoding: bytes[from..<index], as: UTF8.self)
  }

  private mutating func skipTrivia() {
    while let b = peek() {
      if b == UInt8(ascii: "#") {
        while let c = peek(), c != UInt8(ascii: "\n") { advance() }
      } else if b == 32 || b == 9 || b == 10 || b == 13 || b == 11 || b == 12 {
        advance()
      } else {
        return
      }
    }
  }

  /// Reads one quoted literal (C escapes: \n \t \r \a \b \f \v \\ \' \" \? \ooo \xhh
  /// \uXXXX \UXXXXXXXX) and returns its decoded text.
  private mutating func stringLiteral(quote: UInt8) throws -> String {
    let start = here
    advance()
    var out: [UInt8] = []
    while true {
      guard let b = peek(), b != UInt8(ascii: "\n") else {
        throw Failure(location: start, message: "unterminated string literal; close it on the same line")
      }
      if b == quote {
        advance()
        return String(decoding: out, as: UTF8.self)
      }
      if b != UInt8(ascii: "\\") {
        out.append(b)
        advance()
        continue
      }
      let escapeAt = here
      advance()
      guard let e = peek(), e != UInt8(ascii: "\n") else {
        throw Failure(location: start, message: "unterminated string literal; close it on the same line")
      }
      advance()
      switch Character(Unicode.Scalar(e)) {
      case "n": out.append(10)
      case "t": out.append(9)
      case "r": out.append(13)
      case "a": out.append(7)
      case "b": out.append(8)
      case "f": out.append(12)
      case "v": out.append(11)
      case "\\", "'", "\"", "?": out.append(e)
      case "0"..."7":
        var value = Int(e - 48)
        for _ in 0..<2 {
          guard let d = peek(), d >= 48, d <= 55 else { break }
          value = value * 8 + Int(d - 48)
          advance()
        }
        guard value < 256 else {
          throw Failure(location: escapeAt, message: "octal escape exceeds \\377")
        }
        out.append(UInt8(value))
      case "x", "X":
        var value = 0
        var count = 0
        while count < 2, let d = peek(), let v = hexValue(d) {
          value = value * 16 + v
          count += 1
          advance()
        }
        guard count > 0 else {
          throw Failure(location: escapeAt, message: "\\x must be followed by hex digits")
        }
        out.append(UInt8(value))
      case "u", "U":
        let width = e == UInt8(ascii: "u") ? 4 : 8
        var value: UInt32 = 0
        for _ in 0..<width {
          guard let d = peek(), let v = hexValue(d) else {
            throw Failure(location: escapeAt, message: "\\\(describe(e)) needs \(width) hex digits")
          }
          value = value * 16 + UInt32(v)
          advance()
        }
        guard let scalar = Unicode.Scalar(value) else {
          throw Failure(location: escapeAt, message: "\\\(describe(e)) escape is not a Unicode scalar")
        }
        out.append(contentsOf: Array(String(scalar).utf8))
      default:
        throw Failure(location: escapeAt, message: "invalid escape '\\\(describe(e))' in string literal")
      }
    }
  }

  private func hexValue(_ b: UInt8) -> Int? {
    switch b {
    case 48...57: return Int(b - 48)
    case 65...70: return Int(b - 55)
    case 97...102: return Int(b - 87)
    default: return nil
    }
  }
}
