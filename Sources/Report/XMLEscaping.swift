/// Untrusted text (label names, file names, config strings, DLLogger keys) made safe for the
/// report's XHTML: the markup characters become entity references, and characters XML 1.0
/// cannot hold at all — control characters other than tab, newline and carriage return,
/// U+FFFE and U+FFFF — become U+FFFD, so any input gives a well-formed page that shows the
/// text as text.

/// Text escaped for XML character data.
func text(_ s: String) -> String {
  var out = String.UnicodeScalarView()
  for c in s.unicodeScalars {
    switch c {
    case "&": out.append(contentsOf: "&amp;".unicodeScalars)
    case "<": out.append(contentsOf: "&lt;".unicodeScalars)
    case ">": out.append(contentsOf: "&gt;".unicodeScalars)
    default: out.append(isXMLChar(c) ? c : "\u{FFFD}")
    }
  }
  return String(out)
}

/// A double-quoted XML attribute value. Quotes and the white space an XML parser would
/// normalize away (newline, carriage return, tab) are written as character references.
func attr(_ s: String) -> String {
  var out = "\""
  for c in text(s).unicodeScalars {
    switch c {
    case "\"": out += "&quot;"
    case "\n": out += "&#10;"
    case "\r": out += "&#13;"
    case "\t": out += "&#9;"
    default: out.unicodeScalars.append(c)
    }
  }
  return out + "\""
}

/// XML 1.0's `Char` production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
func isXMLChar(_ c: Unicode.Scalar) -> Bool {
  switch c.value {
  case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
  default: return false
  }
}
